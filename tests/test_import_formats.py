# ruff: noqa: E501 -- agency names are quoted whole, as the plans print them
"""Encodings, line ends and detection from content; agency names; periods; assignments."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.importing import ImportFormatError, read_document
from models.importing.agencies import normalise_name, side_by_name, split_bodies
from models.importing.assignments import apply_assignments, read_assignments
from models.importing.importer import read_plan
from models.importing.source import read_source
from models.importing.text import plan_period, signing_date
from scheduler.rules.domain import Side
from tests.support.samples import EVENTS_ASSIGNMENTS, EVENTS_SAMPLE, ROADMAP_SAMPLE
from tests.test_import_docx import events_sample_cells

ROADMAP_TEXT = ROADMAP_SAMPLE.read_text(encoding="utf-8")
EVENTS_TEXT = EVENTS_SAMPLE.read_text(encoding="utf-8")


def _plan(path: Path) -> list[dict]:
    return [asdict(item) for item in read_document(read_source(path)).items]


@pytest.mark.parametrize(
    ("encoding", "newline", "name"),
    [
        pytest.param("utf-8-sig", "\n", "plan.txt", id="utf8-bom"),
        pytest.param("cp1251", "\r\n", "plan.txt", id="cp1251-crlf"),
        pytest.param("utf-8", "\r\n", "plan.md", id="utf8-crlf"),
        pytest.param("cp1251", "\n", "plan.docx", id="cp1251-named-docx"),
        pytest.param("utf-8", "\r", "plan", id="old-mac-line-ends"),
    ],
)
@pytest.mark.parametrize("sample", [ROADMAP_TEXT, EVENTS_TEXT], ids=["roadmap", "events"])
def test_encodings_and_line_ends_read_alike(
    tmp_path: Path, sample: str, encoding: str, newline: str, name: str
) -> None:
    reference = tmp_path / "reference.txt"
    reference.write_text(sample, encoding="utf-8")
    other = tmp_path / name
    # «№» and «–» exist in Windows-1251; the samples hold nothing it cannot encode.
    other.write_bytes(sample.replace("\n", newline).encode(encoding))
    assert _plan(other) == _plan(reference)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        pytest.param(
            [
                "Министерство жилищно-",
                "коммунального хозяйства, энергетики",
                "и тарифной политики Смоленской",
                "области",
            ],
            [
                "Министерство жилищно-коммунального хозяйства, энергетики и тарифной политики Смоленской области"
            ],
            id="one-name-with-commas-and-hyphen",
        ),
        pytest.param(
            [
                "Министерство промышленности и торговли Смоленской области, автономная некоммерческая организация «Центр поддержки экспорта Смоленской области»"
            ],
            [
                "Министерство промышленности и торговли Смоленской области",
                "автономная некоммерческая организация «Центр поддержки экспорта Смоленской области»",
            ],
            id="two-names-one-comma",
        ),
        pytest.param(
            ["Могилевский городской исполнительный", "комитет,", "ОАО «Ольса»"],
            ["Могилевский городской исполнительный комитет", "ОАО «Ольса»"],
            id="comma-at-line-end",
        ),
        pytest.param(
            [
                "Главное управление идеологической работы и по делам молодежи облисполкома,",
                "Могилевский областной комитет",
                "ОО «БРСМ»",
            ],
            [
                "Главное управление идеологической работы и по делам молодежи облисполкома",
                "Могилевский областной комитет ОО «БРСМ»",
            ],
            id="abbreviation-continues-a-name",
        ),
        pytest.param(
            [
                "Министерство спорта Смоленской области",
                "Комитет по физической культуре Могилевского облисполкома",
            ],
            [
                "Министерство спорта Смоленской области",
                "Комитет по физической культуре Могилевского облисполкома",
            ],
            id="one-per-line",
        ),
        pytest.param(
            [
                "- Министерство спорта Смоленской области;",
                "- Управление спорта и туризма",
                "Могилевского облисполкома",
            ],
            [
                "Министерство спорта Смоленской области",
                "Управление спорта и туризма Могилевского облисполкома",
            ],
            id="bullets",
        ),
        pytest.param(
            ["ООО «Рога, копыта и Ко», ОАО «Ольса»"],
            ["ООО «Рога, копыта и Ко»", "ОАО «Ольса»"],
            id="comma-inside-quotes",
        ),
    ],
)
def test_split_bodies(lines: list[str], expected: list[str]) -> None:
    assert split_bodies(lines) == expected


@pytest.mark.parametrize(
    ("name", "side"),
    [
        ("Министерство культуры и туризма Смоленской области", Side.RU),
        ("Управление культуры Могилевского облисполкома", Side.BY),
        ("Главное управление по образованию облисполкома", Side.BY),
        ("УО «Могилевский государственный областной институт развития образования»", Side.BY),
        ("ОАО «Ольса»", None),
    ],
)
def test_side_by_name(name: str, side: Side | None) -> None:
    assert side_by_name(name) == side


def test_normalised_names_match_spelling_variants() -> None:
    assert normalise_name("Комитет  экономики  «Могилёвского» облисполкома") == normalise_name(
        'комитет экономики "Могилевского" облисполкома'
    )


@pytest.mark.parametrize(
    ("title", "period"),
    [
        ("План … на 2026 – 2028 годы", (date(2026, 1, 1), date(2028, 12, 31))),
        ("План мероприятий на I полугодие 2026 года", (date(2026, 1, 1), date(2026, 6, 30))),
        ("План на II полугодие 2026 года", (date(2026, 7, 1), date(2026, 12, 31))),
        ("План на IV квартал 2026 года", (date(2026, 10, 1), date(2026, 12, 31))),
        ("План на 2027 год", (date(2027, 1, 1), date(2027, 12, 31))),
        ("Соглашение от 8 декабря 2004 года", None),
    ],
)
def test_plan_period(title: str, period: tuple[date, date] | None) -> None:
    assert plan_period(title) == period


def test_signing_date() -> None:
    assert signing_date("Подписано в г. Минске 26 июня 2026 года в двух экземплярах") == date(
        2026, 6, 26
    )
    assert signing_date("Без подписи") is None


def test_csv_assignments_equal_yaml(tmp_path: Path) -> None:
    yaml_assignments = read_assignments(EVENTS_ASSIGNMENTS)
    rows = ["section,item,agency,side"]
    for section, bodies in yaml_assignments.sections.items():
        rows.extend(f'"{section}",,"{b.name}",{b.side}' for b in bodies)
    rows.append(',47,"Министерство спорта Смоленской области",RU')
    csv_path = tmp_path / "who.csv"
    csv_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    from_yaml = read_document(read_source(EVENTS_SAMPLE))
    from_csv = read_document(read_source(EVENTS_SAMPLE))
    apply_assignments(from_yaml, yaml_assignments)
    apply_assignments(from_csv, read_assignments(csv_path))
    assert [i.agencies for i in from_csv.items] == [i.agencies for i in from_yaml.items]


def test_item_assignment_adds_to_the_section(tmp_path: Path) -> None:
    path = tmp_path / "who.yaml"
    path.write_text(
        "sections:\n  В сфере спорта: [Министерство спорта Смоленской области]\n"
        "items:\n  '47':\n    - {name: Управление спорта и туризма Могилевского облисполкома, side: BY}\n",
        encoding="utf-8",
    )
    plan = read_document(read_source(EVENTS_SAMPLE))
    apply_assignments(plan, read_assignments(path))
    by_number = {i.number: i for i in plan.items}
    assert [(a.name, a.side) for a in by_number["47"].agencies] == [
        ("Министерство спорта Смоленской области", Side.RU),
        ("Управление спорта и туризма Могилевского облисполкома", Side.BY),
    ]
    assert by_number["1"].agencies == []


def test_roadmap_cut_inside_the_last_item(tmp_path: Path) -> None:
    """A file cut after 6.2's title: 12 items, the last without deadline and agencies."""
    path = tmp_path / "cut.txt"
    path.write_text(ROADMAP_TEXT.split("- Международный молодежный")[0], encoding="utf-8")
    plan = read_document(read_source(path))
    assert len(plan.items) == 12
    assert plan.items[-1].number == "6.2"
    assert plan.items[-1].missing == ("deadline", "agencies")
    assert plan.items[-2].missing == ()


