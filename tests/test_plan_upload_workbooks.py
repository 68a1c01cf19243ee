"""A workbook with a plan on each of several sheets sent to the bot: every plan previewed,
all imported on one «Импортировать» (all or nothing) with a report each, and the bodies
of the plans without a responsible column asked for plan by plan.

The first test runs the real Application against the fake Bot API server; the second
reads the domain directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from models import Agency, Item, Plan, PlanUpload, Responsibility, Side
from models.chats.uploads import (
    assign_section,
    changes_of_plans,
    keep_upload,
    next_question,
    skip_section,
)
from models.levers import Actor
from scheduler.rules.policy import Policy
from scheduler.runtime.uploads import import_upload
from tests.support import builders
from tests.support.botkit import COORDINATOR_USER, NOW, Clock, make_settings, running_bot
from tests.support.fakebotapi import FakeBotApi
from tests.support.office_docs import write_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CULTURE = "Министерство культуры Смоленской области"
SPORT = "Министерство спорта Смоленской области"


def _workbook(path: Path, year: int = 2026) -> bytes:
    """«Культура» names its bodies; «Спорт» and «Туризм» have no responsible column."""
    culture = [
        [f"План мероприятий в сфере культуры на {year} год", "", "", ""],
        ["№ п/п", "Наименование мероприятия", "Срок исполнения", "Ответственный"],
        ["1.", "Дни культуры", "II квартал 2026 г.", CULTURE],
        ["2.", "Выставка", "до 1 сентября 2026 г.", CULTURE],
    ]
    sport = [
        [f"План спортивных мероприятий на {year} год", "", ""],
        ["№", "Мероприятие", "Срок"],
        ["1.", "Турнир по мини-футболу", "июль 2026 г."],
        ["2.", "Легкоатлетический пробег", "сентябрь 2026 г."],
    ]
    tourism = [
        [f"План по туризму на {year} год", "", ""],
        ["№", "Мероприятие", "Срок"],
        ["1.", "Маршрут выходного дня", "май 2026 г."],
    ]
    sheets = {
        "Культура": (culture, ("A1:D1",)),
        "Спорт": (sport, ()),
        "Туризм": (tourism, ()),
        "Справочник": ([["Органы"], [CULTURE], [SPORT]], ()),
    }
    return write_xlsx(path, sheets).read_bytes()


async def _wait(api: FakeBotApi, chat: int, count: int) -> list[Any]:
    await api.until(lambda: len(api.messages(chat)) >= count)
    return api.messages(chat)


async def test_a_workbook_of_three_plans_previewed_imported_and_asked_plan_by_plan(
    fake_api: FakeBotApi, sqlite_factory: sessionmaker[Session], sqlite_url: str, tmp_path: Path
) -> None:
    with sqlite_factory.begin() as session:
        sport = builders.add_agency(session, SPORT, Side.RU, at=NOW).id
    content = _workbook(tmp_path / "plans.xlsx")
    settings = make_settings(fake_api, sqlite_url)
    async with running_bot(settings, sqlite_factory, Clock()):
        fake_api.send_document(COORDINATOR_USER, "Планы 2026.xlsx", content, content_type=XLSX)
        previews = await _wait(fake_api, COORDINATOR_USER, 3)
        assert [p.text.split(":")[0] for p in previews] == [
            "Планы 2026.xlsx, лист «Культура» — план 1 из 3",
            "Планы 2026.xlsx, лист «Спорт» — план 2 из 3",
            "Планы 2026.xlsx, лист «Туризм» — план 3 из 3",
        ]
        assert "Турнир по мини-футболу" in previews[1].text
        assert previews[2].text.rstrip().endswith("Листы импортируются вместе: всё или ничего.")
        assert [bool(p.callback_data) for p in previews] == [False, False, True]
        assert fake_api.messages(COORDINATOR_USER) == previews  # nothing more was sent

        confirm = previews[2]
        fake_api.press_button(COORDINATOR_USER, confirm.message_id, confirm.callback_data[0])
        *reports, question = (await _wait(fake_api, COORDINATOR_USER, 7))[3:]
        assert [r.text.split(":")[0] for r in reports] == [
            "Планы 2026.xlsx [Культура]",
            "Планы 2026.xlsx [Спорт]",
            "Планы 2026.xlsx [Туризм]",
        ]
        assert all("план добавлен" in r.text for r in reports)
        assert "Кто отвечает за раздел «План спортивных мероприятий" in question.text
        (choice,) = [d for d in question.callback_data if d.endswith(f":{sport}")]
        fake_api.press_button(COORDINATOR_USER, question.message_id, choice)
        assigned, following = (await _wait(fake_api, COORDINATOR_USER, 9))[7:]
        assert "2 пункта" in assigned.text
        assert "«План на 2026 год»? 1 пункт без ответственного: 1." in following.text
        skip = next(d for d in following.callback_data if d.startswith("pu:s:"))
        fake_api.press_button(COORDINATOR_USER, following.message_id, skip)
        _skipped, finished = (await _wait(fake_api, COORDINATOR_USER, 11))[9:]
    assert "назначены" in finished.text
    with sqlite_factory.begin() as session:
        plans = dict(session.execute(select(Plan.source_name, Plan.id)).all())
        assert set(plans) == {
            "Планы 2026.xlsx [Культура]",
            "Планы 2026.xlsx [Спорт]",
            "Планы 2026.xlsx [Туризм]",
        }
        bodies = session.execute(
            select(Item.plan_id, Item.number, Agency.name)
            .join(Responsibility, Responsibility.item_id == Item.id)
            .join(Agency, Agency.id == Responsibility.agency_id)
            .order_by(Item.plan_id, Item.number)
        ).all()
        assert [(p, n, a) for p, n, a in bodies if p == plans["Планы 2026.xlsx [Спорт]"]] == [
            (plans["Планы 2026.xlsx [Спорт]"], "1", SPORT),
            (plans["Планы 2026.xlsx [Спорт]"], "2", SPORT),
        ]
        rows = session.execute(
            select(PlanUpload.file_name, PlanUpload.state, PlanUpload.plan_id).order_by(
                PlanUpload.id
            )
        ).all()
        assert [(f, s) for f, s, _ in rows] == [
            ("Планы 2026.xlsx", "imported"),
            ("Планы 2026.xlsx [Спорт]", "imported"),
            ("Планы 2026.xlsx [Туризм]", "imported"),
        ]
        assert [p for _, _, p in rows] == [
            plans["Планы 2026.xlsx [Культура]"],
            plans["Планы 2026.xlsx [Спорт]"],
            plans["Планы 2026.xlsx [Туризм]"],
        ]


def test_questions_go_plan_by_plan_and_stay_in_their_own_upload(
    sqlite_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    content = _workbook(tmp_path / "plans.xlsx")
    other = _workbook(tmp_path / "other.xlsx", 2027)
    actor = Actor(1, "Координатор", None)
    with sqlite_factory.begin() as session:
        agency = builders.add_agency(session, SPORT, Side.RU, at=NOW)
        upload = keep_upload(
            session, chat_id=1, user_id=1, file_name="a.xlsx", content=content, now=NOW
        )
        done = import_upload(session, upload=upload, now=NOW, policy=Policy())
        assert [d.report.source_name for d in done] == ["a.xlsx [Культура]", "a.xlsx [Спорт]",
                                                        "a.xlsx [Туризм]"]  # fmt: skip
        # Another workbook imported at the same moment in the same chat is not asked about.
        later = keep_upload(
            session, chat_id=1, user_id=1, file_name="b.xlsx", content=other, now=NOW
        )
        import_upload(session, upload=later, now=NOW, policy=Policy())
        first = next_question(session, upload=upload)
        assert first is not None and first.numbers == ["1", "2"]
        assert first.upload_id != upload.id  # the «Спорт» plan's own row
        row = session.get(PlanUpload, first.upload_id)
        assert row is not None and row.file_name == "a.xlsx [Спорт]"
        assign_section(
            session,
            actor=actor,
            upload=row,
            section_id=first.section_id,
            agency_id=agency.id,
            now=NOW,
        )
        second = next_question(session, upload=upload)
        assert second is not None and second.numbers == ["1"]
        tourism = session.get(PlanUpload, second.upload_id)
        assert tourism is not None and tourism.file_name == "a.xlsx [Туризм]"
        skip_section(session, upload=tourism, section_id=second.section_id)
        assert next_question(session, upload=upload) is None
        assert next_question(session, upload=later) is not None  # b.xlsx asks its own
        assert session.scalar(select(func.count()).select_from(Plan)) == 6


def test_a_revised_workbook_says_what_changes_plan_by_plan(
    sqlite_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    content = _workbook(tmp_path / "plans.xlsx")
    with sqlite_factory.begin() as session:
        upload = keep_upload(
            session, chat_id=1, user_id=1, file_name="a.xlsx", content=content, now=NOW
        )
        import_upload(session, upload=upload, now=NOW, policy=Policy())
    sport = [
        ["План спортивных мероприятий на 2026 год", "", ""],
        ["№", "Мероприятие", "Срок"],
        ["1.", "Турнир по мини-футболу", "июль 2026 г."],
        ["2.", "Легкоатлетический пробег", "сентябрь 2026 г."],
        ["3.", "Спартакиада", "октябрь 2026 г."],
    ]
    youth = [["План на 2026 год", "", ""], ["№", "Мероприятие", "Срок"], ["1.", "Форум", "май"]]
    revised = write_xlsx(
        tmp_path / "revised.xlsx", {"Спорт": (sport, ()), "Молодёжь": (youth, ())}
    ).read_bytes()
    with sqlite_factory() as session:
        changes = changes_of_plans(session, file_name="a.xlsx", content=revised, now=NOW)
        session.rollback()
    sport_changes, youth_changes = changes
    assert sport_changes is not None and sport_changes.created == ["3"]
    assert youth_changes is None  # a new plan
    with sqlite_factory.begin() as session:  # the try left nothing behind
        assert session.scalar(select(func.count()).select_from(Plan)) == 3
        assert session.scalar(select(func.count()).select_from(Item)) == 5
