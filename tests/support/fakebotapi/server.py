"""A fake Telegram Bot API server on 127.0.0.1 for tests, spoken to over real HTTP.

Point python-telegram-bot at it with `base_url=api.base_url` and
`base_file_url=api.base_file_url`, or `TELEGRAM_API_BASE_URL=api.root`, or
`api.new_bot()`. It runs its own event loop in its own thread, so sync tests,
async tests and a bot in a subprocess can all use it. It records every call,
keeps what each chat shows, answers with injected faults, and fails the test on
any method it does not know.

    # the `fake_api` fixture (tests/conftest.py) starts one per test and stops it after
    async def test_x(fake_api: FakeBotApi) -> None:
        fake_api.send_command(42, "start", "token")          # a user writes; returns update_id
        await fake_api.until(lambda: fake_api.messages(42))  # the bot answered
        assert fake_api.messages(42)[-1].text == "…"         # plain text, edits applied
        fake_api.inject(Fault.blocked(), method="sendMessage", chat_id=42, times=None)

Faults: `Fault.flood(s)` 429, `blocked()` 403, `bad_request(why)` 400,
`server_error()` 500, `dropped()` no answer, `lost_answer()` done but no answer,
`slow(s)` late answer, `conflict()` 409, `migrated(id)`. The simulated users live in
`users.py`, reading and fault arming in `inspection.py` (both mixed in here), what the
server remembers in `state.py`, the methods it answers in `methods.py`, Telegram's text
rules in `rules.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web
from telegram import Bot

from bot.telegram_sender import build_bot
from tests.support.fakebotapi.inspection import Inspection
from tests.support.fakebotapi.methods import METHODS, SENDING, chat_id_of
from tests.support.fakebotapi.rules import ApiError
from tests.support.fakebotapi.state import (
    Call,
    FakeMessage,
    Fault,
    UploadedFile,
    World,
    fault_parameters,
)
from tests.support.fakebotapi.users import SimulatedUsers

__all__ = ["DEFAULT_TOKEN", "Call", "FakeBotApi", "FakeMessage", "Fault"]

DEFAULT_TOKEN = "123456:TEST-token"
EXPECTED = frozenset(METHODS) | {"getUpdates"}

_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
    }
)
_TEXT_FIELDS = frozenset(
    {"text", "caption", "parse_mode", "callback_query_id", "url", "secret_token", "file_id"}
)
_INT = re.compile(r"-?\d+")


def _decode(key: str, value: str) -> Any:
    """Form values are strings; Telegram reads them by the parameter's type."""
    if key in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            return value
    if key in _TEXT_FIELDS:
        return value
    if value in ("true", "false"):
        return value == "true"
    if _INT.fullmatch(value):
        return int(value)
    return value


