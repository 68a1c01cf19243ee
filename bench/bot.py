"""Button presses handled per second, end to end, against the local fake Bot API server.

    .venv/bin/python -m bench.bot [--presses 800] [--contacts 400] [--rounds 5] [--database-url URL]
    .venv/bin/python -m bench.bot --callgrind [--presses 200 --contacts 100]

The bot runs as its own process (as `srok run` does: the real Application, long polling
over HTTP); this process runs the fake Bot API server and plays the contacts. Each press
travels the whole way: the fake server queues a callback_query update, the bot fetches
it, records and claims it, checks it against the database, records the status report,
answers the callback query and edits the reminder message. A round's figure is its
presses divided by the time from its first press to its last edit, and the bot process's
CPU time (from /proc) over those presses; the median of the rounds is shown, each round
with contacts of its own, so every round does the same work.

The plan is a busy one: each contact answers for its own agency's item, whose reminders
the policy planned. Presses go in rounds over the contacts, as a reminder's life goes:
«В работе», then «Выполнено», which closes the item and re-plans its reminders (by default
two rounds: half of the presses re-plan; a third round would reopen every item).

This machine's speed drifts through the day (the same code measured 2.8 and 6.5 ms of CPU
per press on different hours). `--callgrind` runs the bot under valgrind's callgrind and
counts the instructions it executes per press over one round instead: about fifty times
slower, but the same figure on every run, to compare changes with.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from telegram import Bot

from bench.callgrind import total_instructions
from models import Side
from models.db import make_engine, make_session_factory, upgrade
from scheduler.rules.policy import Policy
from scheduler.runtime.planning import plan_reminders
from tests.support import builders
from tests.support.botkit import NOW, Clock, add_plan, bind, send_reminder
from tests.support.fakebotapi import DEFAULT_TOKEN, FakeBotApi

ROOT = Path(__file__).resolve().parent.parent
FIRST_USER = 100_000
#: The issue's goal, in presses a second.
TARGET = 200


def _seed(factory, contacts: int) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """A plan with one item and one agency per contact, its reminders planned at NOW."""
    q2 = [(date(2026, 4, 1), date(2026, 6, 30))]
    pairs = []
    with factory.begin() as session:
        plan, section = add_plan(session, source_name="bench.txt", section="Сотрудничество")
        for n in range(1, contacts + 1):
            agency = builders.add_agency(session, f"Орган {n}", Side.RU, at=NOW)
            item = builders.add_item(
                session,
                plan,
                f"1.{n}",
                at=NOW,
                section=section,
                deadline="II квартал 2026 года",
                windows=q2,
                agencies=[agency],
            )
            pairs.append((item.id, agency.id))
        plan_reminders(session, now=NOW, policy=Policy())
    return pairs


async def _send_reminders(api: FakeBotApi, factory, contacts: int) -> list[tuple]:  # type: ignore[no-untyped-def]
    """One delivered reminder per contact, about its own item, as the dispatcher leaves them."""
    targets = []
    pairs = _seed(factory, contacts)
    async with Bot(DEFAULT_TOKEN, base_url=api.base_url) as bot:
        for n, (item_id, agency_id) in enumerate(pairs):
            user = FIRST_USER + n
            contact_id = bind(factory, user, agency_id)
            reminder_id, message_id = await send_reminder(
                bot,
                factory,
                item_id=item_id,
                agency_id=agency_id,
                contact_id=contact_id,
                chat_id=user,
            )
            targets.append((user, message_id, reminder_id))
    return targets


#: Where --callgrind has valgrind write the bot's counts.
CALLGRIND_OUT = Path(tempfile.gettempdir()) / "srok-bench-bot.callgrind"


def _start_bot(
    api: FakeBotApi, database_url: str, *, callgrind: bool = False
) -> subprocess.Popen[bytes]:
    # Under callgrind, counting starts with the round (`_counting`), not at the imports.
    valgrind = ["valgrind", "--tool=callgrind", "--instr-atstart=no"]
    valgrind.append(f"--callgrind-out-file={CALLGRIND_OUT}")
    env = dict(
        os.environ,
        TELEGRAM_BOT_TOKEN=DEFAULT_TOKEN,
        TELEGRAM_API_BASE_URL=api.root,
        DATABASE_URL=database_url,
    )
    return subprocess.Popen(
        args=[
            *(valgrind if callgrind else []),
            sys.executable,
            *os.environ.get("BENCH_PY_ARGS", "").split(),
            "-m",
            "bench.bot",
            "--serve",
        ],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL if callgrind else None,
    )


def _counting(bot: subprocess.Popen[bytes], on: bool) -> None:
    """Switch callgrind's counting in the bot process on or off."""
    command = ["callgrind_control", "-i", "on" if on else "off", str(bot.pid)]
    subprocess.run(command, check=True, capture_output=True)


