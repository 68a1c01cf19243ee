"""`srok demo` walks the sample plans and prints what each contact would read."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from bot.cli import main


def _days(output: str) -> dict[str, str]:
    """The demo's output cut into the days it printed: «26 января 2026 г.» -> text."""
    parts = re.split(r"^══════ (.+?) ══════$", output, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_demo_walks_the_calendar(tmp_path: Path) -> None:
    database = tmp_path / "demo.db"
    result = CliRunner().invoke(
        main, ["demo", "--database", str(database), "--from", "2026-01-20", "--to", "2026-02-20"]
    )
    assert result.exit_code == 0, result.output
    assert "12 пунктов" in result.output and "47 пунктов" in result.output
    # Every deadline of both plans with its windows, before the walk.
    roadmap_5 = "  5     «июнь – июль 2026 – 2028 годов.» → 1 июня – 31 июля 2026 г.; "
    events_11 = "  11    «21-22 марта, 28-29 марта 2026 года» → 21–22 марта 2026 г.; 28–29"
    assert roadmap_5 in result.output
    assert events_11 in result.output
    assert "(сдать до 1 апреля 2026 г.)" in result.output
    days = _days(result.output)
    # Events item 1, «9-12 февраля 2026 года», Ministry of Economic Development (RU):
    # heads-up 14 days before the start (Monday 26 January), reminder 3 days before the
    # end (Monday 9 February), status request the working day after (Friday 13 February),
    # the repeat 3 working days later (Wednesday 18 February).
    item_1 = "Пункт 1. Участие в Международном выставочно-ярмарочном мероприятии"
    for day, title in [
        ("26 января 2026 г.", "Скоро начинается срок"),
        ("9 февраля 2026 г.", "скоро истекает"),
        ("13 февраля 2026 г.", "сообщите статус"),
    ]:
        assert item_1 in days[day], day
        assert title in days[day], day
    assert (
        "Кому: Министерство экономического развития Смоленской области [RU]"
        in days["13 февраля 2026 г."]
    )
    # The first working day of February: monthly progress requests, one message a contact.
    culture = days["2 февраля 2026 г."].split("── Кому: Министерство культуры и туризма")[1]
    culture = culture.split("── Кому:")[0]
    assert "На сегодня 4 пункта" in culture
    assert culture.count("как продвигается работа?") == 4
    assert "[п. 17 · Консультации специалистов…]" in culture
    assert "Пункт 17" not in culture  # the card is a button away
    # Weekends and Russia's New Year holidays carry nothing.
    assert "24 января 2026 г." not in days and "25 января 2026 г." not in days
    # 37 messages in these 9 days (58 before several reminders of a day went as one).
    assert "Прогон календаря с 20 января 2026 г. по 20 февраля 2026 г.: 9 дней, 37 сообщений" in (
        result.output
    )
    assert "Сводка на 20 февраля 2026 г., 09:00" in result.output
    assert "Итого: 59 пунктов" in result.output


def test_demo_refuses_an_existing_database(tmp_path: Path) -> None:
    database = tmp_path / "demo.db"
    database.write_bytes(b"")
    result = CliRunner().invoke(main, ["demo", "--database", str(database)])
    assert result.exit_code == 1
    assert "уже существует" in result.output
