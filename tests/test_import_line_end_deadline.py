"""A deadline standing only at the end of an item's line, with no «Срок» label (issue 12)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from models.importing import preview_plan
from models.importing.tail_deadline import Tail, split_tail

PERIOD = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Праздничный концерт ко Дню города – июнь 2026 г.",
            Tail("Праздничный концерт ко Дню города", "июнь 2026 г."),
        ),
        (
            "Праздничный концерт ко Дню города — июнь 2026 г.",
            Tail("Праздничный концерт ко Дню города", "июнь 2026 г."),
        ),
        (
            "Праздничный концерт ко Дню города - июнь 2026 г.",
            Tail("Праздничный концерт ко Дню города", "июнь 2026 г."),
        ),
        (
            "Выставка декоративно-прикладного творчества (II квартал 2026 года)",
            Tail("Выставка декоративно-прикладного творчества", "II квартал 2026 года"),
        ),
        (
            "Выставка работ учащихся ДШИ (май – июнь 2026 г.).",
            Tail("Выставка работ учащихся ДШИ", "май – июнь 2026 г."),
        ),
        (
            "Конкурс чтецов — до 15 марта 2026 г., МБУК «ЦБС»",
            Tail("Конкурс чтецов", "до 15 марта 2026 г.", "МБУК «ЦБС»"),
        ),
        (
            "Семинар для библиотекарей, март – апрель 2026 г.",
            Tail("Семинар для библиотекарей", "март – апрель 2026 г."),
        ),
        (
            "Встреча с ветеранами, посвящённая Дню Победы – май 2026 г.",
            Tail("Встреча с ветеранами, посвящённая Дню Победы", "май 2026 г."),
        ),
        (
            "Работа клубных формирований – ежемесячно",
            Tail("Работа клубных формирований", "ежемесячно"),
        ),
        ("Акция «Бессмертный полк», 9 мая", Tail("Акция «Бессмертный полк»", "9 мая")),
        ("Круглый стол «Смоленск – Могилёв: диалог культур»", None),
        ("Круглый стол (Смоленск – Могилёв)", None),
        ("Выставка (г. Смоленск)", None),
        ("Концерт, посвящённый 80-летию Победы", None),
        ("Открытие выставки", None),
    ],
)
def test_split_tail(line: str, expected: Tail | None) -> None:
    assert split_tail(line, reference=PERIOD[0], period=PERIOD) == expected


PLAN = """План мероприятий отдела культуры Администрации района на 2026 год

1. Круглый стол «Смоленск – Могилёв: диалог культур»

2. Праздничный концерт ко Дню города – июнь 2026 г.

3. Выставка декоративно-прикладного творчества (II квартал 2026 года)

4. Конкурс чтецов — до 15 марта 2026 г., МБУК «ЦБС»

5. Семинар для библиотекарей, март - апрель 2026 г.

6. Мастер-класс по народной игрушке
"""


def test_paragraph_plan_without_srok_labels(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(PLAN, encoding="utf-8")
    data = preview_plan(path, today=date(2026, 12, 3)).to_json()
    got = [(i["number"], i["title"], i["deadline"], i["windows"]) for i in data["items"]]
    assert got == [
        ("1", "Круглый стол «Смоленск – Могилёв: диалог культур»", "", []),
        ("2", "Праздничный концерт ко Дню города", "июнь 2026 г.", [["2026-06-01", "2026-06-30"]]),
        (
            "3",
            "Выставка декоративно-прикладного творчества",
            "II квартал 2026 года",
            [["2026-04-01", "2026-06-30"]],
        ),
        ("4", "Конкурс чтецов", "до 15 марта 2026 г.", [["2026-01-01", "2026-03-15"]]),
        (
            "5",
            "Семинар для библиотекарей",
            "март - апрель 2026 г.",
            [["2026-03-01", "2026-04-30"]],
        ),
        ("6", "Мастер-класс по народной игрушке", "", []),
    ]
    assert [b["name"] for b in data["items"][3]["bodies"]] == ["МБУК «ЦБС»"]
    texts = [d["text"] for d in data["doubts"]]
    assert "пункт 1: срок не указан" in texts
    assert "пункт 6: срок не указан" in texts
    assert data["period"]["start"] == "2026-01-01"


def test_line_end_deadline_never_overrides_srok(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        "План мероприятий на 2026 год\n\n1. Концерт – июнь 2026 г.\nСрок: июль 2026 г.\n\n"
        "2. Выставка – май 2026 г.\n",
        encoding="utf-8",
    )
    items = preview_plan(path, today=date(2026, 12, 3)).to_json()["items"]
    assert [(i["title"], i["deadline"]) for i in items] == [
        ("Концерт – июнь 2026 г.", "июль 2026 г."),
        ("Выставка", "май 2026 г."),
    ]


def test_word_paragraphs_and_wrapped_lines(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph("ПЛАН мероприятий районного Дома культуры на 2026 год")
    document.add_paragraph("1. Праздничный концерт ко Дню города —\nиюнь 2026 г.")
    document.add_paragraph("2. Круглый стол «Смоленск – Могилёв: диалог культур»")
    document.add_paragraph("3. Работа клубных формирований - ежемесячно")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    items = preview_plan(path, today=date(2026, 12, 3)).to_json()["items"]
    assert [(i["title"], i["deadline"], i["recurrence"] is not None) for i in items] == [
        ("Праздничный концерт ко Дню города", "июнь 2026 г.", False),
        ("Круглый стол «Смоленск – Могилёв: диалог культур»", "", False),
        ("Работа клубных формирований", "ежемесячно", True),
    ]