def test_events_cut_inside_a_row(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_text(EVENTS_TEXT.split("Обмен опытом реставрации")[0], encoding="utf-8")
    plan = read_document(read_source(path))
    assert [i.number for i in plan.items][-1] == "17"
    assert plan.items[-1].missing == ("goal", "participants")
    assert plan.items[-1].deadline == "в течение года"


_SAMPLE_LINES = ROADMAP_TEXT.split("\n") + EVENTS_TEXT.split("\n")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    picks=st.lists(st.integers(min_value=0, max_value=len(_SAMPLE_LINES) - 1), max_size=120),
    noise=st.lists(st.text(max_size=30), max_size=5),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1251"]),
)
def test_any_mix_of_plan_lines_reads_or_fails_cleanly(
    tmp_path: Path, picks: list[int], noise: list[str], encoding: str
) -> None:
    """Shuffled plan lines and junk: a plan with sane windows-to-be, or ImportFormatError."""
    text = "\n".join([_SAMPLE_LINES[i] for i in picks] + noise)
    path = tmp_path / "mix.txt"
    path.write_bytes(text.encode(encoding, errors="replace"))
    try:
        plan = read_plan(path, today=date(2026, 12, 3)).plan
    except ImportFormatError:
        return
    assert plan.items
    assert plan.period_start is not None and plan.period_end is not None
    assert plan.period_start <= plan.period_end
    assert len({i.number for i in plan.items}) >= 1
    for item in plan.items:
        assert all(a.name.strip() for a in item.agencies)
        assert item.section is None or 0 <= item.section < len(plan.sections)


def test_markdown_pipe_table_reads_like_the_tab_text(tmp_path: Path) -> None:
    """The events plan as a Markdown table (`<br>` for line breaks in a cell)."""
    title, rows = events_sample_cells()
    lines = [*title, ""]
    for index, row in enumerate(rows):
        cells = [c.replace("\n", "<br>") for c in row] + [""] * (7 - len(row))
        lines.append("| " + " | ".join(cells) + " |")
        if index == 0:
            lines.append("|" + "---|" * 7)
    path = tmp_path / "events.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    keys = ("number", "title", "section", "place", "deadline", "description", "goal")
    from_md = [{k: v for k, v in asdict(i).items() if k in keys} for i in _items(path)]
    from_text = [{k: v for k, v in asdict(i).items() if k in keys} for i in _items(EVENTS_SAMPLE)]
    assert from_md == from_text
    assert len(from_md) == 47


def _items(path: Path) -> list:
    return read_document(read_source(path)).items
