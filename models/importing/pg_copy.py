"""PostgreSQL's COPY for the importer's big batches: one stream instead of many INSERTs.

Values go through each column's SQLAlchemy type first (UTC timestamps, enums by value),
then psycopg adapts them; JSON columns are wrapped so psycopg sends them as JSON.
"""

from __future__ import annotations

from typing import Any

from psycopg.types.json import Json
from sqlalchemy import JSON, Connection, Table, text


def copy_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """COPY `rows` (dicts with the same keys) into `table` inside the current transaction."""
    columns = list(rows[0])
    converters = [_converter(connection, table, name) for name in columns]
    names = ", ".join(f'"{name}"' for name in columns)
    driver = connection.connection.driver_connection
    if driver is None:  # only once the connection has been invalidated or closed
        raise RuntimeError("COPY needs an open database connection")
    cursor = driver.cursor()
    with cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(
                [convert(row[name]) for name, convert in zip(columns, converters, strict=True)]
            )


def next_ids(connection: Connection, table: Table, count: int) -> list[int]:
    """`count` new ids from the table's id sequence, in order."""
    query = text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)")
    return list(connection.execute(query, {"table": table.name, "n": count}).scalars())


def _converter(connection: Connection, table: Table, name: str) -> Any:
    column_type = table.c[name].type
    if isinstance(column_type, JSON):
        return lambda value: None if value is None else Json(value)
    bind = column_type.bind_processor(connection.dialect)
    if bind is None:
        return lambda value: value
    return bind
