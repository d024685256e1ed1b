"""`make check`: each kind of mistake, made in a tiny copy of the data, is named with its line."""

from __future__ import annotations

import datetime as dt

import pytest

from tools.check import main, run_checks
from tools.checks.languages import (
    answers_in_each_language,
    examples_in_each_language,
    youth_text_in_each_language,
)
from tools.checks.translations import unreviewed
from tools.project import load_project

TODAY = dt.date.today()
RECENTLY = (TODAY - dt.timedelta(days=30)).isoformat()  # as in conftest.py


def problems_in(root, with_rasa=False):
    return run_checks(root, today=TODAY, with_rasa=with_rasa)


def only(root, with_rasa=False):
    problems = problems_in(root, with_rasa)
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_the_tiny_copy_passes_every_check_including_rasa(tiny):
    assert problems_in(tiny, with_rasa=True) == []


def test_invalid_yaml_names_the_line_and_the_likely_cause(tiny, edit):
    edit(tiny, "data/nlu/greet.yml", "  examples: |", "  examples: |\n\t- tab question")
    problem = only(tiny)
    assert (problem.file, problem.line) == ("data/nlu/greet.yml", 5)
    assert "not valid YAML: there is a tab character" in problem.message
    assert "spaces" in problem.fix


def test_unquoted_colon_is_explained(tiny, edit):
    edit(tiny, "data/faq/beta.yml", '"Beta is the second topic."', "Beta: the second topic")
    problem = only(tiny)
    assert problem.file == "data/faq/beta.yml"
    assert "a ':' appears where the file did not expect one" in problem.message
    assert "double quotes" in problem.fix


def test_an_example_in_two_intents(tiny, edit):
    edit(tiny, "data/nlu/greet.yml", "greet question first", "Alpha question FIRST!")
    problem = only(tiny)
    assert (problem.file, problem.line) == ("data/nlu/greet.yml", 5)
    assert 'The example "Alpha question FIRST!" (greet) is also an example of faq/alpha: ' in (
        problem.message
    )
    assert "data/faq/alpha.yml line 5" in problem.message


def test_near_duplicate_examples_across_intents(tiny, edit):
    edit(tiny, "data/faq/alpha.yml", "alpha question first", "how do i find the shelter downtown")
    edit(
        tiny,
        "data/nlu/request_help.yml",
        "request_help question first",
        "how do i find the sheltr downtown pls",
    )
    problem = only(tiny)
    assert problem.file == "data/nlu/request_help.yml" and problem.line == 5
    assert 'is almost the same as "how do i find the shelter downtown"' in problem.message
    assert "(similarity 1.00)" in problem.message


def test_different_questions_are_not_near_duplicates(tiny, edit):
    edit(tiny, "data/faq/alpha.yml", "alpha question first", "what is sex work")
    edit(tiny, "data/faq/beta.yml", "beta question first", "is sex work trafficking")
    assert problems_in(tiny) == []


def test_a_topic_without_an_answer(tiny, edit):
    edit(tiny, "data/faq/beta.yml", "utter_faq/beta:", "utter_faq/gamma:")
    messages = {p.message for p in problems_in(tiny)}
    assert 'The topic "beta" has example questions but no answer.' in messages
    assert any('The answer "utter_faq/gamma" belongs to no topic' in m for m in messages)


def test_an_answer_without_a_topic(tiny, edit):
    path = tiny / "data/faq/alpha.yml"
    path.write_text(
        path.read_text() + '  utter_more_alfa:\n  - text: "More about alpha."\n', encoding="utf-8"
    )
    problem = only(tiny)
    assert problem.file == "data/faq/alpha.yml"
    assert 'The "tell me more" answer "utter_more_alfa" belongs to no topic' in problem.message
    assert 'Did you mean "alpha"?' in problem.message


def test_a_faq_file_named_after_another_topic(tiny):
    (tiny / "data/faq/beta.yml").rename(tiny / "data/faq/betta.yml")
    problem = only(tiny)
    assert problem.file == "data/faq/betta.yml" and problem.line == 3
    assert 'holds "faq/beta", but files in data/faq/ hold the topic of their name' in (
        problem.message
    )


