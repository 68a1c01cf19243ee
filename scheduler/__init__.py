"""When: the rules of time (pure) and the runtime that acts on them.

Srok is built in five layers; each imports only the layers below it (`.importlinter`
holds the contract, `make lint` checks it):

1. `scheduler.rules` — pure rules, no I/O: the domain's words (`domain`), the deadline
   grammar (`deadlines`), working days, the reminder specs and policy, a contact's words
   → status, numbers typed by people.
2. `models` — persistence and queries: the schema by concept (`models.schema`), the outbox,
   statuses, chats, levers, importing, and read-only reports.
3. `messages` — what people read: jinja2 texts, buttons, exports.
4. `scheduler.runtime` — what runs: the planning pass, dispatch, ticks, and one use case
   per room (a press, a confirmation, words, a lever, a plan sent as a file).
5. `bot` — Telegram and the command line.

Nothing is imported here: `import scheduler.rules.policy` loads no database code.
"""
