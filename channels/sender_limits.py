"""A per-sender message rate limit for every channel, in bounded memory.

Each conversation may send SENDER_BURST messages at once (default 15), then one every 60 /
SENDER_PER_MINUTE seconds (default 30 a minute, one every 2 s): more than a fast typist on a phone,
far less than a script. Over the limit a message skips the dialogue (no NLU, no actions): it gets a
short static reply that always carries 911 and the hotline, so a person in crisis who writes fast
is never left with silence. On the messaging channels, where every reply is a paid send, that reply
goes out once per burst; after it, only messages that match the danger patterns are answered (with
911 and the hotline) until the sender slows down.

Buckets live in an LRU of at most SENDER_LIMIT_MAX_SENDERS conversations (default 20,000); a
forgotten sender starts again with a full bucket. Limits per client address belong in the
reverse proxy (a website sender id is chosen by the client).
"""

from __future__ import annotations

import enum
import os
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

DEFAULT_BURST = 15
DEFAULT_PER_MINUTE = 30
DEFAULT_MAX_SENDERS = 20_000


class Verdict(enum.Enum):
    OK = "ok"  # within the limit
    FIRST_OVER = "first_over"  # the first message over the limit since the sender was within it
    STILL_OVER = "still_over"  # later messages over the limit


@dataclass
class _Bucket:
    tokens: float
    at: float
    told: bool = False  # the sender has been told to slow down in this burst


class SenderLimiter:
    def __init__(
        self,
        burst: int,
        per_minute: float,
        max_senders: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.burst = max(1, burst)
        self.per_second = max(per_minute, 0.001) / 60.0
        self.max_senders = max_senders
        self.clock = clock
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def __len__(self) -> int:
        return len(self._buckets)

    def check(self, sender: str) -> Verdict:
        now = self.clock()
        bucket = self._buckets.pop(sender, None) or _Bucket(float(self.burst), now)
        self._buckets[sender] = bucket
        while len(self._buckets) > self.max_senders:
            self._buckets.popitem(last=False)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.per_second)
        bucket.at = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            bucket.told = False
            return Verdict.OK
        if bucket.told:
            return Verdict.STILL_OVER
        bucket.told = True
        return Verdict.FIRST_OVER


def limiter_from_env() -> SenderLimiter:
    return SenderLimiter(
        int(os.environ.get("SENDER_BURST", DEFAULT_BURST)),
        float(os.environ.get("SENDER_PER_MINUTE", DEFAULT_PER_MINUTE)),
        int(os.environ.get("SENDER_LIMIT_MAX_SENDERS", DEFAULT_MAX_SENDERS)),
    )


# One limiter for the server; keys are conversation ids, prefixed with the channel's name.
LIMITER = limiter_from_env()


def rate_verdict(channel: str, sender: str) -> Verdict:
    return LIMITER.check(f"{channel}:{sender}")
