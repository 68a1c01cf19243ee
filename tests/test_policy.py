"""The pure reminder policy: which reminders, due when, at a given `now`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.settings import Settings
from scheduler.rules.domain import ReminderKind, Status
from scheduler.rules.policy import (
    CHAIN_KINDS,
    REASON_CANCELLED,
    REASON_DATED,
    REASON_DONE,
    REASON_UNASSIGNED,
    REASON_WINDOW,
    REASON_WITHDRAWN,
    Obligation,
    Policy,
    ReminderSpec,
    dedup_key,
    digest_specs,
    moot_reason,
    plan_specs,
)
from scheduler.rules.workdays import is_working_day

K = ReminderKind
POLICY = Policy()
WIDE = Policy(horizon_ahead=timedelta(days=1500))
FEB = (date(2026, 2, 9), date(2026, 2, 12))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def ru(windows: tuple[tuple[date, date], ...] = (FEB,), **kwargs: object) -> Obligation:
    return Obligation(1, 10, "RU", "Europe/Moscow", windows, **kwargs)  # type: ignore[arg-type]


def by(windows: tuple[tuple[date, date], ...] = (FEB,), **kwargs: object) -> Obligation:
    return Obligation(1, 20, "BY", "Europe/Minsk", windows, **kwargs)  # type: ignore[arg-type]


def due_days(specs: list[ReminderSpec]) -> list[tuple[str, str, str]]:
    """(kind, local due day, slot), ordered by due time: the comparable shape of a plan."""
    ordered = sorted(specs, key=lambda s: (s.due_at, s.kind.value, s.slot))
    return [(s.kind.value, s.due_at.astimezone(UTC).date().isoformat(), s.slot) for s in ordered]


def test_events_item_1_nine_to_twelve_february() -> None:
    specs = plan_specs([ru()], now=utc(2026, 1, 20), policy=POLICY)
    assert due_days(specs) == [
        ("heads_up", "2026-01-26", ""),  # Monday, 14 days before 9 February
        ("before_end", "2026-02-09", ""),  # 12 - 3 = 9 February, a Monday
        ("status_request", "2026-02-13", ""),  # Friday, the working day after the end
    ]
    assert {s.due_at for s in specs} == {
        utc(2026, 1, 26, 6),
        utc(2026, 2, 9, 6),
        utc(2026, 2, 13, 6),
    }
    assert {s.key for s in specs} == {
        "1:10:heads_up:2026-02-09:2026-02-12:",
        "1:10:before_end:2026-02-09:2026-02-12:",
        "1:10:status_request:2026-02-09:2026-02-12:",
    }


def test_minsk_agency_is_also_due_at_six_utc() -> None:
    specs = plan_specs([by()], now=utc(2026, 1, 20), policy=POLICY)
    assert sorted(s.due_at for s in specs) == [
        utc(2026, 1, 26, 6),
        utc(2026, 2, 9, 6),
        utc(2026, 2, 13, 6),
    ]


CALENDAR = [
    # Heads-up on 7 January (Orthodox Christmas in both countries) moves back.
    pytest.param(
        "BY", (date(2026, 1, 21), date(2026, 1, 23)), K.HEADS_UP, date(2026, 1, 6), id="by-jan-7"
    ),
    pytest.param(
        "RU", (date(2026, 1, 21), date(2026, 1, 23)), K.HEADS_UP, date(2025, 12, 30), id="ru-jan-7"
    ),
    # Before-end on Saturday 9 May moves back to Friday 8 May.
    pytest.param(
        "BY", (date(2026, 5, 4), date(2026, 5, 12)), K.BEFORE_END, date(2026, 5, 8), id="by-may-9"
    ),
    # A status request after a window ending Friday 8 May: Belarus works on 11 May, Russia not.
    pytest.param(
        "BY", (date(2026, 5, 4), date(2026, 5, 8)), K.STATUS_REQUEST, date(2026, 5, 11), id="by-sr"
    ),
    pytest.param(
        "RU", (date(2026, 5, 4), date(2026, 5, 8)), K.STATUS_REQUEST, date(2026, 5, 12), id="ru-sr"
    ),
    # Independence Day of Belarus, 3 July: the status request waits until Monday 6 July.
    pytest.param(
        "BY", (date(2026, 6, 1), date(2026, 7, 2)), K.STATUS_REQUEST, date(2026, 7, 6), id="by-jul"
    ),
    pytest.param(
        "RU", (date(2026, 6, 1), date(2026, 7, 2)), K.STATUS_REQUEST, date(2026, 7, 3), id="ru-jul"
    ),
    # 23 February: a day off in Russia, a working day in Belarus.
    pytest.param(
        "RU", (date(2026, 3, 1), date(2026, 3, 9)), K.HEADS_UP, date(2026, 2, 13), id="ru-feb-15"
    ),
    pytest.param(
        "RU", (date(2026, 3, 9), date(2026, 3, 20)), K.HEADS_UP, date(2026, 2, 20), id="ru-feb-23"
    ),
    pytest.param(
        "BY", (date(2026, 3, 9), date(2026, 3, 20)), K.HEADS_UP, date(2026, 2, 23), id="by-feb-23"
    ),
]


@pytest.mark.parametrize(("country", "window", "kind", "expected"), CALENDAR)
def test_holidays_shift_reminders(
    country: str, window: tuple[date, date], kind: ReminderKind, expected: date
) -> None:
    ob = ru((window,)) if country == "RU" else by((window,))
    specs = plan_specs([ob], now=utc(2025, 12, 1), policy=Policy(horizon_ahead=timedelta(days=365)))
    (spec,) = [s for s in specs if s.kind == kind]
    assert spec.due_at.astimezone(UTC) == datetime.combine(expected, datetime.min.time(), UTC) + (
        timedelta(hours=6)
    )


def test_horizon_limits_what_is_planned() -> None:
    # 20 December: heads-up (26 January) 37 days ahead, before-end 51, status request 55.
    assert [
        k for k, _, _ in due_days(plan_specs([ru()], now=utc(2025, 12, 20), policy=POLICY))
    ] == [
        "heads_up",
        "before_end",
        "status_request",
    ]
    # 1 December: only the heads-up is within 60 days.
    assert due_days(plan_specs([ru()], now=utc(2025, 11, 30), policy=POLICY)) == [
        ("heads_up", "2026-01-26", "")
    ]
    # Two days after the heads-up's moment it is no longer planned (not sent late).
    assert [k for k, _, _ in due_days(plan_specs([ru()], now=utc(2026, 1, 28), policy=POLICY))] == [
        "before_end",
        "status_request",
    ]
    # Within a day after its moment it still is (the dispatcher decides to send or expire).
    assert "heads_up" in [
        s.kind for s in plan_specs([ru()], now=utc(2026, 1, 26, 20), policy=POLICY)
    ]


def test_repeat_and_escalation_follow_what_was_sent() -> None:
    now = utc(2026, 2, 13, 7)
    request = "1:10:status_request:2026-02-09:2026-02-12:"
    repeat = "1:10:repeat:2026-02-09:2026-02-12:"
    assert "repeat" not in [s.kind for s in plan_specs([ru()], now=now, policy=POLICY)]
    sent = {request: utc(2026, 2, 13, 6, 1)}
    specs = plan_specs([ru()], now=now, policy=POLICY, sent=sent)
    assert ("repeat", "2026-02-18", "") in due_days(specs)  # three working days after Friday
    assert "escalation" not in [s.kind for s in specs]
    sent[repeat] = utc(2026, 2, 18, 6, 2)
    specs = plan_specs([ru()], now=utc(2026, 2, 18, 7), policy=POLICY, sent=sent)
    assert ("escalation", "2026-02-24", "") in due_days(specs)  # 19, 20, then 24 (23 is off)
    done = ru(status=Status.DONE, status_on=date(2026, 2, 19))
    assert plan_specs([done], now=utc(2026, 2, 18, 7), policy=POLICY, sent=sent) == []


def test_late_status_request_is_due_at_the_next_working_moment() -> None:
    # Planned for the first time long after the window ended: still owed, sent next morning.
    specs = plan_specs([ru()], now=utc(2026, 6, 12, 15), policy=POLICY)  # Russia Day, Friday
    assert [(s.kind, s.due_at) for s in specs] == [(K.STATUS_REQUEST, utc(2026, 6, 15, 6))]


def test_done_and_cancelled_close_the_item() -> None:
    now = utc(2026, 1, 20)
    assert (
        plan_specs([ru(status=Status.DONE, status_on=date(2026, 1, 19))], now=now, policy=POLICY)
        == []
    )
    assert plan_specs([ru(status=Status.CANCELLED)], now=now, policy=POLICY) == []
    assert len(plan_specs([ru(status=Status.IN_PROGRESS)], now=now, policy=POLICY)) == 3
    assert plan_specs([ru(withdrawn=True)], now=now, policy=POLICY) == []


def test_done_in_one_year_does_not_close_the_next_years_window() -> None:
    windows = tuple((date(y, 6, 1), date(y, 7, 31)) for y in (2026, 2027, 2028))
    ob = ru(windows, status=Status.DONE, status_on=date(2026, 8, 3))
    specs = plan_specs([ob], now=utc(2026, 8, 3), policy=Policy(horizon_ahead=timedelta(days=800)))
    assert {s.window_start for s in specs} == {date(2027, 6, 1), date(2028, 6, 1)}


def test_three_year_window_gets_monthly_progress_requests() -> None:
    ob = ru(((date(2026, 1, 1), date(2028, 12, 31)),))
    specs = plan_specs([ob], now=utc(2025, 12, 10), policy=WIDE)
    progress = [s for s in specs if s.kind == K.PROGRESS]
    # Every month strictly between January 2026 and December 2028: February 2026 … November 2028.
    assert len(progress) == 34
    assert due_days(progress)[:4] == [
        ("progress", "2026-02-02", "2026-02"),
        ("progress", "2026-03-02", "2026-03"),
        ("progress", "2026-04-01", "2026-04"),
        ("progress", "2026-05-04", "2026-05"),
    ]
    assert due_days(progress)[-1] == ("progress", "2028-11-01", "2028-11")
    assert [k for k, _, _ in due_days(specs) if k != "progress"] == [
        "heads_up",
        "before_end",
        "status_request",
    ]
    assert [d for k, d, _ in due_days(specs) if k != "progress"] == [
        "2025-12-18",
        "2028-12-28",
        "2029-01-09",
    ]


def test_progress_skips_the_month_of_the_before_end_reminder() -> None:
    ob = ru(((date(2026, 1, 15), date(2026, 6, 2)),))  # before-end Friday 29 May
    specs = plan_specs([ob], now=utc(2025, 12, 1), policy=Policy(horizon_ahead=timedelta(days=365)))
    assert [slot for k, _, slot in due_days(specs) if k == "progress"] == [
        "2026-02",
        "2026-03",
        "2026-04",
    ]


@pytest.mark.parametrize(
    ("window", "progress"),
    [
        pytest.param((date(2026, 7, 1), date(2026, 9, 30)), 0, id="a-quarter-is-92-days"),
        pytest.param(
            (date(2026, 7, 1), date(2026, 10, 1)), 1, id="93-days-september-has-before-end"
        ),
        pytest.param((date(2026, 1, 1), date(2026, 12, 31)), 10, id="a-year"),
    ],
)
def test_only_windows_longer_than_a_quarter_get_progress(
    window: tuple[date, date], progress: int
) -> None:
    specs = plan_specs([ru((window,))], now=utc(2025, 12, 1), policy=WIDE)
    assert sum(s.kind == K.PROGRESS for s in specs) == progress


def test_undated_item_is_asked_for_a_date_monthly() -> None:
    specs = plan_specs([ru((), undated=True)], now=utc(2026, 1, 10), policy=POLICY)
    assert due_days(specs) == [
        ("ask_date", "2026-01-12", "2026-01"),
        ("ask_date", "2026-02-02", "2026-02"),
        ("ask_date", "2026-03-02", "2026-03"),
    ]
    assert specs[0].key == "1:10:ask_date:-:-:2026-01"
    by_specs = plan_specs([by((), undated=True)], now=utc(2026, 1, 10), policy=POLICY)
    assert [d for _, d, _ in due_days(by_specs)] == ["2026-02-02", "2026-03-02"]


def test_tentative_item_is_asked_only_until_its_window_starts() -> None:
    ob = ru(((date(2026, 3, 10), date(2026, 3, 12)),), tentative=True)
    specs = plan_specs([ob], now=utc(2026, 1, 10), policy=POLICY)
    assert [(k, d) for k, d, _ in due_days(specs) if k == "ask_date"] == [
        ("ask_date", "2026-01-12"),
        ("ask_date", "2026-02-02"),
        ("ask_date", "2026-03-02"),
    ]
    later = plan_specs([ob], now=utc(2026, 3, 20), policy=POLICY)
    assert "ask_date" not in [s.kind for s in later]
    confirmed = ru(((date(2026, 3, 10), date(2026, 3, 12)),), tentative=True, own_windows=True)
    assert "ask_date" not in [
        s.kind for s in plan_specs([confirmed], now=utc(2026, 1, 10), policy=POLICY)
    ]


def test_weekly_digest_mondays_at_nine_moscow() -> None:
    specs = digest_specs(now=utc(2026, 1, 28, 12), policy=POLICY)
    assert [s.slot for s in specs] == [f"2026-W{w:02d}" for w in range(6, 14)]
    assert specs[0].due_at == utc(2026, 2, 2, 6)
    assert specs[0].key == "-:-:digest:-:-:2026-W06"
    assert all(s.item_id is None and s.agency_id is None for s in specs)


def test_dedup_key_format() -> None:
    assert dedup_key(5, 7, K.HEADS_UP, date(2026, 2, 9), date(2026, 2, 12), "") == (
        "5:7:heads_up:2026-02-09:2026-02-12:"
    )
    assert dedup_key(None, None, "digest", None, None, "2026-W05") == "-:-:digest:-:-:2026-W05"


@pytest.mark.parametrize(
    ("kind", "window", "ob", "reason"),
    [
        pytest.param(K.HEADS_UP, FEB, ru(), None, id="owed"),
        pytest.param(K.HEADS_UP, FEB, None, REASON_UNASSIGNED, id="unassigned"),
        pytest.param(K.HEADS_UP, FEB, ru(withdrawn=True), REASON_WITHDRAWN, id="withdrawn"),
        pytest.param(K.BEFORE_END, (date(2026, 2, 1), date(2026, 2, 12)), ru(), REASON_WINDOW),
        pytest.param(K.REPEAT, FEB, ru(status=Status.DONE), REASON_DONE, id="done"),
        pytest.param(K.HEADS_UP, FEB, ru(status=Status.CANCELLED), REASON_CANCELLED, id="cnc"),
        pytest.param(K.ASK_DATE, None, ru((), undated=True), None, id="ask-owed"),
        pytest.param(K.ASK_DATE, None, ru(own_windows=True, undated=True), REASON_DATED),
        pytest.param(K.DIGEST, None, None, None, id="digest"),
    ],
)
def test_moot_reason(
    kind: ReminderKind, window: tuple[date, date] | None, ob: Obligation | None, reason: str | None
) -> None:
    assert moot_reason(kind, window, ob) == reason


def test_policy_from_settings() -> None:
    settings = Settings(_env_file=None, srok_heads_up_days=7, srok_timezone="Europe/Minsk")
    policy = Policy.from_settings(settings, horizon_ahead=timedelta(days=30))
    assert (policy.heads_up_days, policy.before_end_days, policy.repeat_working_days) == (7, 3, 3)
    assert policy.timezone == "Europe/Minsk"
    assert policy.horizon_ahead == timedelta(days=30)
    specs = plan_specs([ru()], now=utc(2026, 1, 20), policy=policy)
    assert ("heads_up", "2026-02-02", "") in due_days(specs)  # 9 February - 7 days


WINDOWS = st.builds(
    lambda start, length: (start, start + timedelta(days=length)),
    st.dates(date(2025, 6, 1), date(2028, 12, 31)),
    st.integers(0, 1200),
)


@settings(max_examples=100, deadline=None)
@given(
    windows=st.lists(WINDOWS, max_size=3, unique=True),
    country=st.sampled_from(["RU", "BY"]),
    now=st.integers(0, 4 * 366 * 24 * 60).map(lambda m: utc(2025, 6, 1) + timedelta(minutes=m)),
    flags=st.tuples(st.booleans(), st.booleans()),
)
def test_every_spec_is_nine_local_on_a_working_day_and_unique(
    windows: list[tuple[date, date]],
    country: str,
    now: datetime,
    flags: tuple[bool, bool],
) -> None:
    zone = "Europe/Minsk" if country == "BY" else "Europe/Moscow"
    ob = Obligation(
        1, 2, country, zone, tuple(sorted(windows)), tentative=flags[0], undated=flags[1]
    )
    specs = plan_specs([ob], now=now, policy=POLICY)
    assert len({s.key for s in specs}) == len(specs)
    for spec in specs:
        local = spec.due_at.astimezone(ZoneInfo(zone))
        assert is_working_day(local.date(), country), spec
        assert spec.due_at <= now + POLICY.horizon_ahead
        if spec.kind not in CHAIN_KINDS:
            assert local.hour == 9 and spec.due_at >= now - POLICY.horizon_past, spec
        if spec.window_start is not None:
            assert (spec.window_start, spec.window_end) in ob.windows
    # Planning again at the same moment gives the same specs.
    assert plan_specs([ob], now=now, policy=POLICY) == specs
