"""The reminder policy: which reminders an agency is owed, and when. Pure: no database.

`plan_specs` turns obligations (an item, one responsible agency, the windows that bind
it, its status) into reminder specs due inside the planning horizon; `moot_reason` says
why an already planned reminder is no longer owed. The horizon runs from
`now - horizon_past` to `now + horizon_ahead`: the daily re-plan moves it forward, and a
reminder whose moment passed before it was ever planned is not planned late — except the
chain after a window's end (status request, repeat, escalation), which stays owed until
the agency answers `done` or `cancelled`; planned late, it is due at the next working
moment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from scheduler.rules import workdays
from scheduler.rules.domain import DateWindow, ReminderKind
from scheduler.rules.specs import (
    CANCEL_REASONS,
    CHAIN_KINDS,
    QUARTER_DAYS,
    REASON_CANCELLED,
    REASON_CLOSED,
    REASON_DATED,
    REASON_DONE,
    REASON_QUIET,
    REASON_UNASSIGNED,
    REASON_WINDOW,
    REASON_WITHDRAWN,
    Obligation,
    Policy,
    PolicySettings,
    ReminderSpec,
    dedup_key,
)

__all__ = [
    "CANCEL_REASONS",
    "CHAIN_KINDS",
    "QUARTER_DAYS",
    "REASON_CANCELLED",
    "REASON_CLOSED",
    "REASON_DATED",
    "REASON_DONE",
    "REASON_QUIET",
    "REASON_UNASSIGNED",
    "REASON_WINDOW",
    "REASON_WITHDRAWN",
    "Obligation",
    "Policy",
    "PolicySettings",
    "ReminderSpec",
    "dedup_key",
    "digest_specs",
    "moot_reason",
    "plan_specs",
    "progress_silenced",
    "relevant_window",
]

Moments = tuple[tuple[ReminderKind, datetime, str], ...]


@dataclass(frozen=True)
class _Planner:
    """Plans for one `now`; `sent` maps dedup keys of sent reminders to when they went."""

    policy: Policy
    now: datetime
    sent: Mapping[str, datetime]
    #: (country, zone, start, end) -> that window's moments; windows repeat across items.
    window_cache: dict[tuple[str, str, date, date], Moments | None] = field(default_factory=dict)

    @cached_property
    def earliest(self) -> datetime:
        return self.now - self.policy.horizon_past

    @cached_property
    def latest(self) -> datetime:
        return self.now + self.policy.horizon_ahead

    @cached_property
    def last_day(self) -> date:
        """A day after which nothing is in the horizon, in any time zone."""
        return self.latest.date() + timedelta(days=1)

    @cached_property
    def first_month(self) -> tuple[int, int]:
        """A month before which nothing is in the horizon, in any time zone."""
        first = self.earliest.date() - timedelta(days=1)
        return first.year, first.month

    def moment(self, day: date, ob: Obligation) -> datetime:
        return workdays.local_moment(day, self.policy.work_start_hour, ob.timezone)

    def in_horizon(self, due: datetime) -> bool:
        return self.earliest <= due <= self.latest

    def owed(self, due: datetime, ob: Obligation) -> datetime | None:
        """When a chain reminder goes: its moment, or the next working one if that passed."""
        if due > self.latest:
            return None
        if due >= self.earliest:
            return due
        return workdays.next_working_moment(
            self.now,
            ob.country,
            ob.timezone,
            start_hour=self.policy.work_start_hour,
            end_hour=self.policy.work_end_hour,
        )

    def for_obligation(self, ob: Obligation) -> Iterator[ReminderSpec]:
        if ob.withdrawn or ob.closed or ob.closes(None) == REASON_CANCELLED:
            return
        for window in ob.windows:
            if ob.closes(window) is None:
                yield from self.for_window(ob, window)
        if ob.needs_date and ob.closes(None) is None:
            yield from self.ask_date(ob)

    def for_window(self, ob: Obligation, window: DateWindow) -> Iterator[ReminderSpec]:
        start, end = window

        def spec(kind: ReminderKind, due: datetime, slot: str = "") -> ReminderSpec:
            return ReminderSpec(due, kind, ob.item_id, ob.agency_id, start, end, slot)

        key = (ob.country, ob.timezone, start, end)
        if key not in self.window_cache:
            self.window_cache[key] = self.window_moments(ob, window)
        moments = self.window_cache[key]
        if moments is None:
            return  # everything of this window comes after the heads-up
        for kind, due, slot in moments:
            if kind == ReminderKind.PROGRESS and progress_silenced(ob, due, self.policy):
                continue  # the agency reported lately: no need to ask how it goes
            yield spec(kind, due, slot)
        yield from self.chain(ob, window, spec)

    def window_moments(self, ob: Obligation, window: DateWindow) -> Moments | None:
        """Heads-up, before-end and progress moments inside the horizon (the same for every
        agency of a country and a zone, so computed once per pass)."""
        start, end = window
        p = self.policy
        heads_up = self.shifted(start - timedelta(days=p.heads_up_days), ob, end)
        if heads_up > self.last_day:
            return None
        before_end = self.shifted(end - timedelta(days=p.before_end_days), ob, end)
        found = []
        for kind, day in ((ReminderKind.HEADS_UP, heads_up), (ReminderKind.BEFORE_END, before_end)):
            due = self.moment(day, ob)
            if self.in_horizon(due):
                found.append((kind, due, ""))
        if (end - start).days + 1 > QUARTER_DAYS:
            for day in self.progress_days(ob, window, skip={_month(heads_up), _month(before_end)}):
                due = self.moment(day, ob)
                if self.in_horizon(due):
                    found.append((ReminderKind.PROGRESS, due, _month(day)))
        return tuple(found)

    def chain(
        self, ob: Obligation, window: DateWindow, spec: Callable[..., ReminderSpec]
    ) -> Iterator[ReminderSpec]:
        """Status request after the end; a repeat once it went; an escalation after that."""
        due = self.moment(workdays.next_working_day(window[1], ob.country), ob)
        for kind in (ReminderKind.STATUS_REQUEST, ReminderKind.REPEAT, ReminderKind.ESCALATION):
            going = self.owed(due, ob)
            if going is None:
                return
            step = spec(kind, going)
            yield step
            sent_at = self.sent.get(step.key)
            if sent_at is None:
                return
            # The next step counts from the day this one actually went out.
            sent_day = sent_at.astimezone(ZoneInfo(ob.timezone)).date()
            next_day = workdays.add_working_days(
                sent_day, self.policy.repeat_working_days, ob.country
            )
            due = self.moment(next_day, ob)

    def progress_days(
        self, ob: Obligation, window: DateWindow, *, skip: set[str]
    ) -> Iterator[date]:
        """The first working day of each month strictly between the start's and the end's.

        Only the months the horizon reaches: a three-year window has 34 of them.
        """
        start, end = window
        year, month = max(_next_month(start.year, start.month), self.first_month)
        last = min((end.year, end.month), _next_month(self.last_day.year, self.last_day.month))
        while (year, month) < last:
            day = workdays.first_working_day_of_month(year, month, ob.country)
            if _month(day) not in skip and day < end:
                yield day
            year, month = _next_month(year, month)

    def ask_date(self, ob: Obligation) -> Iterator[ReminderSpec]:
        """Monthly, on the first working day; for a tentative item only before it starts."""
        first_start = min((w[0] for w in ob.windows), default=None)
        earliest = self.earliest.astimezone(ZoneInfo(ob.timezone)).date()
        year, month = earliest.year, earliest.month
        while True:
            day = workdays.first_working_day_of_month(year, month, ob.country)
            due = self.moment(day, ob)
            if due > self.latest or (first_start is not None and day >= first_start):
                return
            if self.in_horizon(due):
                yield ReminderSpec(
                    due, ReminderKind.ASK_DATE, ob.item_id, ob.agency_id, slot=_month(day)
                )
            year, month = _next_month(year, month)

    def shifted(self, day: date, ob: Obligation, end: date) -> date:
        return workdays.shift_to_working_day(day, ob.country, window_end=end)


def progress_silenced(ob: Obligation, due: datetime, policy: Policy) -> bool:
    """A progress request due at `due` comes too soon after the agency's last report."""
    quiet_until = ob.quiet_until(policy.progress_silence_days)
    return quiet_until is not None and due.astimezone(ZoneInfo(ob.timezone)).date() < quiet_until


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def plan_specs(
    obligations: Iterable[Obligation],
    *,
    now: datetime,
    policy: Policy,
    sent: Mapping[str, datetime] | None = None,
) -> list[ReminderSpec]:
    """Every agency reminder owed and due inside the horizon around `now`.

    `sent` maps the dedup keys of reminders already sent to when they went: a repeat is
    planned only after its status request went, an escalation only after its repeat.
    """
    planner = _Planner(policy, now, sent or {})
    return [spec for ob in obligations for spec in planner.for_obligation(ob)]


