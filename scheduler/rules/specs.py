"""What the reminder policy works with: its settings, obligations, specs, dedup keys."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple, Protocol

from scheduler.rules.domain import DateWindow, ReminderKind, Status

#: Windows longer than this many days (a quarter is at most 92) get progress requests.
QUARTER_DAYS = 92

#: Kinds owed after a window's end until the agency answers, however late.
CHAIN_KINDS = frozenset({ReminderKind.STATUS_REQUEST, ReminderKind.REPEAT, ReminderKind.ESCALATION})

#: Cancel reasons, as coordinators read them.
REASON_DONE = "выполнено"
REASON_CANCELLED = "отменено"
REASON_WINDOW = "окно изменилось"
REASON_WITHDRAWN = "пункт исключён из плана"
REASON_UNASSIGNED = "орган больше не отвечает за пункт"
REASON_DATED = "срок определён"
REASON_QUIET = "орган недавно отчитался"
REASON_CLOSED = "снято с контроля"
CANCEL_REASONS = frozenset(
    {
        REASON_CLOSED,
        REASON_DONE,
        REASON_CANCELLED,
        REASON_WINDOW,
        REASON_WITHDRAWN,
        REASON_UNASSIGNED,
        REASON_DATED,
        REASON_QUIET,
    }
)


#: The reason a window's own status closes it.
_CLOSING = {Status.DONE: REASON_DONE, Status.CANCELLED: REASON_CANCELLED}


class PolicySettings(Protocol):
    """The settings a Policy is built from (`bot.settings.Settings` has them)."""

    srok_timezone: str
    srok_heads_up_days: int
    srok_before_end_days: int
    srok_repeat_working_days: int
    srok_work_start_hour: int
    srok_work_end_hour: int
    srok_progress_silence_days: int


@dataclass(frozen=True)
class Policy:
    """The offsets of the reminder policy (DESIGN.md defaults) and the planning horizon."""

    heads_up_days: int = 14
    before_end_days: int = 3
    repeat_working_days: int = 3
    work_start_hour: int = 9
    work_end_hour: int = 18
    #: A progress request goes only after this many days without a report of the agency.
    progress_silence_days: int = 30
    #: Coordinators' zone: the weekly digest is due Monday `work_start_hour` there.
    timezone: str = "Europe/Moscow"
    #: Plan what is due from `now - horizon_past` …
    horizon_past: timedelta = timedelta(days=1)
    #: … to `now + horizon_ahead`; the daily re-plan extends it.
    horizon_ahead: timedelta = timedelta(days=60)

    @classmethod
    def from_settings(cls, settings: PolicySettings, **overrides: Any) -> Policy:
        """The policy configured by `settings` (read by the caller, at the edge)."""
        policy = cls(
            heads_up_days=settings.srok_heads_up_days,
            before_end_days=settings.srok_before_end_days,
            repeat_working_days=settings.srok_repeat_working_days,
            work_start_hour=settings.srok_work_start_hour,
            work_end_hour=settings.srok_work_end_hour,
            progress_silence_days=settings.srok_progress_silence_days,
            timezone=settings.srok_timezone,
        )
        return replace(policy, **overrides) if overrides else policy


class Obligation(NamedTuple):
    """One item and one responsible agency, with what binds the agency.

    A named tuple, not a dataclass: planning builds one per responsibility, 30,000 for a
    large plan, and a tuple is several times cheaper to make.
    """

    item_id: int
    agency_id: int
    country: str
    timezone: str
    #: The agency's own confirmed windows if it named some, else the printed ones.
    windows: tuple[DateWindow, ...]
    own_windows: bool = False
    tentative: bool = False
    undated: bool = False
    withdrawn: bool = False
    #: Taken off control by a coordinator: nothing is owed to anyone until it is returned.
    closed: bool = False
    #: The latest status the agency reported, and the local day it reported it.
    status: Status | None = None
    status_on: date | None = None
    #: The local day of the agency's latest report of any kind (a status or a comment).
    reported_on: date | None = None
    #: An item with several windows: each window's status, as reported for that window
    #: (see `models.statuses.by_window`); empty when it has one window or no status.
    window_statuses: tuple[tuple[DateWindow, Status], ...] = ()

    def closes(self, window: DateWindow | None) -> str | None:
        """Why nothing more is owed for `window` (None: the item as a whole), if so.

        A latest «Отменено» ends everything; otherwise a window of a recurring item is
        closed by the status reported for that very window («Выполнено» for 2026, even
        pressed in 2027, leaves 2027 open)."""
        if self.status == Status.CANCELLED:
            return REASON_CANCELLED
        if window is not None and self.window_statuses:
            said = dict(self.window_statuses).get(window)
            if said is not None:
                return _CLOSING.get(said)
        if self.status != Status.DONE:
            return None
        # A `done` reported before a later window of a recurring item (the 2027 one of
        # «июнь – июль 2026 – 2028 годов») is about an earlier window, not that one.
        if window is None or not self.windows or window == self.windows[0]:
            return REASON_DONE
        if self.status_on is not None and self.status_on >= window[0]:
            return REASON_DONE
        return None

    def quiet_until(self, silence_days: int) -> date | None:
        """The first day a progress request may go again after the agency's last report."""
        if self.reported_on is None:
            return None
        return self.reported_on + timedelta(days=silence_days)

    @property
    def needs_date(self) -> bool:
        """Undated, or tentative and not confirmed by the agency: ask it to name the date."""
        if self.own_windows:
            return False
        return self.undated or self.tentative or not self.windows


@dataclass(frozen=True)
class ReminderSpec:
    """One reminder the policy says is owed."""

    due_at: datetime
    kind: ReminderKind
    item_id: int | None
    agency_id: int | None
    window_start: date | None = None
    window_end: date | None = None
    slot: str = ""
    key: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(
                self,
                "key",
                dedup_key(
                    self.item_id,
                    self.agency_id,
                    self.kind,
                    self.window_start,
                    self.window_end,
                    self.slot,
                ),
            )


def dedup_key(
    item_id: int | None,
    agency_id: int | None,
    kind: ReminderKind | str,
    window_start: date | None,
    window_end: date | None,
    slot: str,
) -> str:
    """`item:agency:kind:start:end:slot`, with «-» for what is None."""
    kind = kind.value if isinstance(kind, ReminderKind) else ReminderKind(kind).value
    return (
        f"{_or_dash(item_id)}:{_or_dash(agency_id)}:{kind}:"
        f"{_or_dash(window_start)}:{_or_dash(window_end)}:{slot}"
    )


def _or_dash(value: object) -> str:
    return "-" if value is None else str(value)
