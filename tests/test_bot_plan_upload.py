"""A plan sent to the bot as a file, end to end: the real Application against the fake Bot
API server, the document downloaded through getFile, previewed, imported on «Импортировать»,
and the bodies of a plan without a responsible column chosen in chat.

Every scenario counts the bot's messages in the chat and reads the database after.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from models import (
    Agency,
    Item,
    ItemChange,
    Plan,
    PlanUpload,
    Reminder,
    ReminderState,
    Responsibility,
    Side,
)
from scheduler.rules.policy import Policy
from scheduler.runtime.planning import plan_reminders
from tests.support import builders
from tests.support.botkit import (
    CONTACT_USER,
    COORDINATOR_USER,
    NOW,
    Clock,
    bind,
    make_settings,
    running_bot,
    seed,
)
from tests.support.fakebotapi import FakeBotApi
from tests.support.office_docs import write_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE = (
    "План мероприятий по развитию сотрудничества Смоленской области"
    " и Могилевской области на 2026 год"
)
CULTURE = "Министерство культуры Смоленской области"
SPORT = "Министерство спорта Смоленской области"
HEADER = ["№ п/п", "Наименование мероприятия", "Срок исполнения", "Ответственные исполнители"]


def _plan_docx(path: Path, rows: list[list[str]], *, header: list[str] = HEADER) -> bytes:
    """A Word plan: a stamp, the title, a table whose section rows are merged across."""
    table = [header, *rows]
    width = len(header)
    across = tuple((r, 0, width - 1) for r, row in enumerate(table) if len(row) == 1)
    table = [row if len(row) == width else row + [row[0]] * (width - 1) for row in table]
    write_docx(path, front=["УТВЕРЖДЁН", TITLE], rows=table, across=across)
    return path.read_bytes()


FIRST = [
    ["1. Культурное сотрудничество"],
    ["1.1", "Дни культуры Смоленской области в Могилеве", "II квартал 2026 г.", CULTURE],
    ["1.2", "Выставка народных промыслов", "до 1 сентября 2026 г.", CULTURE],
    ["2. Спорт"],
    ["2.1", "Турнир по мини-футболу среди школьников", "июль 2026 г.", SPORT],
]
REVISED = [
    ["1. Культурное сотрудничество"],
    ["1.1", "Дни культуры Смоленской области в Могилеве", "III квартал 2026 г.", CULTURE],
    ["2. Спорт"],
    ["2.1", "Турнир по мини-футболу среди школьников", "июль 2026 г.", SPORT],
    ["2.2", "Легкоатлетический пробег «Дружба»", "сентябрь 2026 г.", SPORT],
]


async def _wait(api: FakeBotApi, chat: int, count: int) -> list[Any]:
    """The bot's messages in `chat` once there are `count` of them."""
    await api.until(lambda: len(api.messages(chat)) >= count)
    return api.messages(chat)


def _data(message: Any, prefix: str) -> str:
    (found,) = [d for d in message.callback_data if d.startswith(prefix)]
    return str(found)


