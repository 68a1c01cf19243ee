"""The coordinators' digest on a seeded database at a fixed moment."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from messages import render
from models.reports.summary import build_digest
from models.schema.people import Agency
from models.schema.plans import Item
from models.schema.reminders import Reminder
from models.statuses.reports import record_report
from scheduler.rules.domain import ReminderKind, ReminderState, Role, Status
from tests.support.reports_seed import BY1, NOW, RU1, RU2, seed


def _digest_sent(session, at: datetime) -> None:  # type: ignore[no-untyped-def]
    session.add(
        Reminder(
            dedup_key=f"digest:{at.isoformat()}",
            kind=ReminderKind.DIGEST,
            slot=at.strftime("%G-W%V"),
            due_at=at,
            sent_at=at,
            state=ReminderState.SENT,
            created_at=at,
            updated_at=at,
        )
    )


def test_digest_content(session_factory) -> None:
    seed(session_factory)
    with session_factory.begin() as session:
        digest = build_digest(session, now=NOW)
    assert digest.since == NOW - timedelta(days=7)
    assert [(g.agency, [e.number for e in g.entries]) for g in digest.overdue] == [
        (RU2, ["2.3"]),
        (BY1, ["1.1"]),
    ]
    assert [s.name for s in digest.silent] == [RU2]
    # Within the last 7 days: 1.3 cancelled (6 May) and 1.2 edited (8 May).
    assert [(c.number, c.kind, c.status) for c in digest.changes] == [
        ("1.3", "report", Status.CANCELLED),
        ("1.2", "updated", None),
    ]
    assert digest.due_soon == []


def test_changes_since_the_previous_digest_and_due_soon(sqlite_factory, reports_seeded) -> None:
    with sqlite_factory.begin() as session:
        _digest_sent(session, datetime(2026, 5, 7, 6, 0, tzinfo=UTC))
        _digest_sent(session, datetime(2026, 6, 1, 6, 0, tzinfo=UTC))  # after `now`: ignored
    now = datetime(2026, 6, 20, 9, 0, tzinfo=UTC)
    with sqlite_factory.begin() as session:
        record_report(
            session, item_id=reports_seeded.items["1.2"], agency_id=reports_seeded.agencies["RU1"],
            status=Status.IN_PROGRESS, comment="монтаж стендов", now=now - timedelta(days=1),
            source="text",
        )  # fmt: skip
        digest = build_digest(session, now=now)
    assert digest.since == datetime(2026, 6, 1, 6, 0, tzinfo=UTC)
    assert [(c.number, c.comment) for c in digest.changes] == [("1.2", "монтаж стендов")]
    # 1.2 (RU1, ends 30 June) and 2.2 (RU2's own window, ends 30 June) fall due within 14 days.
    assert {(d.number, d.agency, d.window[1]) for d in digest.due_soon} == {
        ("1.2", RU1, date(2026, 6, 30)),
        ("2.2", RU2, date(2026, 6, 30)),
    }


def test_digest_text(sqlite_factory, reports_seeded) -> None:
    with sqlite_factory.begin() as session:
        text = render("reports/digest.j2", digest=build_digest(session, now=NOW))
    assert "Сводка для координатора</b> на 10 мая 2026 г., 12:00" in text
    assert f"{RU2} (RU): 2.3" in text
    assert "Не отвечают на повторные запросы" in text
    assert "1.3 Форум" in text and "отменено — «форум отменён»" in text
    assert "Сроки в ближайшие 14 дней" not in text


def test_an_empty_digest_says_so(sqlite_factory) -> None:
    with sqlite_factory.begin() as session:
        digest = build_digest(session, now=NOW)
    assert digest.empty
    assert "изменений не было" in render("reports/digest.j2", digest=digest)


def test_digest_of_a_200_item_plan_is_one_short_message(sqlite_factory) -> None:
    from messages import TELEGRAM_LIMIT, telegram_length
    from scheduler.runtime.reminder_text import digest_text
    from tests.support.reports_seed import bulk_plan

    with sqlite_factory.begin() as session:
        bulk_plan(session, items=200, agencies=8, reports=0)
        for n, item_id in enumerate(session.scalars(select(Item.id).limit(40))):
            record_report(
                session, item_id=item_id, agency_id=session.scalars(select(Agency.id)).first(),
                status=Status.IN_PROGRESS, comment=f"отчёт {n}", source="text",
                now=NOW - timedelta(hours=n + 1),
            )  # fmt: skip
        text = digest_text(session, now=NOW)
    assert telegram_length(text) <= TELEGRAM_LIMIT
    assert text.index("Главное") < text.index("Что изменилось")
    assert "Просрочено 200 пунктов, самые давние" in text
    assert "… и ещё 195 — «Все просроченные»" in text
    assert "40 изменений" in text and "… и ещё 35" in text
    assert text.count("\n• ") <= 15  # five lines a list: the rest is behind the buttons


def test_the_digest_goes_to_a_bound_group_once_else_privately(sqlite_factory) -> None:
    from models.outbox.deliveries import digest_chats
    from models.schema.people import Contact
    from tests.support.reports_seed import T0

    def coordinator(session, user: int, chat: int, *, group=False, active=True):  # type: ignore[no-untyped-def]
        contact = Contact(
            user_id=user, chat_id=chat, is_group=group, role=Role.COORDINATOR, name=str(user),
            active=active, created_at=T0,
        )  # fmt: skip
        session.add(contact)
        session.flush()
        return contact.id

    with sqlite_factory.begin() as session:
        a = coordinator(session, 1, 1)
        group_a = coordinator(session, 1, -10, group=True)
        coordinator(session, 2, 2)
        coordinator(session, 2, -10, group=True)  # the same group, bound again by another
        c = coordinator(session, 3, 3)
        coordinator(session, 3, -30, group=True, active=False)  # the bot was removed
        chats = digest_chats(session)
    assert chats == sorted([(group_a, -10), (c, 3)])
    assert a not in {contact_id for contact_id, _ in chats}
