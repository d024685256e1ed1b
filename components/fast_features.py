"""Joins a message's sparse features faster, with the same result as Rasa.

Before DIET and the response selector classify a message, Rasa 3.6 joins the sparse features of
each featurizer (regex, lexical, word and character counts) with scipy's `hstack`, after a
`deepcopy` of the first one: about a tenth of the Python time of a whole turn here. For two COO
matrices, `hstack` is the concatenation of their entries with the second's columns shifted, which
numpy does in a quarter of the time; the matrices are equal entry for entry, dtype included.
Other cases go to scipy. The first feature is copied with `copy()` instead of `deepcopy`.

components/serving.py installs it for serving; training keeps Rasa's code.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

_rasa_combine_sparse = Features._combine_sparse_features


def hstack_coo(left: scipy.sparse.coo_matrix, right: scipy.sparse.coo_matrix):
    """scipy.sparse.hstack([left, right]) for two COO matrices with the same number of rows."""
    dtype = np.result_type(left.dtype, right.dtype)
    data = np.concatenate(
        [left.data.astype(dtype, copy=False), right.data.astype(dtype, copy=False)]
    )
    rows = np.concatenate([left.row, right.row])
    cols = np.concatenate([left.col, right.col + left.shape[1]])
    return scipy.sparse.coo_matrix(
        (data, (rows, cols)), shape=(left.shape[0], left.shape[1] + right.shape[1])
    )


def _combine_sparse_features(self: Features, additional_features: Features) -> None:
    left, right = self.features, additional_features.features
    if not (
        isinstance(left, scipy.sparse.coo_matrix)
        and isinstance(right, scipy.sparse.coo_matrix)
        and left.shape[0] == right.shape[0]
    ):
        return _rasa_combine_sparse(self, additional_features)
    self.features = hstack_coo(left, right)
    self._cached_fingerprint = None


def _combine_features(features, featurizers):
    combined = None
    for feature in features:
        if combined is None:
            combined = Features(
                feature.features.copy(), feature.type, feature.attribute, featurizers
            )
        else:
            combined.combine_with_features(feature)
    return combined


def install() -> None:
    """Uses the faster joins (idempotent)."""
    Features._combine_sparse_features = _combine_sparse_features
    Message._combine_features = staticmethod(_combine_features)
