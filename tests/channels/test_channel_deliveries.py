"""Bounded memories of the connectors: delivery ids (replays) and per-sender rate limits."""

from __future__ import annotations

import asyncio

import pytest

from channels import deliveries
from channels.deliveries import RecentIds
from channels.sender_limits import SenderLimiter, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_delivery_id_is_answered_once_within_the_ttl() -> None:
    clock = Clock()
    seen = RecentIds(ttl_s=60, max_ids=10, clock=clock)
    assert seen.first_time("twilio:SM1")
    assert not seen.first_time("twilio:SM1")
    assert seen.first_time("telegram:SM1"), "ids are kept per channel"
    clock.now = 61
    assert seen.first_time("twilio:SM1"), "forgotten after the TTL"


def test_delivery_ids_use_bounded_memory() -> None:
    seen = RecentIds(ttl_s=3600, max_ids=100, clock=Clock())
    for n in range(10_000):
        assert seen.first_time(f"id-{n}")
    assert len(seen) == 100
    assert not seen.first_time("id-9999")
    assert seen.first_time("id-0"), "the oldest are forgotten first"


def test_deliveries_without_an_id_are_always_answered(monkeypatch) -> None:
    monkeypatch.setattr(deliveries, "SEEN", RecentIds(60, 10))
    assert deliveries.first_delivery("messenger", "")
    assert deliveries.first_delivery("messenger", "")
    assert deliveries.first_delivery("telegram", 7)
    assert not deliveries.first_delivery("telegram", 7)


@pytest.mark.asyncio
async def test_background_answers_are_counted_and_failures_logged_without_text(caplog) -> None:
    marker = "zqmarker-background"
    started = asyncio.Event()
    release = asyncio.Event()

    async def slow() -> None:
        started.set()
        await release.wait()

    async def failing() -> None:
        raise RuntimeError(marker)

    deliveries.answer_later("sms", slow())
    deliveries.answer_later("sms", failing())
    await started.wait()
    assert deliveries.pending() >= 1
    release.set()
    while deliveries.pending():
        await asyncio.sleep(0.01)
    assert "RuntimeError" in caplog.text
    assert marker not in caplog.text


def test_rate_limit_allows_a_burst_then_a_steady_pace() -> None:
    clock = Clock()
    limiter = SenderLimiter(burst=15, per_minute=30, max_senders=10, clock=clock)
    assert [limiter.check("a") for _ in range(15)] == [Verdict.OK] * 15
    assert limiter.check("a") is Verdict.FIRST_OVER
    assert limiter.check("a") is Verdict.STILL_OVER
    assert limiter.check("b") is Verdict.OK, "other senders are not affected"
    clock.now += 2.0
    assert limiter.check("a") is Verdict.OK
    assert limiter.check("a") is Verdict.FIRST_OVER, "told again after being within the limit"


def test_a_fast_typist_is_never_limited() -> None:
    """A message every 2 s for ten minutes, after a burst of 15 quick ones."""
    clock = Clock()
    limiter = SenderLimiter(burst=15, per_minute=30, max_senders=10, clock=clock)
    for _ in range(15):
        assert limiter.check("typist") is Verdict.OK
        clock.now += 0.5
    for _ in range(300):
        clock.now += 2.0
        assert limiter.check("typist") is Verdict.OK


def test_rate_limit_memory_is_bounded() -> None:
    limiter = SenderLimiter(burst=2, per_minute=1, max_senders=50, clock=Clock())
    for n in range(5_000):
        limiter.check(f"sender-{n}")
    assert len(limiter) == 50
