"""The database (or another resource) going away and coming back, said once each way.

While it is down the callers try again after growing delays (`first` doubling up to
`cap`), instead of a hot loop that logs a traceback on every try.
"""

from __future__ import annotations

import logging

log = logging.getLogger("srok.outage")


class Outage:
    """Up or down, as the last try found it; one log line per change, delays while down."""

    def __init__(
        self, what: str, *, first: float = 0.5, cap: float = 30.0, logger: logging.Logger = log
    ) -> None:
        self.what = what
        self.first = first
        self.cap = cap
        self.down = False
        self._delay = first
        self._log = logger

    def failed(self, error: BaseException) -> float:
        """A try failed: how long to wait before the next (the first failure is logged)."""
        if not self.down:
            self.down = True
            self._delay = self.first
            why = " ".join(str(getattr(error, "orig", None) or error).split())
            self._log.error("%s: database unavailable (%s); retrying with backoff", self.what, why)
        delay = self._delay
        self._delay = min(self._delay * 2, self.cap)
        return delay

    def recovered(self) -> bool:
        """A try succeeded; True when that ends an outage (which is then logged)."""
        if not self.down:
            return False
        self.down = False
        self._delay = self.first
        self._log.warning("%s: database available again", self.what)
        return True
