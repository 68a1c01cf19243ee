"""Re-planning an item's reminders after a contact changed its status or its date."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from bot.settings import Settings
from models.advisory import REPLAN, lock_key, share_in_transaction
from scheduler.rules.policy import Policy
from scheduler.runtime.planning import plan_reminders

_LOG = logging.getLogger(__name__)


def replan(
    session: Session, *, settings: Settings, now: datetime, item_id: int, reason: str
) -> None:
    """Bring the item's reminders in line with the new status or window (the policy decides).

    On PostgreSQL it waits for a daily re-plan in another process to finish first: the two
    would otherwise update the same reminders in their own orders, and may deadlock.
    """
    share_in_transaction(session, key=lock_key(REPLAN))
    result = plan_reminders(
        session, now=now, policy=Policy.from_settings(settings), item_ids=[item_id]
    )
    _LOG.info("item %s re-planned after %s: %s", item_id, reason, result)
