"""Publishing: the gate refuses a failing model; the live model changes only when it passes;
the model server hands Rasa the live model with an ETag; rollback restores the previous one. The
service directory and places are published with the model: the live copy changes only through a
publish (which refuses a broken file) or a rollback."""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.error
import urllib.request

import pytest

from serving.model_server import ModelServer
from tools import paths
from tools.gate import gate_failures
from tools.model_store import (
    StoreError,
    ensure_referrals_published,
    publish,
    publish_first_model,
    read_state,
    rollback,
)
from tools.models import fingerprint
from tools.publish import do_publish, publish_if_passing

PASSING = {"n": 300, "accuracy": 0.96, "emergency_recall": 1.0, "out_of_scope_rate": 0.93}


@pytest.fixture(autouse=True)
def directory_files(tmp_path):
    """A service directory and places in tmp_path, for the tests that publish there."""
    write_directory(tmp_path, "services: [v1]\n")
    (tmp_path / paths.PLACES).write_text("places: [v1]\n", encoding="utf-8")


def write_directory(root, text):
    path = root / paths.SERVICES
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def live(root, relative=paths.PUBLISHED_SERVICES):
    return (root / relative).read_text(encoding="utf-8")


def fake_model(root, name, content):
    path = root / "models" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    later = time.time() + 5  # trained after the data was last edited
    os.utime(path, (later, later))
    return path


@pytest.mark.parametrize(
    ("change", "failure"),
    [
        (
            {"accuracy": 0.949},
            "in-scope test questions understood (FAQ topics counted separately): 94.9%",
        ),
        ({"emergency_recall": 0.96}, "emergency messages recognised as emergencies: 96.0%"),
        ({"out_of_scope_rate": 0.85}, "off-topic messages kept out of the answers: 85.0%"),
        ({"emergency_recall": None}, "emergency messages recognised as emergencies: no test"),
    ],
)
def test_the_gate_names_each_threshold_missed(change, failure):
    failures = gate_failures({**PASSING, **change})
    assert len(failures) == 1 and failures[0].startswith(failure)


def test_the_gate_passes_at_the_thresholds():
    assert gate_failures({**PASSING, "accuracy": 0.95, "out_of_scope_rate": 0.9}) == []
    assert gate_failures({}) == ["the held-out test has no results"]


def test_a_model_failing_the_gate_is_not_published(tmp_path):
    model = fake_model(tmp_path, "new.tar.gz", b"new model")
    failures = publish_if_passing(tmp_path, model, {**PASSING, "emergency_recall": 0.9})
    assert failures and read_state(tmp_path)["current"] is None


def test_publish_keeps_the_previous_model_and_rollback_restores_it(tmp_path):
    first = fake_model(tmp_path, "first.tar.gz", b"first")
    second = fake_model(tmp_path, "second.tar.gz", b"second")
    assert publish_if_passing(tmp_path, first, PASSING) == []
    assert publish_if_passing(tmp_path, second, PASSING) == []
    state = read_state(tmp_path)
    assert (state["current"]["trained_as"], state["previous"]["trained_as"]) == (
        "second.tar.gz",
        "first.tar.gz",
    )
    rollback(tmp_path)
    assert read_state(tmp_path)["current"]["fingerprint"] == fingerprint(first)
    third = fake_model(tmp_path, "third.tar.gz", b"third")
    publish(tmp_path, third, "test")
    kept = sorted(p.name for p in (tmp_path / "models/published").glob("*.tar.gz"))
    assert kept == sorted([f"{fingerprint(first)}.tar.gz", f"{fingerprint(third)}.tar.gz"])


def test_rollback_without_a_previous_model_changes_nothing(tmp_path):
    publish(tmp_path, fake_model(tmp_path, "only.tar.gz", b"only"), "test")
    with pytest.raises(StoreError, match="no previous model"):
        rollback(tmp_path)


def test_the_first_run_publishes_the_newest_trained_model(tmp_path):
    with pytest.raises(StoreError, match="make train"):
        publish_first_model(tmp_path)
    fake_model(tmp_path, "trained.tar.gz", b"trained")
    assert publish_first_model(tmp_path)["how"].startswith("first run")
    assert publish_first_model(tmp_path) is None  # only the first time


