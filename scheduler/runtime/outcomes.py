"""What each answer of the messenger does to a delivery (and, for a 403, to its contact).

429 → due again after `retry_after`, not counted as a try; a network error or 5xx → due
again after a delay that doubles with each try, failed after `max_attempts`; 403 →
failed and the contact inactive; 400 → failed with the reason. Never sleeps.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from models.outbox.deliveries import (
    DeliveryEnd,
    delivery_attempts,
    record_failed,
    record_parts,
    record_retry,
    record_sent,
)
from models.outbox.queue import Recipient
from scheduler.rules.domain import ReminderState
from scheduler.runtime.sending import SendOutcome, SendResult

log = logging.getLogger(__name__)


def record_outcome(
    session: Session,
    *,
    recipient: Recipient,
    result: SendResult,
    now: datetime,
    max_attempts: int,
    retry_base: timedelta,
) -> DeliveryEnd:
    """Record one send's outcome on its delivery; where the delivery now stands."""
    outcome, delivery_id = result.outcome, recipient.delivery_id
    if result.part_ids:
        record_parts(
            session, delivery_id=delivery_id, chat_id=recipient.chat_id, message_ids=result.part_ids
        )
    if outcome == SendOutcome.SENT:
        record_sent(session, delivery_id=delivery_id, message_id=result.message_id, now=now)
        return DeliveryEnd(ReminderState.SENT, sent_at=now, message_id=result.message_id)
    if outcome == SendOutcome.RETRY_AFTER:
        error = f"429: {result.error or 'retry after'}"
        retry_at = now + timedelta(seconds=float(result.retry_after or 1))
        record_retry(session, delivery_id=delivery_id, error=error, retry_at=retry_at, count=False)
        return DeliveryEnd(ReminderState.PENDING, retry_at=retry_at, error=error)
    if outcome == SendOutcome.TEMPORARY:
        return _temporary(session, recipient, result, now, max_attempts, retry_base)
    error = result.error or str(outcome.value)
    record_failed(
        session,
        delivery_id=delivery_id,
        error=error,
        deactivate=outcome == SendOutcome.FORBIDDEN,
        now=now,
    )
    return DeliveryEnd(ReminderState.FAILED, error=error)


def _temporary(
    session: Session,
    recipient: Recipient,
    result: SendResult,
    now: datetime,
    max_attempts: int,
    retry_base: timedelta,
) -> DeliveryEnd:
    """A network error or 5xx: try again later, each time twice as late; then fail."""
    tries = delivery_attempts(session, delivery_id=recipient.delivery_id) + 1
    error = result.error or "ошибка сети"
    if tries >= max_attempts:
        record_failed(
            session, delivery_id=recipient.delivery_id, error=error, deactivate=False, now=now
        )
        return DeliveryEnd(ReminderState.FAILED, error=error)
    delay = retry_base * (2 ** (tries - 1))
    retry_at = now + delay
    record_retry(
        session, delivery_id=recipient.delivery_id, error=error, retry_at=retry_at, count=True
    )
    log.info("chat %s: %s; retry in %s", recipient.chat_id, error, delay)
    return DeliveryEnd(ReminderState.PENDING, retry_at=retry_at, error=error)
