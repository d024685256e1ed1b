"""tools/train.py: after an edit, Rasa finetunes the newest model when it can, else trains anew."""

from __future__ import annotations

import pytest

from tools import train as training


@pytest.fixture
def runs(monkeypatch):
    calls, answers = [], []

    def rasa_train(root, *extra):
        calls.append(extra)
        return answers.pop(0) if answers else 0

    monkeypatch.setattr(training, "rasa_train", rasa_train)
    return calls, answers


def model_in(root):
    models = root / "models"
    models.mkdir()
    model = models / "20261130-000000-known.tar.gz"
    model.write_bytes(b"model")
    return model


def test_a_quick_training_finetunes_the_newest_model(tmp_path, runs):
    calls, _ = runs
    model = model_in(tmp_path)
    assert training.train(tmp_path, quick=True) == 0
    fraction = str(training.FINETUNE_EPOCH_FRACTION)
    assert calls == [("--finetune", str(model), "--epoch-fraction", fraction)]


def test_when_rasa_cannot_finetune_a_new_model_is_trained(tmp_path, runs):
    calls, answers = runs
    model_in(tmp_path)
    answers.extend([1, 0])  # e.g. a new topic: Rasa refuses to finetune
    assert training.train(tmp_path, quick=True) == 0
    assert calls[1] == ()


def test_without_a_model_or_when_asked_the_training_is_full(tmp_path, runs):
    calls, answers = runs
    assert training.train(tmp_path, quick=True) == 0
    model_in(tmp_path)
    answers.extend([0, 2])
    assert training.train(tmp_path) == 0
    assert training.train(tmp_path) == 2  # a failed training is reported as failed
    assert calls == [(), (), ()]
