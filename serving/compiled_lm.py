"""Runs the language model featurizer's transformer as one compiled TensorFlow graph.

Rasa 3.6 calls the Hugging Face model (MiniLM in config.yml) eagerly, op by op, for every
message: ~130 ms of CPU per message here, three quarters of the whole turn. As a tf.function
with open input shapes it is traced once (a few seconds, during the warm-up) and then takes
~9 ms; the predictions are the same (all held-out examples).

Most of those 9 ms go to reading MiniLM's weights from memory, once per call, not per message:
four short messages in one call take ~14 ms. With `batching`, messages that reach MiniLM while
it is busy with others wait and then go through together, as one padded batch (padding is
masked out, as in Rasa's own batches; the features differ by ~2e-6). Nothing waits for a batch
to fill: a message that finds MiniLM free runs at once, so a lone message is as fast as before,
and under load the CPU time per message falls. At most `RUNNERS` batches run at once (one per
core). If a batch fails, its messages run again one by one, so a failure reaches only its own
conversation.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Callable, List

import numpy as np
import tensorflow as tf
from rasa.nlu.featurizers.dense_featurizer.lm_featurizer import LanguageModelFeaturizer

SPEC = [tf.TensorSpec([None, None], tf.int32), tf.TensorSpec([None, None], tf.float32)]
RUNNERS = 2
MAX_BATCH = 8

_batching = False


@dataclass
class _Request:
    token_ids: np.ndarray
    attention_mask: np.ndarray
    done: bool = False
    result: Any = None
    error: BaseException | None = None


@dataclass
class MicroBatcher:
    """Joins concurrent calls of `run(token_ids, attention_mask)` into padded batches."""

    run: Callable[[np.ndarray, np.ndarray], np.ndarray]
    pad_id: int
    runners: int = RUNNERS
    max_batch: int = MAX_BATCH
    _pending: List[_Request] = field(default_factory=list)
    _running: int = 0
    _condition: threading.Condition = field(default_factory=threading.Condition)

    def __call__(self, token_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        request = _Request(token_ids, attention_mask)
        with self._condition:
            self._pending.append(request)
            while not request.done:
                if self._running < self.runners and self._pending:
                    batch = self._pending[: self.max_batch]
                    del self._pending[: self.max_batch]
                    self._running += 1
                    self._condition.release()
                    try:
                        self._run_batch(batch)
                    finally:
                        self._condition.acquire()
                        self._running -= 1
                        self._condition.notify_all()
                else:
                    self._condition.wait()
        if request.error is not None:
            raise request.error
        return request.result

    def _run_batch(self, batch: List[_Request]) -> None:
        try:
            if len(batch) > 1:
                try:
                    outputs = self._run_padded(batch)
                except Exception:  # one message's failure must not fail the others'
                    outputs = None
                if outputs is not None:
                    for request, output in zip(batch, outputs, strict=True):
                        request.result = output
                    return
            for request in batch:
                try:
                    request.result = self.run(request.token_ids, request.attention_mask)
                except BaseException as error:  # raised in the thread of that message
                    request.error = error
        finally:
            for request in batch:
                request.done = True

    def _run_padded(self, batch: List[_Request]) -> List[np.ndarray]:
        length = max(request.token_ids.shape[1] for request in batch)
        token_ids = np.concatenate(
            [_pad(request.token_ids, length, self.pad_id) for request in batch]
        )
        attention_mask = np.concatenate(
            [_pad(request.attention_mask, length, 0) for request in batch]
        )
        output = self.run(token_ids, attention_mask)
        outputs, row = [], 0
        for request in batch:
            rows, columns = request.token_ids.shape
            outputs.append(output[row : row + rows, :columns])
            row += rows
        return outputs


def _pad(array: np.ndarray, length: int, value: Any) -> np.ndarray:
    if array.shape[1] == length:
        return array
    return np.pad(array, ((0, 0), (0, length - array.shape[1])), constant_values=value)


def _compiled(featurizer: LanguageModelFeaturizer) -> Callable:
    model = featurizer.model

    @tf.function(input_signature=SPEC)
    def call(token_ids, attention_mask):
        return model(token_ids, attention_mask=attention_mask, training=False)[0]

    # Called as a concrete function: the inputs already have the signature's types, and
    # tf.function's per-call checks of them cost more Python time than the conversion.
    concrete = call.get_concrete_function()

    def run(token_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        inputs = [tf.constant(token_ids), tf.constant(attention_mask)]
        return concrete._call_flat(inputs, concrete.captured_inputs).numpy()

    return MicroBatcher(run, featurizer.pad_token_id) if _batching else run


_setup_lock = threading.Lock()


def _compute(self: LanguageModelFeaturizer, batch_attention_mask, padded_token_ids):
    call = self.__dict__.get("_compiled_call")
    if call is None:
        with _setup_lock:
            call = self.__dict__.get("_compiled_call")
            if call is None:
                call = self._compiled_call = _compiled(self)
    return call(
        np.asarray(padded_token_ids, dtype=np.int32),
        np.asarray(batch_attention_mask, dtype=np.float32),
    )


def install(batching: bool = True) -> None:
    """Uses the compiled graph, joining concurrent messages if `batching` (idempotent)."""
    global _batching
    _batching = batching
    LanguageModelFeaturizer._compute_batch_sequence_features = _compute
