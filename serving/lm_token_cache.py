"""Remembers how the language model's tokenizer splits each word.

Before MiniLM runs, Rasa 3.6 passes every word of the message through the Hugging Face
tokenizer on its own (`_lm_tokenize`): pure Python, ~4 % of the server's Python time under
load. A word always splits the same way, so the split is kept in a bounded cache per
featurizer; callers get fresh lists, as from the tokenizer.
"""

from __future__ import annotations

from typing import Dict, List, Tuple

from rasa.nlu.featurizers.dense_featurizer.lm_featurizer import LanguageModelFeaturizer

MAX_WORDS = 20_000

_rasa_lm_tokenize = LanguageModelFeaturizer._lm_tokenize


def _lm_tokenize(self: LanguageModelFeaturizer, text: str) -> Tuple[List[int], List[str]]:
    cache: Dict[str, Tuple[Tuple[int, ...], Tuple[str, ...]]]
    cache = self.__dict__.setdefault("_token_cache", {})
    split = cache.get(text)
    if split is None:
        ids, strings = _rasa_lm_tokenize(self, text)
        split = (tuple(ids), tuple(strings))
        if len(cache) >= MAX_WORDS:
            cache.clear()
        cache[text] = split
    return list(split[0]), list(split[1])


def install(on: bool = True) -> None:
    """Caches word splits (`on`) or tokenizes every word as Rasa does. Idempotent."""
    LanguageModelFeaturizer._lm_tokenize = _lm_tokenize if on else _rasa_lm_tokenize
