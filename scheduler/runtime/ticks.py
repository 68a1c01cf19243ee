"""The scheduler only ticks: a dispatch sweep every minute, a daily re-plan, a weekly digest.

No job per reminder and no persistent job store: every tick reads the database, which
is the truth, so a restart loses nothing. The ticks go on an APScheduler 3.11 scheduler
(an `AsyncIOScheduler`) or on python-telegram-bot's JobQueue — whose `run_custom` hands
the same APScheduler trigger through — told apart by duck typing, since domain code does
not import `telegram`. Each tick runs at most once at a time and coalesces missed runs.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from models.db import OUTAGE_ERRORS
from scheduler.runtime.outage import Outage

log = logging.getLogger(__name__)

Tick = Callable[[], Awaitable[object]]

SWEEP = "dispatch-sweep"
REPLAN = "daily-refresh"
DIGEST = "weekly-digest"


@runtime_checkable
class _JobQueueLike(Protocol):
    def run_custom(self, callback: Any, job_kwargs: dict[str, Any], *, name: str | None) -> Any: ...
    def get_jobs_by_name(self, name: str) -> Any: ...


class _SchedulerLike(Protocol):
    def add_job(self, func: Any, trigger: Any = None, **kwargs: Any) -> Any: ...
    def get_job(self, job_id: str) -> Any: ...
    def remove_job(self, job_id: str) -> None: ...


@dataclass(frozen=True)
class TickTimes:
    """When the ticks run, in `timezone` (the coordinators' zone)."""

    timezone: str = "Europe/Moscow"
    sweep_seconds: float = 60
    #: The re-plan runs before the working day starts, so the day's reminders exist.
    replan_hour: int = 6
    replan_minute: int = 30
    #: Monday 09:00: the digest reminder the re-plan made falls due then.
    digest_day: str = "mon"
    digest_hour: int = 9
    digest_minute: int = 0


def tick_triggers(times: TickTimes) -> dict[str, BaseTrigger]:
    """The three triggers, by job name."""
    return {
        SWEEP: IntervalTrigger(seconds=times.sweep_seconds, timezone=times.timezone),
        REPLAN: CronTrigger(
            hour=times.replan_hour, minute=times.replan_minute, timezone=times.timezone
        ),
        DIGEST: CronTrigger(
            day_of_week=times.digest_day,
            hour=times.digest_hour,
            minute=times.digest_minute,
            timezone=times.timezone,
        ),
    }


def _guarded(name: str, tick: Tick) -> Tick:
    """A tick whose failure is logged and does not stop the next one; a database outage
    is one line when it starts and one when it ends, not a traceback every tick."""
    outage = Outage(f"tick {name}", logger=log)

    async def run() -> None:
        try:
            await tick()
        except OUTAGE_ERRORS as error:  # the next tick tries again
            outage.failed(error)
        except Exception:  # a tick must never kill the scheduler; the next one retries
            log.exception("tick %s failed", name)
        else:
            outage.recovered()

    run.__name__ = name.replace("-", "_")
    return run


def install_ticks(
    target: _JobQueueLike | _SchedulerLike,
    *,
    run_sweep: Tick,
    run_replan: Tick,
    run_digest: Tick,
    times: TickTimes | None = None,
) -> list[str]:
    """Add the three ticks to a PTB JobQueue or an APScheduler scheduler; their names."""
    triggers = tick_triggers(times or TickTimes())
    ticks = {SWEEP: run_sweep, REPLAN: run_replan, DIGEST: run_digest}
    for name, trigger in triggers.items():
        options: dict[str, Any] = {
            "trigger": trigger,
            "id": name,
            "max_instances": 1,
            "coalesce": True,
            "misfire_grace_time": 3600 if name != SWEEP else 30,
            "replace_existing": True,
        }
        tick = _guarded(name, ticks[name])
        if isinstance(target, _JobQueueLike):  # has `run_custom` and `get_jobs_by_name`
            for old in target.get_jobs_by_name(name):
                old.schedule_removal()
            target.run_custom(_context_callback(tick), job_kwargs=options, name=name)
        else:
            # Before the scheduler starts, `replace_existing` does not look at pending jobs.
            if target.get_job(name) is not None:
                target.remove_job(name)
            target.add_job(tick, name=name, **options)
    return list(triggers)


def _context_callback(tick: Tick) -> Callable[[object], Awaitable[None]]:
    """PTB calls a job with its context; the tick needs none (it reads the database)."""

    async def callback(_context: object) -> None:
        await tick()

    callback.__name__ = tick.__name__
    return callback
