"""Starts and stops this project's servers on loopback, for `make bench`, tests/hardening and
tests/cluster (the cluster through scripts/services.sh, the one launcher).

Each server runs as a child process on a free 127.0.0.1 port with its output in a log file.
The Rasa server is started through serving/server.py (as scripts/services.sh does), with the
project's credentials.yml and a copy of endpoints.yml whose action server URL and SQLite tracker
store point at this run's own action server and a temporary database.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

import yaml

from tools.net import free_port

ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
LOOPBACK = "127.0.0.1"
BASE_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONUNBUFFERED": "1",
}

# Load tests send without pause from few conversations, far over the per-sender rate limit
# (channels/sender_limits.py), which would answer with its static "slow down" reply instead.
UNLIMITED_SENDERS = {"SENDER_BURST": "1000000", "SENDER_PER_MINUTE": "1000000"}


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB (from /proc)."""
    total_kb = 0
    for proc in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{proc}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


def _children(pid: int) -> List[int]:
    try:
        found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    kids = [int(p) for p in found]
    return kids + [grand for kid in kids for grand in _children(kid)]


def _own_session_and_die_with_parent() -> None:
    """In the child: its own process group, and SIGTERM if the parent dies (Linux)."""
    os.setsid()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:  # noqa: S310 (loopback)
            return 200 <= reply.status < 300
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class Server:
    """A child process serving HTTP on 127.0.0.1:port."""

    name: str
    args: List[str]
    port: int
    log_path: Path
    env: Dict[str, str] = field(default_factory=dict)
    health_path: str = "/"
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def start(self, timeout_s: float = 240.0) -> Server:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        env = {**os.environ, **BASE_ENV, **self.env}
        self.process = subprocess.Popen(
            self.args,
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_own_session_and_die_with_parent,  # no server left behind by a killed run
        )
        log.close()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with code {self.process.returncode} while starting; "
                    f"last lines of {self.log_path}:\n{self.tail()}"
                )
            if http_ok(self.url + self.health_path):
                return self
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {timeout_s:.0f}s:\n{self.tail()}")

    def stop(self) -> None:
        if not self.process or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def alive(self) -> bool:
        return bool(self.process) and self.process.poll() is None

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])


def action_server(work_dir: Path, port: int | None = None) -> Server:
    port = port or free_port()
    return Server(
        name="action server",
        args=[str(PYTHON), str(ROOT / "scripts" / "action_server.py")],
        port=port,
        log_path=work_dir / "actions.log",
        env={"ACTION_HOST": LOOPBACK, "ACTION_PORT": str(port)},
        health_path="/health",
    )


def write_endpoints(work_dir: Path, action_url: str, tracker_db: Path) -> Path:
    """endpoints.yml of the project, with this run's action server and tracker database."""
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text()) or {}
    endpoints["action_endpoint"] = {"url": action_url}
    store = endpoints.get("tracker_store") or {}
    if store.get("dialect") == "sqlite":
        store["db"] = str(tracker_db)
        endpoints["tracker_store"] = store
    path = work_dir / "endpoints.yml"
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    return path


def rasa_server(
    work_dir: Path,
    model: Path,
    action_url: str,
    port: int | None = None,
    env: Dict[str, str] | None = None,
    cors: List[str] | None = None,
    extra_args: List[str] | None = None,
    tracker_db: Path | None = None,
) -> Server:
    port = port or free_port()
    endpoints = write_endpoints(work_dir, action_url, tracker_db or work_dir / "trackers.db")
    args = [
        str(PYTHON),
        "-m",
        "serving.server",
        "--model",
        str(model),
        "--interface",
        LOOPBACK,
        "--port",
        str(port),
        "--credentials",
        "credentials.yml",
        "--endpoints",
        str(endpoints),
        *(["--cors", *cors] if cors else []),
        *(extra_args or []),
    ]
    return Server(
        name="Rasa server",
        args=args,
        port=port,
        log_path=work_dir / "rasa.log",
        env=env or {},
    )


# --- the cluster, through the one launcher (scripts/services.sh start-cluster) ------------------

