"""The HTTP client under python-telegram-bot: aiohttp, through PTB's `BaseRequest` interface.

PTB's default client (httpx over httpcore, anyio and h11) spent about 3 ms of CPU per Bot
API call here, two thirds of a button press (see bench/bot.py): its pure-Python parsing,
per-request connection-pool bookkeeping and form-encoding of every parameter. aiohttp parses
HTTP in C and keeps its pool cheaply; bodies go as JSON, as the Bot API accepts, and only
uploads (exports) as multipart forms. PTB still builds the requests and reads the answers:
this class only moves bytes, as `BaseRequest.do_request` asks.

Timeouts keep PTB's meaning: `connect` is the TCP (and TLS) connect, `pool` the wait for a
free connection, `read` the wait for each chunk of the answer. aiohttp has no separate write
timeout; a whole upload is bounded by the read and connect timeouts plus the write timeout.
HTTP(S)_PROXY and NO_PROXY from the environment are honoured, as httpx did, but read once
per host: aiohttp's `trust_env` reads them (and ~/.netrc) in a worker thread on every call.
"""

from __future__ import annotations

import json
import ssl
import urllib.request
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import aiohttp
import certifi
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

if TYPE_CHECKING:
    from telegram._utils.types import ODVInput

__all__ = ["AiohttpRequest", "tls_context"]

_JSON = {"Content-Type": "application/json"}


@cache
def tls_context() -> ssl.SSLContext:
    """One TLS context for every client: loading the CA bundle costs a fifth of a second."""
    return ssl.create_default_context(cafile=certifi.where())


def _seconds(value: ODVInput[float], default: float | None) -> float | None:
    """The timeout the caller named, or `default`: PTB passes a DefaultValue (a class it
    does not make public) where the caller named none."""
    if value is None or isinstance(value, int | float):
        return value
    return default


class AiohttpRequest(BaseRequest):
    """A `BaseRequest` over one aiohttp session with a bounded keep-alive pool and explicit
    timeouts, so a hung server becomes TimedOut."""

    __slots__ = ("_connect", "_pool", "_pool_size", "_proxies", "_read", "_session", "_write")

    def __init__(
        self,
        *,
        pool_size: int = 16,
        connect_timeout: float | None = 5.0,
        read_timeout: float | None = 10.0,
        write_timeout: float | None = 10.0,
        pool_timeout: float | None = 5.0,
    ) -> None:
        self._pool_size = pool_size
        self._connect, self._read = connect_timeout, read_timeout
        self._write, self._pool = write_timeout, pool_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[tuple[str, str], str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._read

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ssl=tls_context())
            self._session = aiohttp.ClientSession(
                connector=connector,
                headers={"User-Agent": self.USER_AGENT},
                # PTB reads the status and the body itself; no cookies cross Bot API calls.
                cookie_jar=aiohttp.DummyCookieJar(),
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; its status and body. Failures become PTB's TimedOut or
        NetworkError, whose messages never carry the URL (it holds the bot's token)."""
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        upload = request_data is not None and request_data.contains_files
        timeout = _timeout(
            _seconds(connect_timeout, self._connect),
            _seconds(pool_timeout, self._pool),
            _seconds(read_timeout, self._read),
            _seconds(write_timeout, self._write) if upload else None,
            upload=upload,
        )
        body, headers = _body(request_data)
        try:
            async with session.request(
                method, url, data=body, headers=headers, timeout=timeout, proxy=self._proxy(url)
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:  # aiohttp's own timeouts are TimeoutErrors too
            raise TimedOut(f"Timed out ({_describe(error, url)})") from error
        except aiohttp.ClientError as error:
            raise NetworkError(_describe(error, url)) from error

    def _proxy(self, url: str) -> str | None:
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname or "")
        if key not in self._proxies:
            self._proxies[key] = _env_proxy(*key)
        return self._proxies[key]


def _env_proxy(scheme: str, host: str) -> str | None:
    """The proxy the environment names for `scheme`, unless NO_PROXY exempts `host`."""
    if urllib.request.proxy_bypass(host):
        return None
    return urllib.request.getproxies().get(scheme)


@lru_cache(maxsize=64)
def _timeout(
    connect: float | None,
    pool: float | None,
    read: float | None,
    write: float | None,
    *,
    upload: bool,
) -> aiohttp.ClientTimeout:
    """aiohttp's timeouts for PTB's four (a handful of combinations: built once each)."""
    return aiohttp.ClientTimeout(
        total=_sum(_sum(connect, pool), _sum(read, write)) if upload else None,
        connect=_sum(connect, pool),
        sock_connect=connect,
        sock_read=read,
    )


def _sum(first: float | None, second: float | None) -> float | None:
    """Two timeouts in a row; None (no limit) wins."""
    return None if first is None or second is None else first + second


def _body(request_data: RequestData | None) -> tuple[Any, dict[str, str] | None]:
    """JSON for plain calls; a multipart form when the call uploads files."""
    if request_data is None:
        return None, None
    if not request_data.contains_files:
        return json.dumps(request_data.parameters).encode(), _JSON
    form = aiohttp.FormData(quote_fields=False)
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form, None


def _describe(error: BaseException, url: str) -> str:
    """`aiohttp.<Error>: <message>` without the request URL, which holds the token."""
    method = url.rsplit("/", 1)[-1]
    text = str(error).replace(url, method)
    prefix = url.rsplit("/", 1)[0]
    text = text.replace(prefix, "…")
    return f"aiohttp.{type(error).__name__}: {text}" if text else f"aiohttp.{type(error).__name__}"
