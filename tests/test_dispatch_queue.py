"""The outbox as a queue: claims, leases, catch-up, recipients and final states."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models.outbox.deliveries import (
    agencies_without_contacts,
    finish_reminder,
    open_deliveries,
    record_failed,
    record_retry,
    record_sent,
)
from models.outbox.queue import (
    CONTACT_INACTIVE,
    NO_CONTACTS,
    NO_COORDINATORS,
    claim_due,
    renew_leases,
)
from models.schema.people import Contact
from models.schema.reminders import Delivery, Reminder
from models.statuses.reports import record_report
from scheduler.rules.domain import ReminderKind, ReminderState, Role, Status
from tests.support.builders import add_reminder
from tests.support.dispatch_seed import WORKING_NOW, seed_plan, seed_request

NOW = WORKING_NOW
LEASE = timedelta(minutes=5)


def claim(session: Session, *, owner: str = "a", now=NOW, lease_now=None, limit=100, hold=None):
    return claim_due(
        session,
        now=now,
        lease_now=lease_now or now,
        owner=owner,
        lease_for=LEASE,
        limit=limit,
        hold=hold,
    )


def test_claims_only_what_is_due_and_leases_it(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as s:
        seeded = seed_plan(s, now=NOW)
        item, agency = seeded.item_ids[0], seeded.agency_ids[0]
        due = add_reminder(
            s, kind=ReminderKind.BEFORE_END, due_at=NOW, now=NOW, item_id=item, agency_id=agency
        )
        later = add_reminder(
            s,
            kind=ReminderKind.PROGRESS,
            due_at=NOW + timedelta(seconds=1),
            now=NOW,
            item_id=item,
            agency_id=agency,
        )
    with session_factory.begin() as s:
        result = claim(s)
    assert result.claimed == [due]
    with session_factory.begin() as s:
        row = s.get_one(Reminder, due)
        assert row.state == ReminderState.SENDING
        assert row.lease_owner == "a"
        assert row.lease_expires_at == NOW + LEASE
        assert row.attempts == 1
        assert s.get_one(Reminder, later).state == ReminderState.PENDING
    with session_factory.begin() as s:
        assert claim(s, owner="b").claimed == []  # leased: nobody else takes it


def test_expired_lease_is_reclaimed_and_old_owner_loses_it(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        _seeded, rid = seed_request(s, now=NOW)
    with session_factory.begin() as s:
        claim(s, owner="dead")
    later = NOW + LEASE + timedelta(seconds=1)
    with session_factory.begin() as s:
        assert claim(s, owner="b", lease_now=NOW + LEASE - timedelta(seconds=1)).claimed == []
    with session_factory.begin() as s:
        assert claim(s, owner="b", lease_now=later).claimed == [rid]
    with session_factory.begin() as s:
        assert (
            renew_leases(s, reminder_ids=[rid], owner="dead", lease_now=later, lease_for=LEASE)
            == set()
        )
        assert renew_leases(s, reminder_ids=[rid], owner="b", lease_now=later, lease_for=LEASE) == {
            rid
        }
        assert s.get_one(Reminder, rid).lease_expires_at == later + LEASE
        assert finish_reminder(s, reminder_id=rid, owner="dead", now=later) is None


def test_late_heads_up_expires_but_status_request_still_goes(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        seeded = seed_plan(s, now=NOW)
        item, agency = seeded.item_ids[0], seeded.agency_ids[0]
        old = NOW - timedelta(days=1, minutes=1)
        heads_up = add_reminder(
            s, kind=ReminderKind.HEADS_UP, due_at=old, now=old, item_id=item, agency_id=agency
        )
        fresh_heads_up = add_reminder(
            s,
            kind=ReminderKind.HEADS_UP,
            due_at=NOW - timedelta(hours=23),
            now=old,
            item_id=item,
            agency_id=agency,
            slot="x",
        )
        request = add_reminder(
            s,
            kind=ReminderKind.STATUS_REQUEST,
            due_at=NOW - timedelta(days=20),
            now=old,
            item_id=item,
            agency_id=agency,
        )
    with session_factory.begin() as s:
        result = claim(s)
    assert result.expired == [heads_up]
    assert sorted(result.claimed) == sorted([fresh_heads_up, request])
    with session_factory.begin() as s:
        assert s.get_one(Reminder, heads_up).state == ReminderState.EXPIRED


def test_closed_or_withdrawn_items_are_cancelled_not_sent(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        seeded = seed_plan(s, now=NOW, items=2)
        a = seeded.agency_ids[0]
        done = add_reminder(
            s,
            kind=ReminderKind.REPEAT,
            due_at=NOW,
            now=NOW,
            item_id=seeded.item_ids[0],
            agency_id=a,
        )
        record_report(
            s,
            item_id=seeded.item_ids[0],
            agency_id=a,
            status=Status.DONE,
            comment=None,
            now=NOW,
            source="button",
        )
        digest = add_reminder(
            s, kind=ReminderKind.DIGEST, due_at=NOW, now=NOW, window=None, slot="2026-W16"
        )
    with session_factory.begin() as s:
        result = claim(s)
    assert result.cancelled == [done]
    assert result.claimed == [digest]


def test_hold_rule_leaves_reminders_pending(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as s:
        _seeded, rid = seed_request(s, now=NOW)
    seen = []
    with session_factory.begin() as s:
        result = claim(s, hold=lambda kind, zone, side: seen.append((kind, zone, side)) or True)
    assert result.claimed == [] and result.held == 1
    assert seen[0][1] == "Europe/Moscow"
    with session_factory.begin() as s:
        assert s.get_one(Reminder, rid).state == ReminderState.PENDING


def test_held_reminders_do_not_keep_back_those_due_behind_them(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        seeded = seed_plan(s, now=NOW)
        item, agency = seeded.item_ids[0], seeded.agency_ids[0]
        for n in range(5):  # more held reminders than one claim's limit, all due first
            add_reminder(
                s,
                kind=ReminderKind.PROGRESS,
                due_at=NOW - timedelta(hours=5 - n),
                now=NOW,
                item_id=item,
                agency_id=agency,
                slot=f"held-{n}",
            )
        behind = add_reminder(
            s, kind=ReminderKind.STATUS_REQUEST, due_at=NOW, now=NOW, item_id=item, agency_id=agency
        )
    with session_factory.begin() as s:
        result = claim(s, limit=3, hold=lambda kind, zone, side: kind == ReminderKind.PROGRESS)
    assert result.claimed == [behind]
    assert result.held == 5


def test_claims_of_two_sessions_never_overlap(session_factory: sessionmaker[Session]) -> None:
    """On PostgreSQL the second claim skips the rows the first one has locked."""
    with session_factory.begin() as s:
        seeded = seed_plan(s, now=NOW, items=10)
        ids = [
            add_reminder(
                s,
                kind=ReminderKind.MANUAL,  # scheduled kinds bring their agency's along
                due_at=NOW,
                now=NOW,
                item_id=i,
                agency_id=seeded.agency_ids[0],
            )
            for i in seeded.item_ids
        ]
    first = session_factory()
    try:
        with first.begin():
            one = claim(first, owner="one", limit=4).claimed
            if first.get_bind().dialect.name == "postgresql":
                with session_factory.begin() as second:
                    two = claim(second, owner="two", limit=100).claimed
                assert len(two) == 6
                assert not set(one) & set(two)
    finally:
        first.close()
    assert len(one) == 4 and set(one) <= set(ids)


def test_a_claim_brings_along_the_agency_s_other_scheduled_reminders(
    session_factory: sessionmaker[Session],
) -> None:
    """Beyond `limit`: the contacts of an agency get what is due for it as one message."""
    with session_factory.begin() as s:
        seeded = seed_plan(s, now=NOW, items=6, agencies=3)
        first, second, third = seeded.agency_ids

        def add(kind: ReminderKind, item: int, agency: int, due: datetime = NOW) -> int:
            return add_reminder(
                s, kind=kind, due_at=due, now=NOW, item_id=seeded.item_ids[item], agency_id=agency
            )

        lead = add(ReminderKind.STATUS_REQUEST, 0, first, NOW - timedelta(minutes=1))
        siblings = [
            add(ReminderKind.PROGRESS, 1, first),
            add(ReminderKind.REPEAT, 2, first),
            add(ReminderKind.ASK_DATE, 3, first),
        ]
        manual = add(ReminderKind.MANUAL, 4, first)
        others = [add(ReminderKind.STATUS_REQUEST, n, second) for n in range(3)]
        later = add(ReminderKind.PROGRESS, 5, first, NOW + timedelta(hours=1))
        add(ReminderKind.HEADS_UP, 5, third)
    with session_factory.begin() as s:
        result = claim(s, limit=1)
    assert result.claimed == [lead, *siblings]
    with session_factory.begin() as s:
        states = {r.id: r.state for r in s.scalars(select(Reminder))}
    assert all(states[rid] == ReminderState.PENDING for rid in [manual, *others, later])


def test_recipients_contacts_and_coordinators(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as s:
        seeded = seed_plan(s, now=NOW, contacts_per_agency=2, coordinators=2)
        agency = seeded.agency_ids[0]
        s.add(
            Contact(
                chat_id=-100500, is_group=True, role=Role.COORDINATOR, user_id=9000, created_at=NOW
            )
        )
        s.add(
            Contact(chat_id=777, role=Role.CONTACT, agency_id=agency, active=False, created_at=NOW)
        )
        r = add_reminder(
            s,
            kind=ReminderKind.STATUS_REQUEST,
            due_at=NOW,
            now=NOW,
            item_id=seeded.item_ids[0],
            agency_id=agency,
        )
        e = add_reminder(
            s,
            kind=ReminderKind.ESCALATION,
            due_at=NOW,
            now=NOW,
            item_id=seeded.item_ids[0],
            agency_id=agency,
        )
    with session_factory.begin() as s:
        to_agency = open_deliveries(s, reminder_id=r, now=NOW)
        to_coordinators = open_deliveries(s, reminder_id=e, now=NOW)
        again = open_deliveries(s, reminder_id=r, now=NOW)
    assert [x.chat_id for x in to_agency] == seeded.contact_chats[agency]
    assert sorted(x.chat_id for x in to_coordinators) == sorted(
        [-100500, *seeded.coordinator_chats]
    )
    assert [x.delivery_id for x in again] == [x.delivery_id for x in to_agency]


def test_final_states_from_deliveries(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as s:
        seeded = seed_plan(s, now=NOW, contacts_per_agency=2)
        agency = seeded.agency_ids[0]
        ids = [
            add_reminder(
                s,
                kind=ReminderKind.STATUS_REQUEST,
                due_at=NOW,
                now=NOW,
                item_id=i,
                agency_id=agency,
            )
            for i in seeded.item_ids
        ]
    with session_factory.begin() as s:
        claim(s)
    retry_at = NOW + timedelta(minutes=2)
    with session_factory.begin() as s:
        one, two, three = (open_deliveries(s, reminder_id=rid, now=NOW) for rid in ids)
        # 1: one sent, one blocked -> sent.  2: both refused -> failed.  3: a retry -> pending.
        record_sent(s, delivery_id=one[0].delivery_id, message_id=11, now=NOW)
        record_failed(
            s, delivery_id=one[1].delivery_id, error="Forbidden", deactivate=True, now=NOW
        )
        for d in two:
            record_failed(
                s, delivery_id=d.delivery_id, error="Bad Request", deactivate=False, now=NOW
            )
        record_retry(
            s, delivery_id=three[0].delivery_id, error="500", retry_at=retry_at, count=True
        )
        record_sent(s, delivery_id=three[1].delivery_id, message_id=12, now=NOW)
        states = [finish_reminder(s, reminder_id=rid, owner="a", now=NOW) for rid in ids]
    assert states == [ReminderState.SENT, ReminderState.FAILED, ReminderState.PENDING]
    with session_factory.begin() as s:
        first = s.get_one(Reminder, ids[0])
        assert first.telegram_message_id == 11 and first.lease_owner is None
        assert s.get_one(Reminder, ids[1]).last_error == "Bad Request"
        assert s.get_one(Reminder, ids[2]).due_at == retry_at
        blocked = s.get_one(Contact, s.get_one(Delivery, one[1].delivery_id).contact_id)
        assert not blocked.active and blocked.inactive_reason == "Forbidden"
        # The retried reminder is claimed again at its retry time, and only its pending
        # delivery is still to send.
        assert claim(s, now=retry_at).claimed == [ids[2]]
        left = open_deliveries(s, reminder_id=ids[2], now=retry_at)
        assert [d.delivery_id for d in left] == [three[0].delivery_id]


def test_delivery_to_a_contact_blocked_meanwhile_fails_unsent(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        _seeded, rid = seed_request(s, now=NOW)
    with session_factory.begin() as s:
        claim(s)
        (only,) = open_deliveries(s, reminder_id=rid, now=NOW)
        s.get_one(Contact, only.contact_id).active = False
        s.flush()
        assert open_deliveries(s, reminder_id=rid, now=NOW) == []
        assert s.get_one(Delivery, only.delivery_id).last_error == CONTACT_INACTIVE
        assert finish_reminder(s, reminder_id=rid, owner="a", now=NOW) == ReminderState.FAILED


def test_no_active_contact_fails_once_and_is_listed(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        seeded, rid = seed_request(s, now=NOW, contacts_per_agency=0, coordinators=0)
        digest = add_reminder(s, kind=ReminderKind.DIGEST, due_at=NOW, now=NOW, window=None)
    with session_factory.begin() as s:
        claim(s)
        assert open_deliveries(s, reminder_id=rid, now=NOW) == []
        assert open_deliveries(s, reminder_id=digest, now=NOW) == []
        assert finish_reminder(s, reminder_id=rid, owner="a", now=NOW) == ReminderState.FAILED
        finish_reminder(s, reminder_id=digest, owner="a", now=NOW)
    with session_factory.begin() as s:
        assert s.get_one(Reminder, rid).last_error == NO_CONTACTS
        assert s.get_one(Reminder, digest).last_error == NO_COORDINATORS
        assert agencies_without_contacts(s) == ["Министерство № 1"]
        s.add(
            Contact(chat_id=55, role=Role.CONTACT, agency_id=seeded.agency_ids[0], created_at=NOW)
        )
        s.flush()
        assert agencies_without_contacts(s) == []
        assert s.scalars(select(Delivery)).all() == []


@pytest.mark.parametrize(
    ("source", "days_ago", "silence", "sent"),
    [
        pytest.param("button", 5, 30, False, id="reported-5-days-ago"),
        pytest.param("text", 29, 30, False, id="a-comment-29-days-ago"),
        pytest.param("button", 31, 30, True, id="reported-31-days-ago"),
        pytest.param("coordinator", 5, 30, True, id="a-coordinator-is-not-the-agency"),
        pytest.param("button", 5, None, True, id="no-silence-configured"),
    ],
)
def test_a_progress_request_waits_after_the_agency_s_report(
    session_factory: sessionmaker[Session], source: str, days_ago: int, silence, sent: bool
) -> None:  # type: ignore[no-untyped-def]
    with session_factory.begin() as s:
        seeded = seed_plan(s, now=NOW)
        item, agency = seeded.item_ids[0], seeded.agency_ids[0]
        rid = add_reminder(
            s, kind=ReminderKind.PROGRESS, due_at=NOW, now=NOW, item_id=item, agency_id=agency
        )
        record_report(
            s,
            item_id=item,
            agency_id=agency,
            status=None if source == "text" else Status.IN_PROGRESS,
            comment="идёт подготовка" if source == "text" else None,
            now=NOW - timedelta(days=days_ago),
            source=source,
        )
    with session_factory.begin() as s:
        result = claim_due(
            s,
            now=NOW,
            lease_now=NOW,
            owner="a",
            lease_for=LEASE,
            limit=10,
            progress_silence=None if silence is None else timedelta(days=silence),
        )
    assert (result.claimed == [rid]) is sent
    with session_factory.begin() as s:
        row = s.get_one(Reminder, rid)
    if not sent:
        assert (row.state, row.cancel_reason) == (
            ReminderState.CANCELLED,
            "орган недавно отчитался",
        )


@pytest.mark.parametrize(
    ("kind", "window_end", "expired"),
    [
        pytest.param(ReminderKind.HEADS_UP, date(2026, 4, 14), True, id="heads-up-window-over"),
        pytest.param(ReminderKind.BEFORE_END, date(2026, 4, 14), True, id="before-end-over"),
        pytest.param(ReminderKind.PROGRESS, date(2026, 4, 14), True, id="progress-over"),
        pytest.param(ReminderKind.BEFORE_END, date(2026, 4, 15), False, id="ends-today"),
        pytest.param(ReminderKind.STATUS_REQUEST, date(2026, 4, 14), False, id="status-request"),
    ],
)
def test_a_reminder_about_a_window_already_over_expires(
    session_factory: sessionmaker[Session], kind: ReminderKind, window_end: date, expired: bool
) -> None:
    """After downtime: «скоро истекает» for a window that ended is not sent late."""
    with session_factory.begin() as s:
        seeded = seed_plan(s, now=NOW)
        rid = add_reminder(
            s,
            kind=kind,
            due_at=NOW - timedelta(hours=3),  # within the heads-up's grace
            now=NOW,
            item_id=seeded.item_ids[0],
            agency_id=seeded.agency_ids[0],
            window=(date(2026, 4, 1), window_end),
        )
    with session_factory.begin() as s:
        result = claim(s)
    assert (rid in result.expired) is expired and (rid in result.claimed) is not expired
    with session_factory.begin() as s:
        row = s.get_one(Reminder, rid)
    if expired:
        assert row.cancel_reason == "пропущено: срок уже истёк"


def test_missed_digests_coalesce_into_the_latest(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as s:
        seed_plan(s, now=NOW)
        weeks = [
            add_reminder(
                s,
                kind=ReminderKind.DIGEST,
                due_at=NOW - timedelta(days=7 * n),
                now=NOW,
                window=None,
                slot=f"W{n}",
            )
            for n in (3, 2, 1, 0)
        ]
        # Two due at one moment (a week with no working day moved onto the next): one goes.
        twin = add_reminder(s, kind=ReminderKind.DIGEST, due_at=NOW, now=NOW, window=None)
    with session_factory.begin() as s:
        result = claim(s)
    assert result.claimed == [twin]
    assert sorted(result.expired) == sorted(weeks)
