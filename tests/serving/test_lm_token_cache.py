"""serving/lm_token_cache.py gives the tokenizer's own word splits, as fresh lists."""

from __future__ import annotations

from serving import lm_token_cache


class Featurizer:
    """Counts tokenizer calls; splits a word into two-letter pieces."""

    def __init__(self) -> None:
        self.calls = 0

    def tokenize(self, text: str):
        self.calls += 1
        pieces = [text[i : i + 2] for i in range(0, len(text), 2)]
        return [hash(piece) % 1000 for piece in pieces], pieces


def split(featurizer: Featurizer, word: str):
    original = lm_token_cache._rasa_lm_tokenize
    lm_token_cache._rasa_lm_tokenize = lambda self, text: self.tokenize(text)
    try:
        return lm_token_cache._lm_tokenize(featurizer, word)
    finally:
        lm_token_cache._rasa_lm_tokenize = original


def test_each_word_is_tokenized_once_with_the_same_result():
    featurizer = Featurizer()
    first = split(featurizer, "trafficking")
    first[0].append(-1)  # a caller changing its lists changes nothing cached
    again = split(featurizer, "trafficking")
    assert again == Featurizer().tokenize("trafficking")
    assert featurizer.calls == 1


def test_the_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(lm_token_cache, "MAX_WORDS", 3)
    featurizer = Featurizer()
    for word in ["a1", "b2", "c3", "d4", "e5"]:
        split(featurizer, word)
    assert len(featurizer._token_cache) <= 3
    assert split(featurizer, "e5") == Featurizer().tokenize("e5")
