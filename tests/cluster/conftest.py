"""The cluster (scripts/services.sh start-cluster), started once for the whole group.

Its own ports (CLUSTER_TEST_PORT_BASE, default 5300: load balancer +5, action balancer +55,
replicas +11.., action servers +61.., PostgreSQL +33, Redis +79), pid and log folders and
database (var/cluster-test), so it runs beside the embedded stack of `make test`. Two Rasa
replicas and two action servers serve the model in models/ (RASA_MODEL). CLUSTER_TEST_KEEP=1
leaves the cluster running after the tests and uses it again next time (while writing tests).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
BASE = int(os.environ.get("CLUSTER_TEST_PORT_BASE", "5300"))
STATIC_HELP = "something went wrong on my side"


@dataclass
class Cluster:
    env: Dict[str, str]
    run_dir: Path
    log_dir: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.env['RASA_PORT']}"

    def replica_url(self, number: int) -> str:
        return f"http://127.0.0.1:{int(self.env['RASA_REPLICA_PORT']) + number - 1}"

    def services(self, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(ROOT / "scripts" / "services.sh"), *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def supervisor(self, *args: str) -> str:
        done = subprocess.run(
            ["supervisorctl", "-c", str(self.run_dir / "supervisord.conf"), *args],
            capture_output=True,
            text=True,
            timeout=120,
        )
        return done.stdout.strip()

    def pid(self, name: str) -> int:
        return int(self.supervisor("pid", name) or 0)

    def state(self, name: str) -> str:
        return (self.supervisor("status", name).split() or ["", ""])[1]

    def database_rows(self, sql: str, *params) -> List[tuple]:
        import sqlalchemy as sa

        from tools.trackers import tracker_database

        endpoints = ROOT / "deploy" / "cluster" / "endpoints.yml"
        saved = dict(os.environ)
        os.environ.update(self.env, **self.secrets())
        try:
            db = tracker_database(ROOT, endpoints)
        finally:
            os.environ.clear()
            os.environ.update(saved)
        engine = sa.create_engine(db.url)
        try:
            with engine.connect() as connection:
                return connection.execute(sa.text(sql), *params).fetchall()
        finally:
            engine.dispose()

    def secrets(self) -> Dict[str, str]:
        lines = (Path(self.env["CLUSTER_DIR"]) / "secrets.env").read_text().splitlines()
        return dict(line.split("=", 1) for line in lines if "=" in line)


@dataclass
class Conversation:
    url: str
    sender: str = field(default_factory=lambda: f"cluster-{uuid.uuid4().hex[:12]}")

    def say(self, text: str, url: str | None = None) -> list:
        response = requests.post(
            f"{url or self.url}/webhooks/rest/webhook",
            json={"sender": self.sender, "message": text},
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
    # PostgreSQL's user must reach its data folder: under var/, not in a private temporary folder.
    cluster_dir = ROOT / "var" / "cluster-test"
    run_dir, log_dir = cluster_dir / "run", cluster_dir / "log"
    env = {
        **os.environ,
        "RUN_DIR": str(run_dir),
        "LOG_DIR": str(log_dir),
        "CLUSTER_DIR": str(cluster_dir),
        "RASA_MODEL": os.environ.get("RASA_MODEL", "models"),
        "RASA_PORT": str(BASE + 5),
        "ACTION_PORT": str(BASE + 55),
        "WEB_PORT": str(BASE + 80),
        "MODEL_SERVER_PORT": str(BASE + 6),
        "RASA_REPLICA_PORT": str(BASE + 11),
        "ACTION_REPLICA_PORT": str(BASE + 61),
        "DB_PORT": str(BASE + 33),
        "REDIS_PORT": str(BASE + 79),
        "DB_HOST": "127.0.0.1",
        "DB_NAME": "rasa",
        "DB_USER": "assistant",
        "REDIS_HOST": "127.0.0.1",
        "RASA_REPLICAS": "2",
        "ACTION_REPLICAS": "2",
        "PURGE_INTERVAL_H": "0",
        # load tests write without pause, far over the per-sender rate limit
        "SENDER_BURST": "1000000",
        "SENDER_PER_MINUTE": "1000000",
    }
    cluster = Cluster(env, run_dir, log_dir)
    if keep and cluster.supervisor("pid").isdigit():
        yield cluster
        return
    cluster.services("stop")
    shutil.rmtree(cluster_dir, ignore_errors=True)
    started = cluster.services("start-cluster")
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        yield cluster
    finally:
        if not keep:
            cluster.services("stop")
            shutil.rmtree(cluster_dir, ignore_errors=True)


@pytest.fixture
def conversation(cluster) -> Conversation:
    return Conversation(cluster.url)


def stored_user_texts(cluster: Cluster, sender: str) -> List[str]:
    rows = cluster.database_rows(
        "SELECT data FROM events WHERE sender_id = :sender AND type_name = 'user' ORDER BY id",
        {"sender": sender},
    )
    return [json.loads(data).get("text") for (data,) in rows]
