"""Rasa's LanguageModelFeaturizer, faster when serving, with the same features.

Named in config.yml in place of `LanguageModelFeaturizer` (same options). Training runs Rasa's
own code, except that each text's transformer output is kept between trainings
(components/lm_feature_cache.py; RASA_MAX_CACHE_SIZE=0 turns it off with Rasa's own cache), so a
training after a few new examples runs only those through the transformer. When the model serves
(`process`):

- the transformer (MiniLM in config.yml) runs as one compiled TensorFlow graph
  (COMPILE_LANGUAGE_MODEL). Rasa 3.6 calls the Hugging Face model eagerly, op by op, for every
  message, most of the CPU time of a whole turn here. As a tf.function with open input
  shapes it is traced once (during the server's warm-up) and the predictions are the same (all
  held-out examples, tests/nlu/test_served_predictions.py);
- messages that reach the transformer while it is busy wait and then go through together, as one
  padded batch (LANGUAGE_MODEL_BATCHING): most of a call's time goes to reading the weights, once
  per call, not per message. Padding is masked out, as in Rasa's own batches. Nothing waits for a
  batch to fill: a message that finds the transformer free runs at once. At most `RUNNERS`
  batches run at once (one per core). If a batch fails, its messages run again one by one, so a
  failure reaches only its own conversation;
- each word's split by the Hugging Face tokenizer is remembered (LM_TOKEN_CACHE): Rasa passes
  every word through the tokenizer on its own, in pure Python. A word always splits the same way;
  the cache is bounded and callers get fresh lists.

Each switch is an environment variable read when the model loads ("0" keeps Rasa's code); the
list of switches is serving/switches.py.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Tuple

import numpy as np
import tensorflow as tf
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.featurizers.dense_featurizer.lm_featurizer import LanguageModelFeaturizer
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.lm_feature_cache import FeatureCache, cache_file, weights_identity

logger = logging.getLogger(__name__)

SPEC = [tf.TensorSpec([None, None], tf.int32), tf.TensorSpec([None, None], tf.float32)]
RUNNERS = 2
MAX_BATCH = 8
MAX_CACHED_WORDS = 20_000


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


def _switched_on(name: str) -> bool:
    return os.environ.get(name, "1") != "0"


def compiled_model(featurizer: LanguageModelFeaturizer, batching: bool) -> Callable:
    """The featurizer's transformer as one concrete function, batching concurrent calls."""
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

    return MicroBatcher(run, featurizer.pad_token_id) if batching else run


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class FastLanguageModelFeaturizer(LanguageModelFeaturizer):
    """LanguageModelFeaturizer with a compiled, batched transformer and cached word splits."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._compile = _switched_on("COMPILE_LANGUAGE_MODEL")
        self._batching = _switched_on("LANGUAGE_MODEL_BATCHING")
        self._cache_words = _switched_on("LM_TOKEN_CACHE")
        self._training = False
        self._feature_cache: FeatureCache | None = None
        self._compiled: Callable | None = None
        self._setup_lock = threading.Lock()
        self._word_splits: Dict[str, Tuple[Tuple[int, ...], Tuple[str, ...]]] = {}

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._training = True
        path = cache_file()
        if path is not None:
            identity = weights_identity(self.model_name, str(self.model_weights))
            self._feature_cache = FeatureCache(path, identity)
        try:
            return super().process_training_data(training_data)
        finally:
            self._training = False
            if self._feature_cache is not None:
                cache, self._feature_cache = self._feature_cache, None
                logger.info(
                    "Transformer features: %d texts kept from earlier trainings, %d run.",
                    cache.hits,
                    cache.misses,
                )
                cache.close()

    def _lm_tokenize(self, text: str) -> Tuple[List[int], List[str]]:
        if not self._cache_words:
            return super()._lm_tokenize(text)
        split = self._word_splits.get(text)
        if split is None:
            ids, strings = super()._lm_tokenize(text)
            split = (tuple(ids), tuple(strings))
            if len(self._word_splits) >= MAX_CACHED_WORDS:
                self._word_splits.clear()
            self._word_splits[text] = split
        return list(split[0]), list(split[1])

    def _compute_batch_sequence_features(
        self, batch_attention_mask: np.ndarray, padded_token_ids: List[List[int]]
    ) -> np.ndarray:
        if self._training and self._feature_cache is not None:
            return self._feature_cache.sequence_features(
                batch_attention_mask, padded_token_ids, super()._compute_batch_sequence_features
            )
        if self._training or not self._compile:
            return super()._compute_batch_sequence_features(batch_attention_mask, padded_token_ids)
        if self._compiled is None:
            with self._setup_lock:
                if self._compiled is None:
                    self._compiled = compiled_model(self, self._batching)
        return self._compiled(
            np.asarray(padded_token_ids, dtype=np.int32),
            np.asarray(batch_attention_mask, dtype=np.float32),
        )
