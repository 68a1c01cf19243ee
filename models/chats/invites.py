"""Invites: random single-use tokens, stored as SHA-256, that bind a chat to an agency."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.chats.contacts import bind_contact
from models.db import rowcount
from models.schema.people import Agency, Contact, Invite
from scheduler.rules.domain import Role


class InviteError(Exception):
    """An invite that cannot be redeemed; `reason` names why for the reply."""

    reason = "unknown"

    def __init__(self) -> None:
        super().__init__(f"приглашение не принято: {self.reason}")


class InviteNotFoundError(InviteError):
    reason = "unknown"


class InviteUsedError(InviteError):
    reason = "used"


class InviteExpiredError(InviteError):
    reason = "expired"


@dataclass(frozen=True)
class NewInvite:
    invite_id: int
    token: str
    agency_name: str | None
    role: Role
    expires_at: datetime


def hash_token(token: str) -> str:
    """What is stored instead of the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_invite(
    session: Session,
    *,
    agency_id: int | None,
    role: Role,
    now: datetime,
    ttl: timedelta,
    created_by: int | None = None,
) -> NewInvite:
    """A fresh invite; the token (22 URL-safe characters) is returned once, never stored."""
    if role == Role.CONTACT and agency_id is None:
        raise ValueError("a contact invite needs an agency")
    agency = session.get(Agency, agency_id) if agency_id is not None else None
    token = secrets.token_urlsafe(16)
    invite = Invite(
        token_hash=hash_token(token),
        agency_id=agency_id,
        role=role,
        created_by=created_by,
        created_at=now,
        expires_at=now + ttl,
    )
    session.add(invite)
    session.flush()
    return NewInvite(invite.id, token, agency.name if agency else None, role, invite.expires_at)


@dataclass(frozen=True)
class Addition:
    """An invite to another agency opened by a chat that already answers for one: it is
    added after a one-tap confirmation (the chat then answers for both)."""

    invite_id: int
    #: The first characters of the token's hash: a press proves the token was seen.
    proof: str
    agency_name: str
    current: tuple[str, ...]


#: Hash characters an addition's button carries (callback data is at most 64 bytes).
PROOF_CHARS = 16


def _valid(invite: Invite | None, now: datetime) -> Invite:
    if invite is None:
        raise InviteNotFoundError()
    if invite.used_at is not None:
        raise InviteUsedError()
    if invite.expires_at <= now:
        raise InviteExpiredError()
    return invite


def pending_addition(
    session: Session, *, token: str, now: datetime, chat_id: int
) -> Addition | None:
    """The addition an invite would be for this chat, or None when redeeming it binds the
    chat plainly (a first agency, the same one, a coordinator's invite)."""
    digest = hash_token(token)
    invite = _valid(session.scalars(select(Invite).where(Invite.token_hash == digest)).first(), now)
    if invite.role != Role.CONTACT or invite.agency_id is None:
        return None
    current = (
        session.execute(
            select(Agency.name)
            .join(Contact, Contact.agency_id == Agency.id)
            .where(
                Contact.chat_id == chat_id,
                Contact.role == Role.CONTACT,
                Contact.active.is_(True),
            )
            .order_by(Agency.name)
        )
        .scalars()
        .all()
    )
    agency = session.get(Agency, invite.agency_id)
    if not current or agency is None or agency.name in current:
        return None
    return Addition(invite.id, digest[:PROOF_CHARS], agency.name, tuple(current))


def redeem_addition(
    session: Session,
    *,
    invite_id: int,
    proof: str,
    now: datetime,
    user_id: int,
    chat_id: int,
    name: str = "",
    username: str | None = None,
) -> Contact:
    """Redeem an invite confirmed as an addition: the chat keeps its other agencies."""
    invite = session.get(Invite, invite_id)
    if invite is not None and not secrets.compare_digest(
        invite.token_hash[:PROOF_CHARS], proof[:PROOF_CHARS]
    ):
        invite = None
    return _redeem(session, _valid(invite, now), now, user_id, chat_id, name, username, True)


def redeem_invite(
    session: Session,
    *,
    token: str,
    now: datetime,
    user_id: int,
    chat_id: int,
    name: str = "",
    username: str | None = None,
) -> Contact:
    """Bind the chat by the invite, once; raises an InviteError subclass otherwise."""
    invite = session.scalars(select(Invite).where(Invite.token_hash == hash_token(token))).first()
    return _redeem(session, _valid(invite, now), now, user_id, chat_id, name, username, False)


def _redeem(
    session: Session,
    invite: Invite,
    now: datetime,
    user_id: int,
    chat_id: int,
    name: str,
    username: str | None,
    keep_others: bool,
) -> Contact:
    # The conditional update makes a concurrent second redemption lose.
    claimed = session.execute(
        update(Invite).where(Invite.id == invite.id, Invite.used_at.is_(None)).values(used_at=now)
    )
    if not rowcount(claimed):
        raise InviteUsedError()
    contact = bind_contact(
        session,
        user_id=user_id,
        chat_id=chat_id,
        agency_id=invite.agency_id,
        role=invite.role,
        now=now,
        name=name,
        username=username,
        keep_others=keep_others,
    )
    session.execute(update(Invite).where(Invite.id == invite.id).values(used_by=contact.id))
    return contact
