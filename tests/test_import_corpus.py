"""The fixture corpus through the import preview: every document against its golden.

`preview_plan(path, today=…).to_json()` (the contract in the import preview) is compared
with what a careful official would say each document means: title, short name, period and
its source, approval act, sections, and every item's number, title, deadline as printed,
windows and responsible bodies. `srok import FILE --dry-run --json` prints the same and
writes nothing. Skipped until `models.importing.preview_plan` exists.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import models.importing
from tests.support.corpus.documents import (
    DOCUMENTS,
    Build,
    bryansk_gomel_2026,
    dorogobuzh_city_day,
    glinka_fire_safety,
    smolensk_mogilev_culture,
    velizh_reading,
)
from tests.support.corpus.golden import ANY, Golden

if not hasattr(models.importing, "preview_plan"):
    pytest.skip("models.importing.preview_plan is not there yet", allow_module_level=True)

from bot.cli import main
from models.db import make_engine
from models.importing import preview_plan
from tests.support.tables import dump

TODAY = date(2026, 12, 3)
_SPACES = re.compile(r"\s+")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)
#: Words quoted from the document («на I полугодие 2026 года»): Latin roman numerals are
#: Russian typography there, not an English word.
_QUOTED = re.compile(r"«[^«»]*»")


def _norm(text: str | None) -> str | None:
    return None if text is None else _SPACES.sub(" ", text).strip()


def _preview(build: Build, tmp_path: Path) -> tuple[Path, dict[str, Any], Golden]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path, golden = build(tmp_path)
    options = {"name": golden["name"]} if golden["name"] else {}
    return path, preview_plan(path, today=TODAY, **options).to_json(), golden


@pytest.mark.parametrize("build", DOCUMENTS, ids=lambda build: build.__name__)
def test_document_imports_as_the_golden_says(build: Build, tmp_path: Path) -> None:
    _path, data, golden = _preview(build, tmp_path)
    json.dumps(data, ensure_ascii=False)  # the preview is data

    assert (_norm(data["title"]) or "").casefold() == (_norm(golden["title"]) or "").casefold()
    short = data["short_name"]
    if golden["short_name"]:
        assert short == golden["short_name"]
    else:
        assert isinstance(short, str) and short.strip() and len(short) <= 120, short
    period = data["period"]
    assert {k: period[k] for k in ("start", "end", "source")} == golden["period"]
    # What was inferred and from what, told in Russian (no document here has Latin words).
    own_words = _QUOTED.sub("", period["explanation"])
    assert _CYRILLIC.search(own_words) and not _LATIN.search(own_words)
    assert data["kind"] in {"roadmap", "events", "table"}
    assert all(isinstance(d["text"], str) and d["text"].strip() for d in data["doubts"])
    assert _approval(data["approval"], golden["approval"]) == golden["approval"]
    assert [
        {"number": s["number"], "title": _norm(s["title"])} for s in data["sections"]
    ] == golden["sections"]
    assert len(data["items"]) == len(golden["items"]), [i["number"] for i in data["items"]]
    for got, want in zip(data["items"], golden["items"], strict=True):
        assert _item(got, want) == want


def _approval(got: dict[str, Any] | None, want: dict[str, Any] | None) -> dict[str, Any] | None:
    """The preview's approval in the golden's terms: act compared without regard to letter
    case and spacing; parts the golden does not judge (ANY) taken as they are."""
    if got is None or want is None:
        return got and {k: got[k] for k in ("act", "number", "date")}
    act = got["act"]
    if want["act"] is ANY or (
        act is not None and (_norm(act) or "").casefold() == (_norm(want["act"]) or "").casefold()
    ):
        act = want["act"]
    return {"act": act, "number": got["number"], "date": got["date"]}


def _item(got: dict[str, Any], want: dict[str, Any]) -> dict[str, Any]:
    """The preview's item in the golden's terms, so a failure shows a readable diff."""
    deadline = _norm(got["deadline"]) or ""
    if isinstance(want["deadline"], tuple):
        at, found = 0, True
        for part in want["deadline"]:
            at = deadline.find(part, at)
            found = found and at >= 0
            at = max(at, 0) + len(part)
        deadline = want["deadline"] if found else deadline
    return {
        "number": got["number"],
        "title": _norm(got["title"]),
        "section": _norm(got["section"]),
        "deadline": deadline,
        "windows": [list(w) for w in got["windows"]],
        "recurrence": got["recurrence"],
        "tentative": got["tentative"],
        "undated": got["undated"],
        "bodies": [
            _body(g, want["bodies"][i] if i < len(want["bodies"]) else None)
            for i, g in enumerate(got["bodies"])
        ],
    }


def _body(got: dict[str, Any], want: dict[str, Any] | None) -> dict[str, Any]:
    person = got["person"]
    if want and want["person"] and person and want["person"] in person:
        person = want["person"]
    return {
        "name": _norm(got["name"]),
        "side": got["side"],
        "role": got["role"],
        "note": got["note"],
        "person": person,
    }


# --- The command line --------------------------------------------------------------


@pytest.fixture
def srok(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[CliRunner, Path]:
    """The CLI pointed at a SQLite file that does not exist yet."""
    database = tmp_path / "db" / "srok.db"
    database.parent.mkdir()
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    monkeypatch.chdir(tmp_path)  # no stray .env
    return CliRunner(), database


def _json_output(stdout: str) -> dict[str, Any]:
    """The one preview object `--dry-run --json` prints for one file."""
    data = json.loads(stdout)
    if isinstance(data, list):
        assert len(data) == 1
        data = data[0]
    return data


@pytest.mark.parametrize(
    "build", [smolensk_mogilev_culture, bryansk_gomel_2026], ids=lambda build: build.__name__
)
def test_cli_dry_run_prints_the_preview_and_writes_nothing(
    build: Build, srok: tuple[CliRunner, Path], tmp_path: Path
) -> None:
    runner, database = srok
    path, data, _golden = _preview(build, tmp_path / "doc")
    result = runner.invoke(main, ["import", str(path), "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    assert _json_output(result.stdout) == json.loads(json.dumps(data, ensure_ascii=False))
    assert not database.exists()


def test_cli_dry_run_explains_in_russian(srok: tuple[CliRunner, Path], tmp_path: Path) -> None:
    """Without --json the same preview is told in words: where the period came from too."""
    runner, database = srok
    path, data, _golden = _preview(dorogobuzh_city_day, tmp_path / "doc")
    result = runner.invoke(main, ["import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    told = _norm(result.stdout) or ""
    assert (_norm(data["period"]["explanation"]) or "") in told
    assert "412-р" in told
    assert not database.exists()


def test_cli_dry_run_leaves_an_existing_database_byte_for_byte(
    srok: tuple[CliRunner, Path], migrated_sqlite: Path, tmp_path: Path
) -> None:
    runner, database = srok
    shutil.copyfile(migrated_sqlite, database)
    before = database.read_bytes()
    engine = make_engine(f"sqlite:///{database}")
    rows = dump(engine)
    engine.dispose()
    path, _golden = velizh_reading(tmp_path)
    result = runner.invoke(main, ["import", str(path), "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    assert database.read_bytes() == before
    engine = make_engine(f"sqlite:///{database}")
    assert dump(engine) == rows
    engine.dispose()


def test_cli_period_and_name_options_override_the_document(
    srok: tuple[CliRunner, Path], tmp_path: Path
) -> None:
    runner, database = srok
    path, golden = velizh_reading(tmp_path)
    result = runner.invoke(
        main,
        [
            "import",
            str(path),
            "--dry-run",
            "--json",
            "--period",
            "2026-2028",
            "--name",
            "Чтение в Велижском районе",
        ],
    )
    assert result.exit_code == 0, result.output
    data = _json_output(result.stdout)
    assert {k: data["period"][k] for k in ("start", "end", "source")} == {
        "start": "2026-01-01",
        "end": "2028-12-31",
        "source": "option",
    }
    assert data["short_name"] == "Чтение в Велижском районе"
    # The reference date is the same 1 January 2026, so the windows do not move.
    assert [i["windows"] for i in data["items"]] == [i["windows"] for i in golden["items"]]
    assert not database.exists()


def test_cli_one_year_period_option_replaces_the_import_date(
    srok: tuple[CliRunner, Path], tmp_path: Path
) -> None:
    runner, _database = srok
    path, _golden = glinka_fire_safety(tmp_path)
    result = runner.invoke(main, ["import", str(path), "--dry-run", "--json", "--period", "2027"])
    assert result.exit_code == 0, result.output
    data = _json_output(result.stdout)
    assert {k: data["period"][k] for k in ("start", "end", "source")} == {
        "start": "2027-01-01",
        "end": "2027-12-31",
        "source": "option",
    }
    # «апрель – май» now falls in the plan's own year.
    assert data["items"][0]["windows"] == [["2027-04-01", "2027-05-31"]]
