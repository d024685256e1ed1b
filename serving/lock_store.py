"""The cluster's lock store (deploy/cluster/endpoints.yml): Rasa's RedisLockStore, without a
wait that never ends.

Rasa 3.6 gives every message a ticket that expires after TICKET_LOCK_LIFETIME seconds and lets a
message through when its ticket is the lowest one left. When a replica dies while it holds a
conversation, the message nginx sends on to another replica waits for the dead ticket to expire.
Both tickets have the same lifetime, and the waiting message checks once a second: when the dead
ticket and its own expire between two checks, no ticket is left, Rasa's `is_locked` stays true
for ever and the message is never answered. Here a message whose own ticket expired while it
waited, with no earlier ticket left, takes its place back at the front and goes on.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, InMemoryLockStore, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig


class _ExpiredTicketGoesOn:
    async def _acquire_lock(
        self, conversation_id: str, ticket: int, wait_time_in_seconds: float
    ) -> TicketLock:
        while True:
            lock = self.get_lock(conversation_id)
            if not lock:  # as Rasa: the lock is gone (its store restarted)
                raise LockError(f"Could not acquire lock for conversation_id '{conversation_id}'.")
            if not lock.is_locked(ticket):
                return lock
            if lock._ticket_for_ticket_number(ticket) is None and all(
                other.number > ticket for other in lock.tickets
            ):
                lock.tickets.insert(0, Ticket(ticket, time.time() + LOCK_LIFETIME))
                self.save_lock(lock)
                return lock
            await asyncio.sleep(wait_time_in_seconds)
            self.update_lock(conversation_id)


class ClusterLockStore(_ExpiredTicketGoesOn, RedisLockStore):
    """`lock_store: {type: serving.lock_store.ClusterLockStore, url, port, password, db}`."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        super().__init__(host=endpoint_config.url, **endpoint_config.kwargs)


class InMemoryClusterLockStore(_ExpiredTicketGoesOn, InMemoryLockStore):
    """The same waiting on one process's memory (tests)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
