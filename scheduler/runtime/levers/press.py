"""One lever press: who pressed, what it names, and the reply it makes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from messages.levers import Keyboard, Lever
from messages.say import Notice, Say
from models.levers import Actor, coordinator_actor
from scheduler.runtime.options import Options
from scheduler.runtime.planning import replan_item


@dataclass(frozen=True)
class Who:
    """The Telegram user pressing, as the history will name them, and the chat."""

    user_id: int
    name: str
    username: str | None
    chat_id: int


@dataclass(frozen=True)
class LeverReply:
    """What to send: a new message in the chat (or an edit of the pressed one), notices to
    other chats, and the question the new message asks (its id is attached once sent)."""

    say: Say
    keyboard: Keyboard = ()
    edit: bool = False
    force_reply: bool = False
    question_id: int | None = None
    notices: list[Notice] = field(default_factory=list)


@dataclass(frozen=True)
class Press:
    """A lever being pulled, inside its transaction."""

    session: Session
    options: Options
    actor: Actor
    who: Who
    lever: Lever
    now: datetime
    #: Today in the plan's time zone.
    today: date
    #: The bot's @name for invite links (from getMe, else the settings), if known.
    bot_username: str | None = None

    def say(self, template: str, **facts: Any) -> Say:
        """A lever's message: it names the coordinator and the moment."""
        return Say(
            template,
            {"author": self.actor.name, "at": self.now, "timezone": self.options.timezone, **facts},
        )

    def replan(self, item_id: int, reason: str) -> None:
        replan_item(
            self.session, policy=self.options.policy, now=self.now, item_id=item_id, reason=reason
        )


def actor_of(session: Session, options: Options, who: Who) -> Actor:
    """The coordinator pressing (re-read on every press); raises LeverRefusedError."""
    return coordinator_actor(
        session, user_id=who.user_id, name=who.name, configured=options.coordinator_ids
    )
