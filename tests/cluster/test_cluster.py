"""Several Rasa replicas behind nginx, with Rasa's Redis lock store and SQL tracker store on
PostgreSQL, supervised by supervisord (scripts/services.sh start-cluster): conversations keep
their state whichever replica answers, survive a crashed replica, action server, database or
Redis restart, and never mix."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from conftest import STATIC_HELP, Conversation, stored_user_texts

from bench.servers import ROOT

HOTLINE = "1-833-900-1010"
ASK_SUPPORT = "I'm a sex worker, where can I find support"
ASKS_PLACE = "Which city or region"
VICTORIA = '/inform_location{"location": "Victoria"}'
LOCAL_SERVICE = "Peers Victoria"
TRAFFICKING_HELP = "I need help, my boss took my passport and says I owe him"
OCTIP_LINE = "1-888-712-7974"
OFFLINE_HELP = "can't load the list of services"  # utter_help_offline, sent by Rasa itself


def wait_until(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(1)
    pytest.fail(f"{what} within {timeout:.0f} s")


def answers(url: str) -> bool:
    try:
        return requests.get(url + "/", timeout=2).ok
    except requests.RequestException:
        return False


def place_then_local_services(conversation: Conversation, urls=(None, None, None)) -> None:
    """The place is asked once, given once, then used without asking again."""
    first = conversation.text(ASK_SUPPORT, urls[0])
    assert ASKS_PLACE in first
    assert LOCAL_SERVICE in conversation.text(VICTORIA, urls[1])
    again = conversation.text(ASK_SUPPORT, urls[2])
    assert LOCAL_SERVICE in again and ASKS_PLACE not in again


def test_turns_alternate_between_replicas_and_the_state_carries_over(cluster, conversation):
    one, two = cluster.replica_url(1), cluster.replica_url(2)
    place_then_local_services(conversation, (one, two, one))
    assert stored_user_texts(cluster, conversation.sender) == [ASK_SUPPORT, VICTORIA, ASK_SUPPORT]


def test_a_killed_replica_loses_no_conversation_and_is_restarted(cluster):
    conversations = [Conversation(cluster.url) for _ in range(20)]
    asked = threading.Barrier(len(conversations) + 1, timeout=300)

    def talk(conversation: Conversation) -> None:
        try:
            assert ASKS_PLACE in conversation.text(ASK_SUPPORT)
        finally:
            asked.wait()
        assert LOCAL_SERVICE in conversation.text(VICTORIA)
        again = conversation.text(ASK_SUPPORT)
        assert LOCAL_SERVICE in again and ASKS_PLACE not in again

    before = cluster.pid("rasa-1")
    with ThreadPoolExecutor(len(conversations)) as pool:
        results = [pool.submit(talk, c) for c in conversations]
        asked.wait()  # every conversation has its first answer; the next turns are on their way
        time.sleep(0.3)
        os.kill(before, signal.SIGKILL)
        for result in results:
            result.result(timeout=600)
    wait_until(
        lambda: cluster.pid("rasa-1") not in (0, before) and answers(cluster.replica_url(1)),
        300,
        "supervisord did not bring rasa-1 back",
    )
    for conversation in conversations:
        assert stored_user_texts(cluster, conversation.sender) == [
            ASK_SUPPORT,
            VICTORIA,
            ASK_SUPPORT,
        ]


def test_referrals_come_from_the_other_action_server_when_one_dies(cluster, conversation):
    os.kill(cluster.pid("actions-1"), signal.SIGKILL)
    for _ in range(3):
        text = conversation.text(TRAFFICKING_HELP)
        assert OCTIP_LINE in text and STATIC_HELP not in text


def test_with_every_action_server_down_the_static_hotline_help_arrives(cluster, conversation):
    cluster.supervisor("stop", "actions-1", "actions-2")
    try:
        text = conversation.text(TRAFFICKING_HELP)
        assert OFFLINE_HELP in text and HOTLINE in text and "911" in text
    finally:
        for name in ("actions-1", "actions-2"):
            assert cluster.services("start-one", name).returncode == 0
    assert OCTIP_LINE in conversation.text(TRAFFICKING_HELP)


@pytest.mark.parametrize("service", ["postgres", "redis"])
def test_a_database_restart_mid_conversation_is_answered_and_loses_nothing(
    cluster, conversation, service
):
    """While PostgreSQL is down, Rasa answers each message without the earlier turns and keeps
    nothing (serving/private_tracker_store.py); while Redis is down, the static help reply. Both
    come back by themselves, with what was stored before."""
    replicas = [cluster.pid("rasa-1"), cluster.pid("rasa-2")]
    assert ASKS_PLACE in conversation.text(ASK_SUPPORT)
    cluster.supervisor("stop", service)
    try:
        down = conversation.say(VICTORIA)
        assert down and all(m.get("text") or m.get("buttons") for m in down)
        if service == "redis":
            assert STATIC_HELP in down[0]["text"] and HOTLINE in down[0]["text"]
    finally:
        assert cluster.services("start-one", service).returncode == 0
    assert "services you can choose from" in conversation.text(ASK_SUPPORT)
    stored = stored_user_texts(cluster, conversation.sender)
    assert stored[0] == ASK_SUPPORT and stored[-1] == ASK_SUPPORT  # before and after
    assert [cluster.pid("rasa-1"), cluster.pid("rasa-2")] == replicas  # nothing crashed


def test_fifty_concurrent_conversations_do_not_mix(cluster):
    conversations = [Conversation(cluster.url) for _ in range(50)]
    places = {"Victoria": LOCAL_SERVICE, "Vancouver": "SWAN Vancouver"}

    def talk(index: int, conversation: Conversation) -> str:
        place = list(places)[index % 2]
        conversation.text(ASK_SUPPORT)
        conversation.text(f'/inform_location{{"location": "{place}"}}')
        return place

    with ThreadPoolExecutor(len(conversations)) as pool:
        chosen = list(pool.map(talk, range(len(conversations)), conversations))
    for conversation, place in zip(conversations, chosen, strict=True):
        texts = stored_user_texts(cluster, conversation.sender)
        assert texts == [ASK_SUPPORT, f'/inform_location{{"location": "{place}"}}']
        other = next(p for p in places if p != place)
        reply = conversation.text(ASK_SUPPORT)
        assert places[place] in reply and places[other] not in reply


def test_a_rolling_restart_answers_every_message_and_keeps_state(cluster):
    """`make publish` in the cluster (scripts/services.sh roll): the replicas restart one at a
    time while conversations go on; none gets an error or loses its place."""
    before = {n: cluster.pid(f"rasa-{n}") for n in (1, 2)}
    conversations = [Conversation(cluster.url) for _ in range(4)]
    for conversation in conversations:
        assert ASKS_PLACE in conversation.text(ASK_SUPPORT)
        assert LOCAL_SERVICE in conversation.text(VICTORIA)
    rolling = threading.Event()
    replies: list = []

    def talk(conversation: Conversation) -> None:
        while not rolling.is_set():
            text = conversation.text(ASK_SUPPORT)
            replies.append(LOCAL_SERVICE in text and ASKS_PLACE not in text)
            time.sleep(0.5)

    with ThreadPoolExecutor(len(conversations)) as pool:
        talking = [pool.submit(talk, c) for c in conversations]
        try:
            rolled = cluster.services("roll")
        finally:
            rolling.set()
        for result in talking:
            result.result(timeout=120)
    assert rolled.returncode == 0, rolled.stdout + rolled.stderr
    after = {n: cluster.pid(f"rasa-{n}") for n in (1, 2)}
    assert all(after[n] not in (0, before[n]) for n in (1, 2))  # both restarted
    assert len(replies) > 10 and all(replies)


def test_purge_erases_old_messages_from_postgresql(cluster, conversation):
    """`make purge` on the cluster's PostgreSQL: old events deleted, then the table rewritten."""
    assert ASKS_PLACE in conversation.text(ASK_SUPPORT)
    env = {**cluster.env, **cluster.secrets()}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.purge",
            "--endpoints",
            str(ROOT / "deploy" / "cluster" / "endpoints.yml"),
            "--days",
            "1",
            "--now",
            str(time.time() + 2 * 86400),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Erased" in done.stdout and "busy" not in done.stdout
    assert stored_user_texts(cluster, conversation.sender) == []
    # Every event was older than the cutoff: the rewritten table keeps no page of them.
    assert cluster.sql("SELECT pg_relation_size('events')") == [(0,)]