class FakeBotApi(Inspection, SimulatedUsers):
    """The server, its state, fault injection and the test-facing helpers."""

    def __init__(
        self,
        tokens: tuple[str, ...] = (DEFAULT_TOKEN,),
        *,
        bot_username: str = "srok_test_bot",
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.tokens = tokens
        self.token = tokens[0]
        bot_user = {
            "id": int(self.token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": "Срок (тест)",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.world = World(bot_user, clock)
        self.root = ""
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._wake: asyncio.Event | None = None
        self._poll_generation = 0
        self._closing = False

    # ---- life cycle -------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """What PTB's `Bot(base_url=…)` takes: the root plus "/bot"."""
        return self.root + "/bot"

    @property
    def base_file_url(self) -> str:
        return self.root + "/file/bot"

    def new_bot(self, *, read_timeout: float = 5.0) -> Bot:
        """A PTB `Bot` pointed at this server (use `async with`; it calls getMe)."""
        return build_bot(self.token, self.root, read_timeout=read_timeout)

    def start(self) -> FakeBotApi:
        """Start the server thread; returns once it listens."""
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._serve, args=(ready,), name="fake-bot-api", daemon=True
        )
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the fake Bot API server did not start")
        return self

    def stop(self) -> None:
        """Stop the server; pending long polls answer empty at once."""
        if self._loop is None or self._thread is None:
            return
        self._closing = True
        future = asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop)
        future.result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop = None

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    async def __aenter__(self) -> FakeBotApi:
        return await asyncio.to_thread(self.start)

    async def __aexit__(self, *exc_info: object) -> None:
        await asyncio.to_thread(self.stop)

    def _serve(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        loop.run_until_complete(self._startup())
        ready.set()
        loop.run_forever()
        loop.close()

    async def _startup(self) -> None:
        self._wake = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.root = f"http://{host}:{port}"

    async def _shutdown(self) -> None:
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()

    def _notify(self) -> None:
        """Wake long polls (call on the server loop)."""
        if self._wake is not None:
            self._wake.set()

    def notify_threadsafe(self) -> None:
        """Wake long polls from any thread (after queueing an update)."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._notify)

    # ---- HTTP ---------------------------------------------------------------------------

    async def _params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
        params: dict[str, Any] = {k: _decode(k, v) for k, v in request.query.items()}
        files: dict[str, UploadedFile] = {}
        if request.content_type == "application/json":
            body = await request.json() if request.can_read_body else {}
            params.update(body or {})
        elif request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    with self.world.lock:
                        file_id = self.world.new_file_id()
                    files[key] = UploadedFile(
                        file_id, value.filename, value.content_type, value.file.read()
                    )
                else:
                    params[key] = _decode(key, str(value))
        for key, value in list(params.items()):
            if isinstance(value, str) and value.startswith("attach://"):
                attached = files.get(value.removeprefix("attach://"))
                if attached is not None:
                    files[key] = attached
        return params, files

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        token, method = request.match_info["token"], request.match_info["method"]
        if token not in self.tokens:
            return _answer(ApiError(401, "Unauthorized").payload(), 401)
        params, files = await self._params(request)
        call = Call(method, params, time.time(), files)
        with self.world.lock:
            self.world.calls.append(call)
            if method not in EXPECTED:
                self.world.unexpected.append(call)
            self.world.changed.notify_all()
        if method not in EXPECTED:
            return _answer(ApiError(404, "Not Found").payload(), 404)
        with self.world.lock:
            fault = self.world.take_fault(method, chat_id_of(params))
        if fault is not None and fault.drop:
            request.transport.close()  # type: ignore[union-attr]
            # aiohttp takes a cancelled handler for a vanished peer: no answer, no log.
            raise asyncio.CancelledError
        try:
            if fault is not None and fault.status:
                raise ApiError(fault.status, fault.description, parameters=fault_parameters(fault))
            result = await self._run(method, params, files)
        except ApiError as error:
            return _answer(error.payload(), error.status)
        if fault is not None and fault.drop_after:
            request.transport.close()  # type: ignore[union-attr]
            raise asyncio.CancelledError
        if fault is not None and fault.delay:
            await asyncio.sleep(fault.delay)
        return _answer({"ok": True, "result": result}, 200)

    async def _run(self, method: str, params: dict[str, Any], files: dict[str, UploadedFile]):
        if method == "getUpdates":
            return await self._get_updates(params)
        with self.world.lock:
            limiter = self.world.rate_limiter
            if limiter is not None and method in SENDING:
                wait = limiter.check(chat_id_of(params))
                if wait is not None:
                    raise ApiError(
                        429,
                        f"Too Many Requests: retry after {wait}",
                        parameters={"retry_after": wait},
                    )
            return METHODS[method](self.world, params, files)

    async def _file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] not in self.tokens:
            return _answer(ApiError(401, "Unauthorized").payload(), 401)
        parts = request.match_info["path"].split("/")
        with self.world.lock:
            upload = self.world.files.get(parts[1]) if len(parts) > 1 else None
        if upload is None:
            return _answer(ApiError(404, "Not Found").payload(), 404)
        return web.Response(body=upload.data, content_type=upload.content_type)

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Long poll: answer as soon as updates exist, or empty after `timeout` seconds."""
        assert self._wake is not None
        world = self.world
        with world.lock:
            if world.webhook is not None:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            self._confirm(int(params.get("offset") or 0))
            self._drop_unwanted(params.get("allowed_updates"))
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # an older poll still waiting must now lose with 409
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        offset = int(params.get("offset") or 0)
        while True:
            self._wake.clear()
            with world.lock:
                if generation != self._poll_generation:
                    raise ApiError(
                        409,
                        "Conflict: terminated by other getUpdates request; make sure that only "
                        "one bot instance is running",
                    )
                batch = [e for e in world.updates if e[2] or e[0] >= offset][:limit]
                if batch or self._closing or time.monotonic() >= deadline:
                    world.updates = [e for e in world.updates if not (e[2] and e in batch)]
                    return [update for _, update, _ in batch]
            remaining = deadline - time.monotonic()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=max(0.0, min(remaining, 0.1)))

    def _drop_unwanted(self, allowed: object) -> None:
        """Telegram does not keep updates of types the bot said it does not want."""
        if isinstance(allowed, list) and allowed:
            self.world.updates = [
                e for e in self.world.updates if any(key in e[1] for key in allowed)
            ]

    def _confirm(self, offset: int) -> None:
        """Telegram's offset: updates below it are confirmed and forgotten."""
        updates = self.world.updates
        if offset < 0:
            self.world.updates = updates[offset:]
        elif offset > 0:
            self.world.updates = [e for e in updates if e[2] or e[0] >= offset]


def _answer(payload: dict[str, Any], status: int) -> web.Response:
    return web.json_response(payload, status=status)
