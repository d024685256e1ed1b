"""Builds the offline English spaCy pipeline Rasa's SpacyNLP loads.

No English model for spaCy 3.4 can be downloaded here, so this makes a blank
English pipeline with a lookup lemmatizer (tables from spacy-lookups-data).
"""

import sys
from pathlib import Path

import spacy


def build(target: Path) -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    target.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(target)
    lemmas = [t.lemma_ for t in spacy.load(target)("they were taking passports")]
    print(f"spaCy pipeline written to {target}: lemmas {lemmas}")


if __name__ == "__main__":
    build(Path(sys.argv[1] if len(sys.argv) > 1 else "build/spacy_en"))
