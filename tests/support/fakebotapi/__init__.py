"""The fake Telegram Bot API server the tests and benches talk to over real HTTP.

`server.py` is the server (`FakeBotApi`); `state.py` what it remembers, `methods.py`
the methods it answers, `rules.py` Telegram's text rules, `inspection.py` what tests
read and the faults they arm, `users.py` the simulated users. Tests take the
`fake_api` fixture (tests/conftest.py); benches and other processes start one with
`with FakeBotApi() as api:`.
"""

from tests.support.fakebotapi.server import DEFAULT_TOKEN, Call, FakeBotApi, FakeMessage, Fault

__all__ = ["DEFAULT_TOKEN", "Call", "FakeBotApi", "FakeMessage", "Fault"]
