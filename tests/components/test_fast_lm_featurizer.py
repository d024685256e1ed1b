"""components/fast_lm_featurizer.py: Rasa's own code for training and when switched off."""

from __future__ import annotations

import numpy as np

from components import fast_lm_featurizer
from components.fast_lm_featurizer import FastLanguageModelFeaturizer


def featurizer_without_model(monkeypatch, **switches: str):
    """The component with its switches read as in __init__, without loading MiniLM."""
    for name, value in switches.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(fast_lm_featurizer.LanguageModelFeaturizer, "__init__", lambda *a: None)
    return FastLanguageModelFeaturizer()


def test_switched_off_it_runs_rasas_code(monkeypatch):
    featurizer = featurizer_without_model(monkeypatch, COMPILE_LANGUAGE_MODEL="0")
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
    featurizer = featurizer_without_model(monkeypatch)
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
