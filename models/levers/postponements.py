"""Postponements that need a coordinator's approval (SROK_POSTPONE_APPROVAL).

An agency's «Перенос» with its new dates becomes a request; the windows change only
when a coordinator approves it, so until then reminders follow the old date. A decision
can be changed by a later one: refusing an approved request puts the windows back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.levers.actors import Actor, LeverRefusedError
from models.levers.control import SOURCE, live_item
from models.schema.people import Responsibility
from models.schema.plans import ItemChange
from models.schema.statuses import PostponementRequest, StatusReport
from models.statuses.reports import record_report
from models.statuses.windows import set_agency_windows, windows_by_item
from scheduler.rules.domain import DateWindow, Status

PENDING, APPROVED, REFUSED, SUPERSEDED = "pending", "approved", "refused", "superseded"


def _iso(windows: Sequence[DateWindow]) -> list[list[str]]:
    return [[s.isoformat(), e.isoformat()] for s, e in windows]


def _dates(windows: Sequence[Sequence[str]]) -> list[DateWindow]:
    return [(date.fromisoformat(s), date.fromisoformat(e)) for s, e in windows]


@dataclass(frozen=True)
class Decision:
    """What a coordinator's decision did; `changed` False for a repeated press."""

    request_id: int
    item_id: int
    agency_id: int
    approved: bool
    changed: bool
    windows: list[DateWindow]
    #: The windows binding the agency after the decision.
    binding: list[DateWindow]
    reason: str | None


def request_postponement(
    session: Session,
    *,
    item_id: int,
    agency_id: int,
    contact_id: int | None,
    author: str,
    windows: Sequence[DateWindow],
    text: str,
    now: datetime,
) -> PostponementRequest:
    """File the agency's request; an earlier pending one of the same agency is superseded."""
    session.execute(
        update(PostponementRequest)
        .where(
            PostponementRequest.item_id == item_id,
            PostponementRequest.agency_id == agency_id,
            PostponementRequest.state == PENDING,
        )
        .values(state=SUPERSEDED, decided_at=now)
    )
    request = PostponementRequest(
        item_id=item_id,
        agency_id=agency_id,
        contact_id=contact_id,
        author=author,
        text=text,
        windows=_iso(windows),
        before=[],
        state=PENDING,
        requested_at=now,
    )
    session.add(request)
    session.add(
        ItemChange(
            item_id=item_id,
            agency_id=agency_id,
            contact_id=contact_id,
            kind="postpone_requested",
            detail={"author": author, "text": text, "after": _iso(windows)},
            created_at=now,
        )
    )
    session.flush()
    return request


def pending_postponements(
    session: Session, *, item_ids: Sequence[int] | None = None
) -> list[PostponementRequest]:
    """Requests waiting for a decision, oldest first."""
    query = select(PostponementRequest).where(PostponementRequest.state == PENDING)
    if item_ids is not None:
        query = query.where(PostponementRequest.item_id.in_(list(item_ids)))
    return list(session.scalars(query.order_by(PostponementRequest.id)))


def _request(session: Session, request_id: int) -> PostponementRequest:
    """A request still open to a decision: its item live, its agency still answering."""
    request = session.get(PostponementRequest, request_id)
    if request is None or request.state == SUPERSEDED:
        raise LeverRefusedError("stale")
    live_item(session, item_id=request.item_id)
    answers = session.scalar(
        select(Responsibility.id).where(
            Responsibility.item_id == request.item_id,
            Responsibility.agency_id == request.agency_id,
        )
    )
    if answers is None:
        raise LeverRefusedError("stale")
    return request


def _own(session: Session, item_id: int, agency_id: int) -> list[DateWindow]:
    return list(windows_by_item(session, item_ids=[item_id]).get(item_id, {}).get(agency_id, []))


def _binding(session: Session, item_id: int, agency_id: int) -> list[DateWindow]:
    own = windows_by_item(session, item_ids=[item_id]).get(item_id, {})
    return list(own.get(agency_id) or own.get(None) or [])


def _decided(session: Session, request: PostponementRequest, changed: bool) -> Decision:
    return Decision(
        request.id,
        request.item_id,
        request.agency_id,
        request.state == APPROVED,
        changed,
        _dates(request.windows),
        _binding(session, request.item_id, request.agency_id),
        request.reason,
    )


def approve_postponement(
    session: Session, *, actor: Actor, request_id: int, now: datetime
) -> Decision:
    """The new dates become the agency's windows (re-plan the item afterwards)."""
    request = _request(session, request_id)
    if request.state == APPROVED:
        return _decided(session, request, False)
    request.before = _iso(_own(session, request.item_id, request.agency_id))
    set_agency_windows(
        session,
        item_id=request.item_id,
        agency_id=request.agency_id,
        windows=_dates(request.windows),
        now=now,
        text=request.text,
        contact_id=request.contact_id,
    )
    request.state, request.decided_at, request.decided_by = APPROVED, now, actor.name
    request.reason = None
    _log(session, actor, request, "postpone_approved", None, now)
    return _decided(session, request, True)


def refuse_postponement(
    session: Session, *, actor: Actor, request_id: int, reason: str, now: datetime
) -> Decision:
    """The old dates stay (or come back, after an approval); the agency's status returns to
    what it was before its «Перенос»."""
    request = _request(session, request_id)
    if request.state == REFUSED:
        return _decided(session, request, False)
    if request.state == APPROVED:
        set_agency_windows(
            session,
            item_id=request.item_id,
            agency_id=request.agency_id,
            windows=_dates(request.before),
            now=now,
            text=reason,
            contact_id=actor.contact_id,
        )
    request.state, request.decided_at, request.decided_by = REFUSED, now, actor.name
    request.reason = reason
    record_report(
        session,
        item_id=request.item_id,
        agency_id=request.agency_id,
        status=_status_before(session, request),
        comment=reason,
        now=now,
        source=SOURCE,
        contact_id=actor.contact_id,
        author=actor.name,
    )
    _log(session, actor, request, "postpone_refused", reason, now)
    return _decided(session, request, True)


def _status_before(session: Session, request: PostponementRequest) -> Status:
    """The agency's latest status other than «Перенос» before the request; planned if none."""
    found = session.scalar(
        select(StatusReport.status)
        .where(
            StatusReport.item_id == request.item_id,
            StatusReport.agency_id == request.agency_id,
            StatusReport.status.is_not(None),
            StatusReport.status != Status.POSTPONED,
            StatusReport.created_at <= request.requested_at,
        )
        .order_by(StatusReport.id.desc())
        .limit(1)
    )
    return found or Status.PLANNED


def _log(
    session: Session,
    actor: Actor,
    request: PostponementRequest,
    kind: str,
    reason: str | None,
    now: datetime,
) -> None:
    detail = {"author": actor.name, "after": request.windows}
    if reason:
        detail["text"] = reason
    session.add(
        ItemChange(
            item_id=request.item_id,
            agency_id=request.agency_id,
            contact_id=actor.contact_id,
            kind=kind,
            detail=detail,
            created_at=now,
        )
    )
    session.flush()