def test_make_publish_refuses_a_failing_model_and_says_why(tiny, capsys):
    fake_model(tiny, "new.tar.gz", b"new model")
    scored = []

    def scorer(root, model):
        scored.append(model.name)
        return {**PASSING, "accuracy": 0.91}

    assert do_publish(tiny, scorer, wait=0) == 1
    out = capsys.readouterr().out
    assert scored == ["new.tar.gz"]
    assert "Not published. The held-out test must pass" in out
    assert "in-scope test questions understood (FAQ topics counted separately): 91.0%" in out
    assert read_state(tiny)["current"] is None


def test_make_publish_refuses_when_the_data_changed_after_training(tiny, capsys):
    model = fake_model(tiny, "old.tar.gz", b"old")
    os.utime(model, (1, 1))
    assert do_publish(tiny, lambda root, model: PASSING, wait=0) == 1
    assert "changed after old.tar.gz was trained" in capsys.readouterr().out


def test_make_publish_publishes_a_passing_model(tiny, capsys):
    fake_model(tiny, "good.tar.gz", b"good")
    assert do_publish(tiny, lambda root, model: PASSING, wait=0) == 0
    out = capsys.readouterr().out
    assert "Published good.tar.gz" in out
    assert read_state(tiny)["current"]["trained_as"] == "good.tar.gz"


def get(url, etag=None):
    request = urllib.request.Request(url, headers={"If-None-Match": etag} if etag else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), b""


@pytest.fixture
def server(tmp_path):
    server = ModelServer(0, tmp_path)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", tmp_path
    server.shutdown()
    server.server_close()


def test_the_model_server_sends_the_live_model_once_per_change(server):
    url, root = server
    assert get(f"{url}/health")[0] == 503
    publish(root, fake_model(root, "a.tar.gz", b"model a"), "test")
    status, headers, body = get(f"{url}/model", etag="None")
    assert (status, body) == (200, b"model a")
    etag = headers["ETag"]
    assert etag == f'"{fingerprint(root / "models/a.tar.gz")}"'
    assert get(f"{url}/model", etag=etag)[0] == 304
    assert json.loads(get(f"{url}/status")[2])["last_pull"]["has"] == etag.strip('"')

    publish(root, fake_model(root, "b.tar.gz", b"model b"), "test")
    status, headers, body = get(f"{url}/model", etag=etag)
    assert (status, body) == (200, b"model b") and headers["ETag"] != etag
    rollback(root)
    assert get(f"{url}/model", etag=headers["ETag"])[2] == b"model a"


def test_a_training_that_changed_nothing_still_counts(tiny, capsys):
    model = fake_model(tiny, "old.tar.gz", b"old")
    os.utime(model, (1, 1))  # Rasa kept the old model: nothing had really changed...
    (tiny / "models/.trained").touch()  # ...but `make train` ran after the last edit
    assert do_publish(tiny, lambda root, model: PASSING, wait=0) == 0


def test_make_publish_refuses_a_model_that_cannot_be_loaded(tiny, capsys):
    fake_model(tiny, "broken.tar.gz", b"not a model")

    def scorer(root, model):
        raise OSError("Can't load tokenizer for 'build/minilm'")

    assert do_publish(tiny, scorer, wait=0) == 1
    assert "Not published: broken.tar.gz could not be loaded" in capsys.readouterr().out
    assert read_state(tiny)["current"] is None


def test_the_directory_is_published_with_the_model_and_rolled_back_with_it(tmp_path):
    publish(tmp_path, fake_model(tmp_path, "a.tar.gz", b"a"), "test")
    assert live(tmp_path) == "services: [v1]\n"
    assert live(tmp_path, paths.PUBLISHED_PLACES) == "places: [v1]\n"
    write_directory(tmp_path, "services: [v2\n")  # a typo saved in the working tree
    assert live(tmp_path) == "services: [v1]\n"
    write_directory(tmp_path, "services: [v2]\n")
    publish(tmp_path, fake_model(tmp_path, "b.tar.gz", b"b"), "test")
    assert live(tmp_path) == "services: [v2]\n"
    rollback(tmp_path)
    assert live(tmp_path) == "services: [v1]\n"
    assert read_state(tmp_path)["current"]["trained_as"] == "a.tar.gz"
    rollback(tmp_path)
    assert live(tmp_path) == "services: [v2]\n"
    kept = sorted(p.name for p in (tmp_path / paths.PUBLISHED).glob("*.yml"))
    assert len(kept) == 3  # services v1 and v2, places (shared by both)


