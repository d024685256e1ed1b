"""scripts/services.sh: each service gets only the secrets it needs, listens on loopback, and
writes files that other users cannot read.

Each service is started on its own free port with its own pid and log folders, with made-up
channel secrets and JWT secret in the environment (as a `.env` would give them): none may reach
the action server, the model server, the web page's server or the staff console.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import uuid
from pathlib import Path

import pytest

from hardening.sockets import only_loopback
from tools.net import free_port

ROOT = Path(__file__).resolve().parents[2]

SECRET_NAMES = (
    "RASA_JWT_SECRET",
    "TWILIO_AUTH_TOKEN",
    "TELEGRAM_ACCESS_TOKEN",
    "TELEGRAM_SECRET_TOKEN",
    "FACEBOOK_SECRET",
    "FACEBOOK_PAGE_ACCESS_TOKEN",
    "FACEBOOK_VERIFY",
)
PORT_VARIABLE = {
    "web": "WEB_PORT",
    "actions": "ACTION_PORT",
    "models": "MODEL_SERVER_PORT",
    "console": "CONSOLE_PORT",
}


def services(tmp: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "scripts" / "services.sh"), *args],
        cwd=ROOT,
        env={**os.environ, **env, "RUN_DIR": str(tmp / "run"), "LOG_DIR": str(tmp / "log")},
        capture_output=True,
        text=True,
        timeout=240,
    )


def environment(pid: int) -> dict:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


@pytest.mark.parametrize("name", ["web", "actions", "models", "console"])
def test_service_gets_no_secrets_and_listens_on_loopback(tmp_path, name):
    secret = f"secret-{uuid.uuid4().hex}"
    port = free_port()
    env = {name: secret for name in SECRET_NAMES}
    env.update({PORT_VARIABLE[name]: str(port), "SERVE_MODEL": "latest"})
    started = services(tmp_path, env, "start-one", name)
    try:
        assert started.returncode == 0, started.stdout + started.stderr
        pid = int((tmp_path / "run" / f"{name}.pid").read_text())
        seen = environment(pid)
        assert not [key for key, value in seen.items() if secret in value]
        assert not set(SECRET_NAMES) & set(seen)
        assert seen.get("LOG_LEVEL") == "WARNING"
        assert only_loopback(port)
        for folder in (tmp_path / "run", tmp_path / "log"):
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        log = tmp_path / "log" / f"{name}.log"
        assert stat.S_IMODE(log.stat().st_mode) == 0o600
    finally:
        services(tmp_path, env, "stop-one", name)


def test_make_shell_serves_on_loopback_at_warning():
    """`make shell` starts Rasa's REST channel too: on 127.0.0.1, with LOG_LEVEL exported."""
    env = {key: value for key, value in os.environ.items() if key != "LOG_LEVEL"}
    shown = subprocess.run(
        ["make", "-n", "--no-print-directory", "shell", "SHELL=/bin/bash"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    command = next(line for line in shown.splitlines() if "serving.server shell" in line)
    assert "--interface 127.0.0.1" in command
    exported = subprocess.run(
        ["make", "--no-print-directory", "-s", "-f", "-", "show"],
        input="include Makefile\nshow:\n\t@echo $$LOG_LEVEL\n",
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert exported.stdout.strip().splitlines()[-1] == "WARNING"


def test_another_stack_leaves_a_clusters_pass_through_and_closes_the_rest(tmp_path):
    """`make test` starts stacks in one lane while the cluster's PostgreSQL, as its own user,
    passes through var to its data in the other; any call of services.sh tightens var again."""
    project = tmp_path / "project"
    (project / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "services.sh", project / "scripts" / "services.sh")
    var = project / "var"
    data = var / "cluster-test" / "postgres"
    data.mkdir(parents=True)
    old = var / "from-before-the-umask"
    old.mkdir()
    (old / "file").write_text("")
    for path in (var, var / "cluster-test", old, old / "file"):
        path.chmod(0o755)
    env = {**os.environ, "VENV": str(ROOT / ".venv")}

    done = subprocess.run(
        ["bash", "scripts/services.sh", "status"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )

    assert done.returncode == 0, done.stderr
    mode = {
        path: stat.S_IMODE(path.stat().st_mode)
        for path in (var, var / "cluster-test", old, old / "file")
    }
    assert mode[var] & 0o077 == 0o011 and mode[var / "cluster-test"] & 0o077 == 0o011, mode
    assert mode[old] & 0o077 == 0 and mode[old / "file"] & 0o077 == 0, mode

    shutil.rmtree(var / "cluster-test")  # the cluster is gone: so is the way through var
    subprocess.run(
        ["bash", "scripts/services.sh", "status"],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
    )
    assert stat.S_IMODE(var.stat().st_mode) & 0o077 == 0