def test_an_intent_missing_from_the_domain(tiny, edit):
    edit(tiny, "domain.yml", "  - request_help\n", "")
    edit(tiny, "data/rules.yml", "      - intent: request_help\n", "      - intent: greet\n")
    problems = {(p.file, p.line, p.message) for p in problems_in(tiny)}
    assert (
        "data/nlu/request_help.yml",
        3,
        'The intent "request_help" is not listed in domain.yml.',
    ) in problems
    # ... and so the button that sends it points nowhere.
    assert len(problems) == 2


def test_too_few_examples(tiny, edit):
    edit(tiny, "data/nlu/greet.yml", "    - greet question twentieth\n", "")
    problem = only(tiny)
    assert (problem.file, problem.line) == ("data/nlu/greet.yml", 3)
    assert problem.message == '"greet" has only 19 example questions; it needs at least 20.'


def test_an_answer_that_is_too_long(tiny, edit):
    edit(tiny, "data/faq/beta.yml", "Beta is the second topic.", "word " * 121)
    problem = only(tiny)
    assert problem.file == "data/faq/beta.yml" and problem.line == 41
    assert problem.message == 'The answer "utter_faq/beta" is 121 words long; the limit is 120.'


def test_a_referral_entry_failing_the_schema(tiny, edit):
    edit(tiny, "data/referrals/services.yml", '"911"]', '"911", "call us"]')
    problem = only(tiny)
    assert (problem.file, problem.line) == ("data/referrals/services.yml", 5)
    assert "Entry 1 (hotline): phone 'call us' is not written like 1-800-555-0100" in (
        problem.message
    )


def test_a_referral_entry_past_its_last_verified_date(tiny, edit):
    stale = (TODAY - dt.timedelta(days=400)).isoformat()
    edit(tiny, "data/referrals/services.yml", f'"{RECENTLY}"', f'"{stale}"')
    problem = only(tiny)
    assert (problem.file, problem.line) == ("data/referrals/services.yml", 13)
    assert f"Entry 1 (hotline): last checked {stale} (400 days ago)" in problem.message
    assert f'last_verified: "{TODAY.isoformat()}"' in problem.fix


def test_a_referral_entry_checked_in_a_known_month_only(tiny, edit):
    month = (TODAY - dt.timedelta(days=30)).strftime("%Y-%m")
    edit(tiny, "data/referrals/services.yml", f'"{RECENTLY}"', f'"{month}"')
    assert problems_in(tiny) == []


def test_a_month_counts_from_its_first_day(tiny, edit):
    old = (TODAY.replace(day=1) - dt.timedelta(days=370)).strftime("%Y-%m")
    edit(tiny, "data/referrals/services.yml", f'"{RECENTLY}"', f'"{old}"')
    problem = only(tiny)
    assert f"Entry 1 (hotline): last checked {old}-01" in problem.message


def test_a_referral_entry_must_say_who_checked_it(tiny, edit):
    edit(
        tiny,
        "data/referrals/services.yml",
        '    verified_by: "read the service\'s own pages"\n',
        "",
    )
    problem = only(tiny)
    assert "Entry 1 (hotline): 'verified_by' is missing" in problem.message


def test_police_is_true_false_or_unconfirmed(tiny, edit):
    edit(
        tiny,
        "data/referrals/services.yml",
        "police: false\n    status: active",
        "police: maybe\n    status: active",
    )
    problem = only(tiny)
    assert "police must be true, false or unconfirmed" in problem.message
    edit(tiny, "data/referrals/services.yml", "police: maybe", "police: unconfirmed")
    assert problems_in(tiny) == []


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (
            "/faq/alpah",
            'points to /faq/alpah, but there is no FAQ topic "alpah". Did you mean "alpha"?',
        ),
        (
            "/request_halp",
            'points to /request_halp, but "request_halp" is not an intent in '
            'domain.yml. Did you mean "request_help"?',
        ),
    ],
)
def test_a_button_that_points_nowhere(tiny, edit, payload, message):
    edit(
        tiny,
        "domain.yml",
        '"/faq/alpha"' if "faq" in payload else '"/request_help"',
        f'"{payload}"',
    )
    problem = only(tiny)
    assert problem.file == "domain.yml" and problem.line in (12, 14)
    assert message in problem.message


