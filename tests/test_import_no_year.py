"""A document that names no year anywhere (issue 12): no year in the title, the stamp or
the deadlines. Its line-end deadlines («… — май», «(II квартал)») and «Срок:» lines are
still read, in the import date's year, and the preview and the import report say so."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from docx import Document
from sqlalchemy.orm import Session, sessionmaker

from models.importing import import_plan, preview_plan
from models.importing.period import NO_YEAR

TODAY = date(2027, 2, 10)

PLAN = """ПЛАН
мероприятий районного Дома культуры

1. Праздничный концерт ко Дню защитника Отечества — февраль

2. Выставка декоративно-прикладного творчества (II квартал)

3. Конкурс чтецов – до 15 марта, МБУК «ЦБС»

4. Семинар для руководителей клубных формирований
Срок: III квартал

5. Мастер-класс по народной игрушке, ноябрь – декабрь

6. Работа кружков — еженедельно
"""

EXPECTED = [
    ("1", "Праздничный концерт ко Дню защитника Отечества", "февраль",
     [["2027-02-01", "2027-02-28"]]),
    ("2", "Выставка декоративно-прикладного творчества", "II квартал",
     [["2027-04-01", "2027-06-30"]]),
    ("3", "Конкурс чтецов", "до 15 марта", [["2027-01-01", "2027-03-15"]]),
    ("4", "Семинар для руководителей клубных формирований", "III квартал",
     [["2027-07-01", "2027-09-30"]]),
    ("5", "Мастер-класс по народной игрушке", "ноябрь – декабрь",
     [["2027-11-01", "2027-12-31"]]),
]  # fmt: skip


def _no_year_doubt(texts: list[str]) -> str:
    (found,) = [t for t in texts if t.startswith("в документе нигде не указан год")]
    return found


def test_line_end_deadlines_of_a_text_without_any_year(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    data = preview_plan(path, today=TODAY).to_json()
    assert data["title"] == "ПЛАН мероприятий районного Дома культуры"
    assert data["period"]["source"] == "import_date"
    assert (data["period"]["start"], data["period"]["end"]) == ("2027-01-01", "2027-12-31")
    got = [(i["number"], i["title"], i["deadline"], i["windows"]) for i in data["items"]]
    assert got[:5] == EXPECTED
    assert (got[5][2], data["items"][5]["recurrence"] is not None) == ("еженедельно", True)
    assert [b["name"] for b in data["items"][2]["bodies"]] == ["МБУК «ЦБС»"]
    doubt = _no_year_doubt([d["text"] for d in data["doubts"]])
    assert doubt == NO_YEAR.format(year=2027, examples="«февраль», «II квартал» …")


def test_word_paragraphs_without_any_year(tmp_path: Path) -> None:
    document = Document()
    document.add_paragraph("План работы библиотеки")
    document.add_paragraph("1. Неделя детской книги — март")
    document.add_paragraph("2. Библионочь (апрель)")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    data = preview_plan(path, today=TODAY).to_json()
    assert [(i["title"], i["deadline"], i["windows"]) for i in data["items"]] == [
        ("Неделя детской книги", "март", [["2027-03-01", "2027-03-31"]]),
        ("Библионочь", "апрель", [["2027-04-01", "2027-04-30"]]),
    ]
    _no_year_doubt([d["text"] for d in data["doubts"]])


def test_a_year_anywhere_means_no_such_doubt(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(PLAN.replace("— февраль", "— февраль 2026 г."), encoding="utf-8")
    data = preview_plan(path, today=TODAY).to_json()
    assert data["period"]["source"] == "deadlines"
    assert data["items"][1]["windows"] == [["2026-04-01", "2026-06-30"]]
    assert not [d for d in data["doubts"] if "нигде не указан год" in d["text"]]
    # The option overrides, and then nothing was inferred.
    chosen = preview_plan(path, today=TODAY, period=(date(2028, 1, 1), date(2028, 12, 31)))
    assert not [d for d in chosen.doubts if "нигде не указан год" in d.text]


def test_the_import_report_says_the_year_was_inferred(
    sqlite_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    with sqlite_factory.begin() as session:
        report = import_plan(session, path=path, now=datetime(2027, 2, 10, 9, 0, tzinfo=UTC))
    assert report.period_explanation.endswith("взят год импорта: 2027")
    _no_year_doubt(report.doubts)
    assert report.items == 6


def test_the_import_date_is_the_plans_own_day_not_utcs(
    sqlite_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    """At 22:30 UTC on 31 December it is already 1 January in Moscow: a plan imported then
    takes the new year, as its preview (read with the local day) said."""
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    new_year_eve_utc = datetime(2026, 12, 31, 22, 30, tzinfo=UTC)
    preview = preview_plan(path, today=date(2027, 1, 1)).to_json()
    with sqlite_factory.begin() as session:
        report = import_plan(session, path=path, now=new_year_eve_utc)
    assert preview["period"]["start"] == "2027-01-01"
    assert report.period_explanation.endswith("взят год импорта: 2027")
