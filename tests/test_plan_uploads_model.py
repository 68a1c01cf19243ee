"""The domain of a plan sent to the bot, without Telegram: the likeliest bodies for a
section, what a revised file would change (found by file name or by title), and a
section already assigned being refused."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from models import Item, PlanUpload, Side
from models.chats.uploads import (
    UPLOAD_TTL,
    assign_section,
    changes_of_plans,
    drop_lapsed_uploads,
    keep_upload,
    next_section,
    section_choices,
    waiting_upload,
)
from models.levers import Actor, LeverRefusedError
from scheduler.rules.policy import Policy
from scheduler.runtime.uploads import import_upload
from tests.support import builders
from tests.support.botkit import NOW
from tests.support.office_docs import write_docx

HEADER = ["№ п/п", "Наименование мероприятия", "Срок исполнения"]


def _docx(path: Path, title: str, rows: list[list[str]]) -> bytes:
    across = tuple((r + 1, 0, 2) for r, row in enumerate(rows) if len(row) == 1)
    table = [HEADER, *(row if len(row) == 3 else row * 3 for row in rows)]
    return write_docx(path, front=[title], rows=table, across=across).read_bytes()


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ("Туристическое направление", "Департамент Смоленской области по туризму"),
        ("В СФЕРЕ СПОРТА", "Управление спорта и туризма Могилевского облисполкома"),
        ("Культурное сотрудничество", "Министерство культуры Смоленской области"),
        ("Молодёжная политика", "Комитет по делам молодежи Смоленской области"),
        ("Образовательные программы", "Главное управление образования Могилевского облисполкома"),
    ],
)
def test_the_likeliest_body_for_a_section_comes_first(
    sqlite_factory: sessionmaker[Session], section: str, expected: str
) -> None:
    with sqlite_factory.begin() as session:
        for name, side in [
            ("Департамент Смоленской области по туризму", Side.RU),
            ("Управление спорта и туризма Могилевского облисполкома", Side.BY),
            ("Министерство культуры Смоленской области", Side.RU),
            ("Комитет по делам молодежи Смоленской области", Side.RU),
            ("Главное управление образования Могилевского облисполкома", Side.BY),
        ]:
            builders.add_agency(session, name, side, at=NOW)
        assert section_choices(session, title=section)[0].name == expected


def test_a_revision_is_found_by_title_under_another_file_name(
    sqlite_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    title = "План мероприятий на 2026 год"
    rows = [["1.", "Выставка", "май 2026 г."], ["2.", "Концерт", "июнь 2026 г."]]
    first = _docx(tmp_path / "a.docx", title, rows)
    revised = _docx(tmp_path / "b.docx", title, [rows[0], ["3.", "Форум", "июль 2026 г."]])
    other = _docx(tmp_path / "c.docx", "План на 2027 год", rows)
    with sqlite_factory.begin() as session:
        upload = keep_upload(
            session, chat_id=1, user_id=1, file_name="план.docx", content=first, now=NOW
        )
        import_upload(session, upload=upload, now=NOW, policy=Policy())
    with sqlite_factory() as session:
        (changes,) = changes_of_plans(
            session, file_name="план (испр.).docx", content=revised, now=NOW
        )
        session.rollback()
    assert changes is not None
    assert (changes.created, changes.withdrawn) == (["3"], ["2"])
    with sqlite_factory() as session:
        assert changes_of_plans(session, file_name="другой.docx", content=other, now=NOW) == [None]
        session.rollback()
    with sqlite_factory.begin() as session:  # the tries left nothing behind
        assert session.scalar(select(func.count()).select_from(Item)) == 2
        assert session.scalar(select(func.count()).where(Item.withdrawn_at.is_not(None))) == 0


def test_a_section_assigned_meanwhile_is_refused(
    sqlite_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    content = _docx(tmp_path / "a.docx", "План на 2026 год", [["1.", "Выставка", "май 2026 г."]])
    actor = Actor(1, "Координатор", None)
    with sqlite_factory.begin() as session:
        agency = builders.add_agency(
            session, "Министерство культуры Смоленской области", Side.RU, at=NOW
        )
        upload = keep_upload(
            session, chat_id=1, user_id=1, file_name="a.docx", content=content, now=NOW
        )
        import_upload(session, upload=upload, now=NOW, policy=Policy())
        question = next_section(session, upload=upload)
        assert question is not None and question.numbers == ["1"]
        assign_section(
            session,
            actor=actor,
            upload=upload,
            section_id=question.section_id,
            agency_id=agency.id,
            now=NOW,
        )
        assert next_section(session, upload=upload) is None
        with pytest.raises(LeverRefusedError):
            assign_section(
                session,
                actor=actor,
                upload=upload,
                section_id=question.section_id,
                agency_id=agency.id,
                now=NOW,
            )


def test_a_file_never_confirmed_lapses_and_its_bytes_go(
    sqlite_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    content = _docx(tmp_path / "a.docx", "План на 2026 год", [["1.", "Выставка", "май 2026 г."]])
    with sqlite_factory.begin() as session:
        old = keep_upload(
            session, chat_id=1, user_id=1, file_name="a.docx", content=content, now=NOW
        )
        later = NOW + UPLOAD_TTL - timedelta(minutes=1)
        fresh = keep_upload(
            session, chat_id=1, user_id=1, file_name="b.docx", content=content, now=later
        )
        ids = old.id, fresh.id
    week = NOW + UPLOAD_TTL
    with sqlite_factory.begin() as session:
        with pytest.raises(LeverRefusedError):
            waiting_upload(session, upload_id=ids[0], chat_id=1, now=week)
        with pytest.raises(LeverRefusedError):  # another chat's file
            waiting_upload(session, upload_id=ids[1], chat_id=2, now=week)
        assert waiting_upload(session, upload_id=ids[1], chat_id=1, now=week).id == ids[1]
        assert drop_lapsed_uploads(session, now=week) == 1
    with sqlite_factory.begin() as session:
        rows = {u.id: (u.state, len(u.content)) for u in session.scalars(select(PlanUpload))}
    assert rows == {ids[0]: ("cancelled", 0), ids[1]: ("waiting", len(content))}
