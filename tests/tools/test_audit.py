"""`make audit`: every installed package is audited, skipped ones are retried and named."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

from tools.audit import audit, installed, main, read_accepted

INSTALLED = [("aiohttp", "3.9.5"), ("pip", "24.0"), ("setuptools", "70.3.0"), ("gone", "1.0")]
ACCEPTED = {
    "aiohttp": [{"ids": ["CVE-2024-52304"], "reason": "server only", "checked": "2026-11-29"}]
}


def vuln(vuln_id, *aliases):
    return {"id": vuln_id, "aliases": list(aliases), "fix_versions": ["9.9"]}


def fake_services(pypi, osv):
    """A stand-in for pip-audit: canned answers per advisory service, and what was asked."""
    asked = []

    def run(packages, service):
        asked.append((service, list(packages)))
        answers = pypi if service == "pypi" else osv
        return [answers[name] for name, _ in packages]

    return run, asked


def test_findings_accepted_new_and_skipped_packages_are_told_apart():
    run, asked = fake_services(
        pypi={
            "aiohttp": {
                "name": "aiohttp",
                "version": "3.9.5",
                "vulns": [vuln("GHSA-x", "CVE-2024-52304")],
            },
            "pip": {"name": "pip", "version": "24.0", "vulns": [vuln("GHSA-new")]},
            "setuptools": {"name": "setuptools", "skip_reason": "not found on PyPI"},
            "gone": {"name": "gone", "skip_reason": "not found on PyPI"},
        },
        osv={
            "setuptools": {"name": "setuptools", "version": "70.3.0", "vulns": []},
            "gone": {"name": "gone", "skip_reason": "not found"},
        },
    )
    report = audit(INSTALLED, run, ACCEPTED, pins={"aiohttp": "3.9.5", "old": "2.0"})

    assert [(f.package, f.id) for f in report.findings] == [("pip", "GHSA-new")]
    assert [(f.package, reason) for f, reason in report.accepted] == [
        ("aiohttp", "server only (checked 2026-11-29)")
    ]
    # Only what PyPI skipped is asked from OSV; what OSV skips too is named, not dropped.
    assert asked[1] == ("osv", [("setuptools", "70.3.0"), ("gone", "1.0")])
    assert report.not_audited == ["gone==1.0"]
    assert report.audited == 3
    assert "pip==24.0" in report.not_pinned and "setuptools==70.3.0" in report.not_pinned
    assert report.not_installed == ["old==2.0"]
    assert not report.ok


def test_an_environment_with_only_accepted_advisories_passes():
    run, _ = fake_services(
        pypi={
            "aiohttp": {"name": "aiohttp", "version": "3.9.5", "vulns": [vuln("CVE-2024-52304")]}
        },
        osv={},
    )
    assert audit([("aiohttp", "3.9.5")], run, ACCEPTED).ok


def test_pip_setuptools_and_wheel_are_among_the_packages_audited():
    names = {name for name, _ in installed(Path(sys.executable))}
    assert {"pip", "setuptools", "rasa"} <= names


def test_every_accepted_advisory_says_why_and_when():
    for package, entries in read_accepted().items():
        for entry in entries:
            assert entry["ids"] and entry["reason"].strip() and entry["checked"], package


def test_main_fails_clearly_when_no_advisory_data_can_be_had(tmp_path, capsys):
    # A pip-audit that can reach nothing, as on a machine without PyPI's JSON API or OSV.
    fake = tmp_path / "pip-audit"
    fake.write_text(
        "#!/usr/bin/env python3\nimport json, sys\n"
        "args = sys.argv\n"
        "names = [l.split('==')[0] for l in open(args[args.index('-r') + 1]) if l.strip()]\n"
        "deps = [{'name': n, 'skip_reason': 'Dependency not found on PyPI'} for n in names]\n"
        "json.dump({'dependencies': deps}, open(args[args.index('-o') + 1], 'w'))\n",
        encoding="utf-8",
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    root = tmp_path / "project"
    root.mkdir()
    (root / "constraints.txt").write_text("rasa==3.6.21\n", encoding="utf-8")
    assert main(["--root", str(root), "--pip-audit", str(fake)]) == 2
    out = capsys.readouterr().out
    assert "NOT AUDITED" in out and "pip==" in out and "No package could be checked" in out
    assert json.loads((root / "results/audit/osv.json").read_text())["dependencies"]
