"""serving/lock_store.py: a message waiting behind a dead replica's ticket is answered, where
Rasa's own lock store can wait for ever (both tickets expired between two checks)."""

from __future__ import annotations

import asyncio
import time

import pytest
from rasa.core.lock import Ticket
from rasa.core.lock_store import InMemoryLockStore

from serving.lock_store import InMemoryClusterLockStore

LIFETIME_S = 0.2
WAIT_S = 0.5  # longer than a lifetime: both tickets expire between two checks


def dead_replica_holds(store, conversation: str) -> None:
    """A ticket issued by a replica that died before it finished: it only expires."""
    lock = store.get_or_create_lock(conversation)
    lock.tickets.append(Ticket(lock.last_issued + 1, time.time() + LIFETIME_S))
    store.save_lock(lock)


async def take_turn(store, conversation: str) -> bool:
    async with store.lock(conversation, LIFETIME_S, WAIT_S):
        return True


async def test_a_message_behind_a_dead_ticket_goes_on():
    store = InMemoryClusterLockStore()
    dead_replica_holds(store, "c1")
    assert await asyncio.wait_for(take_turn(store, "c1"), timeout=5)
    assert store.get_lock("c1") is None  # cleaned up as Rasa does


async def test_rasas_own_store_waits_for_ever_there():
    store = InMemoryLockStore()
    dead_replica_holds(store, "c1")
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(take_turn(store, "c1"), timeout=3)


async def test_turns_still_wait_for_a_live_ticket():
    store = InMemoryClusterLockStore()
    order = []

    async def turn(name: str, hold_s: float) -> None:
        async with store.lock("c2", 30, 0.05):
            order.append(f"{name} in")
            await asyncio.sleep(hold_s)
            order.append(f"{name} out")

    await asyncio.gather(turn("first", 0.3), turn("second", 0))
    assert order == ["first in", "first out", "second in", "second out"]
