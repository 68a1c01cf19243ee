"""One feature per module, each with `register(app)`; `bot.app` registers them in order.

A handler reads Telegram's input, calls a use case of `scheduler.runtime` in a worker
thread (`bot.chat.off_loop`), renders what it returns with `messages` and sends it.
"""

from typing import Any

from telegram.ext import Application

#: The Application a feature registers on (its type arguments matter to none of them).
App = Application[Any, Any, Any, Any, Any, Any]

__all__ = ["App"]
