"""Alembic environment: the engine comes from `models.db.alembic_config`."""

from __future__ import annotations

from alembic import context

from models import Base  # the package registers every table on the metadata

target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = context.config.attributes["engine"]
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        context.run_migrations()


run_migrations_online()
