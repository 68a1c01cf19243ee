"""Deadline phrases per second and exact-answer share: Srok's engine against dateparser.

    .venv/bin/python -m bench.deadlines [--rounds 5]
    .venv/bin/python -m bench.deadlines --callgrind

The phrases are those of the table test (`tests/test_deadlines_table.py`: every deadline of
the sample plans and the forms other plans use), each with its reference date and exact
expected windows. For dateparser, `search_dates` and `DateDataParser` read the same phrases
with the same reference (`RELATIVE_BASE`); a found date counts as a one-day window, or as its
whole month or year when DateDataParser reports that period. A phrase is right when the
windows are exactly the expected ones (none, for an undated phrase).

Srok is measured three ways: «no cache» is the engine itself (`scheduler.rules.deadlines.parse`,
every phrase parsed afresh; the figure the ratios use), «no early exits» the general grammar
alone (`parse_general`), «cached» is `parse_deadline` as the application calls it, whose
results are remembered per (phrase, reference) — on this repeated table that is mostly
lookups, so it compares nothing and is shown only for scale. Rates are the median of the
rounds. Time is CPU time of this process
(`time.process_time`), so other work on a shared machine does not skew the ratios. Also
printed: the import time of the engine in a fresh interpreter (median of five).

This machine's speed drifts through the day, and dateparser's and Srok's not always alike.
`--callgrind` counts instructions instead: each parser reads the table in a process of its
own under valgrind's callgrind, once after a warm-up pass and once with the warm-up alone;
the difference, per phrase, is the same on every run (a few minutes, fifty times slower).
"""

from __future__ import annotations

import argparse
import calendar
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path

from bench.callgrind import total_instructions
from scheduler.rules.deadlines import parse, parse_deadline, parse_general
from tests.support.deadline_table import TABLE, expected_windows

ROOT = Path(__file__).resolve().parent.parent
Window = tuple[date, date]
Row = tuple[str, date, tuple[Window, ...]]


def rows() -> list[Row]:
    """(phrase, reference, expected windows) for every table row."""
    return [(p.values[0], p.values[2], expected_windows(p.values[1])) for p in TABLE]


def throughputs(
    parsers: dict[str, tuple[Callable[[str, date], object], int]], table: list[Row], rounds: int
) -> dict[str, float]:
    """Median phrases per second of each parser over `rounds`, each with its passes a round.

    The parsers take turns, round after round, so a change in the machine's load falls on
    all of them alike, and the median drops a round that a burst of other work spoiled. Srok
    makes several passes a round: its fallback (dateparser, for the one table phrase the
    grammar leaves to it) recompiles patterns that a dateparser run in between pushed out of
    the `regex` cache, and one pass is too short to spread that over.
    """
    rates: dict[str, list[float]] = {name: [] for name in parsers}
    for _ in range(rounds):
        for name, (read, passes) in parsers.items():
            started = time.process_time()
            for _ in range(passes):
                for phrase, reference, _ in table:
                    read(phrase, reference)
            spent = time.process_time() - started
            rates[name].append(passes * len(table) / max(spent, 1e-9))
    return {name: statistics.median(values) for name, values in rates.items()}


def share_right(windows_of: Callable[[str, date], Iterable[Window]], table: list[Row]) -> float:
    right = sum(
        tuple(sorted(set(windows_of(phrase, reference)))) == expected
        for phrase, reference, expected in table
    )
    return right / len(table)


def engine_windows(phrase: str, reference: date) -> tuple[Window, ...]:
    return parse(phrase, reference).windows


def general_windows(phrase: str, reference: date) -> tuple[Window, ...]:
    return parse_general(phrase, reference).windows


def cached_windows(phrase: str, reference: date) -> tuple[Window, ...]:
    return parse_deadline(phrase, reference=reference).windows


def _base(reference: date) -> datetime:
    return datetime(reference.year, reference.month, reference.day)  # noqa: DTZ001 - dateparser's base is naive


def search_windows(phrase: str, reference: date) -> list[Window]:
    from dateparser.search import search_dates

    found = search_dates(phrase, languages=["ru"], settings={"RELATIVE_BASE": _base(reference)})
    return [(moment.date(), moment.date()) for _, moment in found or []]


_PARSERS: dict[date, object] = {}


def data_parser_windows(phrase: str, reference: date) -> list[Window]:
    from dateparser.date import DateDataParser

    parser = _PARSERS.get(reference)
    if parser is None:
        settings = {"RELATIVE_BASE": _base(reference)}
        parser = _PARSERS[reference] = DateDataParser(languages=["ru"], settings=settings)
    data = parser.get_date_data(phrase)  # type: ignore[attr-defined]
    if data is None or data.date_obj is None:
        return []
    day = data.date_obj.date()
    if data.period == "year":
        return [(date(day.year, 1, 1), date(day.year, 12, 31))]
    if data.period == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return [(day.replace(day=1), day.replace(day=last))]
    return [(day, day)]


