"""What the tests (and the benches) share; no tests here.

- `fakebotapi/`: the fake Telegram Bot API server, spoken to over real HTTP.
- `builders.py`: the one family of row builders: plans, sections, agencies, items,
  contacts, reminders, as an import or the planning pass leaves them.
- Seeds, small worlds built with those builders: `botkit.py` (the bot's end-to-end
  tests: a plan, two agencies, a settable clock, the real Application against the fake
  server), `reports_seed.py` (a plan whose summary, overdue list and digest are known by
  hand; bulk plans), `dispatch_seed.py` (agencies with contacts and due reminders),
  `planning_seed.py` (an events plan and readers of the reminder rows).
- `dispatch_worker.py`: a fork server of dispatch processes for the crash test.
- `office_docs.py`: Word, Excel and OpenDocument files written in code;
  `corpus/`: the corpus of official plan layouts with their golden previews.
- `tables.py`: a database dumped as rows; `samples.py`: the sample plans' paths;
  `postgres.py`: the test server's address and a database per pytest-xdist worker;
  `loop_guard.py`: the check that the bot opens no database session on the event loop.

The fixtures themselves are registered once, in tests/conftest.py.
"""
