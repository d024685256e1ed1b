"""Builds the offline spaCy pipeline Rasa's SpacyNLP loads.

No English model for spaCy 3.4 can be downloaded here, so this makes a blank
English pipeline with a lookup lemmatizer (tables from spacy-lookups-data).

One classifier serves English and French, and its word features are English. The
lemma table also gets French lemmas ("menacée" -> "menacer", "papiers" -> "papier"),
under their written form and without accents, as people often type French; so the
count features see one word where French writes many forms. A French form that is
also a common English word keeps its English lemma.
"""

import gzip
import json
import sys
import unicodedata
from pathlib import Path

import spacy
import spacy_lookups_data

LOOKUPS = Path(spacy_lookups_data.__file__).parent / "data"
# spaCy's English word log-probabilities: above this a form counts as an English word
# ("est", "je" and "sont" are below it; "pays", "font" and "sort" above).
ENGLISH_LOG_PROB = -12.0


def without_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _table(name: str) -> dict:
    with gzip.open(LOOKUPS / f"{name}.json.gz", "rt", encoding="utf-8") as handle:
        return json.load(handle)


def french_lemmas(english_words: set) -> dict:
    """French form -> lemma without accents, for forms that are not English words."""
    lemmas = {}
    for form, lemma in _table("fr_lemma_lookup").items():
        lemma = without_accents(lemma[0] if isinstance(lemma, list) else lemma)
        for key in (form, without_accents(form)):
            if key.isalpha() and key not in english_words and key not in lemmas:
                lemmas[key] = lemma
    return lemmas


def build(target: Path) -> None:
    nlp = spacy.blank("en")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    table = lemmatizer.lookups.get_table("lemma_lookup")
    english = {w for w, p in _table("en_lexeme_prob").items() if p > ENGLISH_LOG_PROB}
    english.update(_table("en_lemma_lookup"))
    added = 0
    for form, lemma in french_lemmas(english).items():
        if form not in table:
            table[form] = lemma
            added += 1
    target.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    check = spacy.load(target)
    english_lemmas = [t.lemma_ for t in check("they were taking passports")]
    french = [t.lemma_ for t in check("elles sont menacées, ils ont pris mes papiers")]
    print(f"spaCy pipeline written to {target}: lemmas {english_lemmas} {french}; {added} French")


if __name__ == "__main__":
    build(Path(sys.argv[1] if len(sys.argv) > 1 else "build/spacy_en_fr"))