def test_a_button_with_entities_needs_doubled_braces(tiny, edit):
    edit(tiny, "domain.yml", '"/request_help"', """'/request_help{"need": "youth"}'""")
    problem = only(tiny)
    assert "whose braces Rasa reads as a slot" in problem.message
    assert problem.fix.endswith('/request_help{{"need": "youth"}}')
    edit(
        tiny,
        "domain.yml",
        """'/request_help{"need": "youth"}'""",
        """'/request_help{{"need": "youth"}}'""",
    )
    assert problems_in(tiny) == []


def test_a_phone_number_not_in_the_directory(tiny, edit):
    edit(tiny, "domain.yml", "1-833-900-1010", "1-833-900-1011")
    problem = only(tiny)
    assert (problem.file, problem.line) == ("domain.yml", 17)
    assert problem.message == (
        'The answer "utter_help" quotes the number 1-833-900-1011, which is not in the service '
        "directory (data/referrals/services.yml)."
    )


def test_a_phone_number_of_a_closed_service(tiny, edit):
    edit(tiny, "data/faq/beta.yml", "Beta is the second topic.", "Call (800) 555-0100.")
    problem = only(tiny)
    assert '"old_service", whose status is closed' in problem.message


def test_a_place_missing_from_the_lookup_table(tiny, edit):
    edit(tiny, "data/nlu/location_lookup.yml", "    - Vancouver\n", "")
    problem = only(tiny)
    assert (problem.file, problem.line) == ("data/referrals/places.yml", 6)
    assert 'The place "Vancouver" is missing from the location lookup table' in problem.message


def test_a_test_question_copied_into_training_data(tiny, edit):
    edit(tiny, "data/nlu/greet.yml", "greet question first", "Good morning to you!")
    problem = only(tiny)
    assert (problem.file, problem.line) == ("data/nlu/greet.yml", 5)
    assert "is also a test question in tests/nlu/heldout.yml line 19" in problem.message


def test_rasa_validation_errors_are_reported_in_plain_words(tiny, edit):
    edit(tiny, "data/rules.yml", "action: utter_help", "action: utter_halp")
    problem = only(tiny, with_rasa=True)
    assert (problem.file, problem.line) == ("data/rules.yml", 14)
    assert problem.message == 'A story or rule uses the answer "utter_halp", which does not exist.'


def test_the_command_exits_non_zero_and_prints_the_fix(tiny, edit, capsys):
    edit(tiny, "data/nlu/greet.yml", "    - greet question twentieth\n", "")
    assert main(["--root", str(tiny), "--no-rasa"]) == 1
    out = capsys.readouterr().out
    assert "make check found 1 problem:" in out
    assert "1. data/nlu/greet.yml, line 3" in out and "Fix: Add more ways" in out


def test_the_command_exits_zero_when_all_is_well(tiny, capsys):
    assert main(["--root", str(tiny), "--no-rasa"]) == 0
    assert "All checks passed" in capsys.readouterr().out


def test_a_topic_without_enough_test_questions(tiny, edit):
    edit(tiny, "tests/nlu/heldout.yml", "    - beta test 5\n", "")
    problem = only(tiny)
    assert problem.file == "tests/nlu/heldout.yml"
    assert problem.message.startswith('"faq/beta" has 4 test questions in tests/nlu/heldout.yml;')


def test_a_situation_copied_into_training_data(tiny, edit):
    situations = tiny / "tests/nlu/situations.yml"
    situations.write_text(
        "conversations:\n  - group: danger\n    intent: greet\n    text: hello there friend\n",
        encoding="utf-8",
    )
    edit(tiny, "data/nlu/greet.yml", "greet question first", "Hello there, friend!")
    problem = only(tiny)
    assert (problem.file, problem.line) == ("data/nlu/greet.yml", 5)
    assert "is also a test question in tests/nlu/situations.yml line 4" in problem.message


# Both languages: every FAQ topic in English and French (issue 14).

FRENCH_VARIATION = (
    "  - condition:\n    - type: slot\n      name: language\n      value: fr\n"
    '    text: "Le sujet beta, en français."\n'
)
YOUTH_VARIATION = (
    "  - condition:\n    - type: slot\n      name: is_minor\n      value: true\n"
    '    text: "Beta, for someone under 18."\n'
)
FRENCH_YOUTH_VARIATION = (
    "  - condition:\n    - type: slot\n      name: is_minor\n      value: true\n"
    "    - type: slot\n      name: language\n      value: fr\n"
    '    text: "Beta, pour une personne de moins de 18 ans."\n'
)