def import_time() -> float:
    """Seconds to import the engine in a fresh interpreter (median of five)."""
    probe = (
        "import time; t = time.perf_counter(); import scheduler.rules.deadlines; "
        "print(time.perf_counter() - t)"
    )
    runs = [
        float(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                             check=True, cwd=ROOT).stdout)
        for _ in range(5)
    ]  # fmt: skip
    return statistics.median(runs)


#: The issue's goal: the engine (no cache) at least this many times dateparser's rate.
TARGET = 50
SROK = "Srok (no cache)"
DATEPARSERS = ("dateparser.search_dates", "dateparser.DateDataParser")
#: The parsers counted under callgrind, with the table passes each makes after its warm-up.
COUNTED: dict[str, tuple[Callable[[str, date], object], int]] = {
    SROK: (engine_windows, 5),
    DATEPARSERS[0]: (search_windows, 1),
    DATEPARSERS[1]: (data_parser_windows, 1),
}


def replay(name: str, passes: int) -> None:
    """The child under callgrind: a warm-up pass of parser `name`, then `passes` more."""
    read = COUNTED[name][0]
    table = rows()
    for _ in range(1 + passes):
        for phrase, reference, _ in table:
            read(phrase, reference)


def instructions(name: str, passes: int) -> int:
    """Instructions callgrind counts in a child that runs `replay(name, passes)`."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"]
        command += [
            sys.executable,
            "-m",
            "bench.deadlines",
            "--replay",
            name,
            "--passes",
            str(passes),
        ]
        environment = os.environ | {"PYTHONHASHSEED": "0"}  # the same dict layouts each run
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=environment)
        return total_instructions(out)


def count_instructions() -> None:
    """Print each parser's instructions per phrase and Srok's ratios to dateparser's."""
    if shutil.which("valgrind") is None:
        sys.exit("--callgrind needs valgrind (Debian: apt install valgrind)")
    phrases = len(rows())
    per_phrase: dict[str, float] = {}
    for name, (_, passes) in COUNTED.items():
        spent = instructions(name, passes) - instructions(name, 0)
        per_phrase[name] = spent / (passes * phrases)
    print(f"{phrases} phrases of tests/test_deadlines_table.py under callgrind")
    for name, count in per_phrase.items():
        print(f"{name:34} {count / 1000:12,.1f} K instructions/phrase")
    for name in DATEPARSERS:
        ratio = per_phrase[name] / per_phrase[SROK]
        verdict = "met" if ratio >= TARGET else "NOT met"
        print(f"{SROK} / {name}: {ratio:,.1f}x fewer instructions (target {TARGET}x: {verdict})")


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--rounds", type=int, default=5, help="rounds (the median is shown)")
    options.add_argument("--callgrind", action="store_true", help="count instructions instead")
    options.add_argument("--replay", choices=list(COUNTED), help=argparse.SUPPRESS)
    options.add_argument("--passes", type=int, default=1, help=argparse.SUPPRESS)
    args = options.parse_args()
    warnings.simplefilter("ignore")  # dateparser warns about its own internals
    if args.replay:
        replay(args.replay, args.passes)
        return
    if args.callgrind:
        count_instructions()
    else:
        time_parsers(args.rounds)


def time_parsers(rounds: int) -> None:
    """Print each parser's phrases per second and exact share, and Srok's ratios."""
    table = rows()
    # Warm-up: dateparser loads its language data on first use; the engine fills its cache.
    readers = (engine_windows, general_windows, cached_windows, search_windows)
    for read in (*readers, data_parser_windows):
        read("II квартал 2026 года", date(2026, 1, 1))
    parsers = {
        SROK: (engine_windows, 20),
        "Srok (no cache, no early exits)": (general_windows, 20),
        "Srok (cached; not compared)": (cached_windows, 20),
        DATEPARSERS[0]: (search_windows, 1),
        DATEPARSERS[1]: (data_parser_windows, 1),
    }
    rates = throughputs(parsers, table, rounds)
    figures = {name: (rates[name], share_right(read, table)) for name, (read, _) in parsers.items()}
    print(f"{len(table)} phrases of tests/test_deadlines_table.py, CPU time, median of {rounds}")
    print(f"{'parser':34} {'phrases/s':>12} {'µs/phrase':>10} {'exactly right':>14}")
    for name, (rate, right) in figures.items():
        print(f"{name:34} {rate:12,.0f} {1e6 / rate:10.1f} {right:14.1%}")
    srok = figures[SROK][0]
    for name in DATEPARSERS:
        ratio = srok / figures[name][0]
        verdict = "met" if ratio >= TARGET else "NOT met"
        print(f"{SROK} / {name}: {ratio:,.1f}x (target {TARGET}x: {verdict})")
    print(f"engine import time: {import_time() * 1000:.0f} ms")


if __name__ == "__main__":
    main()
