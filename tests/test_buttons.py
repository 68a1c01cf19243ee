"""A contact's buttons: the data already sent to chats keeps its exact form, and every
form is read back by the one module that builds it (`messages.buttons`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest

from messages import buttons
from messages.buttons import (
    AdditionKey,
    BatchKey,
    ChoiceKey,
    Code,
    ConfirmationKey,
    StatusKey,
)
from scheduler.rules.domain import Status


@dataclass(frozen=True)
class _Item:
    item_id: int
    number: str
    title: str
    agency_id: int | None = None
    plan_short: str = ""
    agency: str = ""


def test_a_reminders_status_buttons_keep_their_data_and_labels() -> None:
    assert buttons.status_rows(41) == (
        (("В работе", "st:41:ip"), ("Выполнено", "st:41:dn")),
        (("Перенос", "st:41:pp"), ("Отменено", "st:41:cn"), ("Комментарий", "st:41:cm")),
    )
    assert buttons.status_rows(41, name_date=True)[0] == (("Назвать дату", "st:41:dt"),)
    assert buttons.card_status_rows(7)[1][0] == ("Перенос", "mi:7:pp")


def test_the_other_buttons_keep_their_data() -> None:
    assert buttons.confirm_rows(5) == ((("Да, записать", "ok:5"), ("Нет", "no:5")),)
    items = [_Item(13, "13", "Продэкспо " * 10), _Item(14, "14", "Ярмарка")]
    assert buttons.choice_rows(9, items) == (
        (("п. 13 " + ("Продэкспо " * 10)[:40], "ch:9:13"),),
        (("п. 14 Ярмарка", "ch:9:14"),),
    )
    assert buttons.my_rows(items) == ((("п. 13", "mc:13"), ("п. 14", "mc:14")),)
    assert buttons.addition_rows(3, "0123456789abcdef") == (
        (
            ("Добавить", "ad:3:0123456789abcdef"),
            ("Нет, оставить как есть", "an:3:0123456789abcdef"),
        ),
    )
    assert buttons.open_card_data(8) == "cd:8"
    assert buttons.back_to_list_data(8) == "ls:8"


def test_two_items_of_one_number_differ_in_label_only() -> None:
    items = [_Item(21, "3", "Круглый стол", 1, "План"), _Item(22, "3", "Форум", 1, "Другой")]
    assert buttons.choice_rows(9, items) == (
        (("п. 3 · План Круглый стол", "ch:9:21"),),
        (("п. 3 · Другой Форум", "ch:9:22"),),
    )
    assert buttons.my_rows(items) == ((("п. 3 · План", "mc:21"), ("п. 3 · Другой", "mc:22")),)


@pytest.mark.parametrize(
    ("data", "parse", "expected"),
    [
        ("st:41:pp", buttons.parse_status, StatusKey(41, Code.POSTPONED)),
        ("st:41:dt", buttons.parse_status, StatusKey(41, Code.NAME_DATE)),
        ("mi:7:cm", buttons.parse_card_status, StatusKey(7, Code.COMMENT)),
        ("mi:7:dt", buttons.parse_card_status, None),  # a card has no «Назвать дату»
        ("mc:13", buttons.parse_my_card, 13),
        ("cd:8", buttons.parse_batch, BatchKey(True, 8)),
        ("ls:8", buttons.parse_batch, BatchKey(False, 8)),
        ("ok:5", buttons.parse_confirmation, ConfirmationKey(True, 5)),
        ("no:5", buttons.parse_confirmation, ConfirmationKey(False, 5)),
        ("ch:9:13", buttons.parse_choice, ChoiceKey(9, 13)),
        ("ad:3:0123456789abcdef", buttons.parse_addition, AdditionKey(True, 3, "0123456789abcdef")),
        (
            "an:3:0123456789abcdef",
            buttons.parse_addition,
            AdditionKey(False, 3, "0123456789abcdef"),
        ),
        ("st:41:xx", buttons.parse_status, None),
        ("st:41:pp:1", buttons.parse_status, None),
        ("lv:ic:1", buttons.parse_status, None),
        (None, buttons.parse_confirmation, None),
        ("ad:3:0123", buttons.parse_addition, None),
    ],
)
def test_data_is_read_back_by_the_module_that_builds_it(
    data: str | None, parse: Callable[[str | None], object], expected: object
) -> None:
    assert parse(data) == expected


def test_codes_name_their_statuses() -> None:
    assert {code.status for code in Code} == {*Status, None} - {Status.PLANNED}
    assert buttons.code_label(Code.DONE) == "Выполнено"
    assert buttons.is_name_date("st:41:dt") and not buttons.is_name_date("st:41:dn")
    assert buttons.is_back_to_list("ls:8") and buttons.card_item("mi:7:ip") == 7
    with pytest.raises(ValueError, match="64 bytes"):
        buttons.checked("ok:" + "9" * 62)


def test_a_card_carries_the_first_day_of_its_window() -> None:
    """`mi:` data may carry the card's window (added to the format, never changed: cards
    already in chats without it keep working)."""
    rows = buttons.card_status_rows(7, date(2026, 6, 1))
    assert rows[1][0] == ("Перенос", "mi:7:pp:20260601")
    key = buttons.parse_card_status("mi:7:dn:20260601")
    assert key == StatusKey(7, Code.DONE, date(2026, 6, 1))
    assert buttons.parse_card_status("mi:7:dn") == StatusKey(7, Code.DONE)
    assert buttons.card_item("mi:7:dn:20260601") == 7
    for forged in ("mi:7:dn:20261332", "mi:7:dn:2026061", "mi:7:dn:", "mi:7:dn:20260601:1"):
        assert buttons.parse_card_status(forged) is None, forged
    assert buttons.parse_status("st:7:dn:20260601") is None  # a reminder's carry no date