def _count(factory: sessionmaker[Session], model: Any) -> int:
    with factory.begin() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_docx_previewed_confirmed_and_imported_then_a_revision_previewed(
    fake_api: FakeBotApi, sqlite_factory: sessionmaker[Session], sqlite_url: str, tmp_path: Path
) -> None:
    content = _plan_docx(tmp_path / "plan.docx", FIRST)
    settings = make_settings(fake_api, sqlite_url)
    async with running_bot(settings, sqlite_factory, Clock()):
        fake_api.send_document(COORDINATOR_USER, "План 2026.docx", content, content_type=DOCX)
        (preview,) = await _wait(fake_api, COORDINATOR_USER, 1)
        # Previewed: the essentials, the items with windows and bodies; nothing imported.
        assert "План 2026.docx" in preview.text and "в базу пока ничего не записано" in preview.text
        assert "Период: 1 января – 31 декабря 2026 г." in preview.text
        assert "Разделов: 2, пунктов: 3, органов: 2" in preview.text
        assert "1.1. Дни культуры Смоленской области в Могилеве" in preview.text
        assert "1 апреля – 30 июня 2026 г.; " + CULTURE in preview.text
        assert "Этот план уже есть" not in preview.text
        assert _count(sqlite_factory, Plan) == 0
        assert _count(sqlite_factory, PlanUpload) == 1  # the file waits in the database

        fake_api.press_button(COORDINATOR_USER, preview.message_id, _data(preview, "pu:i:"))
        done = (await _wait(fake_api, COORDINATOR_USER, 2))[1]
        assert "план добавлен" in done.text
        assert "Разделов: 2, пунктов: 3, органов: 2" in done.text
        with sqlite_factory.begin() as session:
            items = {i.number: i for i in session.scalars(select(Item))}
            assert set(items) == {"1.1", "1.2", "2.1"}
            plan = session.scalars(select(Plan)).one()
            assert plan.source_name == "План 2026.docx"
            pending = session.scalars(
                select(Reminder).where(Reminder.state == ReminderState.PENDING)
            ).all()
            assert pending and {r.item_id for r in pending} <= {i.id for i in items.values()}
            # Planned at the import: a re-plan now finds nothing more to plan for them.
            ids = [i.id for i in items.values()]
            assert (
                plan_reminders(
                    session, now=NOW, policy=Policy.from_settings(settings), item_ids=ids
                ).created
                == 0
            )
            upload = session.scalars(select(PlanUpload)).one()
            assert (upload.state, upload.plan_id, upload.content) == ("imported", plan.id, b"")
        assert f"Запланировано напоминаний: {len(pending)}." in done.text

        # The same button again: stale, nothing imported twice.
        fake_api.press_button(COORDINATOR_USER, preview.message_id, _data(preview, "pu:i:"))
        stale = (await _wait(fake_api, COORDINATOR_USER, 3))[2]
        assert "Кнопка устарела" in stale.text

        # A revised file: what would change, before anything changes.
        revised = _plan_docx(tmp_path / "revised.docx", REVISED)
        fake_api.send_document(COORDINATOR_USER, "План 2026.docx", revised, content_type=DOCX)
        again = (await _wait(fake_api, COORDINATOR_USER, 4))[3]
        assert "Этот план уже есть в Сроке" in again.text
        assert "Новые пункты: 2.2" in again.text
        assert "1.1: срок" in again.text
        assert "Снимаются (нет в новой редакции): 1.2" in again.text
        with sqlite_factory.begin() as session:
            assert session.scalar(select(Item.withdrawn_at).where(Item.number == "1.2")) is None
            assert session.scalar(select(func.count()).select_from(Item)) == 3
        fake_api.press_button(COORDINATOR_USER, again.message_id, _data(again, "pu:i:"))
        updated = (await _wait(fake_api, COORDINATOR_USER, 5))[4]
    assert "план обновлён" in updated.text
    assert "Новых пунктов: 1, изменённых: 1, снятых: 1" in updated.text
    with sqlite_factory.begin() as session:
        withdrawn = session.scalar(select(Item.withdrawn_at).where(Item.number == "1.2"))
        assert withdrawn is not None
        assert session.scalar(select(func.count()).select_from(Plan)) == 1
    assert len(fake_api.messages(COORDINATOR_USER)) == 5


async def test_a_file_waits_across_a_restart_and_cancel_drops_it(
    fake_api: FakeBotApi, sqlite_factory: sessionmaker[Session], sqlite_url: str, tmp_path: Path
) -> None:
    content = _plan_docx(tmp_path / "plan.docx", FIRST)
    settings = make_settings(fake_api, sqlite_url)
    async with running_bot(settings, sqlite_factory, Clock()):
        fake_api.send_document(COORDINATOR_USER, "plan.docx", content, content_type=DOCX)
        (preview,) = await _wait(fake_api, COORDINATOR_USER, 1)
    async with running_bot(settings, sqlite_factory, Clock()):  # restarted
        fake_api.send_document(COORDINATOR_USER, "plan.docx", content, content_type=DOCX)
        second = (await _wait(fake_api, COORDINATOR_USER, 2))[1]
        fake_api.press_button(COORDINATOR_USER, second.message_id, _data(second, "pu:c:"))
        cancelled = (await _wait(fake_api, COORDINATOR_USER, 3))[2]
        fake_api.press_button(COORDINATOR_USER, preview.message_id, _data(preview, "pu:i:"))
        done = (await _wait(fake_api, COORDINATOR_USER, 4))[3]
    assert "Импорт отменён" in cancelled.text
    assert "план добавлен" in done.text
    assert len(fake_api.messages(COORDINATOR_USER)) == 4
    with sqlite_factory.begin() as session:
        states = dict(session.execute(select(PlanUpload.id, PlanUpload.state)).all())
        assert sorted(states.values()) == ["cancelled", "imported"]
        assert session.scalar(select(func.count()).select_from(Item)) == 3


