"""`make bench`: this project's model against Rasa's default pipeline, side by side.

For each model (trained only when Rasa's fingerprints changed, see bench/train.py): start the Rasa
server on 127.0.0.1 with this project's channels and tracker store (an action server is started
too), measure memory, warm it up, run the REST load at several concurrency levels, measure memory
again, stop it. Then print a table with the ratio project/default for every figure and write
results/bench.json (and the extra figures in results/bench_details.json).

The "project-en" model is this project's pipeline trained without the French examples: the
ratio project/project-en is what the second language costs (training time, memory, latency) and
its held-out accuracy shows what French does to the English answers.

Run: python -m bench.run [--models project default project-plain project-en] [--duration 8]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List

from bench import cluster as bench_cluster
from bench.loadgen import LevelResult, knee, run_level
from bench.report import check_targets, table
from bench.servers import PYTHON, ROOT, UNLIMITED_SENDERS, action_server, rasa_server, rss_mb
from bench.train import ENGLISH_ONLY, ensure_model
from serving import switches
from tools.heldout import HELDOUT, load_examples
from tools.project import RETRIEVAL_INTENT

RESULTS = ROOT / "results"
REPORTED = (1, 10, 50)
# The project's model once more, served with every speed change switched off (serving/switches.py:
# glibc's malloc, TensorFlow's own thread count, Rasa's code): what those changes buy, in one run.
PLAIN = "project-plain"
PLAIN_ENV = switches.plain_environment()
LEVELS = (1, 2, 5, 10, 20, 50)
PACED = {"conversations": 50, "think_s": 3.0}


def faq_questions() -> List[str]:
    """Unseen phrasings of FAQ questions (the held-out set), as a person would type them."""
    return [text for text, label in load_examples() if label.startswith(RETRIEVAL_INTENT + "/")]


def accuracy(model: Path) -> Dict[str, Any]:
    """Held-out accuracy, kept beside the model until the model or the test set changes."""
    key = hashlib.sha256(HELDOUT.read_bytes() + str(model.stat().st_mtime_ns).encode()).hexdigest()
    cache = model.with_suffix("").with_suffix(".accuracy.json")
    if cache.exists():
        stored = json.loads(cache.read_text())
        if stored.get("key") == key:
            return stored["result"]
    done = subprocess.run(
        [str(PYTHON), "-m", "bench.accuracy", str(model)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    cache.write_text(json.dumps({"key": key, "result": result}))
    return result


async def warm_up(url: str, questions: List[str]) -> None:
    await run_level(url, 1, questions, duration_s=2, max_messages=20, tag="warm1")
    await run_level(url, 10, questions, duration_s=3, max_messages=200, tag="warm10")


async def load_levels(
    url: str, questions: List[str], duration_s: float, levels_run=LEVELS, warm: bool = True
) -> List[LevelResult]:
    if warm:
        await warm_up(url, questions)
    levels = []
    for concurrency in levels_run:
        level = await run_level(url, concurrency, questions, duration_s=duration_s)
        print(
            f"    {concurrency:>2} conversations: {level.throughput_mps:5.1f} msg/s, "
            f"p95 {level.summary()['p95']:6.1f} ms, errors {level.errors}"
        )
        levels.append(level)
    return levels


async def paced_level(url: str, questions: List[str], duration_s: float) -> LevelResult:
    """50 conversations at a person's pace: each waits 3 s after a reply before the next."""
    level = await run_level(
        url,
        PACED["conversations"],
        questions,
        duration_s=max(duration_s, 12.0),
        think_s=PACED["think_s"],
        tag="paced",
    )
    print(
        f"    {PACED['conversations']} conversations, {PACED['think_s']:.0f} s think time: "
        f"{level.throughput_mps:5.1f} msg/s, p95 {level.summary()['p95']:6.1f} ms, "
        f"errors {level.errors}"
    )
    return level


