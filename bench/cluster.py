"""`python -m bench.run --cluster`: the scaled set-up against the embedded one, in one run.

Side by side, on this machine: the embedded default (one Rasa process, SQLite), Rasa's default
pipeline as the reference, the cluster (scripts/services.sh start-cluster: nginx, PostgreSQL, Redis)
with 1 and with 2 Rasa replicas, at 1, 10 and 50 closed-loop conversations; then the 2-replica
cluster with each serving change switched off in turn, to see what it still buys there. For each
cluster run, what one message costs PostgreSQL (rows written and read, bytes, ms of statement time)
and Redis (commands), from their own counters taken before and after the load.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Dict, List

from bench.servers import ROOT, UNLIMITED_SENDERS, Cluster, cluster_env, rss_mb

LEVELS = (1, 10, 50)
BASE_PORT = 5400
FOLDER = ROOT / "var" / "bench-cluster"
# PostgreSQL updates its statistics views at most once a second per connection.
STATS_DELAY_S = 2.0


def store_counters(cluster: Cluster) -> Dict[str, float]:
    """PostgreSQL's and Redis's own running totals."""
    time.sleep(STATS_DELAY_S)
    table = cluster.sql(
        "SELECT coalesce(sum(n_tup_ins), 0), coalesce(sum(seq_tup_read + idx_tup_fetch), 0), "
        "coalesce(pg_total_relation_size('events'), 0) FROM pg_stat_user_tables "
        "WHERE relname = 'events'"
    )
    inserted, read, size = table[0] if table else (0, 0, 0)
    database = cluster.sql(
        "SELECT active_time, xact_commit FROM pg_stat_database WHERE datname = current_database()"
    )[0]
    return {
        "rows_inserted": float(inserted),
        "rows_read": float(read),
        "bytes": float(size),
        "statement_ms": float(database[0] or 0),
        "commits": float(database[1] or 0),
        "redis_commands": float(cluster.redis_info()["total_commands_processed"]),
    }


def per_message(before: Dict[str, float], after: Dict[str, float], messages: int) -> Dict:
    if not messages:
        return {}
    return {key: round((after[key] - before[key]) / messages, 2) for key in before}


def capacity(cost: Dict[str, float]) -> Dict[str, Any]:
    """On paper: messages a second one PostgreSQL core and one Redis carry before they limit.

    PostgreSQL: one core is busy `statement_ms` per message. Redis: one thread, taken as
    REDIS_OPS_PER_S simple commands a second (redis-benchmark's order of magnitude on one core).
    """
    figures: Dict[str, Any] = {}
    if cost.get("statement_ms"):
        figures["postgres_messages_per_s_per_core"] = round(1000 / cost["statement_ms"])
    if cost.get("redis_commands"):
        figures["redis_messages_per_s"] = round(REDIS_OPS_PER_S / cost["redis_commands"])
    return figures


REDIS_OPS_PER_S = 50_000


def measure_cluster(
    model: Path,
    replicas: int,
    env: Dict[str, str],
    questions: List[str],
    duration_s: float,
    load_levels,
) -> Dict[str, Any]:
    settings = {
        "RASA_MODEL": str(model),
        "RASA_REPLICAS": str(replicas),
        "ACTION_REPLICAS": "2",
        **UNLIMITED_SENDERS,
        **env,
    }
    cluster = Cluster(cluster_env(BASE_PORT, FOLDER, **settings))
    started = time.perf_counter()
    cluster.start()
    start_s = time.perf_counter() - started
    try:
        pids = [cluster.pid(f"rasa-{n}") for n in range(1, replicas + 1)]
        rss_start = sum(rss_mb(pid) for pid in pids)
        levels, before, after = load_levels(cluster, questions, duration_s, LEVELS)
        rss_after = sum(rss_mb(pid) for pid in pids)
    finally:
        cluster.stop()
    messages = sum(level.messages for level in levels)
    cost = per_message(before, after, messages)
    return {
        "start_s": round(start_s, 1),
        "rss_start_mb": round(rss_start, 1),
        "rss_mb": round(rss_after, 1),
        "levels": levels,
        "store_cost_per_message": cost,
        "store_capacity": capacity(cost),
    }


def table(figures: Dict[str, Dict[str, Any]]) -> str:
    """Markdown: throughput and latency percentiles at each level, per run, and store costs."""
    head = "| run | " + " | ".join(f"msg/s @{n} | p50/p95/p99 ms @{n}" for n in LEVELS)
    lines = [head + " |", "|---" * (1 + 2 * len(LEVELS)) + "|"]
    for name, found in figures.items():
        cells = []
        for n in LEVELS:
            level = found["levels"].get(str(n)) or {}
            cells.append(f"{level.get('throughput_mps', '-')}")
            cells.append(
                "/".join(f"{level[k]:.0f}" for k in ("p50", "p95", "p99"))
                + (f" ({level['errors']} errors)" if level.get("errors") else "")
                if level
                else "-"
            )
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    costs = [(n, f) for n, f in figures.items() if f.get("store_cost_per_message")]
    if costs:
        lines += [
            "",
            "| run | per message: rows written | rows read | bytes | PostgreSQL ms | "
            "commits | Redis commands | on paper: msg/s per PostgreSQL core | msg/s per Redis |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for name, found in costs:
            c, cap = found["store_cost_per_message"], found.get("store_capacity", {})
            lines.append(
                f"| {name} | {c['rows_inserted']} | {c['rows_read']} | {c['bytes']:.0f} | "
                f"{c['statement_ms']} | {c['commits']} | {c['redis_commands']} | "
                f"{cap.get('postgres_messages_per_s_per_core', '-')} | "
                f"{cap.get('redis_messages_per_s', '-')} |"
            )
    reference, scaled = figures.get("default"), figures.get("cluster-2")
    if reference and scaled and "10" in reference["levels"] and "10" in scaled["levels"]:
        ref, new = reference["levels"]["10"], scaled["levels"]["10"]
        lines += [
            "",
            f"2-replica cluster against Rasa's default pipeline at 10 conversations: p95 "
            f"{new['p95'] / ref['p95']:.2f} x (target <= 0.4), throughput "
            f"{new['throughput_mps'] / ref['throughput_mps']:.2f} x (target >= 2).",
        ]
    return "\n".join(lines)
