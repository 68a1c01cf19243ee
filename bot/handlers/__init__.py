"""One feature per module, each with `register(app)`; `bot.app` registers them in order."""

__all__: list[str] = []