def _instructions() -> int:
    """The instructions callgrind counted (written when the bot process exits)."""
    return total_instructions(CALLGRIND_OUT)


def _edits_reach(api: FakeBotApi, target: int):  # type: ignore[no-untyped-def]
    """A predicate, cheap to re-check after every call: `target` edits were received."""
    seen = {"index": 0, "edits": 0}

    def reached() -> bool:
        calls = api.world.calls
        for call in calls[seen["index"] :]:
            seen["edits"] += call.method == "editMessageText"
        seen["index"] = len(calls)
        return seen["edits"] >= target

    return reached


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _round(
    api: FakeBotApi, bot: subprocess.Popen[bytes], targets: list[tuple], presses: int
) -> tuple[float, float]:  # type: ignore[type-arg]
    """Presses over `targets` (rounds of «В работе», then «Выполнено»): (rate, CPU per press)."""
    before = len(api.calls("editMessageText"))
    cpu = _cpu_seconds(bot.pid)
    started = time.perf_counter()
    for n in range(presses):
        user, message_id, reminder_id = targets[n % len(targets)]
        code = "ip" if (n // len(targets)) % 2 == 0 else "dn"
        api.press_button(user, message_id, f"st:{reminder_id}:{code}")
    # Block on the server's condition (no polling): this thread then leaves the
    # interpreter to the server thread.
    await asyncio.to_thread(api.wait_for, _edits_reach(api, before + presses), 600)
    elapsed = time.perf_counter() - started
    return presses / elapsed, (_cpu_seconds(bot.pid) - cpu) / presses


async def bench(
    presses: int, contacts: int, rounds: int, database_url: str, *, callgrind: bool = False
) -> list[tuple[float, float]]:
    """(presses/s, bot CPU seconds per press) of each round; each round has its own contacts.

    With `callgrind`: one round, and the bot's instructions per press in place of its CPU.
    """
    engine = make_engine(database_url)
    upgrade(engine)
    factory = make_session_factory(engine)
    results = []
    with FakeBotApi() as api:
        targets = await _send_reminders(api, factory, contacts * rounds)
        bot = _start_bot(api, database_url, callgrind=callgrind)
        try:
            await api.until(lambda: len(api.calls("getUpdates")) >= 1, within=600)
            for r in range(rounds):
                mine = targets[r * contacts : (r + 1) * contacts]
                if callgrind:
                    _counting(bot, True)
                results.append(await _round(api, bot, mine, presses))
                if callgrind:
                    _counting(bot, False)
        finally:
            bot.terminate()
            bot.communicate(timeout=300)
    engine.dispose()
    if callgrind:
        results = [(rate, _instructions() / presses) for rate, _ in results]
    return results


async def _serve() -> None:
    """The bot process: the real Application until SIGTERM."""
    import signal

    from bot.app import build_application
    from bot.runner import serve
    from bot.settings import load_settings

    settings = load_settings()
    engine = make_engine(settings.database_url)
    factory = make_session_factory(engine)
    application = build_application(settings, factory, clock=Clock())
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    profile = cProfile.Profile(time.process_time) if os.environ.get("BENCH_PROFILE") else None

    async def started(_: object) -> None:
        if profile is not None:
            profile.enable()

    await serve(application, settings, stop=stop, poll_timeout=1.0, on_started=started)
    if profile is not None:  # CPU time spent serving, by function
        profile.disable()
        profile.dump_stats(os.environ["BENCH_PROFILE"])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--presses", type=int, default=800)
    parser.add_argument("--contacts", type=int, default=400, help="contacts a round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (the median is shown)")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument(
        "--callgrind", action="store_true", help="count the bot's instructions per press instead"
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve())
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        rounds = 1 if args.callgrind else args.rounds
        results = asyncio.run(
            bench(args.presses, args.contacts, rounds, url, callgrind=args.callgrind)
        )
    backend = url.split(":")[0]
    if args.callgrind:
        print(
            f"{args.presses} presses by {args.contacts} contacts under callgrind ({backend}): "
            f"the bot executed {results[0][1] / 1e6:.2f} M instructions per press"
        )
        return
    rates = sorted(rate for rate, _ in results)
    rate = statistics.median(rates)
    cpu = statistics.median(cpu for _, cpu in results)
    print(
        f"{args.presses} presses by {args.contacts} contacts, median of {args.rounds} rounds: "
        f"{rate:.0f} presses/s ({backend}; rounds {', '.join(f'{r:.0f}' for r in rates)}); "
        f"the bot's CPU per press: {cpu * 1000:.1f} ms (≈{1 / cpu:.0f} presses/s per core); "
        f"target {TARGET}/s: {'met' if rate >= TARGET else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
