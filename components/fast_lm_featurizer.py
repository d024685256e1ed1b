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
  held-out examples, tests/nlu/test_served_predictions.py). Messages parsed in several threads
  (serving/nlu_threads.py) call it at the same time; TensorFlow releases Python's lock while it
  computes.

The switch is an environment variable read when the model loads ("0" keeps Rasa's code); the
list of switches is serving/switches.py.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any, Callable, List

import numpy as np
import tensorflow as tf
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.featurizers.dense_featurizer.lm_featurizer import LanguageModelFeaturizer
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.lm_feature_cache import FeatureCache, cache_file, weights_identity

logger = logging.getLogger(__name__)

SPEC = [tf.TensorSpec([None, None], tf.int32), tf.TensorSpec([None, None], tf.float32)]


def _switched_on(name: str) -> bool:
    return os.environ.get(name, "1") != "0"


def compiled_model(featurizer: LanguageModelFeaturizer) -> Callable:
    """The featurizer's transformer as one concrete function."""
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

    return run


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class FastLanguageModelFeaturizer(LanguageModelFeaturizer):
    """LanguageModelFeaturizer with a compiled transformer when serving."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._compile = _switched_on("COMPILE_LANGUAGE_MODEL")
        self._training = False
        self._feature_cache: FeatureCache | None = None
        self._compiled: Callable | None = None
        self._setup_lock = threading.Lock()

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
                    self._compiled = compiled_model(self)
        return self._compiled(
            np.asarray(padded_token_ids, dtype=np.int32),
            np.asarray(batch_attention_mask, dtype=np.float32),
        )
