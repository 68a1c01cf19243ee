"""`srok parse`: the human form, --json, JSON Lines from standard input, bad input."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from bot.cli import main
from bot.cli.common import now_utc


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["parse", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_human_form_shows_windows_in_russian() -> None:
    code, out, _ = run("II квартал 2026 года", "--reference", "2026-01-01")
    assert code == 0
    assert "Срок: II квартал 2026 года" in out
    assert "Окна: 1 апреля – 30 июня 2026 г." in out
    assert "Предупреждение" not in out


def test_human_form_shows_flags_due_and_warnings() -> None:
    phrase = "апрель 2026 года (прием работ до 1 апреля 2026 года), ежегодно, уточняется"
    code, out, _ = run(phrase, "--reference", "2026-01-01")
    assert code == 0
    assert "Окна: 1–30 апреля 2026 г." in out
    assert "Повторяется: ежегодно" in out
    assert "Дата предварительная" in out
    assert "Контрольный срок: 1 апреля 2026 г." in out
    code, out, _ = run("31 февраля", "--reference", "2026-01-01")
    assert "Окна: дата не определена" in out
    assert "Предупреждение: нет такой даты: 31 февраля" in out


def test_json_is_the_design_object_on_one_line() -> None:
    code, out, _ = run("II квартал 2026 года", "--reference", "2026-01-01", "--json")
    assert code == 0
    assert out.count("\n") == 1
    assert json.loads(out) == {
        "text": "II квартал 2026 года",
        "windows": [["2026-04-01", "2026-06-30"]],
        "recurrence": None,
        "tentative": False,
        "undated": False,
        "due": [],
        "warnings": [],
    }


def test_default_reference_is_january_first_of_this_year() -> None:
    code, out, _ = run("в течение года", "--json")
    year = now_utc().year
    assert code == 0
    assert json.loads(out)["windows"] == [[f"{year}-01-01", f"{year}-12-31"]]


def test_stdin_gives_json_lines_in_order_with_own_references() -> None:
    lines = "II квартал 2026 года\nмарт\t2026-09-01\n\nсогласно дате проведения\t2026-01-01\n"
    code, out, _ = run("--reference", "2026-01-01", stdin=lines)
    assert code == 0
    parsed = [json.loads(line) for line in out.splitlines()]
    assert [p["text"] for p in parsed] == [
        "II квартал 2026 года",
        "март",
        "",
        "согласно дате проведения",
    ]
    assert parsed[0]["windows"] == [["2026-04-01", "2026-06-30"]]
    assert parsed[1]["windows"] == [["2027-03-01", "2027-03-31"]]
    assert parsed[2]["undated"] is True and parsed[2]["warnings"]
    assert parsed[3]["undated"] is True and parsed[3]["warnings"] == []


def test_stdin_mode_prints_json_even_without_the_flag_and_handles_crlf() -> None:
    code, out, _ = run(stdin="май 2026 года\r\n")
    assert code == 0
    assert json.loads(out)["windows"] == [["2026-05-01", "2026-05-31"]]


def test_a_bad_reference_on_a_line_is_a_warning_and_the_stream_goes_on() -> None:
    code, out, _ = run("--reference", "2026-01-01", stdin="май\t2026-13-45\nиюнь 2026\n")
    assert code == 0
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["text"] == "май"
    assert first["windows"] == [["2026-05-01", "2026-05-31"]]
    assert first["warnings"] == [
        "дата отсчета '2026-13-45' не в формате ГГГГ-ММ-ДД, взята 2026-01-01"
    ]
    assert second["windows"] == [["2026-06-01", "2026-06-30"]]


def test_a_tab_inside_a_phrase_stays_part_of_it() -> None:
    code, out, _ = run("--reference", "2026-01-01", stdin="апрель\t2026 года\nмарт\t\n")
    assert code == 0
    first, second = (json.loads(line) for line in out.splitlines())
    assert first["text"] == "апрель\t2026 года"
    assert first["windows"] == [["2026-04-01", "2026-04-30"]]
    assert second["text"] == "март"
    assert second["warnings"] == []


def test_bad_reference_option_is_a_usage_error() -> None:
    code, _, err = run("март", "--reference", "01.03.2026")
    assert code == 2
    assert "ГГГГ-ММ-ДД" in err


def test_engine_import_leaves_dateparser_unloaded() -> None:
    probe = "import sys, bot.cli.parse; print('dateparser' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_undecodable_stdin_bytes_are_replaced_not_fatal() -> None:
    raw = b"\xff\xfe junk\n" + "март 2026\n".encode()
    result = CliRunner().invoke(main, ["parse"], input=raw)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0]["undated"] is True and lines[0]["warnings"]
    assert lines[1]["windows"] == [["2026-03-01", "2026-03-31"]]


def test_period_gives_a_window_per_occurrence_and_keeps_the_json_shape() -> None:
    phrase = "ежеквартально, до 10 числа месяца, следующего за отчётным кварталом"
    code, out, _ = run(phrase, "--period", "2026-01-01:2028-12-31", "--json")
    assert code == 0
    parsed = json.loads(out)
    assert set(parsed) == {
        "text",
        "windows",
        "recurrence",
        "tentative",
        "undated",
        "due",
        "warnings",
    }
    assert len(parsed["windows"]) == 12  # the reference defaults to the period's start
    assert parsed["windows"][0] == ["2026-01-01", "2026-04-10"]
    assert parsed["windows"][-1] == ["2028-10-01", "2029-01-10"]
    code, out, _ = run("--period", "2026-01-01:2028-12-31", stdin="ежегодно, в мае\nмай\n")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [len(line["windows"]) for line in lines] == [3, 1]
    code, out, _ = run(phrase, "--reference", "2026-01-01", "--json")
    assert len(json.loads(out)["windows"]) == 1  # no period: the first occurrence


def test_bad_period_option_is_a_usage_error() -> None:
    for bad in ("2026-01-01", "2026-01-01:2028", "2028-12-31:2026-01-01"):
        code, _, err = run("май", "--period", bad)
        assert code == 2, bad
        assert "--period" in err
