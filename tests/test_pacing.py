"""Pacing: 25 messages a second overall, one a second per chat, 429 blocks; no real sleep."""

from __future__ import annotations

import itertools

import pytest

from scheduler.runtime.pacing import Pacer


class FakeTime:
    """A monotonic clock that only moves when the pacer sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def pacer(fake_time: FakeTime, **kwargs: float) -> Pacer:
    return Pacer(clock=fake_time.clock, sleep=fake_time.sleep, **kwargs)  # type: ignore[arg-type]


async def test_overall_limit_holds_in_every_second(fake_time: FakeTime) -> None:
    p = pacer(fake_time)
    moments = []
    for n in range(100):
        await p.wait(chat_id=n)  # all different chats: only the overall limit applies
        moments.append(fake_time.now)
    assert moments[24] == moments[0]  # the first 25 go at once
    assert moments[25] == pytest.approx(moments[0] + 1.0)
    for i in range(len(moments)):
        in_window = [m for m in moments if moments[i] <= m < moments[i] + 1.0]
        assert len(in_window) <= 25
    assert moments[-1] - moments[0] == pytest.approx(3.0)


async def test_one_message_a_second_per_chat(fake_time: FakeTime) -> None:
    p = pacer(fake_time)
    moments = []
    for _ in range(5):
        await p.wait(chat_id=7)
        moments.append(fake_time.now)
    gaps = [b - a for a, b in itertools.pairwise(moments)]
    assert gaps == pytest.approx([1.0] * 4)


async def test_other_chats_do_not_wait_for_a_busy_one(fake_time: FakeTime) -> None:
    p = pacer(fake_time)
    await p.wait(chat_id=1)
    await p.wait(chat_id=2)
    await p.wait(chat_id=3)
    assert fake_time.sleeps == []
    assert p.delay(1) == pytest.approx(1.0)


async def test_block_after_429(fake_time: FakeTime) -> None:
    p = pacer(fake_time)
    p.block(5, 30)
    assert p.blocked_for(5) == pytest.approx(30)
    assert p.blocked_for(6) == 0
    fake_time.now += 10
    assert p.blocked_for(5) == pytest.approx(20)
    p.block(5, 1)  # a shorter answer does not shorten the block
    assert p.blocked_for(5) == pytest.approx(20)


async def test_unlimited_never_sleeps(fake_time: FakeTime) -> None:
    p = Pacer.unlimited()
    for _ in range(1000):
        await p.wait(chat_id=1)
    assert p.waited == 0
