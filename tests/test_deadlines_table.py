"""Table-driven: every distinct deadline of the sample plans, then every form plans use.

The rows are in tests/support/deadline_table.py (the deadline bench reads them too).
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from scheduler.rules.deadlines import DeadlineParse, parse_deadline
from tests.support.deadline_table import SAMPLES, SEEDS, TABLE, expected_windows


def check(result: DeadlineParse, windows, ref, rec, tentative, due, warns) -> None:
    assert result.windows == expected_windows(windows)
    assert result.recurrence == rec
    assert result.tentative is tentative
    assert result.undated is (not windows)
    assert result.due == tuple(date.fromisoformat(day) for day in due)
    assert bool(result.warnings) is warns, result.warnings


@pytest.mark.parametrize(("phrase", "windows", "ref", "rec", "tentative", "due", "warns"), TABLE)
def test_phrase(phrase, windows, ref, rec, tentative, due, warns) -> None:
    check(parse_deadline(phrase, reference=ref), windows, ref, rec, tentative, due, warns)


def sample_deadlines() -> set[str]:
    """Every distinct deadline cell of both sample plans, read from the files themselves."""
    events = (SAMPLES / "smolensk_international_events_h1_2026.txt").read_text(encoding="utf-8")
    cells = set()
    for row in re.split(r"\n(?=\t\d+\.\s)", events)[1:]:
        columns = row.split("\t")
        if len(columns) > 4:
            cells.add(columns[4])
    roadmap = (SAMPLES / "smolensk_mogilev_roadmap_2026_2028.txt").read_text(encoding="utf-8")
    cells |= {match.rstrip(".") for match in re.findall(r"Срок: ([^\n]+)", roadmap)}
    return cells


def test_table_has_every_sample_deadline() -> None:
    phrases = {row.values[0] for row in SEEDS}
    missing = sample_deadlines() - phrases
    assert len(sample_deadlines()) > 30
    assert not missing, missing


def test_early_exits_give_what_the_grammar_gives() -> None:
    """The fast path answers only where the general grammar answers the same, on every row."""
    from scheduler.rules.deadlines import parse, parse_general
    from scheduler.rules.deadlines.fast import fast_parse
    from scheduler.rules.deadlines.tokens import normalise

    taken = 0
    for row in TABLE:
        phrase, reference = row.values[0], row.values[2]
        quick = fast_parse(phrase, normalise(phrase), reference)
        if quick is not None:
            taken += 1
            assert quick == parse_general(phrase, reference), phrase
        assert parse(phrase, reference) == parse_general(phrase, reference), phrase
    assert taken >= 15  # the shapes are common: a fast path that never fires is a bug too
