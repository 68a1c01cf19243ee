"""Telegram: python-telegram-bot handlers, keyboards, sending, and the `srok` command line.

The only package that imports `telegram`.
"""

import os

# PTB 22 turns time periods (RetryAfter.retry_after, …) into timedeltas in its next major
# version and warns on every access until a program opts in; Srok takes timedeltas now.
# An explicit PTB_TIMEDELTA in the environment still wins (the sender reads both shapes).
os.environ.setdefault("PTB_TIMEDELTA", "true")

__all__: list[str] = []
