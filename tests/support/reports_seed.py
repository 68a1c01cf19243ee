"""A small plan built with the ORM whose summary, overdue list and digest are known by hand.

At NOW (2026-05-10 12:00 MSK):
  1.1 Q1 2026, RU1 done, BY1 in progress           -> overdue for BY1 (ended 31.03)
  1.2 Q2 2026, RU1, no report                       -> not yet due
  1.3 March 2026, BY1 cancelled                     -> closed
  2.1 undated, RU2                                  -> never overdue
  2.2 February 2026, RU2 postponed to June 2026     -> its own window, not overdue
  2.3 10–20 January 2026, RU2 asked twice, silent   -> overdue, RU2 silent
  2.4 withdrawn, past window                        -> not counted
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from models import (
    Agency,
    Item,
    ItemChange,
    Plan,
    ReminderKind,
    ReminderState,
    Responsibility,
    Role,
    Section,
    Side,
    Status,
    StatusReport,
    Window,
)
from models.statuses.reports import record_report
from tests.support import builders

NOW = datetime(2026, 5, 10, 9, 0, tzinfo=UTC)
T0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
RU1 = "Министерство промышленности и торговли Смоленской области"
RU2 = "Департамент Смоленской области по культуре"
BY1 = "Комитет экономики Могилевского облисполкома"
COORDINATOR_USER = 5001
CONTACT_USER = 6001


@dataclass
class Seeded:
    plan_id: int
    items: dict[str, int]
    agencies: dict[str, int]


def add_plan(session: Session, title: str, source: str) -> Plan:
    """An empty plan for 2026 in Moscow time."""
    return builders.add_plan(session, at=T0, source_name=source, title=title)


def add_agency(session: Session, name: str, side: Side, alias: str | None = None) -> Agency:
    return builders.add_agency(session, name, side, at=T0, alias=alias)


def add_item(
    session: Session,
    plan: Plan,
    number: str,
    title: str,
    windows: list[tuple[date, date]],
    agencies: list[Agency],
    *,
    section: Section | None = None,
    deadline: str = "",
    tentative: bool = False,
) -> Item:
    """An item with its printed windows and responsible agencies."""
    return builders.add_item(
        session,
        plan,
        number,
        at=T0,
        title=title,
        windows=windows,
        agencies=agencies,
        section=section,
        deadline=deadline,
        tentative=tentative,
    )


def sent_request(
    session: Session, item: Item, agency: Agency, kind: ReminderKind, at: datetime
) -> None:
    """A status request that went out at `at`."""
    builders.add_reminder(
        session, kind=kind, due_at=at, now=at, item_id=item.id, agency_id=agency.id,
        window=None, state=ReminderState.SENT, sent_at=at,
        dedup_key=f"test:{item.id}:{agency.id}:{kind.value}",
    )  # fmt: skip


def seed(factory: sessionmaker[Session]) -> Seeded:
    """Build the plan described in the module docstring."""
    with factory.begin() as session:
        plan = add_plan(session, "Дорожная карта <Смоленск – Могилев>", "roadmap.txt")
        first = builders.add_section(session, plan, "Торговля", "1")
        second = builders.add_section(session, plan, "Культура", "2")
        ru1 = add_agency(session, RU1, Side.RU, alias="минпромторг смоленской области")
        ru2 = add_agency(session, RU2, Side.RU)
        by1 = add_agency(session, BY1, Side.BY)
        d = date
        i11 = add_item(
            session, plan, "1.1", "Контракты <поставок>", [(d(2026, 1, 1), d(2026, 3, 31))],
            [ru1, by1], section=first, deadline="I квартал 2026 года",
        )  # fmt: skip
        i12 = add_item(
            session, plan, "1.2", "Выставка", [(d(2026, 4, 1), d(2026, 6, 30))], [ru1],
            section=first, deadline="II квартал 2026 года",
        )  # fmt: skip
        i13 = add_item(
            session, plan, "1.3", "Форум", [(d(2026, 3, 1), d(2026, 3, 31))], [by1],
            section=first, deadline="март 2026 года",
        )  # fmt: skip
        i21 = add_item(
            session, plan, "2.1", "Гастроли", [], [ru2], section=second,
            deadline="по согласованию сторон",
        )  # fmt: skip
        i22 = add_item(
            session, plan, "2.2", "Фестиваль", [(d(2026, 2, 1), d(2026, 2, 28))], [ru2],
            section=second, deadline="февраль 2026 года",
        )  # fmt: skip
        i23 = add_item(
            session, plan, "2.3", "Дни культуры", [(d(2026, 1, 10), d(2026, 1, 20))], [ru2],
            section=second, deadline="10–20 января 2026 года",
        )  # fmt: skip
        i24 = add_item(
            session, plan, "2.4", "Снятый пункт", [(d(2026, 1, 10), d(2026, 1, 20))], [ru2],
            section=second,
        )  # fmt: skip
        i24.withdrawn_at = T0 + timedelta(days=30)
        session.add(
            Window(
                item_id=i22.id, agency_id=ru2.id, start=d(2026, 6, 1), end=d(2026, 6, 30),
                source="reply", created_at=datetime(2026, 3, 1, 9, tzinfo=UTC),
            )
        )  # fmt: skip
        report = _reporter(session)
        report(i11, ru1, Status.IN_PROGRESS, "начали", datetime(2026, 2, 1, 9, tzinfo=UTC))
        report(i11, ru1, Status.DONE, "подписан контракт", datetime(2026, 4, 2, 9, tzinfo=UTC))
        report(i11, by1, Status.IN_PROGRESS, None, datetime(2026, 4, 3, 9, tzinfo=UTC))
        report(i13, by1, Status.CANCELLED, "форум отменён", datetime(2026, 5, 6, 9, tzinfo=UTC))
        report(i22, ru2, Status.POSTPONED, "перенос на июнь", datetime(2026, 3, 1, 9, tzinfo=UTC))
        sent_request(
            session, i23, ru2, ReminderKind.STATUS_REQUEST, datetime(2026, 1, 21, 7, tzinfo=UTC)
        )
        sent_request(session, i23, ru2, ReminderKind.REPEAT, datetime(2026, 1, 26, 7, tzinfo=UTC))
        # Asked once only: not silent.
        sent_request(
            session, i12, ru1, ReminderKind.STATUS_REQUEST, datetime(2026, 5, 4, 7, tzinfo=UTC)
        )
        session.add(
            ItemChange(
                item_id=i12.id, kind="updated", detail={"field": "title"},
                created_at=datetime(2026, 5, 8, 9, tzinfo=UTC),
            )
        )  # fmt: skip
        builders.add_contact(
            session, COORDINATOR_USER, at=T0, role=Role.COORDINATOR, name=f"user {COORDINATOR_USER}"
        )
        builders.add_contact(
            session, CONTACT_USER, at=T0, agency_id=ru1.id, name=f"user {CONTACT_USER}"
        )
        items = {i.number: i.id for i in (i11, i12, i13, i21, i22, i23, i24)}
        agencies = {"RU1": ru1.id, "RU2": ru2.id, "BY1": by1.id}
        return Seeded(plan_id=plan.id, items=items, agencies=agencies)


def _reporter(session: Session):  # type: ignore[no-untyped-def]
    def report(item: Item, agency: Agency, status: Status, comment: str | None, at: datetime):  # type: ignore[no-untyped-def]
        record_report(
            session, item_id=item.id, agency_id=agency.id, status=status, comment=comment,
            now=at, source="button", author="Иванов",
        )  # fmt: skip

    return report


def bulk_plan(
    session: Session,
    *,
    items: int,
    agencies: int,
    reports: int,
    title: str = "Большой план",
    item_title: str = "Мероприятие № {n} & Ко",
    agency_name: str = "Орган № {n}",
) -> int:
    """A plan of `items` items, two agencies each, `reports` status reports: bulk inserts."""
    plan = add_plan(session, title, f"bulk-{items}-{reports}.txt")
    rows = [
        {"name": agency_name.format(n=n), "side": Side.RU if n % 2 else Side.BY,
         "timezone": "Europe/Moscow", "created_at": T0}
        for n in range(agencies)
    ]  # fmt: skip
    session.execute(insert(Agency), rows)
    agency_ids = list(session.scalars(select(Agency.id).order_by(Agency.id)))[-agencies:]
    session.execute(
        insert(Item),
        [
            {"plan_id": plan.id, "number": f"{n // 10 + 1}.{n % 10 + 1}", "position": n,
             "title": item_title.format(n=n), "deadline_text": "I квартал 2026 года",
             "undated": False, "tentative": False, "created_at": T0, "updated_at": T0,
             "due": [], "warnings": []}
            for n in range(items)
        ],
    )  # fmt: skip
    item_ids = list(session.scalars(select(Item.id).where(Item.plan_id == plan.id)))
    quarter = {"start": date(2026, 1, 1), "end": date(2026, 3, 31), "created_at": T0}
    session.execute(insert(Window), [{"item_id": i, "source": "plan", **quarter} for i in item_ids])
    pairs = [(i, agency_ids[(k + j) % agencies]) for k, i in enumerate(item_ids) for j in (0, 1)]
    session.execute(
        insert(Responsibility),
        [{"item_id": i, "agency_id": a, "side": Side.RU, "source": "plan", "created_at": T0}
         for i, a in dict.fromkeys(pairs)],
    )  # fmt: skip
    statuses = list(Status)[1:]
    if not reports:
        return plan.id
    session.execute(
        insert(StatusReport),
        [
            {"item_id": pairs[n % len(pairs)][0], "agency_id": pairs[n % len(pairs)][1],
             "status": statuses[n // 3 % len(statuses)] if n % 5 else None,
             "comment": f"отчёт {n}", "author": "", "source": "cli",
             "created_at": T0 + timedelta(minutes=n)}
            for n in range(reports)
        ],
    )  # fmt: skip
    return plan.id
