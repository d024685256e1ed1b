"""Where things live in the project. Every command takes a project root so tests can use a copy."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DOMAIN = "domain.yml"
CONFIG = "config.yml"
ENDPOINTS = "endpoints.yml"
DATA = "data"
FAQ_DIR = "data/faq"
NLU_DIR = "data/nlu"
SERVICES = "data/referrals/services.yml"
PLACES = "data/referrals/places.yml"
LOCATION_LOOKUP = "data/nlu/location_lookup.yml"
TRANSLATION_REVIEW = "data/translations/review.yml"
# Content under data/ that Rasa does not train on: the directory and places are published with
# the model (an edit to them needs no training), the review record is read by `make check`.
# The Makefile's TRAIN_INPUTS leaves out the same folders.
NOT_TRAINED_DIRS = ("data/referrals", "data/translations")
WIDGET_SCRIPT = "web/static/chat-widget.js"
HELDOUT = "tests/nlu/heldout.yml"
HELDOUT_FR = "tests/nlu/heldout_fr.yml"  # French held-out, scored through REST on the whole reply
HELDOUT_BY_LANGUAGE = {"en": HELDOUT, "fr": HELDOUT_FR}
HELDOUT_FR_FRESH = "tests/nlu/heldout_fr_fresh.yml"  # the same kind, by a later writer
# Every held-out set of a language other than English, by the name `tools.situations --set` gives
# it; the first is the language's set in HELDOUT_BY_LANGUAGE.
# A French development set: written like the held-out sets, but its misses are read and fixed.
DEV_FR = "tests/nlu/dev_fr.yml"
OTHER_LANGUAGE_SETS = {"fr": {"heldout": HELDOUT_FR, "fresh": HELDOUT_FR_FRESH, "dev": DEV_FR}}
LANGUAGES_HELDOUT = "tests/nlu/languages_heldout.yml"  # bridge-language and very short messages
SITUATIONS = "tests/nlu/situations.yml"  # held-out whole messages, scored on the whole reply
SITUATIONS_FRESH = "tests/nlu/situations_fresh.yml"  # the same kind, by a second writer
SITUATIONS_THIRD = "tests/nlu/situations_third.yml"  # and by a third
SITUATIONS_FOURTH = "tests/nlu/situations_fourth.yml"  # and by a fourth
SITUATIONS_FIFTH = "tests/nlu/situations_fifth.yml"  # and by a fifth, text-speak and minors first
# Written like the held-out sets by a writer who saw no training data, but its misses are read
# and fixed: a development set, not a measure of what the assistant does on unseen messages.
SITUATIONS_DEV = "tests/nlu/situations_dev.yml"
# Each set by its name for `python -m tools.situations --set`.
SITUATION_SETS = {
    "situations": SITUATIONS,
    "fresh": SITUATIONS_FRESH,
    "third": SITUATIONS_THIRD,
    "fourth": SITUATIONS_FOURTH,
    "fifth": SITUATIONS_FIFTH,
    "dev": SITUATIONS_DEV,
}
# Single messages about danger now, or only sounding like it, in English and French
# (`python -m tools.danger --set`): the development sets' misses are read and fixed, the held-out
# set is only scored.
DANGER_DEV = "tests/nlu/danger_dev.yml"
DANGER_DEV_SECOND = "tests/nlu/danger_dev_second.yml"  # by a second writer, stories first
DANGER_HELDOUT = "tests/nlu/danger_heldout.yml"
DANGER_SETS = {"dev": DANGER_DEV, "second": DANGER_DEV_SECOND, "heldout": DANGER_HELDOUT}
MODELS = "models"
TRAINED_STAMP = "models/.trained"  # touched by `make train` (see the Makefile)
PUBLISHED = "models/published"
# The service directory and places published with the live model: what the running services read.
PUBLISHED_SERVICES = "models/published/referrals/services.yml"
PUBLISHED_PLACES = "models/published/referrals/places.yml"
EVALUATION = "results/evaluation"
REVIEW = "results/review"


def relative(path: Path, root: Path) -> str:
    """A path as staff see it: relative to the project root, with forward slashes."""
    try:
        return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return str(path)