def drop_french_examples(root, topic, keep=0):
    """Keeps the first `keep` examples of the topic's French list; with none, the list goes."""
    path = root / f"data/faq/{topic}.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines.index("    language: fr\n") - 2  # the list's "- intent:" line
    start, end = header + 4, lines.index("responses:\n")
    french = lines[header : start + keep] if keep else []
    path.write_text("".join(lines[:header] + french + lines[end:]), "utf-8")


def test_a_topic_with_no_french_examples(tiny):
    drop_french_examples(tiny, "beta")
    problem = only(tiny)
    assert (problem.file, problem.line) == ("data/faq/beta.yml", 3)
    assert problem.message == (
        'The topic "beta" has 0 example questions the assistant reads as French; it needs at '
        "least 10."
    )
    # no French list yet: the fix says how to start one
    assert "in a new French list after the topic's English list" in problem.fix
    assert "`- intent: faq/beta`, `  metadata:`, `    language: fr`, `  examples: |`" in (
        problem.fix
    )


def test_a_topic_with_too_few_french_examples(tiny):
    drop_french_examples(tiny, "alpha", keep=9)
    problem = only(tiny)
    assert (problem.file, problem.line) == ("data/faq/alpha.yml", 25)  # its French list
    assert "has 9 example questions the assistant reads as French" in problem.message
    assert "in the topic's French list (the one marked `language: fr`)" in problem.fix


def test_a_list_marked_with_an_unknown_language(tiny, edit):
    edit(tiny, "data/faq/beta.yml", "    language: fr\n", "    language: french\n")
    problem = only(tiny)
    assert (problem.file, problem.line) == ("data/faq/beta.yml", 25)
    assert "are marked `language: french`, which is not a language" in problem.message
    assert "`language: fr` for French" in problem.fix


def test_an_example_in_both_lists_of_an_intent(tiny, edit):
    french = "    - je voudrais savoir beta, dixième fois\n"
    edit(tiny, "data/faq/beta.yml", french, french + "    - beta question third\n")
    problem = only(tiny)
    assert (problem.file, problem.line) == ("data/faq/beta.yml", 39)
    assert problem.message == (
        'The example "beta question third" (faq/beta) is written twice: also at '
        "data/faq/beta.yml line 7."
    )


def test_french_is_counted_as_the_assistant_detects_it(tiny, edit):
    # A short message the language router cannot place is answered in English: not counted.
    edit(tiny, "data/faq/beta.yml", "je voudrais savoir beta, première fois", "beta, ok?")
    problem = only(tiny)
    assert "has 9 example questions the assistant reads as French" in problem.message


def test_a_topic_with_only_french_examples_lacks_english_ones(tiny, edit):
    for word in ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth"):
        edit(tiny, "data/faq/beta.yml", f"    - beta question {word}\n", "")
    edit(tiny, "data/faq/beta.yml", "    - beta question ninth\n", "")
    edit(tiny, "data/faq/beta.yml", "    - beta question tenth\n", "")
    edit(tiny, "data/faq/beta.yml", "    - beta question eleventh\n", "")
    [problem] = [p for p in problems_in(tiny) if "reads as English" in p.message]
    assert 'The topic "beta" has 9 example questions the assistant reads as English' in (
        problem.message
    )


def test_a_topic_with_no_french_answer(tiny, edit):
    edit(tiny, "data/faq/beta.yml", FRENCH_VARIATION, "")
    problem = only(tiny)
    assert problem.file == "data/faq/beta.yml"
    assert problem.message == (
        '"utter_faq/beta" has no French text, so people writing in French get another language.'
    )
    assert "with the condition language: fr" in problem.fix


def test_a_tell_me_more_answer_needs_french_too(tiny):
    path = tiny / "data/faq/beta.yml"
    path.write_text(
        path.read_text() + '  utter_more_beta:\n  - text: "More about beta."\n', encoding="utf-8"
    )
    problem = only(tiny)
    assert problem.message.startswith('"utter_more_beta" has no French text')