def measure(
    name: str,
    model: Path,
    actions_url: str,
    duration_s: float,
    env: Dict[str, str],
    levels_run=LEVELS,
    paced: bool = True,
) -> Dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        server = rasa_server(
            Path(tmp), model, actions_url + "/webhook", env={**UNLIMITED_SENDERS, **env}
        )
        started = time.perf_counter()
        server.start()
        start_s = time.perf_counter() - started
        rss_start = rss_mb(server.pid)
        try:
            levels = asyncio.run(load_levels(server.url, faq_questions(), duration_s, levels_run))
            paced = (
                asyncio.run(paced_level(server.url, faq_questions(), duration_s)) if paced else None
            )
            rss_after = rss_mb(server.pid)
        finally:
            server.stop()
    best = knee(levels)
    by_level = {level.concurrency: level for level in levels}
    return {
        "start_s": round(start_s, 1),
        "rss_start_mb": round(rss_start, 1),
        "rss_mb": round(rss_after, 1),
        "throughput_mps": round(best.throughput_mps, 1),
        "knee_concurrency": best.concurrency,
        "errors": sum(level.errors for level in [*levels, paced] if level),
        "error_kinds": _merge(level.error_kinds for level in [*levels, paced] if level),
        "paced_latency_ms": {**PACED, **paced.summary()} if paced else None,
        "latency_ms": {str(c): by_level[c].summary() for c in REPORTED if c in by_level},
        "levels": [
            {
                "concurrency": level.concurrency,
                "messages": level.messages,
                "throughput_mps": round(level.throughput_mps, 1),
                **level.summary(),
                "errors": level.errors,
            }
            for level in levels
        ],
    }


def cluster_load(cluster, questions: List[str], duration_s: float, levels_run):
    """The load levels through the cluster's load balancer, with the stores' counters around."""
    asyncio.run(warm_up(cluster.url, questions))
    before = bench_cluster.store_counters(cluster)
    levels = asyncio.run(load_levels(cluster.url, questions, duration_s, levels_run, warm=False))
    return levels, before, bench_cluster.store_counters(cluster)


def level_rows(levels: List[LevelResult]) -> Dict[str, Any]:
    return {
        str(level.concurrency): {
            "throughput_mps": round(level.throughput_mps, 1),
            **level.summary(),
            "errors": level.errors,
        }
        for level in levels
    }


