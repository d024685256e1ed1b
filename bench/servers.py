"""Starts and stops this project's servers on loopback, for `make bench` and tests/hardening.

Each server runs as a child process on a free 127.0.0.1 port with its output in a log file.
The Rasa server is started through serving/server.py (as scripts/services.sh does), with the
project's credentials.yml and a copy of endpoints.yml whose action server URL and SQLite tracker
store point at this run's own action server and a temporary database.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

import yaml

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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def latest_model(folder: Path) -> Path | None:
    models = sorted(folder.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


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
