"""Parses messages in worker threads, so that one conversation's NLU does not stop the others.

Rasa 3.6 runs the NLU pipeline on the server's event loop: while one message is being parsed
(about 30 ms here, most of it inside TensorFlow), no other request is read, no tracker is saved,
no reply is sent, and the second CPU core stays idle. TensorFlow releases Python's GIL while it
computes, so parsing in a small thread pool lets two messages use both cores and lets the event
loop carry on meanwhile. Each conversation is still handled one message at a time (Rasa's lock
store), and the NLU components only read their trained state when parsing.

serving/patches.py installs it (NLU_THREADS, default 4; 0 keeps Rasa's own behaviour).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.trackers import DialogueStateTracker

_rasa_parse_message = MessageProcessor.parse_message
_pool: ThreadPoolExecutor | None = None


async def _parse_in_thread(
    self: MessageProcessor,
    message: UserMessage,
    tracker: DialogueStateTracker | None = None,
    only_output_properties: bool = True,
) -> Dict[str, Any]:
    # Rasa 3.6.21's MessageProcessor.parse_message, with the graph run in the pool.
    if self.http_interpreter or _pool is None:
        return await _rasa_parse_message(self, message, tracker, only_output_properties)
    if tracker is None:
        tracker = DialogueStateTracker.from_events(message.sender_id, [])
    parse_data = await asyncio.get_running_loop().run_in_executor(
        _pool, self._parse_message_with_graph, message, tracker, only_output_properties
    )
    self._update_full_retrieval_intent(parse_data)
    self._check_for_unseen_features(parse_data)
    return parse_data


def install(threads: int) -> None:
    """Parses in `threads` worker threads (0: on the event loop, as Rasa does). Idempotent."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=False)
        _pool = None
    if threads > 0:
        _pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="nlu")
    MessageProcessor.parse_message = _parse_in_thread
