"""One lever press: who pressed, what it names, and the reply it makes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.services import Services
from messages import render
from messages.levers import Keyboard, Lever
from models.levers import Actor, coordinator_actor
from scheduler.rules.policy import Policy
from scheduler.runtime.planning import replan_item


@dataclass(frozen=True)
class Who:
    """The Telegram user pressing, as the history will name them."""

    user_id: int
    name: str
    username: str | None
    chat_id: int


@dataclass
class LeverReply:
    """What to send: a new message in the chat (or an edit of the pressed one), notices to
    other chats, and the question the new message asks (its id is attached once sent)."""

    text: str
    keyboard: Keyboard = ()
    edit: bool = False
    force_reply: bool = False
    question_id: int | None = None
    notices: list[tuple[int, str, Keyboard]] = field(default_factory=list)


@dataclass(frozen=True)
class Press:
    session: Session
    services: Services
    actor: Actor
    who: Who
    lever: Lever
    now: datetime
    #: The bot's @name for invite links (from getMe), if known.
    bot_username: str | None = None

    def say(self, template: str, **context: Any) -> str:
        return render(
            template,
            author=self.actor.name,
            at=self.now,
            timezone=self.services.settings.srok_timezone,
            **context,
        )

    def replan(self, item_id: int, reason: str) -> None:
        replan_item(
            self.session,
            policy=Policy.from_settings(self.services.settings),
            now=self.now,
            item_id=item_id,
            reason=reason,
        )


def actor_of(session: Session, services: Services, who: Who) -> Actor:
    return coordinator_actor(
        session,
        user_id=who.user_id,
        name=who.name,
        configured=services.settings.srok_coordinator_ids,
    )
