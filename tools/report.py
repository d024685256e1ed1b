"""The evaluation report: Markdown with pictures, and what changed since the previous report."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any, Dict, List

from tools.gate import gate_failures, gate_lines
from tools.nlu_scoring import predictions_from

NOTABLE = 0.02  # a change in F1 smaller than this is noise
SECTIONS = (("heldout", "Held-out test"), ("cross_validation", "Cross-validation"))
METRICS = (
    ("accuracy", "Understood correctly"),
    ("emergency_recall", "Emergencies recognised"),
    ("out_of_scope_rate", "Off-topic kept out"),
)


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _short(label: str) -> str:
    if label == "nlu_fallback":
        return "not sure (fallback)"
    return label.replace("faq/", "faq: ")


# --- pictures -------------------------------------------------------------------------------------


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def f1_chart(per_label: Dict[str, Dict[str, float]], path: Path, title: str) -> None:
    import numpy as np

    plt = _pyplot()

    labels = sorted(per_label, key=lambda k: (per_label[k]["f1"], k))
    y = np.arange(len(labels))
    fig, ax = plt.subplots(figsize=(9, 1.2 + 0.32 * len(labels)))
    for offset, key, colour in (
        (-0.27, "precision", "#9ecae1"),
        (0, "recall", "#4292c6"),
        (0.27, "f1", "#08306b"),
    ):
        ax.barh(
            y + offset,
            [per_label[k][key] for k in labels],
            height=0.27,
            color=colour,
            label=key if key != "f1" else "F1",
        )
    ax.set_yticks(y, [_short(k) for k in labels], fontsize=8)
    ax.invert_yaxis()  # the weakest at the top
    ax.set_xlim(0, 1.0)
    ax.axvline(0.9, color="#999", linewidth=0.8, linestyle="--")
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.04), ncol=3, fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def confusion_chart(labels: List[str], matrix: List[List[int]], path: Path, title: str) -> None:
    import numpy as np

    plt = _pyplot()

    counts = np.array(matrix)
    size = 2.5 + 0.38 * len(labels)
    fig, ax = plt.subplots(figsize=(size + 1.5, size))
    image = ax.imshow(np.log1p(counts), cmap="Blues")
    names = [_short(k) for k in labels]
    ax.set_xticks(range(len(labels)), names, rotation=90, fontsize=7)
    ax.set_yticks(range(len(labels)), names, fontsize=7)
    ax.set_xlabel("what the assistant understood")
    ax.set_ylabel("what the question was about")
    for i, row in enumerate(counts):
        for j, value in enumerate(row):
            if value:
                colour = "white" if image.norm(np.log1p(value)) > 0.6 else "black"
                ax.text(j, i, str(value), ha="center", va="center", fontsize=6, color=colour)
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _charts(section: Dict[str, Any], out: Path, key: str, title: str) -> None:
    f1_chart(section["per_label"], out / f"{key}_scores.png", f"{title}: scores per intent")
    confusion_chart(
        section["labels"],
        section["confusion"],
        out / f"{key}_confusion.png",
        f"{title}: what was taken for what",
    )


# --- comparison -------------------------------------------------------------------------------


def compare(previous: Dict[str, Any] | None, current: Dict[str, Any]) -> Dict[str, Any]:
    """What got better or worse since the previous evaluation."""
    if not previous:
        return {}
    changes: Dict[str, Any] = {"previous_date": previous.get("date"), "sections": {}}
    for key, _ in SECTIONS:
        old, new = previous.get(key), current.get(key)
        if not old or not new:
            continue
        metrics = [
            (name, old.get(metric), new.get(metric))
            for metric, name in METRICS
            if old.get(metric) is not None or new.get(metric) is not None
        ]
        better, worse = [], []
        for label, scores in new["per_label"].items():
            before = old["per_label"].get(label, {}).get("f1")
            if before is None:
                continue
            delta = scores["f1"] - before
            if delta >= NOTABLE:
                better.append((label, before, scores["f1"]))
            elif delta <= -NOTABLE:
                worse.append((label, before, scores["f1"]))
        section = {"metrics": metrics, "better": better, "worse": worse}
        if key == "heldout":
            was = {(p.text, p.expected): p for p in predictions_from(old)}
            section["now_wrong"], section["now_right"] = [], []
            for p in predictions_from(new):
                before = was.get((p.text, p.expected))
                if before and before.correct and not p.correct:
                    section["now_wrong"].append(p)
                elif before and not before.correct and p.correct:
                    section["now_right"].append(p)
        changes["sections"][key] = section
    return changes


def _change_lines(changes: Dict[str, Any]) -> List[str]:
    if not changes:
        return ["This is the first evaluation: the next report will show what changed.", ""]
    lines = [f"Compared with the evaluation of {changes['previous_date']}:", ""]
    for key, title in SECTIONS:
        section = changes["sections"].get(key)
        if not section:
            continue
        lines.append(f"**{title}**")
        lines.append("")
        for name, old, new in section["metrics"]:
            if old is None or new is None or old == new:
                delta = " (same)" if old == new else ""
            else:
                delta = f" ({(new - old) * 100:+.1f} points)"
            lines.append(f"- {name}: {_pct(old)} → {_pct(new)}{delta}")
        for word, items in (("Better", section["better"]), ("Worse", section["worse"])):
            if items:
                listed = ", ".join(f"{_short(k)} ({a:.2f} → {b:.2f})" for k, a, b in items)
                lines.append(f"- {word} (F1): {listed}")
        if not section["better"] and not section["worse"]:
            lines.append("- No intent or topic changed by more than 0.02 F1.")
        if section.get("now_wrong"):
            lines.append("- Now misunderstood (was right before):")
            lines += [
                f'    - "{p.text}": about {_short(p.expected)}, now taken for {_short(p.scored)}'
                for p in section["now_wrong"]
            ]
        if section.get("now_right"):
            lines.append("- Now understood (was wrong before):")
            lines += [f'    - "{p.text}" ({_short(p.expected)})' for p in section["now_right"]]
        lines.append("")
    return lines


# --- the report -------------------------------------------------------------------------------


def _table(per_label: Dict[str, Dict[str, float]]) -> List[str]:
    lines = [
        "| intent or topic | precision | recall | F1 | questions |",
        "|---|---:|---:|---:|---:|",
    ]
    for label in sorted(per_label, key=lambda k: (per_label[k]["f1"], k)):
        s = per_label[label]
        flag = " ⚠" if s["f1"] < 0.9 else ""
        lines.append(
            f"| {_short(label)}{flag} | {s['precision']:.2f} | {s['recall']:.2f} | "
            f"{s['f1']:.2f} | {s['support']} |"
        )
    return lines


def _pairs(pairs: List[Dict[str, Any]]) -> List[str]:
    if not pairs:
        return ["No mistakes.", ""]
    lines = []
    for pair in pairs:
        lines.append(
            f"- **{_short(pair['expected'])}** taken for **{_short(pair['predicted'])}**: "
            f"{pair['count']} time{'s' if pair['count'] > 1 else ''}"
        )
        lines += [f'    - "{text}"' for text in pair["examples"]]
    return lines + [""]


def _language_lines(result: Dict[str, Any]) -> List[str]:
    """Each other language's held-out test, apart from the English gate, and language detection."""
    others = result.get("heldout_languages") or {}
    detection = result.get("language_detection")
    if not others and not detection:
        return []
    lines = ["## Other languages", ""]
    if others:
        lines += [
            "Each language has its own held-out test (not part of the gate above). Its whole "
            "replies are scored through REST by `python -m tools.situations --language <code>`.",
            "",
            "| language | questions | intent accuracy | emergency recall | off-topic handled |",
            "|---|---:|---:|---:|---:|",
            *(
                f"| {language} | {summary['n']} | {_pct(summary['accuracy'])} | "
                f"{_pct(summary['emergency_recall'])} | {_pct(summary['out_of_scope_rate'])} |"
                for language, summary in sorted(others.items())
            ),
            "",
        ]
    if detection:
        everything, short = detection["all"], detection["very_short"]
        lines += [
            f"Language detection on held-out messages: {_pct(everything['accuracy'])} of "
            f"{everything['examples']}; very short ones "
            f"{_pct(short['accuracy'])} of {short['examples']}.",
            "",
            *(
                f'- "{miss["text"]}": {miss["expected"]} taken for {miss["got"]}'
                for miss in everything["wrong"]
            ),
            "",
        ]
    return lines


