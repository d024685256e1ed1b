"""Cross-validation: train on part of the examples, test on the rest, and repeat.

It shows how well each intent and topic is learned from the examples themselves, without a
separate test set. The folds are drawn with a fixed seed so two reports on the same data agree.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import List

from tools import paths
from tools.nlu_scoring import ModelParser, Prediction
from tools.progress import minutes, no_warnings, say

SEED = 42


def _training_data(root: Path):
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_from_dict(
        config_path=str(root / paths.CONFIG),
        domain_path=str(root / paths.DOMAIN),
        training_data_paths=[str(root / paths.DATA)],
    )
    return importer.get_nlu_data()


def _folds(data, folds: int):
    """(train, test) TrainingData pairs, stratified by intent and FAQ topic."""
    from rasa.shared.nlu.training_data.training_data import TrainingData
    from sklearn.model_selection import StratifiedKFold

    examples = data.intent_examples
    labels = [e.get_full_intent() for e in examples]
    split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=SEED)
    for train_index, test_index in split.split(examples, labels):
        yield (
            TrainingData(
                training_examples=[examples[i] for i in train_index],
                entity_synonyms=data.entity_synonyms,
                regex_features=data.regex_features,
                lookup_tables=data.lookup_tables,
                responses=data.responses,
            ),
            [examples[i] for i in test_index],
        )


def cross_validate(root: Path, folds: int) -> List[Prediction]:
    """Predictions for every example, each made by a model that never saw it."""
    from rasa.model_training import train_nlu
    from rasa.nlu.test import drop_intents_below_freq
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter

    data = drop_intents_below_freq(_training_data(root), cutoff=folds)
    predictions: List[Prediction] = []
    started = time.monotonic()
    for number, (train, test) in enumerate(_folds(data, folds), 1):
        say(
            f"Cross-validation fold {number} of {folds}: training on {len(train.intent_examples)}"
            f" examples (the bars show the training rounds)..."
        )
        with tempfile.TemporaryDirectory(prefix="crossval-") as tmp:
            train_file = Path(tmp) / "train.yml"
            RasaYAMLWriter().dump(train_file, train)
            with no_warnings():
                model = train_nlu(str(root / paths.CONFIG), str(train_file), tmp)
            parser = ModelParser(Path(model))
            predictions += parser.predict(
                [(m.get("text"), m.get_full_intent()) for m in test],
                label=f"Fold {number}: scoring {len(test)} held-back examples",
            )
            parser.close()
        elapsed = time.monotonic() - started
        if number < folds:
            say(f"Fold {number} done; about {minutes(elapsed / number * (folds - number))} left.")
    return predictions
