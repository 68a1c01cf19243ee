"""One jinja2 environment for every text Srok shows; HTML escaped by default."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from messages import formatting


@cache
def environment() -> Environment:
    """Built once. `autoescape=True` explicitly: templates end in .j2, not .html."""
    env = Environment(
        loader=PackageLoader("messages", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(
        date_ru=formatting.format_day,
        window_ru=formatting.format_window,
        windows_ru=formatting.format_windows,
        status_ru=formatting.status_label,
        recurrence_ru=formatting.recurrence_label,
        plural_ru=formatting.plural,
        datetime_ru=formatting.format_moment,
        short_ru=formatting.short_text,
        plan_label=formatting.plan_label,
        item_labels=formatting.item_labels,
    )
    return env


def render(name: str, **context: Any) -> str:
    """Render template `name` (e.g. "reminder.j2") with `context`; strips outer blank lines."""
    return environment().get_template(name).render(**context).strip("\n")


def render_plain(name: str, **context: Any) -> str:
    """Render a template for a terminal: no HTML escaping (nothing is parsed as markup)."""
    env = environment().overlay(autoescape=False)
    return env.get_template(name).render(**context).strip("\n")