async def test_a_plan_without_a_responsible_column_assigned_section_by_section(
    fake_api: FakeBotApi, sqlite_factory: sessionmaker[Session], sqlite_url: str, tmp_path: Path
) -> None:
    with sqlite_factory.begin() as session:
        sport = builders.add_agency(session, SPORT, Side.RU, at=NOW).id
        culture = builders.add_agency(
            session, "Министерство культуры Смоленской области", Side.RU, at=NOW
        ).id
        builders.add_agency(
            session, "Главное управление образования Могилевского облисполкома", Side.BY, at=NOW
        )
    rows = [
        ["1. Культурное сотрудничество"],
        ["1.1", "Гастроли драматического театра", "май 2026 г."],
        ["1.2", "Фестиваль народного творчества", "август 2026 г."],
        ["2. Туризм"],
        ["2.1", "Туристический маршрут «Смоленск — Могилев»", "II квартал 2026 г."],
    ]
    header = ["№", "Наименование мероприятия", "Срок проведения"]
    content = _plan_docx(tmp_path / "plan.docx", rows, header=header)
    settings = make_settings(fake_api, sqlite_url)
    async with running_bot(settings, sqlite_factory, Clock()):
        fake_api.send_document(
            COORDINATOR_USER, "без исполнителей.docx", content, content_type=DOCX
        )
        (preview,) = await _wait(fake_api, COORDINATOR_USER, 1)
        assert "нет колонки ответственных" in preview.text
        fake_api.press_button(COORDINATOR_USER, preview.message_id, _data(preview, "pu:i:"))
        done, first = (await _wait(fake_api, COORDINATOR_USER, 3))[1:]
        assert "план добавлен" in done.text
        assert "Кто отвечает за раздел «Культурное сотрудничество»" in first.text
        assert "2 пункта без ответственного: 1.1, 1.2" in first.text
        # The likeliest body first: the one whose name shares the section's words.
        assert first.callback_data[0].startswith("pu:a:")
        assert first.callback_data[0].endswith(f":{culture}")
        fake_api.press_button(COORDINATOR_USER, first.message_id, first.callback_data[0])
        assigned, second = (await _wait(fake_api, COORDINATOR_USER, 5))[3:]
        assert "отвечает Министерство культуры Смоленской области: 2 пункта" in assigned.text
        assert "Кто отвечает за раздел «Туризм»" in second.text
        # The first section's buttons are stale now.
        fake_api.press_button(COORDINATOR_USER, first.message_id, first.callback_data[1])
        stale = (await _wait(fake_api, COORDINATOR_USER, 6))[5]
        assert "Кнопка устарела" in stale.text
        fake_api.press_button(COORDINATOR_USER, second.message_id, _data(second, "pu:n:"))
        asked = (await _wait(fake_api, COORDINATOR_USER, 7))[6]
        assert "Напишите ответом" in asked.text
        fake_api.send_text(
            COORDINATOR_USER,
            "Департамент   Смоленской области по туризму",
            reply_to_message_id=asked.message_id,
        )
        named, finished = (await _wait(fake_api, COORDINATOR_USER, 9))[7:]
    assert "отвечает Департамент Смоленской области по туризму: 1 пункт" in named.text
    assert "назначены" in finished.text
    assert len(fake_api.messages(COORDINATOR_USER)) == 9
    with sqlite_factory.begin() as session:
        bodies = dict(
            session.execute(
                select(Item.number, Agency.name)
                .join(Responsibility, Responsibility.item_id == Item.id)
                .join(Agency, Agency.id == Responsibility.agency_id)
            ).all()
        )
        assert bodies == {
            "1.1": CULTURE,
            "1.2": CULTURE,
            "2.1": "Департамент Смоленской области по туризму",
        }
        assert sport not in {r.agency_id for r in session.scalars(select(Responsibility))}
        added = session.scalars(
            select(ItemChange.detail).where(ItemChange.kind == "agency_added")
        ).all()
        assert len(added) == 3 and {d["author"] for d in added} == {"Пользователь 5001"}
        pending = session.execute(
            select(Item.number, Agency.name)
            .join(Reminder, Reminder.item_id == Item.id)
            .join(Agency, Agency.id == Reminder.agency_id)
            .where(Reminder.state == ReminderState.PENDING)
        ).all()
        assert pending and set(pending) <= set(bodies.items())  # planned for the bodies chosen
        ids = list(session.scalars(select(Item.id)))
        again = plan_reminders(
            session, now=NOW, policy=Policy.from_settings(settings), item_ids=ids
        )
        assert again.created == 0


