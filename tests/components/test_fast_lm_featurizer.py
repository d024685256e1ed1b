"""components/fast_lm_featurizer.py: batches of concurrent messages, cached word splits, and
Rasa's own code for training and when switched off."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from components import fast_lm_featurizer
from components.fast_lm_featurizer import FastLanguageModelFeaturizer, MicroBatcher

PAD = 0


def fake_model(calls: list, gate: threading.Event | None = None):
    """A stand-in for MiniLM: each token's features depend only on its own id and mask."""

    def run(token_ids: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
        calls.append(token_ids.shape)
        if gate is not None:
            gate.wait(5)
        return np.stack([token_ids * attention_mask, token_ids + attention_mask], axis=-1)

    return run


def message(length: int, first: int) -> tuple:
    token_ids = np.arange(first, first + length, dtype=np.int32)[None, :]
    return token_ids, np.ones((1, length), dtype=np.float32)


def test_a_lone_message_runs_at_once_unpadded():
    calls = []
    batcher = MicroBatcher(fake_model(calls), PAD)
    token_ids, mask = message(5, 100)
    assert np.array_equal(batcher(token_ids, mask), fake_model([])(token_ids, mask))
    assert calls == [(1, 5)]


def test_waiting_messages_run_together_and_each_gets_its_own_features():
    calls, gate = [], threading.Event()
    batcher = MicroBatcher(fake_model(calls, gate), PAD, runners=1)
    messages = [message(length, 100 * i) for i, length in enumerate([3, 9, 5, 7, 4], start=1)]
    with ThreadPoolExecutor(len(messages)) as pool:
        first = pool.submit(batcher, *messages[0])
        while not calls:  # the first message holds MiniLM; the others queue behind it
            threading.Event().wait(0.001)
        rest = [pool.submit(batcher, *m) for m in messages[1:]]
        while len(batcher._pending) < len(rest):
            threading.Event().wait(0.001)
        gate.set()
        results = [first.result(5)] + [future.result(5) for future in rest]
    assert calls == [(1, 3), (4, 9)]  # one batch for the four that waited, padded to 9
    for (token_ids, mask), result in zip(messages, results, strict=True):
        assert np.array_equal(result, fake_model([])(token_ids, mask))


def test_a_failing_message_fails_alone_and_nothing_hangs():
    gate = threading.Event()
    calls = []

    def model(token_ids, attention_mask):
        calls.append(token_ids.shape)
        gate.wait(5)
        if (token_ids == 666).any():
            raise RuntimeError("model failed")
        return fake_model([])(token_ids, attention_mask)

    batcher = MicroBatcher(model, PAD, runners=1)
    messages = [message(4, 100), message(3, 665), message(5, 200), message(2, 300)]
    with ThreadPoolExecutor(4) as pool:
        first = pool.submit(batcher, *messages[0])
        while not calls:
            threading.Event().wait(0.001)
        rest = [pool.submit(batcher, *m) for m in messages[1:]]
        while len(batcher._pending) < 3:
            threading.Event().wait(0.001)
        gate.set()
        assert np.array_equal(first.result(5), fake_model([])(*messages[0]))
        with pytest.raises(RuntimeError, match="model failed"):
            rest[0].result(5)
        for future, (token_ids, mask) in zip(rest[1:], messages[2:], strict=True):
            assert np.array_equal(future.result(5), fake_model([])(token_ids, mask))
    # the batch of three failed, then each of its messages ran on its own
    assert calls == [(1, 4), (3, 5), (1, 3), (1, 5), (1, 2)]


def test_batches_are_capped():
    calls, gate = [], threading.Event()
    batcher = MicroBatcher(fake_model(calls, gate), PAD, runners=1, max_batch=3)
    with ThreadPoolExecutor(8) as pool:
        first = pool.submit(batcher, *message(2, 1))
        while not calls:
            threading.Event().wait(0.001)
        rest = [pool.submit(batcher, *message(2, 10 * i)) for i in range(7)]
        while len(batcher._pending) < 7:
            threading.Event().wait(0.001)
        gate.set()
        for future in [first, *rest]:
            future.result(5)
    assert [shape[0] for shape in calls] == [1, 3, 3, 1]


class Tokenizer:
    """Counts tokenizer calls; splits a word into two-letter pieces."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, text: str):
        self.calls += 1
        pieces = [text[i : i + 2] for i in range(0, len(text), 2)]
        return [hash(piece) % 1000 for piece in pieces], pieces


def featurizer_without_model(monkeypatch, tokenizer: Tokenizer, **switches: str):
    """The component with its switches read as in __init__, and a stand-in for the tokenizer."""
    for name, value in switches.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(
        fast_lm_featurizer.LanguageModelFeaturizer,
        "_lm_tokenize",
        lambda self, text: tokenizer(text),
    )
    monkeypatch.setattr(fast_lm_featurizer.LanguageModelFeaturizer, "__init__", lambda *a: None)
    return FastLanguageModelFeaturizer()


def test_each_word_is_tokenized_once_with_the_same_result(monkeypatch):
    tokenizer = Tokenizer()
    featurizer = featurizer_without_model(monkeypatch, tokenizer)
    first = featurizer._lm_tokenize("trafficking")
    first[0].append(-1)  # a caller changing its lists changes nothing cached
    assert featurizer._lm_tokenize("trafficking") == Tokenizer()("trafficking")
    assert tokenizer.calls == 1


def test_the_word_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(fast_lm_featurizer, "MAX_CACHED_WORDS", 3)
    featurizer = featurizer_without_model(monkeypatch, Tokenizer())
    for word in ["a1", "b2", "c3", "d4", "e5"]:
        featurizer._lm_tokenize(word)
    assert len(featurizer._word_splits) <= 3
    assert featurizer._lm_tokenize("e5") == Tokenizer()("e5")


def test_switched_off_it_runs_rasas_code(monkeypatch):
    tokenizer = Tokenizer()
    featurizer = featurizer_without_model(
        monkeypatch, tokenizer, LM_TOKEN_CACHE="0", COMPILE_LANGUAGE_MODEL="0"
    )
    featurizer._lm_tokenize("word")
    featurizer._lm_tokenize("word")
    assert tokenizer.calls == 2
    rasa_calls = []
    monkeypatch.setattr(
        fast_lm_featurizer.LanguageModelFeaturizer,
        "_compute_batch_sequence_features",
        lambda self, mask, ids: rasa_calls.append(ids) or np.zeros(1),
    )
    featurizer._compute_batch_sequence_features(np.ones((1, 2)), [[1, 2]])
    assert rasa_calls == [[[1, 2]]] and featurizer._compiled is None


def test_training_runs_rasas_transformer_call(monkeypatch, tmp_path):
    """Training features come from Rasa's own call (once per text: later trainings reuse them),
    so a model trains exactly as with Rasa's."""
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path))
    featurizer = featurizer_without_model(monkeypatch, Tokenizer())
    featurizer.model_name, featurizer.model_weights = "bert", str(tmp_path / "weights")
    rasa_calls = []
    monkeypatch.setattr(
        fast_lm_featurizer.LanguageModelFeaturizer,
        "_compute_batch_sequence_features",
        lambda self, mask, ids: rasa_calls.append(ids) or np.ones((len(ids), len(ids[0]), 2)),
    )
    seen = []

    def train(self, data):
        seen.append(self._training)
        self._compute_batch_sequence_features(np.ones((1, 3)), [[101, 7, 102]])
        return data

    monkeypatch.setattr(fast_lm_featurizer.LanguageModelFeaturizer, "process_training_data", train)
    featurizer.process_training_data("data")
    featurizer.process_training_data("data")
    assert seen == [True, True] and featurizer._training is False
    assert rasa_calls == [[[101, 7, 102]]]
    assert featurizer._feature_cache is None  # closed after each training
