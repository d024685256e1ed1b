"""serving/lean_load.py falls back to Rasa's loading when weights would be missing."""

from __future__ import annotations

from serving import lean_load


class Status:
    def __init__(self, complete: bool):
        self.complete = complete

    def expect_partial(self):
        return self

    def assert_existing_objects_matched(self):
        if not self.complete:
            raise AssertionError("Unresolved object in checkpoint: layer/kernel\nmore detail")


def fake_model(complete: bool):
    class FakeModel:
        predicted_on = None

        def load_weights(self, path):
            self.path = path
            return Status(complete)

        def run_inference(self, data):
            self.predicted_on = data

    return FakeModel


def test_builds_by_predicting_when_every_weight_is_restored(monkeypatch):
    monkeypatch.setattr(lean_load, "_rasa_load", lambda *a, **k: "rasa")
    model = lean_load._load_for_serving(fake_model(True), "weights", "example", "predict example")
    assert model.path == "weights" and model.predicted_on == "predict example"


def test_loads_rasas_way_when_a_weight_is_missing(monkeypatch, caplog):
    monkeypatch.setattr(lean_load, "_rasa_load", lambda *a, **k: "rasa")
    assert lean_load._load_for_serving(fake_model(False), "weights", "example") == "rasa"
    assert "loading it Rasa's way" in caplog.text


def test_fine_tuning_loads_rasas_way(monkeypatch):
    monkeypatch.setattr(lean_load, "_rasa_load", lambda *a, **k: "rasa")
    assert lean_load._load_for_serving(fake_model(True), "w", "example", None, True) == "rasa"