SERVICES = ROOT / "scripts" / "services.sh"


def cluster_env(base_port: int, folder: Path, **settings: str) -> Dict[str, str]:
    """Settings for a cluster on its own ports (base_port + 5: load balancer, + 11..: replicas,
    + 33: PostgreSQL, + 55: action balancer, + 61..: action servers, + 79: Redis), with its
    pids, logs and databases in `folder` (under var/: PostgreSQL's user must reach it)."""
    return {
        **os.environ,
        **BASE_ENV,
        "RUN_DIR": str(folder / "run"),
        "LOG_DIR": str(folder / "log"),
        "CLUSTER_DIR": str(folder),
        "RASA_PORT": str(base_port + 5),
        "MODEL_SERVER_PORT": str(base_port + 6),
        "RASA_REPLICA_PORT": str(base_port + 11),
        "DB_PORT": str(base_port + 33),
        "ACTION_PORT": str(base_port + 55),
        "ACTION_REPLICA_PORT": str(base_port + 61),
        "REDIS_PORT": str(base_port + 79),
        "WEB_PORT": str(base_port + 80),
        "DB_HOST": LOOPBACK,
        "DB_DATABASE": "rasa",
        "DB_USER": "assistant",
        "REDIS_HOST": LOOPBACK,
        "PURGE_INTERVAL_H": "0",
        **settings,
    }


@dataclass
class Cluster:
    """A cluster started and stopped through scripts/services.sh, as `make run-cluster` does."""

    env: Dict[str, str]

    @property
    def folder(self) -> Path:
        return Path(self.env["CLUSTER_DIR"])

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.env['RASA_PORT']}"

    def replica_url(self, number: int) -> str:
        return f"http://{LOOPBACK}:{int(self.env['RASA_REPLICA_PORT']) + number - 1}"

    def services(self, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(SERVICES), *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start(self) -> Cluster:
        self.services("stop")
        shutil.rmtree(self.folder, ignore_errors=True)
        started = self.services("start-cluster")
        if started.returncode != 0:
            self.stop()
            raise RuntimeError(f"the cluster did not start:\n{started.stdout}{started.stderr}")
        return self

    def stop(self) -> None:
        self.services("stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def supervisor(self, *args: str) -> str:
        done = subprocess.run(
            ["supervisorctl", "-c", str(Path(self.env["RUN_DIR"]) / "supervisord.conf"), *args],
            capture_output=True,
            text=True,
            timeout=120,
        )
        return done.stdout.strip()

    def running(self) -> bool:
        return self.supervisor("pid").isdigit()

    def pid(self, name: str) -> int:
        found = self.supervisor("pid", name)
        return int(found) if found.isdigit() else 0

    def state(self, name: str) -> str:
        return (self.supervisor("status", name).split() or ["", ""])[1]

    def secrets(self) -> Dict[str, str]:
        lines = (self.folder / "secrets.env").read_text().splitlines()
        return dict(line.split("=", 1) for line in lines if "=" in line)

    def database_url(self):
        """SQLAlchemy's URL of the cluster's tracker store (deploy/cluster/endpoints.yml)."""
        import sqlalchemy as sa

        return sa.engine.URL.create(
            "postgresql",
            username=self.env["DB_USER"],
            password=self.secrets()["DB_PASSWORD"],
            host=self.env["DB_HOST"],
            port=int(self.env["DB_PORT"]),
            database=self.env["DB_DATABASE"],
        )

    def sql(self, query: str, params: Dict[str, object] | None = None) -> list:
        import sqlalchemy as sa

        engine = sa.create_engine(self.database_url())
        try:
            with engine.connect() as connection:
                return connection.execute(sa.text(query), params or {}).fetchall()
        finally:
            engine.dispose()

    def redis_info(self) -> Dict[str, object]:
        import redis

        client = redis.Redis(
            host=self.env["REDIS_HOST"],
            port=int(self.env["REDIS_PORT"]),
            password=self.secrets()["REDIS_PASSWORD"],
        )
        try:
            return client.info("stats")
        finally:
            client.close()
