"""A bounded asyncio/aiohttp load generator for the REST channel on 127.0.0.1.

`concurrency` conversations run at once, each a closed loop (send, wait for the reply, send the
next). With no think time (the default) the server is never idle: the worst case for a burst of
traffic. With `think_s`, each conversation waits that long after a reply, as a person reading
and typing would (and a bit faster), and the conversations start spread over one such pause
rather than all at once (in step, they would arrive as bursts of `concurrency` messages).
Each conversation asks a few FAQ questions, then a new conversation starts. A level stops after
`duration_s` seconds or `max_messages` messages, whichever comes first.

An error is anything but a 200 with at least one bot message that has text.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import time
from dataclasses import dataclass, field
from typing import Dict, List, Sequence

import aiohttp

LOOPBACK_PREFIX = "http://127.0.0.1:"


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class LevelResult:
    concurrency: int
    duration_s: float = 0.0
    latencies_ms: List[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: Dict[str, int] = field(default_factory=dict)

    @property
    def messages(self) -> int:
        return len(self.latencies_ms) + self.errors

    @property
    def throughput_mps(self) -> float:
        return len(self.latencies_ms) / self.duration_s if self.duration_s else 0.0

    def summary(self) -> Dict[str, float]:
        return {
            "p50": round(percentile(self.latencies_ms, 50), 1),
            "p95": round(percentile(self.latencies_ms, 95), 1),
            "p99": round(percentile(self.latencies_ms, 99), 1),
        }

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


async def _send(
    session: aiohttp.ClientSession, url: str, sender: str, text: str, result: LevelResult
) -> None:
    start = time.perf_counter()
    try:
        async with session.post(url, json={"sender": sender, "message": text}) as reply:
            body = await reply.json(content_type=None) if reply.status == 200 else None
            status = reply.status
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        result.error(type(error).__name__)
        return
    elapsed_ms = (time.perf_counter() - start) * 1000
    if status != 200:
        result.error(f"HTTP {status}")
    elif not isinstance(body, list) or not any(isinstance(m, dict) and m.get("text") for m in body):
        result.error("no bot message")
    else:
        result.latencies_ms.append(elapsed_ms)


async def run_level(
    base_url: str,
    concurrency: int,
    questions: Sequence[str],
    duration_s: float = 8.0,
    max_messages: int = 2000,
    turns_per_conversation: int = 4,
    request_timeout_s: float = 30.0,
    tag: str = "bench",
    think_s: float = 0.0,
) -> LevelResult:
    """Runs one concurrency level and returns its latencies and errors."""
    if not base_url.startswith(LOOPBACK_PREFIX):
        raise ValueError("the load generator only targets 127.0.0.1")
    url = base_url + "/webhooks/rest/webhook"
    result = LevelResult(concurrency)
    budget = itertools.count()
    timeout = aiohttp.ClientTimeout(total=request_timeout_s)
    connector = aiohttp.TCPConnector(limit=concurrency)

    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        start = time.perf_counter()
        deadline = start + duration_s

        async def conversation_loop(worker: int) -> None:
            if think_s:  # people do not all press send at the same moment: spread the starts
                await asyncio.sleep(think_s * worker / concurrency)
            k = worker % len(questions)
            asked = itertools.cycle([*questions[k:], *questions[:k]])
            for conversation in itertools.count():
                sender = f"{tag}-c{concurrency}-w{worker}-{conversation}"
                for _ in range(turns_per_conversation):
                    if time.perf_counter() >= deadline or next(budget) >= max_messages:
                        return
                    await _send(session, url, sender, next(asked), result)
                    if think_s:
                        await asyncio.sleep(think_s)

        await asyncio.gather(*(conversation_loop(w) for w in range(concurrency)))
        result.duration_s = time.perf_counter() - start
    return result


def knee(levels: Sequence[LevelResult], share: float = 0.9) -> LevelResult | None:
    """The lowest concurrency whose throughput is within `share` of the best: where the
    throughput curve flattens and more concurrency only adds waiting."""
    if not levels:
        return None
    best = max(level.throughput_mps for level in levels)
    return next(level for level in levels if level.throughput_mps >= share * best)
