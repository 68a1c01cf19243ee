"""The layers hold: the pure rules load no database, template or Telegram code."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("sqlalchemy", "alembic", "jinja2", "telegram", "psycopg", "models", "messages", "bot")


@pytest.mark.parametrize(
    "module",
    [
        "scheduler.rules.policy",
        "scheduler.rules.deadlines",
        "scheduler.rules.answers",
        "scheduler.rules.workdays",
        "scheduler.rules.numbers",
        "scheduler.rules.domain",
    ],
)
def test_rules_load_nothing_heavy(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))\n"
        "print(','.join(heavy))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "", f"{module} loads {loaded}"


def test_import_contracts_are_kept() -> None:
    """`make lint` runs the same check; here it guards the suite as well."""
    run = "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())"
    done = subprocess.run([sys.executable, "-c", run], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
