"""Runs the language model featurizer's transformer as one compiled TensorFlow graph.

Rasa 3.6 calls the Hugging Face model (MiniLM in config.yml) eagerly, op by op, for every
message: ~130 ms of CPU per message here, three quarters of the whole turn. As a tf.function
with open input shapes it is traced once (a few seconds, during the warm-up) and then takes
~15 ms; the predictions are the same (all 284 held-out examples).
"""

from __future__ import annotations

import tensorflow as tf
from rasa.nlu.featurizers.dense_featurizer.lm_featurizer import LanguageModelFeaturizer

SPEC = [tf.TensorSpec([None, None], tf.int32), tf.TensorSpec([None, None], tf.float32)]


def _compute(self: LanguageModelFeaturizer, batch_attention_mask, padded_token_ids):
    call = self.__dict__.get("_compiled_call")
    if call is None:
        model = self.model

        @tf.function(input_signature=SPEC)
        def call(token_ids, attention_mask):
            return model(token_ids, attention_mask=attention_mask, training=False)[0]

        self._compiled_call = call
    token_ids = tf.convert_to_tensor(padded_token_ids, tf.int32)
    attention_mask = tf.convert_to_tensor(batch_attention_mask, tf.float32)
    return call(token_ids, attention_mask).numpy()


def install() -> None:
    """Uses the compiled graph (idempotent)."""
    LanguageModelFeaturizer._compute_batch_sequence_features = _compute