async def test_a_contact_sending_a_file_is_refused_and_nothing_is_written(
    fake_api: FakeBotApi, sqlite_factory: sessionmaker[Session], sqlite_url: str, tmp_path: Path
) -> None:
    world = seed(sqlite_factory)
    bind(sqlite_factory, CONTACT_USER, world.agency_id)
    content = _plan_docx(tmp_path / "plan.docx", FIRST)
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, Clock()):
        fake_api.send_document(CONTACT_USER, "plan.docx", content, content_type=DOCX)
        (refused,) = await _wait(fake_api, CONTACT_USER, 1)
        # A coordinator's upload, and the contact forging its button in their own chat.
        fake_api.send_document(COORDINATOR_USER, "plan.docx", content, content_type=DOCX)
        (preview,) = await _wait(fake_api, COORDINATOR_USER, 1)
        fake_api.press_button(CONTACT_USER, refused.message_id, _data(preview, "pu:i:"), forge=True)
        forged = (await _wait(fake_api, CONTACT_USER, 2))[1]
    assert "только координаторы" in refused.text
    assert "только координаторы" in forged.text
    assert len(fake_api.messages(CONTACT_USER)) == 2
    assert len(fake_api.messages(COORDINATOR_USER)) == 1
    with sqlite_factory.begin() as session:
        assert session.scalar(select(func.count()).select_from(Plan)) == 1  # the seeded one
        assert session.scalars(select(PlanUpload.state)).all() == ["waiting"]


async def test_a_broken_or_huge_file_gets_one_line_and_nothing_is_written(
    fake_api: FakeBotApi, sqlite_factory: sessionmaker[Session], sqlite_url: str, tmp_path: Path
) -> None:
    good = _plan_docx(tmp_path / "plan.docx", FIRST)
    broken = good[: len(good) // 2]  # cut off mid-archive
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, Clock()):
        fake_api.send_document(COORDINATOR_USER, "plan.docx", broken, content_type=DOCX)
        (bad,) = await _wait(fake_api, COORDINATOR_USER, 1)
        fake_api.send_document(COORDINATOR_USER, "фото.jpg", b"\xff\xd8\xff\xe0" + bytes(300))
        binary = (await _wait(fake_api, COORDINATOR_USER, 2))[1]
        huge = b"1. " + b"x" * (21 * 1024 * 1024)
        fake_api.send_document(COORDINATOR_USER, "plan.txt", huge, content_type="text/plain")
        big = (await _wait(fake_api, COORDINATOR_USER, 3))[2]
    for line in (bad, binary, big):
        assert "\n" not in line.text and not line.callback_data
        assert "srok-upload" not in line.text and "/tmp" not in line.text  # no server paths
    assert bad.text.startswith("Файл не импортирован, ничего не записано: ")
    assert "повреждённ" in bad.text
    assert binary.text.startswith("Файл не импортирован, ничего не записано: ")
    assert "больше 20 МБ" in big.text
    assert len(fake_api.messages(COORDINATOR_USER)) == 3
    assert _count(sqlite_factory, PlanUpload) == 0
    assert _count(sqlite_factory, Plan) == 0
