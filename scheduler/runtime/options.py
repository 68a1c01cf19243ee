"""What the use cases read from the settings, as plain values (the settings live in bot/)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from scheduler.rules.policy import Policy


@dataclass(frozen=True)
class Options:
    """The reminder policy and the few settings a press, an answer or a lever reads."""

    policy: Policy
    #: The plan's time zone (SROK_TIMEZONE): moments in texts are shown in it.
    timezone: str = "Europe/Moscow"
    #: Telegram ids of the coordinators named in the settings (SROK_COORDINATOR_IDS).
    coordinator_ids: tuple[int, ...] = ()
    #: A contact's «Перенос» waits for a coordinator's approval (SROK_POSTPONE_APPROVAL).
    postpone_approval: bool = True
    #: How long an invite stays valid (SROK_INVITE_TTL_DAYS).
    invite_ttl: timedelta = timedelta(days=14)
