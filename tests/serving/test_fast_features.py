"""serving/fast_features.py joins sparse features exactly as Rasa does."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from serving import fast_features

RASA_COMBINE_FEATURES = Message._combine_features


def random_coo(rows: int, cols: int, dtype, seed: int) -> scipy.sparse.coo_matrix:
    return scipy.sparse.random(
        rows, cols, density=0.05, format="coo", dtype=dtype, random_state=seed
    )


@pytest.mark.parametrize(
    "left_dtype, right_dtype",
    [(np.float32, np.float32), (np.float32, np.float64), (np.int64, np.float32)],
)
def test_hstack_is_scipys(left_dtype, right_dtype):
    left, right = random_coo(7, 30, left_dtype, 1), random_coo(7, 500, right_dtype, 2)
    ours, theirs = fast_features.hstack_coo(left, right), scipy.sparse.hstack([left, right])
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    assert (ours.row == theirs.row).all() and (ours.col == theirs.col).all()
    assert (ours.data == theirs.data).all()


def sparse_features(origin: str, cols: int, seed: int) -> Features:
    return Features(random_coo(5, cols, np.float32, seed), "sequence", "text", origin)


def test_combined_features_are_rasas_and_leave_the_originals_alone():
    parts = [sparse_features("a", 10, 1), sparse_features("b", 20, 2), sparse_features("c", 5, 3)]
    before = [part.features.toarray() for part in parts]
    theirs = RASA_COMBINE_FEATURES(parts, ["a", "b", "c"])
    fast_features.install()
    try:
        ours = Message._combine_features(parts, ["a", "b", "c"])
    finally:
        Message._combine_features = staticmethod(RASA_COMBINE_FEATURES)
    assert (ours.features.toarray() == theirs.features.toarray()).all()
    assert (ours.type, ours.attribute, ours.origin) == (
        theirs.type,
        theirs.attribute,
        theirs.origin,
    )
    assert ours.features is not parts[0].features
    assert all((p.features.toarray() == b).all() for p, b in zip(parts, before, strict=True))


def test_many_blocks_join_as_scipy_joins_them():
    blocks = [
        random_coo(6, cols, dtype, seed)
        for seed, (cols, dtype) in enumerate(
            [(3, np.float32), (40, np.float32), (1, np.float64), (17, np.float32)]
        )
    ]
    ours, theirs = fast_features.hstack_coo(*blocks), scipy.sparse.hstack(blocks)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    assert (ours.row == theirs.row).all() and (ours.col == theirs.col).all()
    assert (ours.data == theirs.data).all()


def test_other_sparse_formats_go_to_scipy():
    left = Features(scipy.sparse.csr_matrix(np.eye(3, dtype=np.float32)), "sequence", "text", "a")
    right = Features(random_coo(3, 4, np.float32, 5), "sequence", "text", "b")
    expected = scipy.sparse.hstack([left.features, right.features]).toarray()
    fast_features._combine_sparse_features(left, right)
    assert (left.features.toarray() == expected).all()
