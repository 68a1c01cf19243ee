"""Dispatch passes in process: rendering, recipients, the outcome of every kind of answer."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from models.schema.people import Contact
from models.schema.reminders import Delivery, Reminder
from scheduler.rules.domain import ReminderKind, ReminderState
from scheduler.runtime.dispatch import DispatchConfig, Dispatcher
from scheduler.runtime.pacing import Pacer
from scheduler.runtime.reminder_text import describe_window, reminder_content
from scheduler.runtime.sending import OutgoingMessage, SendOutcome, SendResult
from tests.support.builders import add_reminder
from tests.support.dispatch_seed import WORKING_NOW, seed_plan, seed_request

NOW = WORKING_NOW


class ScriptedSender:
    """A Sender that answers from a script per chat (SENT when the script is empty)."""

    def __init__(self, script: dict[int, list[SendResult]] | None = None) -> None:
        self.script = defaultdict(list, script or {})
        self.messages: list[OutgoingMessage] = []
        self.next_id = 100

    async def send(self, message: OutgoingMessage) -> SendResult:
        self.messages.append(message)
        if self.script[message.chat_id]:
            return self.script[message.chat_id].pop(0)
        self.next_id += 1
        return SendResult(SendOutcome.SENT, message_id=self.next_id)

    def to(self, chat_id: int) -> list[OutgoingMessage]:
        return [m for m in self.messages if m.chat_id == chat_id]


def dispatcher(session_factory, sender, **config) -> Dispatcher:  # type: ignore[no-untyped-def]
    return Dispatcher(
        session_factory,
        sender,
        config=DispatchConfig(owner="test", **config),
        pacer=Pacer.unlimited(),
    )


async def run(d: Dispatcher, at: datetime = NOW):  # type: ignore[no-untyped-def]
    return await d.run_pass(now=at, clock=lambda: at)


def state_of(session_factory: sessionmaker[Session], rid: int) -> Reminder:
    with session_factory.begin() as s:
        return s.get_one(Reminder, rid)


@pytest.fixture
def one_due(session_factory: sessionmaker[Session]) -> tuple[int, dict]:
    with session_factory.begin() as s:
        seeded, rid = seed_request(s, now=NOW)
    return rid, {
        "chat": seeded.contact_chats[seeded.agency_ids[0]][0],
        "coordinator": seeded.coordinator_chats[0],
        "seeded": seeded,
    }


async def test_a_reminder_is_rendered_sent_once_with_status_buttons(session_factory, one_due):
    rid, ids = one_due
    sender = ScriptedSender()
    report = await run(dispatcher(session_factory, sender))
    (message,) = sender.messages
    assert message.chat_id == ids["chat"]
    assert "Обмен делегациями &amp; встреча &lt;1&gt;" in message.text  # escaped
    assert "II квартал 2026 г., 1 апреля – 30 июня" in message.text
    assert "<b>Пункт 1.1</b>" in message.text
    assert [[b.text for b in row] for row in message.buttons] == [
        ["В работе", "Выполнено"],
        ["Перенос", "Отменено", "Комментарий"],
    ]
    assert message.buttons[0][1].callback_data == f"st:{rid}:dn"
    assert all(len(b.callback_data.encode()) <= 64 for row in message.buttons for b in row)
    assert report.delivered == 1 and report.reminders == {"sent": 1}
    row = state_of(session_factory, rid)
    assert row.state == ReminderState.SENT and row.telegram_message_id == 101
    assert row.sent_at == NOW and row.lease_owner is None
    again = await run(dispatcher(session_factory, sender), NOW + timedelta(hours=1))
    assert again.delivered == 0 and len(sender.messages) == 1


async def test_escalation_goes_to_coordinators_with_levers(session_factory):
    with session_factory.begin() as s:
        seeded = seed_plan(s, now=NOW, coordinators=2)
        add_reminder(
            s,
            kind=ReminderKind.ESCALATION,
            due_at=NOW,
            now=NOW,
            item_id=seeded.item_ids[0],
            agency_id=seeded.agency_ids[1],
        )
    sender = ScriptedSender()
    await run(dispatcher(session_factory, sender))
    assert sorted(m.chat_id for m in sender.messages) == seeded.coordinator_chats
    item, agency = seeded.item_ids[0], seeded.agency_ids[1]
    datas = [[b.callback_data for b in row] for row in sender.messages[0].buttons]
    assert datas == [[f"lv:ag:{item}:{agency}", f"lv:ic:{item}"]]  # no status buttons
    assert "Министерство № 2" in sender.messages[0].text


async def test_flood_control_makes_it_due_after_retry_after(session_factory, one_due):
    rid, ids = one_due
    sender = ScriptedSender({ids["chat"]: [SendResult(SendOutcome.RETRY_AFTER, retry_after=7)]})
    report = await run(dispatcher(session_factory, sender))
    assert report.retried == 1
    row = state_of(session_factory, rid)
    assert row.state == ReminderState.PENDING and row.due_at == NOW + timedelta(seconds=7)
    assert (await run(dispatcher(session_factory, sender), NOW + timedelta(seconds=6))).claimed == 0
    await run(dispatcher(session_factory, sender), NOW + timedelta(seconds=7))
    assert state_of(session_factory, rid).state == ReminderState.SENT
    assert len(sender.to(ids["chat"])) == 2


async def test_network_errors_retry_with_growing_delays_then_fail(session_factory, one_due):
    rid, ids = one_due
    errors = [SendResult(SendOutcome.TEMPORARY, error="500: Internal Server Error")] * 3
    sender = ScriptedSender({ids["chat"]: list(errors)})
    d = dispatcher(session_factory, sender, max_attempts=3, retry_base=timedelta(minutes=1))
    at = NOW
    await run(d, at)
    first = state_of(session_factory, rid).due_at
    assert first == at + timedelta(minutes=1)
    await run(d, first)
    second = state_of(session_factory, rid).due_at
    assert second == first + timedelta(minutes=2)
    await run(d, second)
    row = state_of(session_factory, rid)
    assert row.state == ReminderState.FAILED and "500" in (row.last_error or "")
    assert len(sender.messages) == 3


async def test_blocked_contact_is_dropped_and_coordinators_told(session_factory, one_due):
    rid, ids = one_due
    with session_factory.begin() as s:
        second = add_reminder(
            s,
            kind=ReminderKind.BEFORE_END,
            due_at=NOW,
            now=NOW,
            item_id=ids["seeded"].item_ids[1],
            agency_id=ids["seeded"].agency_ids[0],
        )
    forbidden = SendResult(SendOutcome.FORBIDDEN, error="Forbidden: bot was blocked by the user")
    sender = ScriptedSender({ids["chat"]: [forbidden]})
    report = await run(dispatcher(session_factory, sender))
    assert len(sender.to(ids["chat"])) == 1  # the second reminder is not even tried
    (notice,) = sender.to(ids["coordinator"])
    assert "заблокировал бота" in notice.text and "Контакт 1000" in notice.text
    assert report.notices == 1 and report.reminders == {"failed": 2}
    assert state_of(session_factory, rid).state == ReminderState.FAILED
    assert state_of(session_factory, second).state == ReminderState.FAILED
    with session_factory.begin() as s:
        contact = s.query(Contact).filter_by(chat_id=ids["chat"]).one()
        assert not contact.active


async def test_bad_request_fails_with_reason_and_tells_coordinators(session_factory, one_due):
    rid, ids = one_due
    bad = SendResult(SendOutcome.BAD_REQUEST, error="Bad Request: chat not found")
    sender = ScriptedSender({ids["chat"]: [bad]})
    await run(dispatcher(session_factory, sender))
    row = state_of(session_factory, rid)
    assert row.state == ReminderState.FAILED and row.last_error == "Bad Request: chat not found"
    (notice,) = sender.to(ids["coordinator"])
    assert "chat not found" in notice.text
    with session_factory.begin() as s:
        assert s.query(Contact).filter_by(chat_id=ids["chat"]).one().active


async def test_one_contact_blocked_does_not_fail_the_others(session_factory):
    with session_factory.begin() as s:
        seeded = seed_plan(s, now=NOW, contacts_per_agency=2)
        agency = seeded.agency_ids[0]
        rid = add_reminder(
            s,
            kind=ReminderKind.STATUS_REQUEST,
            due_at=NOW,
            now=NOW,
            item_id=seeded.item_ids[0],
            agency_id=agency,
        )
    first, other = seeded.contact_chats[agency]
    sender = ScriptedSender({first: [SendResult(SendOutcome.FORBIDDEN, error="Forbidden")]})
    await run(dispatcher(session_factory, sender))
    assert state_of(session_factory, rid).state == ReminderState.SENT
    with session_factory.begin() as s:
        states = {d.chat_id: d.state for d in s.query(Delivery).filter_by(reminder_id=rid)}
    assert states == {first: ReminderState.FAILED, other: ReminderState.SENT}


async def test_nothing_goes_out_at_night_or_on_a_holiday(session_factory, one_due):
    rid, _ = one_due
    sender = ScriptedSender()
    night = datetime.fromisoformat("2026-04-15T20:30:00+03:00")
    may_day = datetime.fromisoformat("2026-05-01T11:00:00+03:00")
    for at in (night, may_day):
        report = await run(dispatcher(session_factory, sender), at)
        assert report.held == 1 and sender.messages == []
    await run(dispatcher(session_factory, sender, work_hours=None), night)
    assert state_of(session_factory, rid).state == ReminderState.SENT


async def test_no_contact_fails_the_reminder_once(session_factory):
    with session_factory.begin() as s:
        _seeded, rid = seed_request(s, now=NOW, contacts_per_agency=0)
    sender = ScriptedSender()
    await run(dispatcher(session_factory, sender))
    row = state_of(session_factory, rid)
    assert row.state == ReminderState.FAILED and row.last_error == "нет активных контактов"
    assert sender.messages == []


async def test_digest_lists_agencies_nobody_can_be_told(session_factory):
    with session_factory.begin() as s:
        seeded = seed_plan(s, now=NOW, contacts_per_agency=0)
        add_reminder(
            s,
            kind=ReminderKind.STATUS_REQUEST,
            due_at=NOW - timedelta(days=1),
            now=NOW,
            item_id=seeded.item_ids[0],
            agency_id=seeded.agency_ids[0],
        )
    sender = ScriptedSender()
    await run(dispatcher(session_factory, sender), NOW - timedelta(hours=20))
    with session_factory.begin() as s:
        add_reminder(s, kind=ReminderKind.DIGEST, due_at=NOW, now=NOW, window=None, slot="2026-W16")
    await run(dispatcher(session_factory, sender))
    (digest,) = sender.to(seeded.coordinator_chats[0])
    assert "Министерство № 1" in digest.text and "нет активных контактов" in digest.text
    # No status buttons: the report buttons (checked against the database when pressed).
    assert [b.callback_data for row in digest.buttons for b in row] == [
        "rp:ov:0",
        "rp:ag:0",
        "rp:sc:0",
    ]


async def test_a_lease_taken_over_is_not_sent_by_its_old_owner(session_factory, one_due):
    rid, _ = one_due
    with session_factory.begin() as s:
        s.get_one(Reminder, rid).state = ReminderState.SENDING
        s.get_one(Reminder, rid).lease_owner = "other"
        s.get_one(Reminder, rid).lease_expires_at = NOW + timedelta(minutes=1)
    sender = ScriptedSender()
    report = await run(dispatcher(session_factory, sender))
    assert report.claimed == 0 and sender.messages == []
    late = NOW + timedelta(minutes=2)
    await run(dispatcher(session_factory, sender), late)
    assert state_of(session_factory, rid).state == ReminderState.SENT


@pytest.mark.parametrize(
    ("window", "words"),
    [
        pytest.param(
            (date(2026, 4, 1), date(2026, 6, 30)),
            "II квартал 2026 г., 1 апреля – 30 июня",
            id="quarter",
        ),
        pytest.param(
            (date(2026, 7, 1), date(2026, 12, 31)),
            "II полугодие 2026 г., 1 июля – 31 декабря",
            id="half",
        ),
        pytest.param(
            (date(2027, 1, 1), date(2027, 12, 31)), "2027 г., 1 января – 31 декабря", id="year"
        ),
        pytest.param(
            (date(2026, 6, 1), date(2026, 6, 30)), "июнь 2026 г., 1 июня – 30 июня", id="month"
        ),
        pytest.param((date(2026, 3, 21), date(2026, 3, 22)), "21–22 марта 2026 г.", id="days"),
        pytest.param(
            (date(2026, 2, 1), date(2026, 3, 31)), "1 февраля – 31 марта 2026 г.", id="two-months"
        ),
        pytest.param(None, "дата не определена", id="none"),
    ],
)
def test_window_in_words(window, words):
    assert describe_window(window) == words


@pytest.mark.parametrize(
    ("kind", "phrase"),
    [
        (ReminderKind.HEADS_UP, "Скоро начинается срок исполнения"),
        (ReminderKind.BEFORE_END, "Окончание: 30 июня 2026 г."),
        (ReminderKind.STATUS_REQUEST, "Срок окончился 30 июня 2026 г."),
        (ReminderKind.REPEAT, "Повторный запрос статуса"),
        (ReminderKind.PROGRESS, "Как продвигается работа?"),
        (ReminderKind.ASK_DATE, "Ответьте на это сообщение датой"),
        (ReminderKind.MANUAL, "Координатор просит сообщить статус"),
        (ReminderKind.ESCALATION, "Нет ответа от ответственного органа"),
    ],
)
def test_every_kind_renders_its_item_and_window(session_factory, kind, phrase):
    with session_factory.begin() as s:
        seeded = seed_plan(s, now=NOW)
        rid = add_reminder(
            s,
            kind=kind,
            due_at=NOW,
            now=NOW,
            item_id=seeded.item_ids[0],
            agency_id=seeded.agency_ids[0],
        )
        text, buttons = reminder_content(s, reminder_id=rid, now=NOW)
    assert phrase in text
    assert "<b>Пункт 1.1</b>. Обмен делегациями &amp; встреча &lt;1&gt;" in text
    assert "План «Смоленск – Могилёв» &lt;2026&gt;" in text
    assert "Срок: II квартал 2026 г., 1 апреля – 30 июня" in text
    assert "По плану: «II квартал 2026 года»" in text
    if kind == ReminderKind.ESCALATION:
        assert [b.callback_data[:6] for b in buttons[0]] == ["lv:ag:", "lv:ic:"]
        assert "Ответственный: Министерство № 1" in text
    else:
        assert buttons[-1][2].callback_data == f"st:{rid}:cm"
        # A date request also offers «Назвать дату», on its own first row.
        named = [b.callback_data for b in buttons[0]] == [f"st:{rid}:dt"]
        assert named == (kind == ReminderKind.ASK_DATE)


async def test_passes_of_one_dispatcher_run_one_at_a_time(session_factory, one_due):
    """The sweep and the digest tick may fire together: still one send at a time."""
    rid, ids = one_due
    in_flight, most = 0, 0

    class SlowSender(ScriptedSender):
        async def send(self, message: OutgoingMessage) -> SendResult:
            nonlocal in_flight, most
            in_flight += 1
            most = max(most, in_flight)
            await asyncio.sleep(0.01)
            in_flight -= 1
            return await super().send(message)

    seeded = ids["seeded"]
    with session_factory.begin() as s:
        for item in seeded.item_ids:
            # Manual reminders go one by one (scheduled ones due together are batched).
            add_reminder(
                s,
                kind=ReminderKind.MANUAL,
                due_at=NOW,
                now=NOW,
                item_id=item,
                agency_id=seeded.agency_ids[0],
            )
    sender = SlowSender()
    d = dispatcher(session_factory, sender, batch=1)  # both passes would find work
    reports = await asyncio.gather(run(d), run(d))
    assert most == 1
    assert sum(r.delivered for r in reports) == 4 == len(sender.messages)
    assert state_of(session_factory, rid).state == ReminderState.SENT
