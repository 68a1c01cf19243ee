"""What to say, decided by a use case and rendered where it is sent.

A use case (`scheduler.runtime`) knows which message a situation calls for and the facts
it shows; the bot renders it (`Say.render`) when it sends. The facts are plain values
(numbers, dates, dataclasses), never ORM objects: the use case's transaction has ended by
the time they are rendered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from messages.render import render


@dataclass(frozen=True)
class Say:
    """A template of `messages/templates` and the facts it shows."""

    template: str
    facts: Mapping[str, Any] = field(default_factory=dict)

    def render(self) -> str:
        """The message's HTML text."""
        return render(self.template, **self.facts)


def say(template: str, /, **facts: Any) -> Say:
    """`Say(template, facts)`, the facts as keywords."""
    return Say(template, facts)


@dataclass(frozen=True)
class Notice:
    """A message to another chat than the one pressed in: a coordinators' group told of a
    date, asked to approve a postponement; an agency told of the decision. `keyboard`:
    its (label, data) rows."""

    chat_id: int
    say: Say
    keyboard: tuple[tuple[tuple[str, str], ...], ...] = ()
