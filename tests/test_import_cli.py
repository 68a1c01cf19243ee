"""`srok import`, `srok items`, `srok agencies` and `srok db upgrade` through click."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine

from bot.cli import main
from models.db import make_engine
from tests.support.samples import EVENTS_ASSIGNMENTS, EVENTS_SAMPLE, ROADMAP_SAMPLE
from tests.support.tables import dump

BOTH = [str(ROADMAP_SAMPLE), str(EVENTS_SAMPLE), "--assignments", str(EVENTS_ASSIGNMENTS)]


@pytest.fixture
def srok(migrated_sqlite_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    """The CLI on a fresh SQLite database."""
    monkeypatch.setenv("DATABASE_URL", migrated_sqlite_url)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return CliRunner()


@pytest.fixture
def srok_any(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    """The CLI on SQLite and on PostgreSQL."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def test_import_then_list(srok: CliRunner) -> None:
    result = srok.invoke(main, ["import", *BOTH, "--json"])
    assert result.exit_code == 0, result.output
    reports = json.loads(result.stdout)
    assert [(r["items"], r["sections"]) for r in reports] == [(12, 6), (47, 10)]
    assert reports[1]["truncated_item"] == "47"

    items = json.loads(srok.invoke(main, ["items", "--json"]).stdout)
    assert len(items) == 59
    first = items[0]
    assert {"plan", "plan_title", "number", "section", "title", "deadline", "windows"} <= set(first)
    assert first["number"] == "1.1" and first["status"] == "planned"
    assert first["windows"] == [["2026-01-01", "2028-12-31"]]
    assert first["agencies"][0] == {
        "name": "Министерство промышленности и торговли Смоленской области",
        "side": "RU",
        "status": "planned",
        "windows_status": [],  # nothing reported yet
    }
    only = json.loads(
        srok.invoke(main, ["items", "--plan", str(reports[1]["plan_id"]), "--json"]).stdout
    )
    assert [i["number"] for i in only] == [str(n) for n in range(1, 48)]

    agencies = json.loads(srok.invoke(main, ["agencies", "--json"]).stdout)
    assert len(agencies) == 27
    assert {"name", "side", "timezone", "items"} <= set(agencies[0])


def test_human_output_is_russian(srok: CliRunner) -> None:
    imported = srok.invoke(main, ["import", *BOTH])
    assert imported.exit_code == 0, imported.output
    assert "план добавлен" in imported.stdout
    assert "4.1: «согласно дате проведения.» — дата не определена" in imported.stdout
    assert "Последний пункт 47 обрезан, нет граф: место проведения, срок" in imported.stdout
    again = srok.invoke(main, ["import", *BOTH])
    assert again.stdout.count("без изменений (этот файл уже импортирован)") == 2
    items = srok.invoke(main, ["items"]).stdout
    assert "Срок: 2026 – 2028 годы. → 1 января 2026 г. – 31 декабря 2028 г." in items
    assert "BY: Комитет экономики Могилевского облисполкома" in items
    agencies = srok.invoke(main, ["agencies"]).stdout
    assert (
        "BY Комитет экономики Могилевского облисполкома (Europe/Minsk): 3 пункта — 1.1, 1.2, 6.1"
        in agencies
    )


def test_failure_is_one_line_and_leaves_the_database(
    srok_any: CliRunner, db_url: str, tmp_path: Path
) -> None:
    srok = srok_any
    assert srok.invoke(main, ["import", str(ROADMAP_SAMPLE)]).exit_code == 0
    broken = tmp_path / "broken.txt"
    raw = ROADMAP_SAMPLE.read_bytes()
    cut = raw.index("Срок".encode()) + 1
    broken.write_bytes(raw[:cut] + b"\xff" + raw[cut + 1 :])
    engine: Engine = make_engine(db_url)
    before = dump(engine)
    result = srok.invoke(main, ["import", str(EVENTS_SAMPLE), str(broken)])
    assert result.exit_code == 1
    assert result.stderr == "srok: broken.txt: строка 16: испорченный текст в кодировке UTF-8\n"
    assert result.stdout == ""
    assert dump(engine) == before
    engine.dispose()


def test_db_upgrade(srok: CliRunner) -> None:
    result = srok.invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "обновлена до последней версии" in result.stdout


def test_missing_files_are_said_in_russian(srok: CliRunner, tmp_path: Path) -> None:
    result = srok.invoke(main, ["import", str(tmp_path / "нет.docx")])
    assert (result.exit_code, result.stderr) == (1, "srok: нет.docx: файл не найден\n")
    result = srok.invoke(main, ["import", str(EVENTS_SAMPLE), "--assignments", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.endswith(": это каталог, а не файл\n")
