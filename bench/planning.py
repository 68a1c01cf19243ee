"""`plan_reminders` on a generated plan of 10,000 items, three agencies each.

    .venv/bin/python -m bench.planning                 # SQLite, in a temporary file
    .venv/bin/python -m bench.planning --postgres      # a fresh schema on SROK_TEST_PG_URL
    .venv/bin/python -m bench.planning --items 2000    # a smaller plan

Seeds with bulk inserts (a mix of the deadlines real plans have: short events, months,
quarters, whole years, three-year windows, several windows per item, undated and
tentative items), then times three passes with their peak Python memory (tracemalloc):
the first planning (everything inserted), a re-plan at the same moment (nothing
changes) and the next day's re-plan (the horizon moves, statuses arrived meanwhile).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session, sessionmaker

from models import Agency, Item, Reminder, Responsibility, Window
from models.db import make_engine, make_session_factory, upgrade
from models.schema.statuses import StatusReport
from scheduler.rules.policy import Policy
from scheduler.runtime.planning import PlanResult, plan_reminders
from tests.support.builders import add_plan
from tests.support.postgres import PG_URL, pg_schema_url

NOW = datetime(2026, 3, 2, 3, tzinfo=UTC)  # a Monday, before working hours
AGENCIES = 60
PER_ITEM = 3
TARGET = 5.0  # seconds, first planning on SQLite


def _windows(rng: random.Random, index: int) -> list[tuple[date, date]]:
    """One item's windows, by a mix close to the sample plans."""
    kind = index % 10
    if kind in (0, 1, 2):  # a few days
        start = date(2026, 1, 1) + timedelta(days=rng.randrange(365))
        return [(start, start + timedelta(days=rng.randrange(4)))]
    if kind in (3, 4):  # a month
        month = rng.randrange(1, 13)
        end = date(2026 + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        return [(date(2026, month, 1), end)]
    if kind == 5:  # a quarter
        quarter = rng.randrange(4)
        start = date(2026, 3 * quarter + 1, 1)
        return [(start, date(2026 + (quarter == 3), (3 * quarter + 3) % 12 + 1, 1) - timedelta(1))]
    if kind == 6:  # the whole year
        return [(date(2026, 1, 1), date(2026, 12, 31))]
    if kind == 7:  # three years
        return [(date(2026, 1, 1), date(2028, 12, 31))]
    if kind == 8:  # «июнь – июль 2026 – 2028 годов»
        return [(date(y, 6, 1), date(y, 7, 31)) for y in (2026, 2027, 2028)]
    return []  # undated


def seed(session: Session, *, items: int) -> None:
    """A plan of `items` items, each with PER_ITEM of AGENCIES agencies (half Belarusian)."""
    rng = random.Random(4)
    title, end = "Сгенерированный план", date(2028, 12, 31)
    plan = add_plan(session, at=NOW, source_name="bench.txt", title=title, end=end)
    agency_rows = [
        {
            "name": f"Орган {n}",
            "side": "BY" if n % 2 else "RU",
            "timezone": "Europe/Minsk" if n % 2 else "Europe/Moscow",
            "created_at": NOW,
        }
        for n in range(AGENCIES)
    ]
    session.execute(insert(Agency), agency_rows)
    agencies = list(session.execute(select(Agency.id, Agency.side)))
    item_rows = [
        {
            "plan_id": plan.id,
            "number": str(n + 1),
            "position": n + 1,
            "title": f"Мероприятие {n + 1}",
            "deadline_text": "",
            "tentative": n % 10 == 5 and n % 20 == 5,
            "undated": n % 10 == 9,
            "due": [],
            "warnings": [],
            "created_at": NOW,
            "updated_at": NOW,
        }
        for n in range(items)
    ]
    session.execute(insert(Item), item_rows)
    item_ids = list(session.scalars(select(Item.id).order_by(Item.position)))
    windows, responsibilities = [], []
    for index, item_id in enumerate(item_ids):
        for start, end in _windows(rng, index):
            windows.append({"item_id": item_id, "start": start, "end": end, "created_at": NOW})
        for agency_id, side in rng.sample(agencies, PER_ITEM):
            responsibilities.append(
                {"item_id": item_id, "agency_id": agency_id, "side": side, "created_at": NOW}
            )
    session.execute(insert(Window), windows)
    session.execute(insert(Responsibility), responsibilities)


def report_statuses(session: Session, *, share: int) -> int:
    """One responsibility in `share` reports `done` (the next day's re-plan cancels)."""
    rows = [
        {
            "item_id": item_id,
            "agency_id": agency_id,
            "status": "done",
            "author": "bench",
            "source": "cli",
            "created_at": NOW + timedelta(hours=10),
        }
        for n, (item_id, agency_id) in enumerate(
            session.execute(select(Responsibility.item_id, Responsibility.agency_id))
        )
        if n % share == 0
    ]
    session.execute(insert(StatusReport), rows)
    return len(rows)


def timed(
    factory: sessionmaker[Session], call: Callable[[Session], Any], *, traced: bool
) -> tuple[float, float, int, Any]:
    """Run `call` in one transaction: seconds, CPU seconds of this process, peak traced
    bytes (0 untraced), result. CPU time shows the cost on a busy machine."""
    if traced:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    with factory.begin() as session:
        result = call(session)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = 0
    if traced:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return elapsed, cpu, peak, result


def run(url: str, items: int, *, traced: bool) -> list[tuple[str, float, float, int, Any]]:
    """Seed, then the three passes; tracing memory slows Python, so it is a separate run."""
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    started = time.perf_counter()
    with factory.begin() as session:
        seed(session, items=items)
    if not traced:
        print(
            f"seeded {items} items × {PER_ITEM} agencies in {time.perf_counter() - started:.1f} s"
        )
    policy = Policy()

    def plan_at(now: datetime) -> Callable[[Session], PlanResult]:
        return lambda session: plan_reminders(session, now=now, policy=policy)

    passes = [("first planning", *timed(factory, plan_at(NOW), traced=traced))]
    passes.append(("re-plan, same moment", *timed(factory, plan_at(NOW), traced=traced)))
    with factory.begin() as session:
        done = report_statuses(session, share=10)
    passes.append(
        ("next day's re-plan", *timed(factory, plan_at(NOW + timedelta(days=1)), traced=traced))
    )
    if not traced:
        with factory.begin() as session:
            total = session.scalar(select(func.count()).select_from(Reminder))
        print(f"reported done before the next day: {done}; reminders in the outbox: {total}")
    engine.dispose()
    return passes


def measure(make_url: Callable[[], str], items: int) -> float:
    """Times from an untraced run, peaks from a traced one; returns the first planning's time."""
    times = run(make_url(), items, traced=False)
    peaks = run(make_url(), items, traced=True)
    for (label, seconds, cpu, _, result), (*_, peak, _) in zip(times, peaks, strict=True):
        print(f"{label}: {seconds:.2f} s (CPU {cpu:.2f} s), peak {peak / 2**20:.0f} MiB — {result}")
    return times[0][1]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--items", type=int, default=10_000)
    args = parser.parse_args()
    if not args.postgres:
        with tempfile.TemporaryDirectory() as directory:
            runs = iter(range(2))
            first = measure(
                lambda: f"sqlite:///{Path(directory) / f'bench{next(runs)}.db'}", args.items
            )
        print(f"target: first planning in a few seconds (under {TARGET:.0f} s) — {first:.2f} s")
        return 0
    schemas: list[str] = []
    admin = make_engine(PG_URL)

    def fresh_schema() -> str:
        schemas.append(f"bench_{uuid.uuid4().hex[:12]}")
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schemas[-1]}"'))
        return pg_schema_url(schemas[-1])

    try:
        measure(fresh_schema, args.items)
    finally:
        with admin.begin() as connection:
            for schema in schemas:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