def test_a_directory_change_alone_is_published(tmp_path):
    model = fake_model(tmp_path, "a.tar.gz", b"a")
    publish(tmp_path, model, "test")
    with pytest.raises(StoreError, match="already published"):
        publish(tmp_path, model, "test")
    write_directory(tmp_path, "services: [v2]\n")
    publish(tmp_path, model, "test")
    assert live(tmp_path) == "services: [v2]\n"
    rollback(tmp_path)
    assert live(tmp_path) == "services: [v1]\n"


def test_make_publish_refuses_a_broken_directory_and_the_live_one_stays(tiny, capsys):
    fake_model(tiny, "good.tar.gz", b"good")
    assert do_publish(tiny, lambda root, model: PASSING, wait=0) == 0
    published = live(tiny)
    state = read_state(tiny)
    services = tiny / paths.SERVICES
    services.write_text(services.read_text(encoding="utf-8") + "\n  - id: [broken\n")
    later = fake_model(tiny, "newer.tar.gz", b"newer")
    os.utime(later, (time.time() + 10, time.time() + 10))
    assert do_publish(tiny, lambda root, model: PASSING, wait=0) == 1
    assert "Not published" in capsys.readouterr().out
    assert live(tiny) == published and read_state(tiny) == state


def test_a_publication_without_a_directory_gets_the_one_it_was_served_with(tmp_path):
    publish(tmp_path, fake_model(tmp_path, "a.tar.gz", b"a"), "test")
    state_file = tmp_path / paths.PUBLISHED / "state.json"
    state = json.loads(state_file.read_text())
    del state["current"]["referrals"]
    state_file.write_text(json.dumps(state))
    (tmp_path / paths.PUBLISHED_SERVICES).unlink()
    assert ensure_referrals_published(tmp_path)
    assert live(tmp_path) == "services: [v1]\n"
    assert not ensure_referrals_published(tmp_path)


def test_a_directory_edit_needs_no_training_and_no_new_scoring(tiny, capsys):
    model = fake_model(tiny, "good.tar.gz", b"good")
    assert do_publish(tiny, lambda root, model: PASSING, wait=0) == 0
    state = read_state(tiny)["current"]
    services = tiny / paths.SERVICES
    services.write_text(services.read_text(encoding="utf-8") + "# a staff edit\n")
    os.utime(services, (model.stat().st_mtime + 60,) * 2)  # edited after the training

    def scorer(root, model):
        raise AssertionError("the live model is not scored again")

    assert do_publish(tiny, scorer, wait=0) == 0
    assert "Published the service directory with the live model" in capsys.readouterr().out
    current = read_state(tiny)["current"]
    assert current["fingerprint"] == state["fingerprint"]
    assert current["referrals"] != state["referrals"]
    assert live(tiny).endswith("# a staff edit\n")


def test_a_directory_publish_keeps_the_answers_published_without_training(tmp_path):
    model = fake_model(tmp_path, "a.tar.gz", b"a")
    publish(tmp_path, model, "test")
    state_file = tmp_path / paths.PUBLISHED / "state.json"
    state = json.loads(state_file.read_text())
    state["current"]["answers"] = "answers-1.json"
    state_file.write_text(json.dumps(state))
    write_directory(tmp_path, "services: [v2]\n")
    publish(tmp_path, model, "service directory changed")
    assert read_state(tmp_path)["current"]["answers"] == "answers-1.json"


def test_the_makefile_trains_on_what_publishing_counts_as_training_data(root):
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    [line] = [line for line in makefile.splitlines() if line.startswith("TRAIN_INPUTS :=")]
    for folder in paths.NOT_TRAINED_DIRS:
        assert f"-not -path '{folder}/*'" in line
