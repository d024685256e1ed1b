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
import subprocess
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Tuple

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


def http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:  # noqa: S310 (loopback)
            return 200 <= reply.status < 300
    except (urllib.error.URLError, OSError):
        return False


SERVICES = ROOT / "scripts" / "services.sh"


@dataclass
class Server:
    """One service of scripts/services.sh (`actions` or `rasa`), started through it on
    127.0.0.1:port with its pid and log folders in `work_dir` (its own supervisord there)."""

    name: str
    service: str
    port: int
    work_dir: Path
    env: Dict[str, str] = field(default_factory=dict)
    health_path: str = "/"
    started_pid: int = 0
    unset: Tuple[str, ...] = ()  # variables of this process's environment the server must not get

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def log_path(self) -> Path:
        """What the process writes on stdout and stderr."""
        return self.work_dir / f"{self.service}.log"

    def _services(self, *args: str, timeout: float) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(SERVICES), *args],
            cwd=ROOT,
            env={
                **{k: v for k, v in os.environ.items() if k not in self.unset},
                **BASE_ENV,
                # The developer's .env (channel secrets) stays out of test and bench servers.
                "ENV_FILE": os.devnull,
                "RUN_DIR": str(self.work_dir / "run"),
                "LOG_DIR": str(self.work_dir),
                "PURGE_INTERVAL_H": "0",
                **self.env,
            },
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start(self, timeout_s: float = 240.0) -> Server:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        started = self._services("start-one", self.service, timeout=timeout_s + 60)
        if started.returncode != 0 or not http_ok(self.url + self.health_path):
            raise RuntimeError(
                f"{self.name} did not start:\n{started.stdout}{started.stderr}\n{self.tail()}"
            )
        self.started_pid = self.pid
        return self

    def stop(self) -> None:
        self._services("stop-one", self.service, timeout=120)

    @property
    def pid(self) -> int:
        return int((self.work_dir / "run" / f"{self.service}.pid").read_text())

    def alive(self) -> bool:
        """The process started is still running (supervisord restarting it is not enough)."""
        try:
            os.kill(self.started_pid, 0)
        except OSError:
            return False
        return self.started_pid == self.pid

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
        service="actions",
        port=port,
        work_dir=work_dir,
        # the working tree's directory, as the Rasa server started with RASA_MODEL reads
        env={"ACTION_HOST": LOOPBACK, "ACTION_PORT": str(port), "SERVE_MODEL": "latest"},
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
    api: bool = False,
    tracker_db: Path | None = None,
) -> Server:
    """The Rasa server as `make run` starts it (scripts/services.sh), with this run's model,
    action server and tracker database; Rasa's own log in work_dir/rasa-server.log."""
    port = port or free_port()
    work_dir.mkdir(parents=True, exist_ok=True)
    endpoints = write_endpoints(work_dir, action_url, tracker_db or work_dir / "trackers.db")
    settings = {
        "RASA_PORT": str(port),
        "RASA_MODEL": str(model),
        "RASA_ENDPOINTS": str(endpoints),
        **({"CORS_ORIGINS": " ".join(cors)} if cors else {}),
        **({"RASA_ENABLE_API": "true"} if api else {}),
        **(env or {}),
    }
    return Server(name="Rasa server", service="rasa", port=port, work_dir=work_dir, env=settings)


# --- the cluster, through the one launcher (scripts/services.sh start-cluster) ------------------


def cluster_env(base_port: int, folder: Path, **settings: str) -> Dict[str, str]:
    """Settings for a cluster on its own ports (base_port + 5: load balancer, + 11..: replicas,
    + 33: PostgreSQL, + 55: action balancer, + 61..: action servers, + 79: Redis, + 90: staff
    console), with its pids, logs and databases in `folder` (under var/: PostgreSQL's user must
    reach it)."""
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
        "CONSOLE_PORT": str(base_port + 90),
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
