"""`build_summary` latency on 10,000 items and 100,000 status reports (target: under 0.5 s).

    .venv/bin/python -m bench.summary                 # SQLite, in a temporary file
    .venv/bin/python -m bench.summary --postgres      # a fresh schema on SROK_TEST_PG_URL
    .venv/bin/python -m bench.summary --url URL       # time a database seeded before

Seeds once with bulk inserts, then times several summaries and prints the best and the
median; the summary's own counts are printed so that a run that read nothing shows.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid

from sqlalchemy import text

from models.db import make_engine, make_session_factory, upgrade
from models.reports.summary import build_summary
from tests.support.postgres import PG_URL, pg_schema_url
from tests.support.reports_seed import NOW, bulk_plan

TARGET = 0.5


def _run(url: str, items: int, reports: int, repeat: int, *, seeded: bool = False) -> float:
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    if not seeded:
        started = time.perf_counter()
        with factory.begin() as session:
            bulk_plan(session, items=items, agencies=60, reports=reports)
        print(f"seeded {items} items, {reports} reports in {time.perf_counter() - started:.1f} s")
    timings, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        with factory.begin() as session:
            summary = build_summary(session, now=NOW)
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    engine.dispose()
    print(
        f"total={summary.total} by_status={summary.by_status} "
        f"overdue_pairs={len(summary.overdue)} agencies={len(summary.by_agency)}"
    )
    best, median = min(timings), statistics.median(timings)
    print(
        f"build_summary: best {best * 1000:.0f} ms, median {median * 1000:.0f} ms ({repeat} runs)"
    )
    # This process's CPU time: on a busy machine wall time also measures the others.
    # (On PostgreSQL the server's own work is not in it.)
    print(f"  its CPU time: best {min(cpu) * 1000:.0f} ms")
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--url", help="time an already seeded database instead (no seeding)")
    args = parser.parse_args()
    if args.url:
        best = _run(args.url, args.items, args.reports, args.repeat, seeded=True)
    elif not args.postgres:
        with tempfile.TemporaryDirectory() as folder:
            best = _run(f"sqlite:///{folder}/bench.db", args.items, args.reports, args.repeat)
    else:
        schema = f"bench_{uuid.uuid4().hex[:12]}"
        admin = make_engine(PG_URL)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            best = _run(pg_schema_url(schema), args.items, args.reports, args.repeat)
        finally:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    print("OK" if best < TARGET else f"SLOWER than the {TARGET} s target")
    return 0 if best < TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