def digest_specs(*, now: datetime, policy: Policy) -> list[ReminderSpec]:
    """The coordinators' weekly digests due inside the horizon: the first working day of
    the week in the coordinators' country (Monday, mostly), slot «2026-W05»."""
    zone = ZoneInfo(policy.timezone)
    country = workdays.country_of_zone(policy.timezone)
    earliest = now - policy.horizon_past
    latest = now + policy.horizon_ahead
    monday = earliest.astimezone(zone).date()
    monday -= timedelta(days=monday.weekday() + 7)  # last week's may have moved into this one
    specs: list[ReminderSpec] = []
    while True:
        # A Monday off (5 January, 23 February) moves it to the week's first working day.
        day = monday
        if not workdays.is_working_day(day, country):
            day = workdays.next_working_day(day, country)
        due = workdays.local_moment(day, policy.work_start_hour, policy.timezone)
        if workdays.local_moment(monday, policy.work_start_hour, policy.timezone) > latest:
            return specs
        # A week with no working day at all (Russia's New Year holidays) has no digest:
        # it would go with the next week's, the same text twice.
        if earliest <= due <= latest and day - monday < timedelta(days=7):
            year, week, _ = monday.isocalendar()
            specs.append(
                ReminderSpec(due, ReminderKind.DIGEST, None, None, slot=f"{year}-W{week:02d}")
            )
        monday += timedelta(days=7)


def moot_reason(kind: ReminderKind, window: DateWindow | None, ob: Obligation | None) -> str | None:
    """Why a pending reminder of `ob` for `window` is no longer owed; None if it still is."""
    if kind in {ReminderKind.DIGEST, ReminderKind.MANUAL}:
        return None
    if ob is None:
        return REASON_UNASSIGNED
    if ob.withdrawn:
        return REASON_WITHDRAWN
    if ob.closed:
        return REASON_CLOSED
    if kind == ReminderKind.ASK_DATE:
        return ob.closes(None) or (None if ob.needs_date else REASON_DATED)
    if window is None or window not in ob.windows:
        return REASON_WINDOW
    return ob.closes(window)


def relevant_window(windows: list[DateWindow], today: date) -> DateWindow | None:
    """The window a reminder speaks of: the one open today, else the last ended, else the next."""
    for window in windows:
        if window[0] <= today <= window[1]:
            return window
    ended = [w for w in windows if w[1] < today]
    if ended:
        return max(ended, key=lambda w: w[1])
    return min(windows, default=None)
