"""Planning the outbox on a real database: new rows, idempotence, cancellations, revival."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from models import Item, Reminder, ReminderState, Responsibility, Side, Status, Window
from models.db import make_engine, make_session_factory, upgrade
from models.statuses.reports import record_report
from models.statuses.windows import set_agency_windows
from scheduler.rules.policy import Policy
from scheduler.runtime.planning import PlanResult, list_reminders, plan_reminders
from tests.support.planning_seed import add_agency, add_item, add_plan, mark_sent, reminders, states

NOW = datetime(2026, 1, 20, 6, tzinfo=UTC)
POLICY = Policy()
FEB = (date(2026, 2, 9), date(2026, 2, 12))


def seed(session: Session) -> dict[str, int]:
    """Item 1 (9–12 February) for a Russian and a Belarusian agency; item 2 undated."""
    plan = add_plan(session)
    ru = add_agency(session, "Министерство культуры и туризма Смоленской области", Side.RU)
    by = add_agency(session, "Управление культуры Могилевского облисполкома", Side.BY)
    one = add_item(session, plan, "1", [FEB], [ru, by])
    two = add_item(session, plan, "2", [], [ru], undated=True)
    return {"ru": ru.id, "by": by.id, "one": one.id, "two": two.id}


def keys(ids: dict[str, int], agency: str, *kinds: str) -> set[str]:
    return {f"{ids['one']}:{ids[agency]}:{kind}:2026-02-09:2026-02-12:" for kind in kinds}


def test_first_plan_then_nothing_changes(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as session:
        ids = seed(session)
        result = plan_reminders(session, now=NOW, policy=POLICY)
    with session_factory.begin() as session:
        rows = reminders(session)
        window_keys = keys(ids, "ru", "heads_up", "before_end", "status_request")
        window_keys |= keys(ids, "by", "heads_up", "before_end", "status_request")
        ask = {f"{ids['two']}:{ids['ru']}:ask_date:-:-:2026-{m}" for m in ("02", "03")}
        digests = {f"-:-:digest:-:-:2026-W{w:02d}" for w in range(4, 13)}
        assert set(rows) == window_keys | ask | digests
        assert result == PlanResult(created=len(rows))
        assert {r.state for r in rows.values()} == {ReminderState.PENDING}
        heads_up = rows[f"{ids['one']}:{ids['by']}:heads_up:2026-02-09:2026-02-12:"]
        assert heads_up.due_at == datetime(2026, 1, 26, 6, tzinfo=UTC)
        assert (heads_up.window_start, heads_up.window_end, heads_up.slot) == (*FEB, "")
        before = {k: (r.id, r.due_at, r.updated_at) for k, r in rows.items()}
    for _ in range(2):
        with session_factory.begin() as session:
            again = plan_reminders(session, now=NOW, policy=POLICY)
        assert again == PlanResult(unchanged=len(before))
        with session_factory.begin() as session:
            after = {k: (r.id, r.due_at, r.updated_at) for k, r in reminders(session).items()}
        assert after == before


def test_done_cancels_pending_and_keeps_sent(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as session:
        ids = seed(session)
        plan_reminders(session, now=NOW, policy=POLICY)
        (heads_up,) = keys(ids, "ru", "heads_up")
        mark_sent(session, heads_up, datetime(2026, 1, 26, 6, 1, tzinfo=UTC))
        later = datetime(2026, 1, 27, 10, tzinfo=UTC)
        record_report(
            session,
            item_id=ids["one"],
            agency_id=ids["ru"],
            status=Status.DONE,
            comment=None,
            now=later,
            source="button",
        )
        result = plan_reminders(session, now=later, policy=POLICY)
        got = states(session)
    assert result.cancelled == 2
    assert result.reasons == {"выполнено": 2}
    assert got[heads_up] == ("sent", None)
    for key in keys(ids, "ru", "before_end", "status_request"):
        assert got[key] == ("cancelled", "выполнено")
    for key in keys(ids, "by", "heads_up", "before_end", "status_request"):
        assert got[key] == ("pending", None)  # the other agency still owes its answer


def test_cancelled_status_and_revival(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as session:
        ids = seed(session)
        plan_reminders(session, now=NOW, policy=POLICY)
        for status in (Status.CANCELLED, Status.IN_PROGRESS):
            record_report(
                session,
                item_id=ids["one"],
                agency_id=ids["by"],
                status=status,
                comment=None,
                now=NOW + timedelta(hours=1),
                source="button",
            )
            plan_reminders(session, now=NOW + timedelta(hours=1), policy=POLICY)
            if status == Status.CANCELLED:
                cancelled = states(session)
        back = states(session)
    for key in keys(ids, "by", "heads_up", "before_end", "status_request"):
        assert cancelled[key] == ("cancelled", "отменено")
        assert back[key] == ("pending", None)  # the agency took it up again


def test_agency_window_moved(session_factory: sessionmaker[Session]) -> None:
    moved = (date(2026, 3, 16), date(2026, 3, 20))
    with session_factory.begin() as session:
        ids = seed(session)
        plan_reminders(session, now=NOW, policy=POLICY)
        set_agency_windows(
            session,
            item_id=ids["one"],
            agency_id=ids["ru"],
            windows=[moved],
            now=NOW,
            text="перенос на 16–20 марта",
        )
        result = plan_reminders(session, now=NOW, policy=POLICY)
        got = states(session)
        due = {k: r.due_at for k, r in reminders(session).items()}
    assert result.reasons == {"окно изменилось": 3}
    for key in keys(ids, "ru", "heads_up", "before_end", "status_request"):
        assert got[key] == ("cancelled", "окно изменилось")
    new = f"{ids['one']}:{ids['ru']}:heads_up:2026-03-16:2026-03-20:"
    assert got[new] == ("pending", None)
    assert due[new] == datetime(2026, 3, 2, 6, tzinfo=UTC)
    assert f"{ids['one']}:{ids['ru']}:before_end:2026-03-16:2026-03-20:" in got
    for key in keys(ids, "by", "heads_up", "before_end", "status_request"):
        assert got[key] == ("pending", None)


def test_printed_window_changed_by_reimport(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as session:
        ids = seed(session)
        plan_reminders(session, now=NOW, policy=POLICY)
        session.execute(delete(Window).where(Window.item_id == ids["one"]))
        session.add(
            Window(
                item_id=ids["one"],
                start=date(2026, 2, 10),
                end=date(2026, 2, 13),
                created_at=NOW,
            )
        )
        session.flush()
        result = plan_reminders(session, now=NOW, policy=POLICY)
        got = states(session)
    assert result.cancelled == 6
    assert result.created == 6
    assert got[f"{ids['one']}:{ids['by']}:status_request:2026-02-10:2026-02-13:"] == (
        "pending",
        None,
    )


def test_withdrawn_item_and_removed_agency(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as session:
        ids = seed(session)
        plan_reminders(session, now=NOW, policy=POLICY)
        session.get(Item, ids["two"]).withdrawn_at = NOW  # type: ignore[union-attr]
        session.execute(
            delete(Responsibility).where(
                Responsibility.item_id == ids["one"], Responsibility.agency_id == ids["by"]
            )
        )
        result = plan_reminders(session, now=NOW, policy=POLICY)
        got = states(session)
    assert result.reasons == {"пункт исключён из плана": 2, "орган больше не отвечает за пункт": 3}
    assert got[f"{ids['two']}:{ids['ru']}:ask_date:-:-:2026-02"] == (
        "cancelled",
        "пункт исключён из плана",
    )
    for key in keys(ids, "ru", "heads_up", "before_end", "status_request"):
        assert got[key] == ("pending", None)


def test_repeat_after_sent_request_then_escalation(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as session:
        ids = seed(session)
        plan_reminders(session, now=NOW, policy=POLICY)
        (request,) = keys(ids, "ru", "status_request")
        (repeat,) = keys(ids, "ru", "repeat")
        (escalation,) = keys(ids, "ru", "escalation")
        friday = datetime(2026, 2, 13, 6, 2, tzinfo=UTC)
        plan_reminders(session, now=friday, policy=POLICY)
        assert repeat not in states(session)  # the request has not gone out yet
        mark_sent(session, request, friday)
        plan_reminders(session, now=friday, policy=POLICY)
        rows = reminders(session)
        assert rows[repeat].due_at == datetime(2026, 2, 18, 6, tzinfo=UTC)
        assert escalation not in rows
        mark_sent(session, repeat, datetime(2026, 2, 18, 6, 1, tzinfo=UTC))
        plan_reminders(session, now=datetime(2026, 2, 18, 7, tzinfo=UTC), policy=POLICY)
        rows = reminders(session)
        assert rows[escalation].due_at == datetime(2026, 2, 24, 6, tzinfo=UTC)
        assert (rows[escalation].item_id, rows[escalation].agency_id) == (ids["one"], ids["ru"])


def test_sending_rows_are_never_touched(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as session:
        ids = seed(session)
        plan_reminders(session, now=NOW, policy=POLICY)
        (key,) = keys(ids, "ru", "heads_up")
        reminders(session)[key].state = ReminderState.SENDING
        session.get(Item, ids["one"]).withdrawn_at = NOW  # type: ignore[union-attr]
        session.flush()
        plan_reminders(session, now=NOW, policy=POLICY)
        assert states(session)[key] == ("sending", None)


def test_list_reminders(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as session:
        ids = seed(session)
        plan_reminders(session, now=NOW, policy=POLICY)
    with session_factory.begin() as session:
        rows = list_reminders(
            session,
            start=datetime(2026, 1, 26, tzinfo=UTC),
            end=datetime(2026, 1, 27, tzinfo=UTC),
        )
        total = session.scalar(select(func.count()).select_from(Reminder))
        heads_up_id = reminders(session)[
            f"{ids['one']}:{ids['ru']}:heads_up:2026-02-09:2026-02-12:"
        ].id
    assert {(r["item"], r["agency"], r["kind"], r["state"]) for r in rows} == {
        (None, None, "digest", "pending"),
        ("1", "Министерство культуры и туризма Смоленской области", "heads_up", "pending"),
        ("1", "Управление культуры Могилевского облисполкома", "heads_up", "pending"),
    }
    assert len(rows) == 3
    assert all(r["due"] == datetime(2026, 1, 26, 6, tzinfo=UTC) for r in rows)
    (heads_up,) = [r for r in rows if r["agency"] and r["agency"].startswith("Мин")]
    assert (heads_up["window"], heads_up["plan"], heads_up["id"]) == (
        list(FEB),
        "План",
        heads_up_id,
    )
    with session_factory.begin() as session:
        listed = list_reminders(session)
        assert len(listed) == total
        assert [r["due"] for r in listed] == sorted(r["due"] for r in listed)


@pytest.fixture
def srok(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("SROK_TIMEZONE", "Europe/Moscow")
    monkeypatch.chdir(tmp_path)  # no stray .env
    return CliRunner()


def test_cli_plans_and_lists(srok: CliRunner, sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    with make_session_factory(engine).begin() as session:
        seed(session)
    engine.dispose()
    args = ["reminders", "--plan", "--now", "2026-01-20T09:00", "--from", "2026-01-26"]
    result = srok.invoke(main, [*args, "--to", "2026-01-26", "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert sorted((r["item"] or "", r["agency"] or "", r["kind"], r["due"]) for r in shown) == [
        ("", "", "digest", "2026-01-26T09:00:00+03:00"),
        (
            "1",
            "Министерство культуры и туризма Смоленской области",
            "heads_up",
            "2026-01-26T09:00:00+03:00",
        ),
        (
            "1",
            "Управление культуры Могилевского облисполкома",
            "heads_up",
            "2026-01-26T09:00:00+03:00",
        ),
    ]
    assert {r["state"] for r in shown} == {"pending"}
    plain = srok.invoke(main, ["reminders", "--to", "2026-01-26"])
    assert plain.exit_code == 0, plain.output
    assert "26 января 2026 г., 09:00 · предупреждение о начале · ожидает" in plain.stdout
    assert "п. 1, окно 9–12 февраля 2026 г. — Управление культуры Могилевского" in plain.stdout
    assert "Всего: 4." in plain.stdout  # two digests, two heads-ups


def test_cli_rejects_an_inverted_range(srok: CliRunner) -> None:
    result = srok.invoke(main, ["reminders", "--from", "2026-02-01", "--to", "2026-01-01"])
    assert result.exit_code == 1
    assert "srok: --to 2026-01-01 раньше, чем --from 2026-02-01" in result.output


@pytest.mark.postgres
def test_two_planners_at_once_on_postgres(pg_url: str) -> None:
    """Two processes refreshing at the same moment: no error, no duplicate (ON CONFLICT)."""
    engine = make_engine(pg_url)
    upgrade(engine)
    factory = make_session_factory(engine)
    with factory.begin() as session:
        seed(session)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def planner() -> None:
        try:
            with factory.begin() as session:
                session.execute(select(1))
                barrier.wait(timeout=10)
                plan_reminders(session, now=NOW, policy=POLICY)
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=planner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    try:
        assert errors == []
        with factory.begin() as session:
            keys_after = [r.dedup_key for r in session.scalars(select(Reminder))]
            assert plan_reminders(session, now=NOW, policy=POLICY).created == 0
        assert len(keys_after) == len(set(keys_after)) == 17  # 6 + 2 ask-date + 9 digests
    finally:
        engine.dispose()


def test_plan_only_some_items(session_factory: sessionmaker[Session]) -> None:
    """What a button press re-plans: one item's reminders, nothing else read or written."""
    with session_factory.begin() as session:
        ids = seed(session)
        result = plan_reminders(session, now=NOW, policy=POLICY, item_ids=[ids["one"]])
        assert result == PlanResult(created=6)
        assert set(reminders(session)) == keys(
            ids, "ru", "heads_up", "before_end", "status_request"
        ) | keys(ids, "by", "heads_up", "before_end", "status_request")
        assert plan_reminders(session, now=NOW, policy=POLICY).created == 11  # ask-date, digests
        record_report(
            session,
            item_id=ids["one"],
            agency_id=ids["by"],
            status=Status.DONE,
            comment=None,
            now=NOW,
            source="button",
        )
        session.get(Item, ids["two"]).withdrawn_at = NOW  # type: ignore[union-attr]
        again = plan_reminders(session, now=NOW, policy=POLICY, item_ids=[ids["one"]])
        assert again == PlanResult(cancelled=3, unchanged=3, reasons={"выполнено": 3})
        # Item 2 was not looked at: its reminders wait for the next full pass.
        assert {s for k, s in states(session).items() if k.startswith(f"{ids['two']}:")} == {
            ("pending", None)
        }
