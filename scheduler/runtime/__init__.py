"""The scheduler's runtime: the planning pass, dispatch, ticks, and the use cases that
re-plan. Reads and writes through `models`, renders through `messages`; no Telegram.

- `planning` — the planning pass and its entry points, which take the re-plan lock.
- `dispatch`, `sending`, `pacing`, `outcomes`, `outage`, `reminder_text` — sending what is due.
- `ticks` — the periodic jobs.
- One module per use case, each a plain function of a session, `now`, `options.Options` and
  plain ids that returns what to say and whom to tell: `presses` (a status button, a card),
  `confirmations` («Да» / «Нет»), `answers` (a contact's words), `levers` (a coordinator's
  buttons and words), `uploads` (a plan sent as a file); `access` checks who may, `copies`
  finds the other contacts' copies of an answered reminder.
"""
