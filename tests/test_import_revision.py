"""Re-import: the same file changes nothing; a revision updates items in place by number."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from models import Agency, Item, ItemChange, Responsibility, Status, StatusReport, Window
from models.db import make_engine
from models.importing import import_plan
from models.reports.catalog import list_agencies, list_items
from models.statuses.reports import record_report
from tests.support.samples import EVENTS_ASSIGNMENTS, EVENTS_SAMPLE, ROADMAP_SAMPLE
from tests.support.tables import dump

NOW = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
LATEST = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
ORIGINAL = ROADMAP_SAMPLE.read_text(encoding="utf-8")
TRADE = "Министерство промышленности и торговли Смоленской области"
NEW_ITEM = """6.3. Обмен выставками музеев Смоленской и Могилевской областей.

Срок: 2027 год.

Ответственные

от Смоленской области
(Российская Федерация):

Министерство культуры и туризма Смоленской области

от Могилевской области
(Республика Беларусь):

Управление культуры Могилевского облисполкома

"""


def revised_text() -> str:
    """The roadmap with 1.2's deadline and agency changed, 1.3 gone, 2.1 reworded, 6.3 new."""
    head, rest = ORIGINAL.split("1.2. Оказание", 1)
    block_12, rest = rest.split("1.3. Проработка", 1)
    block_12 = block_12.replace("Срок: 2026 – 2028 годы.", "Срок: II квартал 2027 года.")
    block_12 = block_12.replace(TRADE, "Министерство экономического развития Смоленской области")
    _, rest = rest.split("1.4. Участие", 1)
    text = head + "1.2. Оказание" + block_12 + "1.4. Участие" + rest
    text = text.replace("2.1. Содействие увеличению", "2.1. Содействие росту")
    return text.replace("Подписано в г. Минске", NEW_ITEM + "Подписано в г. Минске")


def _item(session: Session, number: str) -> Item:
    return session.scalars(select(Item).where(Item.number == number)).one()


def test_same_file_again_changes_nothing(
    session_factory: sessionmaker[Session], engine: Engine
) -> None:
    with session_factory.begin() as session:
        import_plan(session, path=ROADMAP_SAMPLE, now=NOW)
        import_plan(session, path=EVENTS_SAMPLE, now=NOW, assignments=EVENTS_ASSIGNMENTS)
    before = dump(engine)
    with session_factory.begin() as session:
        report = import_plan(session, path=ROADMAP_SAMPLE, now=LATER)
        again = import_plan(session, path=EVENTS_SAMPLE, now=LATER, assignments=EVENTS_ASSIGNMENTS)
    assert report.same_file and again.same_file
    assert len(report.unchanged) == 12 and report.created == report.updated == []
    assert again.truncated_item == "47" and [n.number for n in again.deadline_notes] == ["6", "47"]
    assert dump(engine) == before


def test_same_content_under_another_name_is_the_same_plan(
    sqlite_factory: sessionmaker[Session], migrated_sqlite_url: str, tmp_path: Path
) -> None:
    engine = make_engine(migrated_sqlite_url)
    copy = tmp_path / "дорожная карта (копия).txt"
    copy.write_bytes(ROADMAP_SAMPLE.read_bytes())
    with sqlite_factory.begin() as session:
        first = import_plan(session, path=ROADMAP_SAMPLE, now=NOW)
    before = dump(engine)
    with sqlite_factory.begin() as session:
        second = import_plan(session, path=copy, now=LATER)
    assert second.plan_id == first.plan_id and second.same_file
    assert dump(engine) == before
    engine.dispose()


