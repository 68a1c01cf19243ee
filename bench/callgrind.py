"""Reading valgrind's callgrind output, for the benches' `--callgrind` modes."""

from __future__ import annotations

from pathlib import Path


def total_instructions(out: Path) -> int:
    """The instructions a callgrind output file counts in all (its `totals:` line)."""
    return int(out.read_text().split("\ntotals: ", 1)[1].split()[0])
