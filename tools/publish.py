"""`make publish` and `make rollback`: change the model the running assistant uses, safely.

publish   the newest trained model goes live only if the content checks pass and the held-out
          test reaches the gate's thresholds (tools/gate.py). The model that was live is kept.
answers   the answers as saved now go live with the published model, without training (only the
          texts of answers the model already has; the content checks must pass).
rollback  the previous model (or answers) goes live again.
status    what is live, what was live before, and whether a newer model is waiting.

The running Rasa server downloads the live model from serving/model_server.py and switches to it
without stopping; this command waits until it has (at most PUBLISH_WAIT_S seconds, default 300).

In the cluster (`make run-cluster`) it first restarts the Rasa replicas one at a time
(scripts/services.sh roll): each loads the published model as it starts.

    python -m tools.publish publish|answers|rollback|status
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Callable, Dict, List

from serving.model_server import DEFAULT_PORT
from tools import paths
from tools.gate import gate_failures
from tools.model_store import (
    StoreError,
    is_live_model,
    is_published,
    publish,
    publish_answers,
    read_state,
    rollback,
)
from tools.models import fingerprint, newest_trained
from tools.progress import say

Scorer = Callable[[Path, Path], Dict[str, Any]]


def _port() -> int:
    return int(os.environ.get("MODEL_SERVER_PORT", DEFAULT_PORT))


def server_status(port: int) -> Dict[str, Any] | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/status", timeout=3) as answer:
            return json.load(answer)
    except (urllib.error.URLError, OSError, ValueError):
        return None


def roll_cluster(root: Path) -> None:
    """In the cluster (`make run-cluster`), each Rasa replica loads the published model when it
    starts: restart them one by one, while the load balancer sends people to the others."""
    mode = Path(root) / "var" / "run" / "mode"
    if mode.exists() and mode.read_text().strip() == "cluster":
        say("Restarting the Rasa replicas one at a time with this model...")
        subprocess.run([str(Path(root) / "scripts" / "services.sh"), "roll"], check=False)


def wait_until_live(print_name: str, port: int, timeout: float) -> str:
    """A sentence saying whether the running assistant now uses the model `print_name`."""
    if server_status(port) is None:
        return "The assistant is not running; it will use this model when it starts (make run)."
    say("Waiting for the running assistant to switch (it checks every 10 seconds)...")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = server_status(port) or {}
        if (status.get("last_pull") or {}).get("has") == print_name:
            return "The running assistant now answers with this model."
        time.sleep(2)
    return (
        f"The running assistant has not switched within {timeout:.0f} seconds. It keeps "
        "answering with the model it had. Look at `make logs` (rasa-server.log)."
    )


def data_changed_since(root: Path, model: Path) -> List[str]:
    """Content files edited after the last training (`make train` stamps models/.trained even
    when Rasa finds nothing changed and keeps the model it has)."""
    not_trained = [root / folder for folder in paths.NOT_TRAINED_DIRS]
    inputs = [
        root / paths.DOMAIN,
        root / paths.CONFIG,
        *(
            path
            for path in sorted((root / paths.DATA).rglob("*.yml"))
            if not any(path.is_relative_to(folder) for folder in not_trained)
        ),
    ]
    stamp = root / paths.TRAINED_STAMP
    trained = max(model.stat().st_mtime, stamp.stat().st_mtime if stamp.exists() else 0)
    return [paths.relative(p, root) for p in inputs if p.exists() and p.stat().st_mtime > trained]


def heldout_for(root: Path, model: Path, scorer: Scorer) -> Dict[str, Any]:
    """The held-out results of `model`: from the last `make evaluate` if it was this model."""
    from tools.evaluate import saved_result

    saved = saved_result(root)
    if saved and saved.get("fingerprint") == fingerprint(model):
        say("Using the held-out results of the last `make evaluate` (same model).")
        return saved["heldout"]
    say("Scoring the held-out test questions (about a minute)...")
    return scorer(root, model)


def publish_if_passing(root: Path, model: Path, heldout: Dict[str, Any]) -> List[str]:
    """Publishes `model` if its held-out results pass the gate; returns the failures otherwise."""
    failures = gate_failures(heldout)
    if not failures:
        publish(root, model, "passed the held-out gate")
    return failures


def do_publish(root: Path, scorer: Scorer, wait: float) -> int:
    from tools.check import report, run_checks

    model = newest_trained(root)
    if model is None:
        print("There is no trained model: run `make publish` (it trains first).")
        return 1
    changed = data_changed_since(root, model)
    if changed:
        print(
            f"{', '.join(changed[:3])} changed after {model.name} was trained: run "
            "`make publish`, which trains first."
        )
        return 1
    try:
        if is_published(root, model):
            print(f"{model.name} and the service directory are already published: nothing to do.")
            return 0
    except StoreError as error:
        print(f"Not published: {error}")
        return 1
    problems = run_checks(root, with_rasa=False)
    if problems:
        print("Not published.", report(problems))
        return 1
    if is_live_model(root, model):
        # Only the service directory changed: the model passed the gate when it went live.
        publish(root, model, "service directory changed")
        print(f"Published the service directory with the live model {model.name}.")
        print(wait_until_live(fingerprint(model), _port(), wait))
        return 0
    try:
        heldout = heldout_for(root, model, scorer)
    except Exception as error:  # a model that cannot even be loaded must not go live
        print(f"Not published: {model.name} could not be loaded ({error}).")
        return 1
    failures = publish_if_passing(root, model, heldout)
    if failures:
        print("Not published. The held-out test must pass before people get a new model:")
        print("\n".join(f"  - {f}" for f in failures))
        print(
            'The assistant keeps the model it has. See STAFF_GUIDE.md, "If publishing is refused".'
        )
        return 1
    print(
        f"Published {model.name} with the service directory (the previous ones are kept: "
        "`make rollback` restores them)."
    )
    roll_cluster(root)
    print(wait_until_live(fingerprint(model), _port(), wait))
    return 0


def do_publish_answers(root: Path, how: str = "answers published without training") -> int:
    from tools.check import report, run_checks

    problems = run_checks(root, with_rasa=False)
    if problems:
        print("Not published.", report(problems))
        return 1
    try:
        entry = publish_answers(root, how)
    except StoreError as error:
        print(f"Nothing was changed: {error}")
        return 1
    print(
        f"Published the answers as saved now, with {entry['trained_as']}. The running assistant "
        "says them from its next reply; `make rollback` returns to the answers before."
    )
    return 0


def do_rollback(root: Path, wait: float) -> int:
    try:
        entry = rollback(root)
    except StoreError as error:
        print(f"Nothing was changed: {error}")
        return 1
    print(
        f"Rolled back to {entry['trained_as']} and the service directory published with it. "
        "`make rollback` again returns to the other one."
    )
    roll_cluster(root)
    print(wait_until_live(entry["fingerprint"], _port(), wait))
    return 0


def do_status(root: Path) -> int:
    state = read_state(root)
    for key, title in (("current", "Live now"), ("previous", "Before that (make rollback)")):
        entry = state.get(key)
        print(
            f"{title}: "
            + (
                f"{entry['trained_as']}, published {entry['published_at']} ({entry['how']})"
                if entry
                else "none"
            )
        )
    newest = newest_trained(root)
    live = (state.get("current") or {}).get("fingerprint")
    if newest and fingerprint(newest) != live:
        print(f"Newest trained model {newest.name} is not published yet (make publish).")
    running = server_status(_port())
    if running:
        has = (running.get("last_pull") or {}).get("has")
        print(
            f"The running assistant has model {has or 'none yet'}; the server offers "
            f"{running.get('serving')}."
        )
    return 0


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("publish", "answers", "rollback", "status"))
    parser.add_argument("--root", type=Path, default=paths.ROOT)
    args = parser.parse_args(argv)
    wait = float(os.environ.get("PUBLISH_WAIT_S", "300"))
    if args.command == "publish":
        from tools.progress import quiet_libraries

        quiet_libraries()
        from tools.evaluate import score_heldout

        return do_publish(args.root, score_heldout, wait)
    if args.command == "answers":
        return do_publish_answers(args.root)
    if args.command == "rollback":
        return do_rollback(args.root, wait)
    return do_status(args.root)


if __name__ == "__main__":
    sys.exit(main())