def cluster_comparison(
    duration_s: float, only: List[str] | None, project: Path | None = None
) -> Dict[str, Dict[str, Any]]:
    """bench/cluster.py: embedded, Rasa's default pipeline, the cluster with 1 and 2 replicas,
    then the 2-replica cluster with each serving change off in turn. Models are trained only for
    the runs asked for (`project`: serve this model file instead of training one)."""
    wanted = only or ["default", "project"]
    project = project or ensure_model("project").path
    default = ensure_model("default").path if "default" in wanted else None
    questions = faq_questions()
    runs: Dict[str, Any] = {}
    for name, model in (("embedded", project), ("default", default)):
        runs[name] = ("embedded", model, {})
    runs["cluster-1"] = (1, project, {})
    runs["cluster-2"] = (2, project, {})
    for switch, plain in CLUSTER_SWITCHES.items():
        runs[f"cluster-2 {switch}={plain}"] = (2, project, {switch: plain})
    figures: Dict[str, Dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-actions-") as tmp:
        actions = action_server(Path(tmp)).start()
        try:
            for name, (kind, model, env) in runs.items():
                if only and name not in only:
                    continue
                print(f"{name}:")
                if kind == "embedded":
                    found = measure(
                        name, model, actions.url, duration_s, env, bench_cluster.LEVELS, False
                    )
                    figures[name] = {
                        "start_s": found["start_s"],
                        "rss_mb": found["rss_mb"],
                        "levels": {str(x["concurrency"]): x for x in found["levels"]},
                    }
                    continue
                found = bench_cluster.measure_cluster(
                    model, kind, env, questions, duration_s, cluster_load
                )
                found["levels"] = level_rows(found["levels"])
                figures[name] = found
        finally:
            actions.stop()
    return figures


# The speed changes, each set to Rasa's own serving in turn in the 2-replica cluster. Not the ones
# that keep people safe or private (fallback, log privacy, HTTP surface...), never switched off, nor
# SQLITE_WAL (nothing to do on PostgreSQL).
CLUSTER_SWITCHES = {
    s.name: s.plain
    for s in switches.SWITCHES
    if s.name
    in (
        "NLU_THREADS",
        "TF_NUM_INTRAOP_THREADS",
        "RASA_MALLOC",
        "COMPILE_LANGUAGE_MODEL",
        "LEAN_MODEL_LOAD",
        "FAST_FEATURES",
        "DIRECT_PREDICT",
        "PLANNED_GRAPH",
        "REMEMBER_LOOKUPS",
        "CHECK_REPLY_FORMAT_ONCE",
    )
}


def _merge(kinds) -> Dict[str, int]:
    merged: Dict[str, int] = {}
    for part in kinds:
        for kind, count in part.items():
            merged[kind] = merged.get(kind, 0) + count
    return merged


BENCH_KEYS = ("train_s", "model_mb", "rss_mb", "throughput_mps", "errors", "latency_ms")


def language_detection(results: Path) -> str:
    """The language router's own cost and accuracy, measured in a fresh process."""
    run = subprocess.run(
        [str(PYTHON), "-m", "bench.language_detection"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(run.stdout)
    (results / "language_detection.json").write_text(json.dumps(figures, indent=2))
    unseen = figures["heldout_set"]
    return (
        f"Language detection (components/language_router.py): load {figures['load_s']} s, "
        f"+{figures['memory_mb']} MB, {figures['per_message_ms_p50']} ms per message (p50), "
        f"p99 {figures['per_message_ms_p99']} ms; accuracy {figures['accuracy']} on "
        f"{figures['examples']} messages; held-out set: {unseen['all']['accuracy']} on "
        f"{unseen['all']['examples']} messages, very short ones {unseen['very_short']['accuracy']} "
        f"on {unseen['very_short']['examples']}; English held-out and dev lines sent to the "
        f"bridge: {figures['heldout_and_dev_english_diverted']} of "
        f"{figures['heldout_and_dev_english_lines']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--models",
        nargs="+",
        default=["project", "default", PLAIN, ENGLISH_ONLY],
        help=f"project, default, {PLAIN}, {ENGLISH_ONLY}",
    )
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per level")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write the JSON")
    parser.add_argument(
        "--cluster",
        action="store_true",
        help="embedded, default, cluster with 1 and 2 replicas, serving changes off in the cluster",
    )
    parser.add_argument("--only", nargs="+", help="with --cluster: only these runs")
    parser.add_argument("--project-model", type=Path, help="with --cluster: this model, untrained")
    args = parser.parse_args()
    if args.cluster:
        started = time.perf_counter()
        figures = cluster_comparison(args.duration, args.only, args.project_model)
        args.results.mkdir(parents=True, exist_ok=True)
        (args.results / "bench_cluster.json").write_text(json.dumps(figures, indent=2))
        print()
        print(bench_cluster.table(figures))
        print(
            f"\nWritten: {args.results}/bench_cluster.json ({time.perf_counter() - started:.0f} s)"
        )
        return

    print("Models (bench/models, trained only when the data or config changed):")
    trained = {name: ensure_model("project" if name == PLAIN else name) for name in args.models}
    figures: Dict[str, Dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-actions-") as tmp:
        actions = action_server(Path(tmp)).start()
        try:
            for name, model in trained.items():
                print(f"Held-out accuracy and load, {name} model:")
                figures[name] = {
                    "train_s": model.train_s,
                    "model_mb": round(model.size_mb, 1),
                    "accuracy": accuracy(model.path),
                    **measure(
                        name,
                        model.path,
                        actions.url,
                        args.duration,
                        PLAIN_ENV if name == PLAIN else {},
                    ),
                }
        finally:
            actions.stop()

    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "bench.json").write_text(
        json.dumps({n: {k: f[k] for k in BENCH_KEYS} for n, f in figures.items()}, indent=2)
    )
    (args.results / "bench_details.json").write_text(json.dumps(figures, indent=2))
    print()
    print(table(figures))
    print(
        "Latency @N: N conversations at once, each sending its next FAQ question as soon as it"
        " has the reply (no pause: a burst far above N real people). Knee: the lowest of"
        f" {', '.join(map(str, LEVELS))} conversations with 90% of the best throughput."
    )
    if "project" in figures:
        print()
        print(check_targets(figures["project"]))
    print()
    print(language_detection(args.results))
    print(f"\nWritten: {args.results}/bench.json, bench_details.json and language_detection.json")


if __name__ == "__main__":
    main()
