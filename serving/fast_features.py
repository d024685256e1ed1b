"""Joins a message's sparse features faster, with the same result as Rasa.

Before DIET and the response selector classify a message, Rasa 3.6 joins the sparse features of
each featurizer (regex, lexical, word and character counts) with scipy's `hstack`, after a
`deepcopy` of the first one: about a tenth of the Python time of a whole turn here. For COO
matrices, `hstack` is the concatenation of their entries with each one's columns shifted past
the previous ones, which numpy does in a quarter of the time; the matrices are equal entry for
entry, dtype included. When every feature is COO with the same rows, all are joined in one step
(one new matrix rather than one per featurizer). Other cases go to scipy, one pair at a time.
The first feature is copied with `copy()` instead of `deepcopy`.

serving/patches.py installs it for serving; training keeps Rasa's code.
"""

from __future__ import annotations

import itertools

import numpy as np
import scipy.sparse
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

_rasa_combine_sparse = Features._combine_sparse_features


def hstack_coo(*blocks: scipy.sparse.coo_matrix) -> scipy.sparse.coo_matrix:
    """scipy.sparse.hstack(blocks) for COO matrices with the same number of rows."""
    dtype = np.result_type(*(block.dtype for block in blocks))
    offsets = list(itertools.accumulate((block.shape[1] for block in blocks), initial=0))
    data = np.concatenate([block.data.astype(dtype, copy=False) for block in blocks])
    rows = np.concatenate([block.row for block in blocks])
    cols = np.concatenate(
        [block.col + offset for block, offset in zip(blocks, offsets[:-1], strict=True)]
    )
    return scipy.sparse.coo_matrix((data, (rows, cols)), shape=(blocks[0].shape[0], offsets[-1]))


def _all_coo(features) -> bool:
    rows = features[0].features.shape[0]
    return all(
        isinstance(feature.features, scipy.sparse.coo_matrix) and feature.features.shape[0] == rows
        for feature in features
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
    if len(features) > 1 and _all_coo(features):
        first = features[0]
        matrix = hstack_coo(*(feature.features for feature in features))
        return Features(matrix, first.type, first.attribute, featurizers)
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
