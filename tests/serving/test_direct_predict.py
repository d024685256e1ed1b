"""serving/direct_predict.py calls the compiled graph only with inputs its signature takes.

That the served models predict exactly as Rasa's is tests/nlu/test_served_predictions.py.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from serving.direct_predict import _fits

SPEC = tf.TensorSpec([None, None, 5], tf.float32)


def test_inputs_of_the_signatures_type_and_shape_fit():
    assert _fits(np.zeros((1, 3, 5), np.float32), SPEC)
    assert _fits(np.zeros((4, 9, 5), np.float32), SPEC)


def test_anything_else_goes_to_rasa():
    assert not _fits(np.zeros((1, 3, 5), np.float64), SPEC)
    assert not _fits(np.zeros((1, 3, 4), np.float32), SPEC)
    assert not _fits(np.zeros((3, 5), np.float32), SPEC)
    assert not _fits([[[0.0] * 5]], SPEC)
