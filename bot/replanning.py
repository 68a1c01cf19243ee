"""Re-planning reminders after a contact changed a status or a date."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from bot.settings import Settings
from models.reminders import plan_reminders
from scheduler.policy import Policy

_LOG = logging.getLogger(__name__)


def replan(session: Session, *, settings: Settings, now: datetime, reason: str) -> None:
    """Bring the outbox in line with the new status or window (the policy decides)."""
    result = plan_reminders(session, now=now, policy=Policy.from_settings(settings))
    _LOG.info("re-planned after %s: %s", reason, result)
