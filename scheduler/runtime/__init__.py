"""The scheduler's runtime: the planning pass, dispatch, ticks, and the use cases that
re-plan. Reads and writes through `models`, renders through `messages`; no Telegram."""