def test_revision_updates_in_place_and_keeps_history(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with session_factory.begin() as session:
        first = import_plan(session, path=ROADMAP_SAMPLE, now=NOW)
        item_12, item_11 = _item(session, "1.2"), _item(session, "1.1")
        ids = {i.number: i.id for i in session.scalars(select(Item))}
        trade = session.scalars(select(Agency).where(Agency.name == TRADE)).one()
        record_report(
            session,
            item_id=item_12.id,
            agency_id=trade.id,
            status=Status.IN_PROGRESS,
            comment="идёт работа",
            now=NOW,
            source="test",
        )
        session.add(
            Window(
                item_id=item_12.id,
                agency_id=trade.id,
                start=date(2026, 9, 1),
                end=date(2026, 9, 30),
                source="reply",
                created_at=NOW,
            )
        )
        other = session.scalars(select(Agency).where(Agency.name == "ОАО «Ольса»")).first()
        assert other is not None
        session.add(
            Responsibility(
                item_id=item_11.id,
                agency_id=other.id,
                side="BY",
                source="coordinator",
                created_at=NOW,
            )
        )
    revised = tmp_path / ROADMAP_SAMPLE.name
    revised.write_text(revised_text(), encoding="utf-8")

    with session_factory.begin() as session:
        report = import_plan(session, path=revised, now=LATER)

    assert report.plan_id == first.plan_id and not report.same_file
    assert (report.created, report.withdrawn) == (["6.3"], ["1.3"])
    assert report.updated == ["1.2", "2.1"]
    assert report.changed_fields == {"1.2": ["срок", "ответственные"], "2.1": ["наименование"]}
    assert report.new_agencies == 1
    assert len(report.unchanged) == 9
    with session_factory() as session:
        now_ids = {i.number: i.id for i in session.scalars(select(Item))}
        assert {n: now_ids[n] for n in ids} == ids  # same rows, history attached
        item_12 = _item(session, "1.2")
        printed = session.scalars(
            select(Window).where(Window.item_id == item_12.id, Window.agency_id.is_(None))
        ).all()
        assert [(w.start, w.end) for w in printed] == [(date(2027, 4, 1), date(2027, 6, 30))]
        own = session.scalars(select(Window).where(Window.agency_id.is_not(None))).all()
        assert [(w.item_id, w.start) for w in own] == [(item_12.id, date(2026, 9, 1))]
        assert session.scalar(select(func.count()).select_from(StatusReport)) == 1
        assert item_12.deadline_text == "II квартал 2027 года."
        change = session.scalars(
            select(ItemChange).where(ItemChange.item_id == item_12.id, ItemChange.kind == "updated")
        ).one()
        assert change.detail["fields"]["deadline"] == ["2026 – 2028 годы.", "II квартал 2027 года."]
        assert "agencies" in change.detail["fields"]
        assert _item(session, "1.3").withdrawn_at == LATER
        assert _item(session, "1.1").updated_at == NOW
        assert _item(session, "2.1").title.startswith("Содействие росту")
        sources = (
            session.execute(
                select(Responsibility.source).where(Responsibility.item_id == ids["1.1"])
            )
            .scalars()
            .all()
        )
        assert sorted(sources) == ["coordinator", "plan", "plan", "plan", "plan"]
        rows = {r["number"]: r for r in list_items(session)}
        assert rows["1.3"]["withdrawn"] and not rows["6.3"]["withdrawn"]
        assert TRADE not in [a["name"] for a in rows["1.2"]["agencies"]]
        agencies = {a["name"]: a["items"] for a in list_agencies(session)}
        assert "1.3" not in agencies["Министерство здравоохранения Смоленской области"]


def test_reappearing_item_is_restored(
    sqlite_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    revised = tmp_path / ROADMAP_SAMPLE.name
    revised.write_text(revised_text(), encoding="utf-8")
    with sqlite_factory.begin() as session:
        import_plan(session, path=ROADMAP_SAMPLE, now=NOW)
    with sqlite_factory.begin() as session:
        import_plan(session, path=revised, now=LATER)
    with sqlite_factory.begin() as session:
        report = import_plan(session, path=ROADMAP_SAMPLE, now=LATEST)
    assert report.restored == ["1.3"] and report.withdrawn == ["6.3"]
    assert report.updated == ["1.2", "2.1"]
    with sqlite_factory() as session:
        item = _item(session, "1.3")
        assert item.withdrawn_at is None
        kinds = session.scalars(
            select(ItemChange.kind).where(ItemChange.item_id == item.id).order_by(ItemChange.id)
        ).all()
        assert kinds == ["created", "withdrawn", "restored"]
        windows = session.scalars(
            select(Window).where(Window.item_id == _item(session, "1.2").id)
        ).all()
        assert [(w.start, w.end) for w in windows] == [(date(2026, 1, 1), date(2028, 12, 31))]


def test_a_section_put_in_front_moves_no_item(
    sqlite_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    """Sections are matched by position, but items report a change only when the title does."""
    front = "**0. Общие вопросы:**\n\n0.1. Координация работы.\n\nСрок: 2026 год.\n\n"
    revised = tmp_path / ROADMAP_SAMPLE.name
    revised.write_text(ORIGINAL.replace("**1. Торгово", front + "**1. Торгово"), encoding="utf-8")
    with sqlite_factory.begin() as session:
        import_plan(session, path=ROADMAP_SAMPLE, now=NOW)
    with sqlite_factory.begin() as session:
        report = import_plan(session, path=revised, now=LATER)
    assert (report.created, report.updated, report.sections) == (["0.1"], [], 7)
    assert report.without_agency == ["0.1"]
    with sqlite_factory() as session:
        rows = {r["number"]: r for r in list_items(session)}
    assert rows["0.1"]["section"] == "Общие вопросы"
    assert rows["6.2"]["section"] == "Сотрудничество в сфере культуры и туризма"
