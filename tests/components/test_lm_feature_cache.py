"""components/lm_feature_cache.py: a training after a few new examples runs only those through
the transformer, and gets the same features for the rest."""

from __future__ import annotations

import numpy as np
import pytest

from components.lm_feature_cache import PRUNE_AFTER_DAYS, FeatureCache, cache_file

DIM = 3


class Transformer:
    """A stand-in: each token's features depend on its id and its position; counts the texts."""

    def __init__(self) -> None:
        self.texts = 0
        self.widths: list = []

    def __call__(self, mask: np.ndarray, padded: list) -> np.ndarray:
        ids = np.asarray(padded, dtype=np.float32)
        self.texts += len(padded)
        self.widths.append(ids.shape[1])
        positions = np.arange(ids.shape[1], dtype=np.float32)[None, :]
        return np.stack([ids, ids * 2 + positions, mask * 1.0], axis=-1).astype(np.float32)


def batch(*texts: list) -> tuple:
    width = max(len(t) for t in texts)
    padded = [t + [0] * (width - len(t)) for t in texts]
    mask = np.array([[1.0] * len(t) + [0.0] * (width - len(t)) for t in texts])
    return mask, padded


@pytest.fixture
def path(tmp_path):
    return tmp_path / "cache" / "lm_features.db"


def test_texts_seen_in_an_earlier_training_are_not_run_again(path):
    mask, padded = batch([101, 7, 8, 102], [101, 9, 102])
    first = Transformer()
    expected = first(mask, padded)
    cache = FeatureCache(path, "weights-a")
    got = cache.sequence_features(mask, padded, Transformer())
    cache.close()
    again, later = Transformer(), FeatureCache(path, "weights-a")
    kept = later.sequence_features(mask, padded, again)
    assert again.texts == 0 and (later.hits, later.misses) == (2, 0)
    for features in (got, kept):
        assert features.shape == (2, 4, DIM)
        np.testing.assert_array_equal(features[0], expected[0])
        np.testing.assert_array_equal(features[1, :3], expected[1, :3])
        assert not features[1, 3:].any()  # padding stays zero; Rasa drops it


def test_only_a_new_text_runs_padded_to_its_own_length(path):
    FeatureCache(path, "w").sequence_features(*batch([101, 5, 102]), Transformer())
    transformer, cache = Transformer(), FeatureCache(path, "w")
    mask, padded = batch([101, 5, 102, 0, 0][:3], [101, 6, 6, 6, 102])
    features = cache.sequence_features(mask, padded, transformer)
    assert transformer.texts == 1 and transformer.widths == [5]
    np.testing.assert_array_equal(features[1], Transformer()(*batch([101, 6, 6, 6, 102]))[0])


def test_a_text_repeated_in_a_batch_runs_once(path):
    """Every example question of an FAQ topic carries the topic's answer: one run per answer."""
    answer, question = [101, 4, 4, 4, 4, 102], [101, 3, 102]
    mask, padded = batch(answer, question, answer, answer)
    transformer, cache = Transformer(), FeatureCache(path, "w")
    features = cache.sequence_features(mask, padded, transformer)
    assert transformer.texts == 2 and (cache.hits, cache.misses) == (2, 2)
    expected = Transformer()(mask, padded)
    np.testing.assert_array_equal(features, np.where(mask[..., None] > 0, expected, 0.0))


def test_other_weights_do_not_share_features(path):
    FeatureCache(path, "old weights").sequence_features(*batch([101, 5, 102]), Transformer())
    transformer = Transformer()
    FeatureCache(path, "new weights").sequence_features(*batch([101, 5, 102]), transformer)
    assert transformer.texts == 1


def test_an_unusable_file_only_costs_time(tmp_path):
    broken = tmp_path / "lm_features.db"
    broken.write_bytes(b"this is not a database" * 100)
    transformer = Transformer()
    mask, padded = batch([101, 5, 102])
    features = FeatureCache(broken, "w").sequence_features(mask, padded, transformer)
    np.testing.assert_array_equal(features, Transformer()(mask, padded))
    assert transformer.texts == 1


def test_rows_unused_for_a_month_are_deleted(path):
    now = [1_000_000_000.0]
    clock = lambda: now[0]  # noqa: E731
    cache = FeatureCache(path, "w", clock)
    cache.sequence_features(*batch([101, 5, 102]), Transformer())
    cache.close()
    now[0] += (PRUNE_AFTER_DAYS + 1) * 86_400
    FeatureCache(path, "w", clock).close()
    transformer = Transformer()
    FeatureCache(path, "w", clock).sequence_features(*batch([101, 5, 102]), transformer)
    assert transformer.texts == 1


def test_it_follows_rasas_cache_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path))
    assert cache_file() == tmp_path / "lm_features.db"
    monkeypatch.setenv("RASA_MAX_CACHE_SIZE", "0")
    assert cache_file() is None
