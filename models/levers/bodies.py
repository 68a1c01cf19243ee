"""Who answers for an item: a coordinator adds, removes or replaces a responsible body."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from models.db import rowcount
from models.importing.agencies import side_by_name
from models.levers.actors import Actor, LeverRefusedError
from models.levers.control import live_item
from models.schema.people import Agency, AgencyAlias, Responsibility
from models.schema.plans import ItemChange
from scheduler.rules.domain import Side
from scheduler.rules.workdays import COUNTRY_TIMEZONES

#: Bodies offered as buttons at once (the rest are found by words).
CHOICES = 8
#: Words shorter than this are not searched for (prepositions, «и»).
_MIN_WORD = 3


def _words(text: str) -> list[str]:
    folded = text.lower().replace("ё", "е")
    return [w for w in "".join(c if c.isalnum() else " " for c in folded).split() if w]


def item_bodies(session: Session, *, item_id: int) -> list[Agency]:
    """The bodies answering for the item, Russian side first."""
    return list(
        session.scalars(
            select(Agency)
            .join(Responsibility, Responsibility.agency_id == Agency.id)
            .where(Responsibility.item_id == item_id)
            .order_by(Responsibility.side, Agency.name)
        )
    )


def body_choices(
    session: Session, *, item_id: int, query: str = "", limit: int = CHOICES
) -> list[Agency]:
    """Known bodies that do not answer for the item yet, best match to `query` first.

    Every word of the query of three letters or more counts by its stem (its first five
    letters, so «культуры» finds «культуре»); names and aliases are both searched. With no
    query: the bodies that answer for most items.
    """
    taken = select(Responsibility.agency_id).where(Responsibility.item_id == item_id)
    agencies = list(session.scalars(select(Agency).where(Agency.id.not_in(taken))))
    stems = [w[:5] for w in _words(query) if len(w) >= _MIN_WORD]
    if not stems:
        loads = dict(
            session.execute(
                select(Responsibility.agency_id, func.count()).group_by(Responsibility.agency_id)
            )
            .tuples()
            .all()
        )
        agencies.sort(key=lambda a: (-loads.get(a.id, 0), a.name))
        return agencies[:limit]
    aliases: dict[int, list[str]] = {}
    for agency_id, alias in session.execute(select(AgencyAlias.agency_id, AgencyAlias.alias)):
        aliases.setdefault(agency_id, []).append(alias)
    scored = []
    for agency in agencies:
        words = _words(" ".join([agency.name, *aliases.get(agency.id, [])]))
        hits = sum(any(w.startswith(stem) for w in words) for stem in stems)
        if hits:
            scored.append((-hits, agency.name, agency))
    scored.sort(key=lambda row: row[:2])
    return [agency for *_, agency in scored[:limit]]


def _known_agency(session: Session, agency_id: int) -> Agency:
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise LeverRefusedError("stale")
    return agency


def _log(
    session: Session,
    actor: Actor,
    item_id: int,
    kind: str,
    agency: Agency,
    now: datetime,
    **extra: str,
) -> None:
    session.add(
        ItemChange(
            item_id=item_id,
            agency_id=agency.id,
            contact_id=actor.contact_id,
            kind=kind,
            detail={"author": actor.name, "text": agency.name, **extra},
            created_at=now,
        )
    )


def add_body(
    session: Session, *, actor: Actor, item_id: int, agency_id: int, now: datetime
) -> bool:
    """The body answers for the item from now on; False when it already did."""
    live_item(session, item_id=item_id)
    agency = _known_agency(session, agency_id)
    exists = session.scalar(
        select(Responsibility.id).where(
            Responsibility.item_id == item_id, Responsibility.agency_id == agency_id
        )
    )
    if exists is not None:
        return False
    session.add(
        Responsibility(
            item_id=item_id,
            agency_id=agency_id,
            side=agency.side,
            source="coordinator",
            created_at=now,
        )
    )
    _log(session, actor, item_id, "agency_added", agency, now)
    session.flush()
    return True


def remove_body(
    session: Session, *, actor: Actor, item_id: int, agency_id: int, now: datetime
) -> bool:
    """The body no longer answers for the item (its pending reminders are cancelled by the
    re-plan); False when it did not."""
    live_item(session, item_id=item_id)
    agency = _known_agency(session, agency_id)
    removed = session.execute(
        delete(Responsibility).where(
            Responsibility.item_id == item_id, Responsibility.agency_id == agency_id
        )
    )
    if not rowcount(removed):
        return False
    _log(session, actor, item_id, "agency_removed", agency, now)
    session.flush()
    return True


def replace_body(
    session: Session, *, actor: Actor, item_id: int, old_id: int, new_id: int, now: datetime
) -> bool:
    """`new_id` answers for the item instead of `old_id`."""
    if old_id == new_id:
        return False
    live_item(session, item_id=item_id)
    old, new = _known_agency(session, old_id), _known_agency(session, new_id)
    gone = session.execute(
        delete(Responsibility).where(
            Responsibility.item_id == item_id, Responsibility.agency_id == old_id
        )
    )
    if not rowcount(gone):
        raise LeverRefusedError("stale")  # replaced or removed meanwhile
    taken = session.scalar(
        select(Responsibility.id).where(
            Responsibility.item_id == item_id, Responsibility.agency_id == new_id
        )
    )
    if taken is None:
        session.add(
            Responsibility(
                item_id=item_id,
                agency_id=new_id,
                side=new.side,
                source="coordinator",
                created_at=now,
            )
        )
    _log(session, actor, item_id, "agency_replaced", new, now, before=old.name)
    session.flush()
    return True


def new_body(session: Session, *, name: str, now: datetime) -> Agency:
    """A body by a name typed by a coordinator: the known one of that name, or a new one
    (its side read from the name, Russian otherwise)."""
    clean = " ".join(name.split())
    if not clean:
        raise LeverRefusedError("malformed")
    lowered = clean.lower()
    for agency in session.scalars(select(Agency)):
        if agency.name.lower() == lowered:
            return agency
    side = side_by_name(clean) or Side.RU
    agency = Agency(name=clean, side=side, timezone=COUNTRY_TIMEZONES[side.value], created_at=now)
    session.add(agency)
    session.flush()
    return agency
