"""Scoring and the evaluation report, on made-up predictions (no model is trained here)."""

from __future__ import annotations

from tools.evaluate import save_result
from tools.nlu_scoring import Prediction, read_parse, summarise
from tools.report import compare, write_report


def test_faq_answers_are_scored_by_topic():
    parse = {
        "intent": {"name": "faq", "confidence": 0.9},
        "response_selector": {
            "faq": {
                "response": {"intent_response_key": "faq/signs_of_trafficking", "confidence": 0.7}
            }
        },
    }
    assert read_parse(parse) == ("faq/signs_of_trafficking", 0.9, 0.7)
    assert read_parse({"intent": {"name": "greet", "confidence": 0.8}}) == ("greet", 0.8, None)


def test_a_fallback_on_an_off_topic_message_counts_as_right():
    assert Prediction("weather?", "out_of_scope", "nlu_fallback", 0.4).correct
    assert not Prediction("help me", "emergency", "nlu_fallback", 0.4).correct


def predictions(wrong_emergency=False):
    made = [Prediction(f"alpha {i}", "faq/alpha", "faq/alpha", 0.9) for i in range(8)]
    made += [Prediction("beta 1", "faq/beta", "faq/alpha", 0.5)]
    made += [Prediction(f"beta {i}", "faq/beta", "faq/beta", 0.9) for i in range(2, 8)]
    made += [Prediction("help now", "emergency", "greet" if wrong_emergency else "emergency", 0.9)]
    made += [Prediction("weather", "out_of_scope", "nlu_fallback", 0.3)]
    return made


def test_summary_has_the_gate_rates_and_the_confused_pairs():
    summary = summarise(predictions())
    # Accuracy is on in-scope questions, as in the held-out test (tests/nlu/test_heldout.py).
    assert summary["n"] == 17 and summary["accuracy"] == round(15 / 16, 4)
    assert summary["emergency_recall"] == 1.0 and summary["out_of_scope_rate"] == 1.0
    assert summary["per_label"]["faq/beta"]["recall"] == round(6 / 7, 4)
    assert summary["confused_pairs"] == [
        {"expected": "faq/beta", "predicted": "faq/alpha", "count": 1, "examples": ["beta 1"]}
    ]


def evaluation(day: str, model: str, heldout: dict, **more) -> dict:
    """An evaluation result as tools.evaluate writes it."""
    return {
        "date": f"2026-11-{day} 10:00",
        "model": f"{model}.tar.gz",
        "fingerprint": model,
        "heldout": heldout,
        **more,
    }


def test_the_report_shows_what_changed_with_pictures(tmp_path):
    before = evaluation("01", "a", summarise(predictions()))
    after = evaluation(
        "02",
        "b",
        summarise(predictions(wrong_emergency=True)),
        cross_validation={**summarise(predictions()), "folds": 3},
    )
    root = tmp_path
    assert save_result(root, before) is None
    assert save_result(root, after) == before
    assert (root / "results/evaluation/previous.json").exists()

    changes = compare(before, after)
    report = write_report(after, changes, tmp_path / "results/evaluation")
    text = report.read_text(encoding="utf-8")
    assert "**No**: in-scope test questions understood" in text
    assert "emergency messages recognised as emergencies: 0.0%, needs at least 100%" in text
    assert "Compared with the evaluation of 2026-11-01 10:00" in text
    assert "Emergencies recognised: 100.0% → 0.0% (-100.0 points)" in text
    assert '"help now": about emergency, now taken for greet' in text
    assert "**faq: beta** taken for **faq: alpha**: 1 time" in text
    for picture in (
        "heldout_scores.png",
        "heldout_confusion.png",
        "cross_validation_scores.png",
        "cross_validation_confusion.png",
    ):
        assert f"]({picture})" in text
        assert (tmp_path / "results/evaluation" / picture).stat().st_size > 1000


def test_the_report_shows_each_other_language_apart_from_the_gate(tmp_path):
    wrong = [{"text": "hola", "expected": "es", "got": "en"}]
    result = evaluation(
        "02",
        "b",
        summarise(predictions()),
        heldout_languages={"fr": summarise(predictions(wrong_emergency=True))},
        language_detection={
            "all": {"accuracy": 0.5, "examples": 2, "wrong": wrong},
            "very_short": {"accuracy": 1.0, "examples": 1, "wrong": []},
        },
    )
    text = write_report(result, {}, tmp_path).read_text(encoding="utf-8")
    gate = text.split("## Ready to publish?", 1)[1].split("##", 1)[0]
    # French's missed emergency is not the English gate's
    assert "| emergency messages recognised as emergencies | 100.0% ✅ | 100% |" in gate
    assert "| fr | 17 | 87.5% | 0.0% | 100.0% |" in text
    assert (
        "Language detection on held-out messages: 50.0% of 2; very short ones 100.0% of 1" in text
    )
    assert '- "hola": es taken for en' in text
