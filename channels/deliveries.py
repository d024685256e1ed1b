"""Webhook deliveries: each provider message is answered once, and after the webhook has replied.

Providers retry a delivery they think failed (no 2xx in time) and an attacker can replay a signed
one; both would make the assistant answer, and send SMS, twice. So each verified delivery's
provider id (Twilio's MessageSid, Telegram's update_id, Messenger's mid) is remembered for
DELIVERY_ID_TTL_S seconds in a bounded LRU, and a repeat gets 200 with nothing sent.

The webhook answers as soon as the delivery is verified and recorded; the dialogue and the
outgoing sends run afterwards in a background task, whose failures are logged without text.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections import OrderedDict
from typing import Any, Callable, Coroutine, Set

logger = logging.getLogger(__name__)

DEFAULT_TTL_S = 24 * 3600
DEFAULT_MAX_IDS = 50_000


class RecentIds:
    """Ids seen in the last `ttl_s` seconds, at most `max_ids` of them (oldest forgotten first)."""

    def __init__(
        self, ttl_s: float, max_ids: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl_s = ttl_s
        self.max_ids = max_ids
        self.clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()

    def __len__(self) -> int:
        return len(self._seen)

    def first_time(self, key: str) -> bool:
        """Records `key`; False if it was already recorded within the TTL."""
        now = self.clock()
        self._expire(now)
        if key in self._seen:
            return False
        self._seen[key] = now
        while len(self._seen) > self.max_ids:
            self._seen.popitem(last=False)
        return True

    def _expire(self, now: float) -> None:
        while self._seen:
            key, at = next(iter(self._seen.items()))
            if now - at < self.ttl_s:
                break
            del self._seen[key]


def recent_ids() -> RecentIds:
    return RecentIds(
        float(os.environ.get("DELIVERY_ID_TTL_S", DEFAULT_TTL_S)),
        int(os.environ.get("DELIVERY_ID_MAX", DEFAULT_MAX_IDS)),
    )


# One memory for the whole server: the ids are prefixed with the channel's name.
SEEN = recent_ids()
_running: Set[asyncio.Task] = set()


def first_delivery(channel: str, provider_id: Any) -> bool:
    """False for a delivery already answered; a delivery without an id is always answered."""
    if provider_id in (None, ""):
        return True
    return SEEN.first_time(f"{channel}:{provider_id}")


def pending() -> int:
    """Deliveries still being answered."""
    return len(_running)


def answer_later(channel: str, work: Coroutine[Any, Any, None]) -> None:
    """Runs `work` after the webhook has replied; a failure is logged without its text."""
    task = asyncio.get_running_loop().create_task(_logged(channel, work))
    _running.add(task)
    task.add_done_callback(_running.discard)


async def _logged(channel: str, work: Coroutine[Any, Any, None]) -> None:
    try:
        await work
    except Exception as error:  # noqa: BLE001 - the webhook has already answered
        logger.error("%s: answering a delivery failed (%s).", channel, type(error).__name__)
