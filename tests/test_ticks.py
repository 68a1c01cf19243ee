"""The scheduler only ticks: three named jobs, on APScheduler or on PTB's JobQueue."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from telegram.ext import Application

from scheduler.runtime.ticks import DIGEST, REPLAN, SWEEP, TickTimes, install_ticks

MSK = ZoneInfo("Europe/Moscow")


def calls_recorder() -> tuple[dict[str, int], dict[str, object]]:
    counts = {SWEEP: 0, REPLAN: 0, DIGEST: 0}

    def tick(name: str):  # type: ignore[no-untyped-def]
        async def run() -> None:
            counts[name] += 1
            if name == REPLAN:
                raise RuntimeError("a failing tick is logged, the scheduler goes on")

        return run

    return counts, {
        "run_sweep": tick(SWEEP),
        "run_replan": tick(REPLAN),
        "run_digest": tick(DIGEST),
    }


def next_fire(trigger, after: datetime) -> datetime:  # type: ignore[no-untyped-def]
    return trigger.get_next_fire_time(None, after)


async def test_three_ticks_on_an_asyncio_scheduler() -> None:
    scheduler = AsyncIOScheduler(timezone=MSK)
    counts, ticks = calls_recorder()
    names = install_ticks(scheduler, **ticks, times=TickTimes(timezone="Europe/Moscow"))
    assert names == [SWEEP, REPLAN, DIGEST]
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {SWEEP, REPLAN, DIGEST}
    assert all(job.max_instances == 1 and job.coalesce for job in jobs.values())
    saturday = datetime(2026, 4, 18, 12, 0, tzinfo=MSK)
    assert next_fire(jobs[DIGEST].trigger, saturday) == datetime(2026, 4, 20, 9, 0, tzinfo=MSK)
    assert next_fire(jobs[REPLAN].trigger, saturday) == datetime(2026, 4, 19, 6, 30, tzinfo=MSK)
    sweep = jobs[SWEEP].trigger
    first = next_fire(sweep, saturday)
    assert (sweep.get_next_fire_time(first, first) - first).total_seconds() == 60
    for job in jobs.values():  # run each once, as the scheduler would
        await job.func()
    assert counts == {SWEEP: 1, REPLAN: 1, DIGEST: 1}
    # Installing again replaces the jobs instead of doubling them.
    install_ticks(scheduler, **ticks)
    assert len(scheduler.get_jobs()) == 3


async def test_three_ticks_on_ptb_job_queue() -> None:
    application = Application.builder().token("123456:TEST-token").build()
    assert application.job_queue is not None
    counts, ticks = calls_recorder()
    install_ticks(application.job_queue, **ticks)
    jobs = {job.name: job for job in application.job_queue.jobs()}
    assert set(jobs) == {SWEEP, REPLAN, DIGEST}
    await jobs[SWEEP].callback(None)  # PTB hands the callback its context
    await asyncio.sleep(0)
    assert counts[SWEEP] == 1
    install_ticks(application.job_queue, **ticks)  # again: replaced, not doubled
    await application.job_queue.start()
    try:
        assert sorted(job.name for job in application.job_queue.jobs()) == sorted(jobs)
    finally:
        await application.job_queue.stop(wait=False)
    monday = next_fire(jobs[DIGEST].job.trigger, datetime(2026, 4, 14, 0, 0, tzinfo=MSK))
    assert monday == datetime(2026, 4, 20, 9, 0, tzinfo=MSK)
