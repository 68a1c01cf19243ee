"""Invites: random, single-use, expiring, stored only as a hash; contacts bind once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models import Contact, Invite, Role
from models.chats.contacts import (
    AgencyNotFoundError,
    AmbiguousAgencyError,
    agency_contact,
    bind_contact,
    deactivate_chat,
    find_agency,
)
from models.chats.invites import (
    InviteExpiredError,
    InviteNotFoundError,
    InviteUsedError,
    create_invite,
    hash_token,
    redeem_invite,
)
from tests.support.botkit import AGENCY, NOW, OTHER, seed

TTL = timedelta(days=14)


def _invite(session, agency_id, role=Role.CONTACT):  # type: ignore[no-untyped-def]
    return create_invite(session, agency_id=agency_id, role=role, now=NOW, ttl=TTL)


def test_token_is_random_url_safe_and_stored_hashed(session_factory) -> None:
    world = seed(session_factory)
    with session_factory.begin() as session:
        first, second = _invite(session, world.agency_id), _invite(session, world.agency_id)
        stored = session.scalars(select(Invite.token_hash)).all()
    assert first.token != second.token
    assert len(first.token) <= 64 and all(c.isalnum() or c in "-_" for c in first.token)
    assert first.token not in stored
    assert hash_token(first.token) in stored
    assert first.expires_at == NOW + TTL


def test_redeem_binds_once_then_refuses(session_factory) -> None:
    world = seed(session_factory)
    with session_factory.begin() as session:
        token = _invite(session, world.agency_id).token
    with session_factory.begin() as session:
        contact = redeem_invite(session, token=token, now=NOW, user_id=10, chat_id=10, name="А")
        assert (contact.agency_id, contact.role, contact.active) == (
            world.agency_id,
            Role.CONTACT,
            True,
        )
    with session_factory.begin() as session, pytest.raises(InviteUsedError):
        redeem_invite(session, token=token, now=NOW, user_id=11, chat_id=11)
    with session_factory.begin() as session:
        assert agency_contact(session, chat_id=11) is None


def test_expired_and_unknown_tokens_are_refused(session_factory) -> None:
    world = seed(session_factory)
    with session_factory.begin() as session:
        token = _invite(session, world.agency_id).token
    with session_factory.begin() as session, pytest.raises(InviteExpiredError):
        redeem_invite(session, token=token, now=NOW + TTL, user_id=10, chat_id=10)
    with session_factory.begin() as session, pytest.raises(InviteNotFoundError):
        redeem_invite(session, token="x" + token, now=NOW, user_id=10, chat_id=10)


def test_coordinator_invite_binds_a_coordinator(session_factory) -> None:
    seed(session_factory)
    with session_factory.begin() as session:
        token = _invite(session, None, Role.COORDINATOR).token
        contact = redeem_invite(session, token=token, now=NOW, user_id=20, chat_id=20)
        assert (contact.role, contact.agency_id) == (Role.COORDINATOR, None)


def test_a_person_answers_for_one_agency(session_factory) -> None:
    world = seed(session_factory)
    with session_factory.begin() as session:
        bind_contact(
            session, user_id=1, chat_id=1, agency_id=world.agency_id, role=Role.CONTACT, now=NOW
        )
        bind_contact(
            session, user_id=1, chat_id=1, agency_id=world.other_id, role=Role.CONTACT, now=NOW
        )
        active = session.scalars(select(Contact).where(Contact.active.is_(True))).all()
        assert [c.agency_id for c in active] == [world.other_id]
        assert deactivate_chat(session, chat_id=1, reason="blocked") == 1
        assert agency_contact(session, chat_id=1) is None


def test_find_agency_by_name_part_and_its_failures(session_factory) -> None:
    seed(session_factory)
    with session_factory.begin() as session:
        assert find_agency(session, query="по культуре").name == AGENCY
        assert find_agency(session, query=OTHER.upper()).name == OTHER
        with pytest.raises(AgencyNotFoundError):
            find_agency(session, query="министерство обороны")
        with pytest.raises(AmbiguousAgencyError):
            find_agency(session, query="о")
