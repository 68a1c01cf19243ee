"""Numbers typed by people are read in one place (scheduler.rules.numbers): ASCII digits within a
range. Odd ones («²», «１», 23 digits, year 9999) get one polite line, in the bot and in
the command line, never «Что-то пошло не так» or a traceback."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.settings import Settings
from messages.buttons import parse_confirmation, parse_status
from models.db import make_engine, make_session_factory, upgrade
from scheduler.rules.numbers import MAX_ID, parse_id, parse_number, sane_moment
from tests.support.botkit import Clock, running_bot
from tests.support.fakebotapi import DEFAULT_TOKEN, FakeBotApi
from tests.support.reports_seed import CONTACT_USER, NOW, seed

HUGE = "99999999999999999999999"
APOLOGY = "Что-то пошло не так"
#: A coordinator by configuration only (SROK_COORDINATOR_IDS).
CONFIGURED = 5002


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("7", 7, id="plain"),
        pytest.param(" 7 ", 7, id="spaces"),
        pytest.param("\t14\n", 14, id="tab-and-newline"),
        pytest.param("007", 7, id="leading-zeros"),
        pytest.param("366", 366, id="top"),
        pytest.param("367", None, id="past-top"),
        pytest.param("0", None, id="zero"),
        pytest.param("000", None, id="zeros"),
        pytest.param("-5", None, id="negative"),
        pytest.param("+5", None, id="plus"),
        pytest.param("²", None, id="superscript"),
        pytest.param("１", None, id="full-width"),
        pytest.param("١٢", None, id="arabic-indic"),
        pytest.param("1 2", None, id="inner-space"),
        pytest.param("1.5", None, id="fraction"),
        pytest.param("1e3", None, id="exponent"),
        pytest.param("", None, id="empty"),
        pytest.param("  ", None, id="blank"),
        pytest.param(HUGE, None, id="past-64-bits"),
        pytest.param("0" * 30 + "12", 12, id="many-leading-zeros"),
        pytest.param("9" * 10_000, None, id="ten-thousand-digits"),
    ],
)
def test_parse_number(text: str, expected: int | None) -> None:
    assert parse_number(text, low=1, high=366) == expected


def test_ids_stay_within_a_database_integer() -> None:
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert parse_id(str(MAX_ID + 1)) is None
    assert parse_id(None) is None


@pytest.mark.parametrize(
    ("moment", "sane"),
    [
        (date(2026, 5, 1), True),
        (datetime(2200, 12, 31, 23, 0, tzinfo=UTC), True),
        (datetime(9999, 12, 31, 10, 0, tzinfo=UTC), False),
        (date(1900, 1, 1), False),
        (date(1, 1, 1), False),
    ],
)
def test_sane_moment(moment: date, sane: bool) -> None:
    assert (sane_moment(moment) is not None) == sane


@pytest.mark.parametrize(
    "data",
    [f"st:{HUGE}:dn", "st:99999999999999999:dn", "st:²:dn", "st:１:dn", f"ok:{HUGE}", "no:１"],
)
def test_button_data_with_odd_numbers_is_malformed(data: str) -> None:
    assert (parse_confirmation if data[:2] in ("ok", "no") else parse_status)(data) is None


def _settings(api: FakeBotApi, db_url: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=DEFAULT_TOKEN,  # type: ignore[arg-type]
        telegram_api_base_url=api.root,
        database_url=db_url,
        srok_coordinator_ids=[CONFIGURED],
    )


async def _ask(api: FakeBotApi, user: int, command: str, args: str) -> str:
    """Send `/command args`; the one reply (and no second one shortly after)."""
    before = len(api.messages(user))
    api.send_command(user, command, args)
    await api.until(lambda: len(api.messages(user)) > before)
    replies = api.messages(user)[before:]
    assert len(replies) == 1, [m.text for m in replies]
    return replies[0].text


COORDINATOR_INPUTS = [
    ("invite", "²", "не найден"),
    ("invite", HUGE, "не найден"),
    ("invite", "-1", "не найден"),
    ("invite", "１", "не найден"),
    ("item", f"1.1 {HUGE}", "Номер плана пишется цифрами"),
    ("item", "1.1 ²", "Номер плана пишется цифрами"),
    ("item", "1.1 -1", "Номер плана пишется цифрами"),
    ("item", "1.1 １", "Номер плана пишется цифрами"),
    ("remind", f"1.1 {HUGE}", "Номер плана пишется цифрами"),
    ("summary", "²", "Номер плана пишется цифрами"),
    ("summary", HUGE, "Номер плана пишется цифрами"),
    ("export", "１", "Номер плана пишется цифрами"),
    ("summary", "0001", "Сводка"),  # leading zeros: plan 1
]
CONTACT_INPUTS = [
    ("upcoming", "²", "Укажите число дней"),
    ("upcoming", HUGE, "Укажите число дней"),
    ("upcoming", "-5", "Укажите число дней"),
    ("upcoming", "１", "Укажите число дней"),
    ("upcoming", "0", "Укажите число дней"),
    ("upcoming", "007", "7 дн"),
]


async def test_odd_numbers_in_commands_get_one_polite_line(
    fake_api: FakeBotApi, session_factory: sessionmaker[Session], db_url: str
) -> None:
    seed(session_factory)
    async with running_bot(_settings(fake_api, db_url), session_factory, Clock(NOW)):
        answers = [
            (command, args, expected, await _ask(fake_api, user, command, args))
            for user, inputs in ((CONFIGURED, COORDINATOR_INPUTS), (CONTACT_USER, CONTACT_INPUTS))
            for command, args, expected in inputs
        ]
    for command, args, expected, text in answers:
        assert expected in text, (command, args, text)
        assert APOLOGY not in text


@pytest.fixture
def srok(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    seed(make_session_factory(engine))
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "srok_bot")
    monkeypatch.chdir(tmp_path)  # no stray .env
    return CliRunner()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["invite", HUGE], "не найден"),
        (["invite", "²"], "не найден"),
        (["items", "--plan", HUGE], "Номер плана пишется цифрами"),
        (["items", "--plan", "²"], "Номер плана пишется цифрами"),
        (["items", "--plan", "-1"], "Номер плана пишется цифрами"),
        (["items", "--plan", "１"], "Номер плана пишется цифрами"),
        (["summary", "--plan", HUGE], "Номер плана пишется цифрами"),
        (["reminders", "--plan", "--now", "9999-12-31T10:00:00"], "год должен быть от"),
        (["reminders", "--plan", "--now", "0001-01-01T10:00:00+03:00"], "год должен быть от"),
        (["reminders", "--to", "9999-12-31"], "год должен быть от"),
        (["dispatch", "--now", "9999-12-31T10:00:00"], "год должен быть от"),
        (["summary", "--now", "9999-12-31T10:00:00"], "год должен быть от"),
    ],
)
def test_odd_numbers_in_the_command_line_get_one_line(
    srok: CliRunner, args: list[str], expected: str
) -> None:
    result = srok.invoke(main, args)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("srok: "), result.output
    assert expected in lines[0]


def test_a_plan_number_with_leading_zeros_is_read(srok: CliRunner) -> None:
    result = srok.invoke(main, ["items", "--plan", "0001", "--json"])
    assert result.exit_code == 0, result.output
    assert '"number": "1.1"' in result.output


@pytest.mark.postgres
def test_a_huge_plan_number_never_reaches_postgresql(
    pg_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    engine = make_engine(pg_url)
    upgrade(engine)
    seed(make_session_factory(engine))
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", pg_url)
    monkeypatch.chdir(tmp_path)
    for args in (["items", "--plan", "99999999999"], ["invite", "99999999999"]):
        monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "srok_bot")
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 1, result.output
        assert result.output.startswith("srok: "), result.output


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["parse", "II квартал", "--reference", "9999-12-31"], None),
        (["parse"], "II квартал\t9999-12-31\n"),
        (["parse"], "в течение года\t0001-01-01\n"),
    ],
)
def test_a_reference_year_out_of_range_is_refused_or_replaced(
    srok: CliRunner, args: list[str], stdin: str | None
) -> None:
    result = srok.invoke(main, args, input=stdin)
    assert "Traceback" not in result.output
    if stdin is None:
        assert result.exit_code == 1
        assert result.output.startswith("srok: 9999-12-31: год должен быть от")
    else:
        assert result.exit_code == 0, result.output
        assert "не от 1970 до 2200, взята" in result.output
        assert '"windows": [[' in result.output
