"""Russian formatting through babel, and splitting long HTML for Telegram."""

from __future__ import annotations

from datetime import date

import pytest

from messages import (
    format_window,
    format_windows,
    plural,
    render,
    split_message,
    status_label,
    telegram_length,
    visible_length,
)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        pytest.param(
            date(2026, 4, 1), date(2026, 6, 30), "1 апреля – 30 июня 2026 г.", id="quarter"
        ),
        pytest.param(date(2026, 2, 9), date(2026, 2, 12), "9–12 февраля 2026 г.", id="days"),
        pytest.param(date(2026, 5, 5), date(2026, 5, 5), "5 мая 2026 г.", id="one-day"),
        pytest.param(
            date(2025, 9, 1),
            date(2026, 8, 30),
            "1 сентября 2025 г. – 30 августа 2026 г.",
            id="years",
        ),
    ],
)
def test_format_window(start: date, end: date, expected: str) -> None:
    assert format_window((start, end)) == expected


def test_format_windows_empty_says_so() -> None:
    assert format_windows([]) == "дата не определена"


@pytest.mark.parametrize(
    ("n", "expected"),
    [(1, "1 пункт"), (2, "2 пункта"), (5, "5 пунктов"), (11, "11 пунктов"), (21, "21 пункт")],
)
def test_plural(n: int, expected: str) -> None:
    assert plural(n, "пункт", "пункта", "пунктов") == expected


def test_status_labels() -> None:
    assert status_label("in_progress") == "В работе"
    assert status_label(None) == "Запланировано"


def test_split_short_text_is_one_part() -> None:
    assert split_message("<b>a</b>\nb") == ["<b>a</b>\nb"]


def test_split_respects_limit_and_reopens_tags() -> None:
    body = "\n".join(f"строка {i} &lt;x&gt;" for i in range(400))
    text = f"<b>Сводка</b>\n<i>{body}</i>"
    parts = split_message(text, limit=500)
    assert len(parts) > 1
    for part in parts:
        assert visible_length(part) <= 500  # what Telegram counts: tags none, &lt; one
        assert part.count("<i>") == part.count("</i>")
    assert "\n".join(p.removeprefix("<i>").removesuffix("</i>") for p in parts[1:])


def test_split_counts_utf16_units() -> None:
    assert telegram_length("😀") == 2
    parts = split_message("\n".join(["😀" * 10] * 10), limit=50)
    assert all(telegram_length(p) <= 50 for p in parts)


def test_split_cuts_a_single_long_line() -> None:
    parts = split_message("слово " * 2000, limit=4096)
    assert len(parts) >= 3
    assert all(telegram_length(p) <= 4096 for p in parts)


def test_templates_escape_html(tmp_path: object) -> None:
    from messages.render import environment

    template = environment().from_string("{{ value }}")
    assert template.render(value="<b>&</b>") == "&lt;b&gt;&amp;&lt;/b&gt;"
    assert render  # the public helper exists for named templates
