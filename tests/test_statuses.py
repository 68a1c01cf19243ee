"""Status reports are append-only; the latest status per agency is the current one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from models import Side, Status
from models.statuses.reports import current_statuses, history, overall_status, record_report
from models.statuses.windows import agency_windows, set_agency_windows
from tests.support import builders

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _seed(session: Session) -> tuple[int, int, int]:
    plan = builders.add_plan(session, at=NOW, end=date(2028, 12, 31))
    item = builders.add_item(session, plan, "1.1", at=NOW, title="Пункт")
    ru = builders.add_agency(session, "Министерство", Side.RU, at=NOW)
    by = builders.add_agency(session, "Комитет", Side.BY, at=NOW)
    return item.id, ru.id, by.id


def test_latest_status_wins_and_comments_do_not_reset(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as session:
        item_id, ru_id, by_id = _seed(session)
        record_report(
            session,
            item_id=item_id,
            agency_id=ru_id,
            status=Status.IN_PROGRESS,
            comment=None,
            now=NOW,
            source="button",
        )
        record_report(
            session,
            item_id=item_id,
            agency_id=ru_id,
            status=Status.DONE,
            comment="сделано",
            now=NOW + timedelta(days=1),
            source="text",
        )
        record_report(
            session,
            item_id=item_id,
            agency_id=ru_id,
            status=None,
            comment="ещё комментарий",
            now=NOW + timedelta(days=2),
            source="text",
        )
    with session_factory.begin() as session:
        statuses = current_statuses(session)
        assert statuses == {(item_id, ru_id): Status.DONE}
        assert current_statuses(session, item_ids=[item_id + 1000]) == {}
        assert [r.comment for r in history(session, item_id=item_id)] == [
            None,
            "сделано",
            "ещё комментарий",
        ]
        assert history(session, item_id=item_id, agency_id=by_id) == []


def test_overall_status() -> None:
    assert overall_status([]) == Status.PLANNED
    assert overall_status([Status.DONE, Status.DONE]) == Status.DONE
    assert overall_status([Status.DONE, Status.CANCELLED]) == Status.DONE
    assert overall_status([Status.CANCELLED]) == Status.CANCELLED
    assert overall_status([Status.DONE, Status.PLANNED]) == Status.IN_PROGRESS
    assert overall_status([Status.POSTPONED, Status.IN_PROGRESS]) == Status.POSTPONED
    assert overall_status([Status.PLANNED, Status.PLANNED]) == Status.PLANNED


def test_agency_windows_replace_printed_for_that_agency_only(
    session_factory: sessionmaker[Session],
) -> None:
    from models import Window

    with session_factory.begin() as session:
        item_id, ru_id, by_id = _seed(session)
        session.add(
            Window(item_id=item_id, start=date(2026, 4, 1), end=date(2026, 6, 30), created_at=NOW)
        )
        session.flush()
        set_agency_windows(
            session,
            item_id=item_id,
            agency_id=ru_id,
            windows=[(date(2026, 9, 1), date(2026, 9, 30))],
            now=NOW,
            text="перенос на сентябрь",
        )
    with session_factory.begin() as session:
        assert agency_windows(session, item_id=item_id, agency_id=ru_id) == [
            (date(2026, 9, 1), date(2026, 9, 30))
        ]
        assert agency_windows(session, item_id=item_id, agency_id=by_id) == [
            (date(2026, 4, 1), date(2026, 6, 30))
        ]
