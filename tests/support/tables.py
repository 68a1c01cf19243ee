"""A whole database as plain rows, to compare before and after (the import tests)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from models import Base


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }
