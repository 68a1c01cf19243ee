"""Telegram: python-telegram-bot handlers, keyboards, sending, and the `srok` command line.

The only package that imports `telegram`.
"""

__all__: list[str] = []
