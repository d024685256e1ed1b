"""The side-by-side table of `make bench` and the check against the issue's targets."""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Tuple

TARGET_P95_AT_10_MS = 150.0
TARGET_THROUGHPUT_MPS = 40.0
TARGET_RSS_MB = 1500.0

Row = Tuple[str, Callable[[Dict[str, Any]], float | None], str]

ROWS: List[Row] = [
    ("training time (s)", lambda f: f.get("train_s"), "{:.0f}"),
    ("model size (MB)", lambda f: f.get("model_mb"), "{:.1f}"),
    ("server start (s)", lambda f: f.get("start_s"), "{:.1f}"),
    ("RSS after start (MB)", lambda f: f.get("rss_start_mb"), "{:.0f}"),
    ("RSS after load (MB)", lambda f: f.get("rss_mb"), "{:.0f}"),
    *[
        (
            f"latency {pct} @{c} conv. (ms)",
            (lambda f, c=c, pct=pct: f["latency_ms"][c][pct]),
            "{:.1f}",
        )
        for c in ("1", "10", "50")
        for pct in ("p50", "p95", "p99")
    ],
    *[
        (
            f"latency {pct}, 50 conv. at 3 s pace (ms)",
            (lambda f, pct=pct: f["paced_latency_ms"][pct] if f.get("paced_latency_ms") else None),
            "{:.1f}",
        )
        for pct in ("p50", "p95", "p99")
    ],
    ("throughput at knee (msg/s)", lambda f: f.get("throughput_mps"), "{:.1f}"),
    ("  knee at (conversations)", lambda f: f.get("knee_concurrency"), "{:.0f}"),
    ("errors", lambda f: f.get("errors"), "{:.0f}"),
    (
        "held-out accuracy (%)",
        lambda f: 100 * f["accuracy"]["accuracy"] if f.get("accuracy") else None,
        "{:.1f}",
    ),
]


def _cell(value: float | None, fmt: str) -> str:
    return "-" if value is None else fmt.format(value)


# project/project-en: what the French examples cost (bench/train.py trains project-en without them).
RATIOS = (("project", "default"), ("project", "project-plain"), ("project", "project-en"))


def table(figures: Dict[str, Dict[str, Any]]) -> str:
    names = list(figures)
    ratios = [(a, b) for a, b in RATIOS if a in figures and b in figures]
    header = ["figure", *names, *(f"{a}/{b}" for a, b in ratios)]
    lines = [header]
    for label, get, fmt in ROWS:
        values = [get(figures[n]) for n in names]
        row = [label, *(_cell(v, fmt) for v in values)]
        for a, b in ratios:
            top, bottom = get(figures[a]), get(figures[b])
            row.append(f"{top / bottom:.2f}" if top is not None and bottom else "-")
        lines.append(row)
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    rendered = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in lines
    ]
    rendered.insert(1, "-" * len(rendered[0]))
    return "\n".join(rendered)


def check_targets(project: Dict[str, Any]) -> str:
    p95 = project["latency_ms"]["10"]["p95"]
    rss = max(project.get("rss_mb", 0), project.get("rss_start_mb", 0))
    checks = [
        (
            f"p95 at 10 conversations {p95:.0f} ms < {TARGET_P95_AT_10_MS:.0f} ms",
            p95 < TARGET_P95_AT_10_MS,
        ),
        (
            f"throughput {project['throughput_mps']:.1f} msg/s >= {TARGET_THROUGHPUT_MPS:.0f}",
            project["throughput_mps"] >= TARGET_THROUGHPUT_MPS,
        ),
        (f"errors {project['errors']} == 0", project["errors"] == 0),
        (f"memory {rss:.0f} MB < {TARGET_RSS_MB:.0f} MB", rss < TARGET_RSS_MB),
    ]
    return "Targets (project model):\n" + "\n".join(
        f"  [{'met' if ok else 'MISSED'}] {text}" for text, ok in checks
    )
