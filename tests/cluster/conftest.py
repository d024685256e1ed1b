"""The cluster (scripts/services.sh start-cluster, through bench.servers.Cluster), started once
for the whole group.

Its own ports (CLUSTER_TEST_PORT_BASE, default 5300; see bench.servers.cluster_env), pid and log
folders and databases (var/cluster-test), so it runs beside the embedded stack of `make test`. Two
Rasa replicas and two action servers serve the model in models/ (RASA_MODEL). CLUSTER_TEST_KEEP=1
leaves the cluster running after the tests and uses it again next time (while writing tests).
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from typing import List

import pytest
import requests

from bench.servers import ROOT, UNLIMITED_SENDERS, Cluster, cluster_env

BASE = int(os.environ.get("CLUSTER_TEST_PORT_BASE", "5300"))
STATIC_HELP = "something went wrong on my side"


@dataclass
class Conversation:
    url: str
    sender: str = field(default_factory=lambda: f"cluster-{uuid.uuid4().hex[:12]}")

    def say(self, text: str, url: str | None = None) -> list:
        response = requests.post(
            f"{url or self.url}/webhooks/rest/webhook",
            # like the widget: a retry by the load balancer is then answered, not run, again
            json={"sender": self.sender, "message": text, "message_id": uuid.uuid4().hex},
            timeout=90,
        )
        response.raise_for_status()
        messages = response.json()
        assert all(m.get("recipient_id") == self.sender for m in messages), messages
        return messages

    def text(self, message: str, url: str | None = None) -> str:
        return "\n".join(m.get("text", "") for m in self.say(message, url))


@pytest.fixture(scope="session")
def cluster() -> Cluster:
    keep = os.environ.get("CLUSTER_TEST_KEEP") == "1"
    settings = {
        "RASA_MODEL": os.environ.get("RASA_MODEL", "models"),
        "RASA_REPLICAS": "2",
        "ACTION_REPLICAS": "2",
        **UNLIMITED_SENDERS,
    }
    cluster = Cluster(cluster_env(BASE, ROOT / "var" / "cluster-test", **settings))
    if keep and cluster.running():
        yield cluster
        return
    cluster.start()
    try:
        yield cluster
    finally:
        if not keep:
            cluster.stop()


@pytest.fixture
def conversation(cluster) -> Conversation:
    return Conversation(cluster.url)


def stored_user_texts(cluster: Cluster, sender: str) -> List[str]:
    rows = cluster.sql(
        "SELECT data FROM events WHERE sender_id = :sender AND type_name = 'user' ORDER BY id",
        {"sender": sender},
    )
    return [json.loads(data).get("text") for (data,) in rows]
