"""Seen updates: recorded on receipt, claimed once, the unclaimed ones replayed."""

from __future__ import annotations

from models.seen_updates import claim_update, record_update, unhandled_updates
from tests.botkit import NOW


def test_record_claim_and_replay(session_factory) -> None:
    with session_factory.begin() as session:
        assert record_update(session, update_id=1, payload={"update_id": 1}, now=NOW)
        assert record_update(session, update_id=2, payload={"update_id": 2}, now=NOW)
        assert record_update(session, update_id=1, payload={"update_id": 1}, now=NOW)
    with session_factory.begin() as session:
        assert unhandled_updates(session) == [{"update_id": 1}, {"update_id": 2}]
        assert claim_update(session, update_id=1, payload=dict, now=NOW)
        assert not claim_update(session, update_id=1, payload=dict, now=NOW)
        # Once handled, receiving it again says so, and it is not replayed.
        assert not record_update(session, update_id=1, payload={"update_id": 1}, now=NOW)
        assert unhandled_updates(session) == [{"update_id": 2}]


def test_an_update_never_recorded_is_claimed_once(session_factory) -> None:
    calls = []

    def payload() -> dict[str, int]:
        calls.append(1)
        return {"update_id": 9}

    with session_factory.begin() as session:
        assert claim_update(session, update_id=9, payload=payload, now=NOW)
        assert not claim_update(session, update_id=9, payload=payload, now=NOW)
        assert unhandled_updates(session) == []
    assert calls == [1]