def write_report(result: Dict[str, Any], changes: Dict[str, Any], out: Path) -> Path:
    """Writes out/report.md and its pictures; returns the report's path."""
    out.mkdir(parents=True, exist_ok=True)
    heldout = result.get("heldout")
    failures = gate_failures(heldout)
    lines = [
        "# Evaluation report",
        "",
        f"Date: {result['date']} · model: `{result['model']}` "
        f"(fingerprint {result['fingerprint']})",
        "",
        "## Ready to publish?",
        "",
        "**Yes**: the held-out test passes every threshold."
        if not failures
        else "**No**: " + "; ".join(failures) + ".",
        "",
        "| held-out test | result | needed |",
        "|---|---:|---:|",
        *(
            f"| {meaning} | {_pct(value)} {'✅' if ok else '❌'} | {minimum:.0%} |"
            for meaning, value, minimum, ok in gate_lines(heldout or {})
        ),
        "",
        *_language_lines(result),
        "## What changed",
        "",
        *_change_lines(changes),
    ]
    for key, title in SECTIONS:
        section = result.get(key)
        if not section:
            continue
        with warnings.catch_warnings():  # matplotlib's own deprecation chatter
            warnings.simplefilter("ignore")
            _charts(section, out, key, title)
        about = (
            "Questions written separately from the training examples (tests/nlu/heldout.yml)."
            if key == "heldout"
            else f"Each example is tested by a model trained without it ({section['folds']} folds)."
        )
        wrong = [p for p in predictions_from(section) if not p.correct]
        lines += [
            f"## {title}",
            "",
            about,
            f"{section['n']} questions; {_pct(section['accuracy'])} of those on the assistant's "
            "subjects understood correctly (off-topic ones are counted in the table below).",
            "",
            f"![{title} scores]({key}_scores.png)",
            "",
            *_table(section["per_label"]),
            "",
            f"![{title} confusion matrix]({key}_confusion.png)",
            "",
            "### Most confused pairs",
            "",
            *_pairs(section["confused_pairs"]),
        ]
        if key == "heldout" and wrong:
            lines += ["### Every misunderstood test question", ""]
            lines += [
                f'- "{p.text}": {_short(p.expected)} → {_short(p.scored)} ({p.confidence:.2f})'
                for p in wrong
            ]
            lines.append("")
    lines += [
        "## How to read this",
        "",
        "- **Precision**: of the messages the assistant put under this intent, how many belonged "
        "there. Low precision: other questions get this answer by mistake.",
        "- **Recall**: of the messages that belong here, how many it recognised. Low recall: "
        "people asking this get another answer; add more varied examples.",
        "- **F1** combines both (1.00 is perfect). ⚠ marks anything under 0.90.",
        "- The confusion matrix shows, for each kind of question (rows), what the assistant "
        "understood (columns). Numbers off the diagonal are mistakes.",
        "- Most confused pairs: the two topics' examples probably overlap. Make the examples "
        'of each clearly about its own topic (STAFF_GUIDE.md, "Add an example question").',
        "",
    ]
    path = out / "report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
