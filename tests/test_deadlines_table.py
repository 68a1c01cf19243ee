"""Table-driven: every distinct deadline of the sample plans, then every form plans use.

Each row: the phrase, its exact windows, recurrence, flags, due dates, whether it warns,
and the reference date (2026-01-01 unless the row says otherwise).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from scheduler.deadlines import DeadlineParse, parse_deadline

SAMPLES = Path(__file__).resolve().parent.parent / "models" / "samples"
REF = date(2026, 1, 1)


def case(
    phrase: str,
    *windows: str,
    ref: date = REF,
    rec: str | None = None,
    tentative: bool = False,
    due: tuple[str, ...] = (),
    warns: bool = False,
    id: str | None = None,
) -> object:
    """One row; a window is «2026-04-01/2026-06-30», or one ISO day for a single-day window."""
    return pytest.param(phrase, windows, ref, rec, tentative, due, warns, id=id or phrase)


def expected_windows(windows: tuple[str, ...]) -> tuple[tuple[date, date], ...]:
    pairs = []
    for window in windows:
        start, _, end = window.partition("/")
        pairs.append((date.fromisoformat(start), date.fromisoformat(end or start)))
    return tuple(pairs)


SEEDS = [
    # The roadmap (reference: the start of its 2026–2028 period).
    case("2026 – 2028 годы", "2026-01-01/2028-12-31"),
    case("согласно дате проведения"),
    case(
        "июнь – июль 2026 – 2028 годов",
        "2026-06-01/2026-07-31",
        "2027-06-01/2027-07-31",
        "2028-06-01/2028-07-31",
    ),
    # The events plan, column 4, exactly as the cells are printed (line breaks included).
    case("9-12 февраля\n2026 года\n", "2026-02-09/2026-02-12"),
    case("10-12 марта\n2026 года\n", "2026-03-10/2026-03-12"),
    case("31 марта – \n3 апреля\n2026 года\n", "2026-03-31/2026-04-03"),
    case("3-6 июня \n2026 года\n", "2026-06-03/2026-06-06"),
    case("июнь-июль \n2026 года\n", "2026-06-01/2026-07-31"),
    case("Дата проведения уточняется\n", tentative=True),
    case(
        "II квартал \n2026 года\n(дата проведения уточняется)\n",
        "2026-04-01/2026-06-30",
        tentative=True,
    ),
    case("В течение\n2026 года\n", "2026-01-01/2026-12-31"),
    case("апрель \n2026 года\n", "2026-04-01/2026-04-30"),
    case("II-III кварталы \n2026 года\n", "2026-04-01/2026-09-30"),
    case(
        "21-22 марта,\n28-29 марта\n2026 года\n", "2026-03-21/2026-03-22", "2026-03-28/2026-03-29"
    ),
    case("март\n2026 года\n", "2026-03-01/2026-03-31"),
    case("апрель-август\n2026 года\n", "2026-04-01/2026-08-31"),
    case("июнь\n2026 года\n", "2026-06-01/2026-06-30"),
    case("II квартал\n2026 года\n", "2026-04-01/2026-06-30"),
    case("в течение года\n\n", "2026-01-01/2026-12-31"),
    case("в течение года\n", "2026-01-01/2026-12-31"),
    case("1 сентября\n2025 года – \n30 августа\n2026 года\n", "2025-09-01/2026-08-30"),
    case("15 сентября\n2025 года – \n25 апреля\n2026 года\n", "2025-09-15/2026-04-25"),
    case("январь – март 2026 года\n\n", "2026-01-01/2026-03-31"),
    case("5 февраля\n2026 года\n", "2026-02-05"),
    case("февраль \n2026 года\n", "2026-02-01/2026-02-28"),
    case("март \n2026 года\n", "2026-03-01/2026-03-31"),
    case(
        "апрель\n2026 года\n(прием работ до 1 апреля\n2026 года)\n",
        "2026-04-01/2026-04-30",
        due=("2026-04-01",),
    ),
    case("апрель-май 2026 года\n", "2026-04-01/2026-05-31"),
    case("май \n2026 года\n", "2026-05-01/2026-05-31"),
    case("18-19 июня\n2026 года\n", "2026-06-18/2026-06-19"),
    case("март, \nапрель\n2026 года\n", "2026-03-01/2026-03-31", "2026-04-01/2026-04-30"),
    case(
        "март, \nиюнь, сентябрь\n2026 года\n",
        "2026-03-01/2026-03-31",
        "2026-06-01/2026-06-30",
        "2026-09-01/2026-09-30",
    ),
    case("апрель, \nмай\n2026 года\n", "2026-04-01/2026-04-30", "2026-05-01/2026-05-31"),
    case("май\n2026 года\n", "2026-05-01/2026-05-31"),
    case(
        "май, \nсентябрь (по согласованию сторон)\n2026 года\n",
        "2026-05-01/2026-05-31",
        "2026-09-01/2026-09-30",
        tentative=True,
    ),
    case("июнь\n2026 года\n", "2026-06-01/2026-06-30", id="июнь-2026-cell-2"),
    case("апрель\n2026 года\n (ежегодно)\n", "2026-04-01/2026-04-30", rec="yearly"),
    case("апрель - сентябрь \n2026 года\n", "2026-04-01/2026-09-30"),
    case("апрель\n2026 года\n", "2026-04-01/2026-04-30"),
    case(" июнь \n2026 года\n", "2026-06-01/2026-06-30"),
]

TABLE = SEEDS


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
