"""Background jobs (staff commands as subprocesses) and missed questions filed from the console."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
import time

from console import missed
from console.jobs import Jobs, Step
from tools.project import load_project


def run(jobs: Jobs, steps):
    async def go():
        done = []
        job = jobs.start("test", "sam", steps, on_done=done.append)
        assert jobs.running() is job
        while not done:
            await asyncio.sleep(0.05)
        return job

    return asyncio.run(go())


def test_a_job_shows_each_steps_output_and_stops_at_a_failure(tmp_path):
    jobs = Jobs(tmp_path)
    ok = run(jobs, [Step("one", [sys.executable, "-c", "print('first')"])])
    assert ok.passed and "first" in ok.lines
    failed = run(
        jobs,
        [
            Step("fails", [sys.executable, "-c", "import sys; print('oops'); sys.exit(3)"]),
            Step("never", [sys.executable, "-c", "print('never')"]),
        ],
    )
    assert failed.returncode == 3 and "oops" in failed.lines and "never" not in failed.lines
    assert failed.as_json()["passed"] is False


def save_message(root, text, confidence):
    db = root / "var" / "trackers.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    parse = {"intent": {"name": "greet", "confidence": confidence}}
    event = {"event": "user", "text": text, "parse_data": parse}
    with sqlite3.connect(db) as connection:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id TEXT, "
            "type_name TEXT, timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)"
        )
        connection.execute(
            "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES ('x', 'user', ?, ?)",
            (time.time(), json.dumps(event)),
        )


def test_missed_questions_are_masked_filed_and_dismissed(tiny):
    save_message(tiny, "hello there my name is Jessica", 0.2)
    save_message(tiny, "good evening friends", 0.3)
    save_message(tiny, "hi", 0.99)  # understood: not listed
    rows, labels = missed.listing(tiny)
    texts = [r.text for r in rows]
    assert "hello there my name is [NAME]" in texts and "good evening friends" in texts
    assert "hi" not in texts and "greet" in labels and "faq/alpha" in labels
    refused = missed.file_under(tiny, "hello there my name is [NAME]", "greet")
    assert refused.errors and "[NAME]" in refused.errors[0]
    filed = missed.file_under(tiny, "good evening friends", "greet")
    assert not filed.errors and filed.files == ["data/nlu/greet.yml"]
    assert "    - good evening friends\n" in (tiny / "data/nlu/greet.yml").read_text()
    missed.dismiss(tiny, "hello there my name is [NAME]")
    assert missed.listing(tiny)[0] == []
    assert "Jessica" not in (tiny / missed.DISMISSED).read_text()


def test_a_french_missed_question_is_filed_in_the_topics_french_list(tiny):
    question = "est-ce que le sujet alpha concerne aussi les travailleurs étrangers"
    filed = missed.file_under(tiny, question, "faq/alpha")
    assert not filed.errors and filed.files == ["data/faq/alpha.yml"]
    [example] = [e for e in load_project(tiny).examples if e.text == question]
    assert example.language == "fr"
    lines = (tiny / "data/faq/alpha.yml").read_text(encoding="utf-8").splitlines()
    assert example.line == lines.index("responses:")  # the last line of the French list
