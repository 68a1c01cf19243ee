"""Log lines for people (text) or for collectors (JSON, one object a line), token hidden.

Code that knows which plan, item, reminder, agency, chat or update it works on passes
the ids with `extra={"reminder_id": …}`; both formats show them. SROK_LOG_FORMAT picks
the format; `srok run` installs it over the root logger's handlers (`configure_logging`).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

#: The ids a record may carry (through `extra=`), in the order lines show them.
CONTEXT_FIELDS = ("plan_id", "item_id", "reminder_id", "agency_id", "chat_id", "update_id")

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def context_of(record: logging.LogRecord) -> dict[str, object]:
    """The context ids a record carries, those that are set."""
    found = {}
    for name in CONTEXT_FIELDS:
        value = getattr(record, name, None)
        if value is not None:
            found[name] = value
    return found


class TokenFilter(logging.Filter):
    """Replaces the bot token in every record (httpx and PTB put request URLs in logs)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "<token>"), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self.token in record.exc_text:
            record.exc_text = record.exc_text.replace(self.token, "<token>")
        return True


class TextFormatter(logging.Formatter):
    """The usual line, with the context ids at its end: `… [reminder_id=5 chat_id=7]`."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def formatMessage(self, record: logging.LogRecord) -> str:
        line = super().formatMessage(record)
        ids = context_of(record)
        if ids:
            line += " [" + " ".join(f"{key}={value}" for key, value in ids.items()) + "]"
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the ids, the exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **context_of(record),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(log_format: str, *, token: str | None = None) -> None:
    """Give every root handler the chosen format and, with `token`, the TokenFilter."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
    formatter: logging.Formatter = JsonFormatter() if log_format == "json" else TextFormatter()
    for handler in root.handlers:
        handler.setFormatter(formatter)
        if token and not any(
            isinstance(f, TokenFilter) and f.token == token for f in handler.filters
        ):
            handler.addFilter(TokenFilter(token))
