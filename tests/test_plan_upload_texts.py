"""The preview of a plan sent to the bot (no Telegram): split under Telegram's limit with
the essentials first, long lists counted; the `pu:` button data short and checked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from messages.plan_upload import (
    BadUploadDataError,
    confirm_keyboard,
    parse_upload,
    preview_parts,
    upload_data,
)
from messages.split import TELEGRAM_LIMIT, visible_length
from models.chats.uploads import read_upload_plans, stored_name
from models.importing import ImportFormatError
from tests.support.office_docs import write_docx, write_xlsx

HEADER = ["№ п/п", "Наименование мероприятия", "Срок исполнения", "Ответственный исполнитель"]
BODIES = [
    "Министерство культуры Смоленской области",
    "Управление культуры Могилевского облисполкома",
    "Департамент Смоленской области по образованию и науке",
]


def _long_plan(tmp: Path, items: int) -> bytes:
    rows = [HEADER]
    across = []
    for n in range(items):
        if n % 20 == 0:
            across.append((len(rows), 0, 3))
            title = f"{n // 20 + 1}. Раздел сотрудничества номер {n // 20 + 1}"
            rows.append([title] * 4)
        rows.append(
            [
                f"{n // 20 + 1}.{n % 20 + 1}",
                "Совместное мероприятие по обмену опытом в сфере культуры и образования "
                f"между учреждениями приграничных районов, этап {n + 1}",
                f"{['I', 'II', 'III', 'IV'][n % 4]} квартал 2026 г.",
                BODIES[n % 3],
            ]
        )
    path = write_docx(
        tmp / "long.docx",
        front=["План мероприятий на 2026 год"],
        rows=rows,
        across=tuple(across),
    )
    return path.read_bytes()


def test_a_200_item_plan_fits_three_messages_essentials_first(tmp_path: Path) -> None:
    (preview,) = read_upload_plans("long.docx", _long_plan(tmp_path, 200), today=date(2026, 3, 1))
    parts = preview_parts("long.docx", preview, None)
    assert 1 <= len(parts) <= 3
    assert all(visible_length(part) <= TELEGRAM_LIMIT for part in parts)
    first = parts[0]
    assert "Разделов: 10, пунктов: 200, органов: 3" in first
    assert first.index("Период:") < first.index("Пункты:") if "Пункты:" in first else True
    assert "… и ещё" in parts[-1] and "пунктов" in parts[-1]
    assert parts[-1].rstrip().endswith("Импортировать план?")


def test_an_xlsx_plan_is_read_by_its_content_whatever_its_name(tmp_path: Path) -> None:
    rows = [
        ["План мероприятий на 2026 год", "", "", ""],
        HEADER,
        ["1", "Выставка «Ремёсла Поднепровья»", "до 15 мая 2026 г.", BODIES[0]],
        ["2", "Круглый стол музейных работников", "октябрь 2026 г.", BODIES[1]],
    ]
    path = write_xlsx(tmp_path / "plan.xlsx", {"План": (rows, ("A1:D1",))})
    (preview,) = read_upload_plans("План (итог).XLSX", path.read_bytes(), today=date(2026, 3, 1))
    (text,) = preview_parts("План (итог).XLSX", preview, None)
    assert "пунктов: 2" in text and "1 января – 15 мая 2026 г." in text
    assert "Управление культуры Могилевского облисполкома" in text


def test_a_text_plan_and_a_bad_file(tmp_path: Path) -> None:
    text = (
        "План совместных мероприятий на 2026 год\n\n"
        "1. Дни белорусской культуры в Смоленске\nСрок: июнь 2026 г.\n\n"
        "2. Конференция краеведов\nСрок: 3–4 сентября 2026 г.\n"
    )
    (preview,) = read_upload_plans("plan.txt", text.encode("cp1251"), today=date(2026, 3, 1))
    assert [i.item.number for i in preview.items] == ["1", "2"]
    with pytest.raises(ImportFormatError):
        read_upload_plans("plan.docx", b"PK\x03\x04 not really an archive", today=date(2026, 3, 1))
    with pytest.raises(ImportFormatError):
        read_upload_plans("plan.txt", b"\x00\x01\x02" * 100, today=date(2026, 3, 1))


@pytest.mark.parametrize(
    ("name", "stored"),
    [
        ("C:\\Users\\Иванов\\План.docx", "План.docx"),
        ("../../etc/passwd", "passwd"),
        ("", "plan"),
        ("..", "plan"),
    ],
)
def test_a_sent_file_name_keeps_only_its_own_name(name: str, stored: str) -> None:
    assert stored_name(name) == stored


def test_button_data_is_short_and_strict() -> None:
    big = 10**12 - 1
    for data in (upload_data("a", big, big, big), upload_data("i", big)):
        assert len(data.encode()) <= 64
        assert parse_upload(data).upload_id == big
    assert parse_upload(upload_data("s", 3, 0)).section_id == 0
    assert [d for _, d in confirm_keyboard(7)[0]] == ["pu:i:7", "pu:c:7"]
    for bad in ("pu:i", "pu:i:1:2", "pu:a:1:2", "pu:x:1", "pu:i:-1", "lv:i:1", None, "pu:s:1"):
        with pytest.raises(BadUploadDataError):
            parse_upload(bad)
