"""A tiny, valid copy of the project's content, for breaking one thing at a time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

# The tiny directory was checked a month ago, whenever the tests run.
RECENTLY = (dt.date.today() - dt.timedelta(days=30)).isoformat()

ORDINALS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
]


def examples(subject: str, count: int = 20) -> str:
    return "".join(f"    - {subject} question {word}\n" for word in ORDINALS[:count])


FRENCH_ORDINALS = [
    "première",
    "deuxième",
    "troisième",
    "quatrième",
    "cinquième",
    "sixième",
    "septième",
    "huitième",
    "neuvième",
    "dixième",
]


FRENCH_BLOCK = "  metadata:\n    language: fr\n  examples: |\n"


def french_examples(intent: str, subject: str) -> str:
    """The intent's French list: ten questions the language router reads as French."""
    return f"- intent: {intent}\n{FRENCH_BLOCK}" + "".join(
        f"    - je voudrais savoir {subject}, {word} fois\n" for word in FRENCH_ORDINALS
    )


def french_answer(topic: str) -> str:
    return (
        "  - condition:\n    - type: slot\n      name: language\n      value: fr\n"
        f'    text: "Le sujet {topic}, en français."\n'
    )


def faq_file(topic: str, answer: str, buttons: str = "") -> str:
    """A topic in English and French, as make check requires."""
    return (
        'version: "3.1"\nnlu:\n'
        f"- intent: faq/{topic}\n  examples: |\n{examples(topic)}"
        f"{french_examples(f'faq/{topic}', topic)}"
        f'responses:\n  utter_faq/{topic}:\n  - text: "{answer}"\n{buttons}{french_answer(topic)}'
    )


def nlu_file(intent: str, body: str = "") -> str:
    return f'version: "3.1"\nnlu:\n- intent: {intent}\n  examples: |\n{body or examples(intent)}'


def heldout(*first_questions) -> str:
    """Five test questions per intent: the given one, then "<intent> test n"."""
    blocks = "".join(
        f"- intent: {intent}\n  examples: |\n    - {question}\n"
        + "".join(f"    - {intent.split('/')[-1]} test {n}\n" for n in range(2, 6))
        for intent, question in first_questions
    )
    return f'version: "3.1"\nnlu:\n{blocks}'


FILES = {
    "config.yml": """recipe: default.v1
language: en
assistant_id: tiny-test
pipeline: []
policies:
  - name: RulePolicy
""",
    "endpoints.yml": "action_endpoint:\n  url: http://localhost:5055/webhook\n",
    "domain.yml": """version: "3.1"
intents:
  - faq
  - greet
  - request_help
  - out_of_scope
  - nlu_fallback
responses:
  utter_greet:
    - text: "Hi. In danger right now? Call 911."
      buttons:
        - title: "What is alpha?"
          payload: "/faq/alpha"
        - title: "Get help"
          payload: "/request_help"
  utter_help:
    - text: "The hotline is open 24/7: 1-833-900-1010."
  utter_fallback:
    - text: "Sorry, I did not understand."
""",
    "data/rules.yml": """version: "3.1"
rules:
  - rule: faq
    steps:
      - intent: faq
      - action: utter_faq
  - rule: greet
    steps:
      - intent: greet
      - action: utter_greet
  - rule: help
    steps:
      - intent: request_help
      - action: utter_help
  - rule: out of scope
    steps:
      - intent: out_of_scope
      - action: utter_fallback
  - rule: fallback
    steps:
      - intent: nlu_fallback
      - action: utter_fallback
""",
    "data/faq/alpha.yml": faq_file(
        "alpha",
        "Alpha is the first topic.",
        '    buttons:\n    - title: "And beta?"\n      payload: "/faq/beta"\n',
    ),
    "data/faq/beta.yml": faq_file("beta", "Beta is the second topic."),
    "data/nlu/greet.yml": nlu_file("greet"),
    "data/nlu/request_help.yml": nlu_file("request_help"),
    "data/nlu/out_of_scope.yml": nlu_file("out_of_scope"),
    "data/nlu/location_lookup.yml": (
        'version: "3.1"\nnlu:\n- lookup: location\n  examples: |\n'
        "    - British Columbia\n    - Vancouver\n"
    ),
    "data/referrals/places.yml": """provinces:
  BC:
    name: British Columbia
    aliases: [bc]
    places:
      - {name: Vancouver, regions: [vancouver]}
      - {name: Mission, regions: [fraser_valley], ambiguous: true}
""",
    "data/referrals/services.yml": f"""services:
  - id: hotline
    name: Canadian Human Trafficking Hotline
    about: A confidential hotline.
    phone: ["1-833-900-1010", "911"]
    hours: 24/7
    languages: 200+ languages
    coverage: canada
    audiences: [trafficking, octip, sex_workers, youth, reporting, emergency]
    police: false
    status: active
    source: "example source"
    last_verified: "{RECENTLY}"
    verified_by: "read the service's own pages"
    about_fr: Une ligne confidentielle.
    hours_fr: 24 h sur 24
    languages_fr: plus de 200 langues

  - id: old_service
    name: A closed service
    about: It closed.
    phone: ["1-800-555-0100"]
    coverage: bc
    audiences: [sex_workers]
    police: false
    status: closed
""",
    "tests/nlu/heldout.yml": heldout(
        ("faq/alpha", "tell me all about the alpha topic"),
        ("faq/beta", "what does beta mean for me"),
        ("greet", "good morning to you"),
        ("request_help", "please get me some help"),
        ("out_of_scope", "what is the weather"),
    ),
}


def write_project(root: Path) -> Path:
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def tiny(tmp_path) -> Path:
    return write_project(tmp_path / "project")


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def edit():
    """edit(root, file, old, new): replaces `old` (which must be there) in one file of the copy."""
    return _edit