def test_a_youth_answer_needs_a_french_youth_version(tiny, edit):
    edit(tiny, "data/faq/beta.yml", FRENCH_VARIATION, YOUTH_VARIATION + FRENCH_VARIATION)
    problem = only(tiny)
    assert problem.message.startswith(
        '"utter_faq/beta" has a youth version and a French version, but no French youth version'
    )
    assert "is_minor: true and language: fr" in problem.fix
    path = tiny / "data/faq/beta.yml"
    path.write_text(path.read_text() + FRENCH_YOUTH_VARIATION, encoding="utf-8")
    assert problems_in(tiny) == []


@pytest.mark.parametrize(
    "youth, framing",
    [
        ("Sex workers can get help.", "adult framing: 'Sex workers'"),
        ("Selling sex is not a crime.", "adult framing: 'Selling sex is not a crime'"),
        (
            'Beta."\n    buttons:\n    - title: "Rights"\n'
            '      payload: "/faq/sex_work_legality_canada',
            "adult button: /faq/sex_work_legality_canada",
        ),
    ],
)
def test_a_youth_version_never_has_adult_framing(tiny, edit, youth, framing):
    youth_variation = YOUTH_VARIATION.replace("Beta, for someone under 18.", youth)
    edit(
        tiny,
        "data/faq/beta.yml",
        FRENCH_VARIATION,
        youth_variation + FRENCH_VARIATION + FRENCH_YOUTH_VARIATION,
    )
    [problem] = [p for p in problems_in(tiny) if "adult sex-work framing" in p.message]
    assert problem.message.startswith(
        f'The youth version of "utter_faq/beta" has adult sex-work framing ({framing})'
    )
    assert (problem.file, problem.line) == ("data/faq/beta.yml", 42)


def test_a_french_youth_version_never_names_sex_workers_and_a_denial_in_english_is_fine(tiny, edit):
    youth = YOUTH_VARIATION.replace("Beta, for someone under 18.", "You are never a sex worker.")
    french = FRENCH_YOUTH_VARIATION.replace("Beta,", "Les travailleurs du sexe,")
    edit(tiny, "data/faq/beta.yml", FRENCH_VARIATION, youth + FRENCH_VARIATION + french)
    problem = only(tiny)
    assert "adult framing: 'travailleurs du sexe'" in problem.message


def test_a_french_youth_text_has_its_own_review_record(tiny, edit):
    edit(tiny, "data/faq/beta.yml", FRENCH_VARIATION, FRENCH_VARIATION + FRENCH_YOUTH_VARIATION)
    keys = {w.fix.split(", for ")[1].split(",")[0] for w in unreviewed(load_project(tiny))}
    assert {"utter_faq/beta/fr", "utter_faq/beta/fr/is_minor"} <= keys


def test_a_leftover_french_marker_line_is_a_rasa_problem(tiny, edit):
    assert problems_in(tiny, with_rasa=True) == []
    last = "    - beta question twentieth\n"
    edit(tiny, "data/faq/beta.yml", last, last + "    # français\n")
    problem = only(tiny, with_rasa=True)
    assert (problem.file, problem.line) == ("data/faq/beta.yml", 25)
    assert problem.message.startswith(
        'The examples of "faq/beta" hold the line "# français". Inside a list of examples it is '
        "not a comment"
    )
    assert problem.fix.startswith(
        "Delete the line. French examples go in the topic's French list (the one marked "
        "`language: fr`)"
    )


def test_a_stray_line_in_an_examples_list_is_a_rasa_problem(tiny, edit):
    last = "    - beta question twentieth\n"
    edit(tiny, "data/faq/beta.yml", last, last + "    stray line\n")
    problem = only(tiny, with_rasa=True)
    assert (problem.file, problem.line) == ("data/faq/beta.yml", 25)
    assert 'hold the line "stray line", which does not start with "- "' in problem.message
    assert problem.fix.startswith('Start the line with "- " if it is an example')


def test_every_faq_topic_of_the_project_is_in_english_and_french(root):
    project = load_project(root)
    problems = examples_in_each_language(project) + answers_in_each_language(project)
    assert problems == [], "\n".join(map(str, problems))
    faq_youth = [p for p in youth_text_in_each_language(project) if p.file.startswith("data/faq/")]
    assert faq_youth == [], "\n".join(map(str, faq_youth))


def test_the_repository_itself_passes_the_checks(root):
    # the console refuses to publish while `make check` finds a problem
    assert [str(p) for p in problems_in(root)] == []
