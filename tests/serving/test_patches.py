"""Every change to Rasa's code is declared, guarded and switchable; the lists of switches agree.

Each patch's guard must match the installed Rasa (a Rasa upgrade fails here first, naming the
patch and the function to read again); installing then uninstalling leaves Rasa's objects as
they were; a failed guard installs nothing and says so in one log line; a switch set to "0"
installs nothing. `.env.example`, the bench's plain configuration and the switch table in
docs/PERFORMANCE.md are checked against serving/switches.py.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import replace

import pytest

from serving import patches, switches
from tools.paths import ROOT

NAMES = [patch.name for patch in patches.PATCHES]


def raw(target: str):
    owner, attribute = patches.resolve(target)
    return vars(owner).get(attribute, "inherited")


@pytest.fixture(autouse=True)
def nothing_installed():
    patches.uninstall()
    yield
    patches.uninstall()


@pytest.mark.parametrize("name", NAMES)
def test_the_guard_matches_the_installed_rasa(name):
    patch = patches.by_name(name)
    assert patches.guard_problem(patch) is None, (
        f"{name}: Rasa's code changed; read {dict(patch.targets)} again, then update the "
        "patch and its fingerprints (serving/patches.py)"
    )


@pytest.mark.parametrize("name", NAMES)
def test_install_then_uninstall_leaves_rasa_as_it_was(name):
    import logging as stdlib_logging

    import structlog

    patch = patches.by_name(name)
    before = {target: raw(target) for target, _ in patch.targets}
    outside = (
        warnings.showwarning,
        stdlib_logging.getLogRecordFactory(),
        list(structlog.get_config()["processors"]),
    )
    assert patches.install_patch(patch, model_server=True)
    assert any(raw(target) is not before[target] for target, _ in patch.targets)
    patches.uninstall_patch(name)
    assert {target: raw(target) for target, _ in patch.targets} == before
    assert all(raw(target) is before[target] for target, _ in patch.targets)
    assert (
        warnings.showwarning,
        stdlib_logging.getLogRecordFactory(),
        list(structlog.get_config()["processors"]),
    ) == outside


@pytest.mark.parametrize("name", NAMES)
def test_switched_off_nothing_is_installed(name, monkeypatch):
    patch = patches.by_name(name)
    monkeypatch.setenv(patch.switch, "0")
    before = {target: raw(target) for target, _ in patch.targets}
    assert not patches.install_patch(patch, model_server=True)
    assert all(raw(target) is before[target] for target, _ in patch.targets)


def test_a_failed_guard_installs_nothing_and_says_so_once(caplog):
    patch = patches.by_name("nlu_threads")
    target = patch.targets[0][0]
    changed = replace(patch, targets=((target, "0" * 64),))
    older = replace(patch, rasa_version="3.5.0")
    before = raw(target)
    for broken, reason in ((changed, "is not the code it was written for"), (older, "3.5.0")):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="serving.patches"):
            assert not patches.install_patch(broken)
        assert raw(target) is before
        [record] = caplog.records
        assert "nlu_threads" in record.getMessage() and reason in record.getMessage()


def test_zero_nlu_threads_leaves_rasas_parse_message(monkeypatch):
    from rasa.core.processor import MessageProcessor

    original = vars(MessageProcessor)["parse_message"]
    monkeypatch.setenv("NLU_THREADS", "0")
    assert "nlu_threads" not in patches.install()
    assert vars(MessageProcessor)["parse_message"] is original


def test_every_patch_has_one_switch_and_known_targets():
    assert len(set(NAMES)) == len(NAMES)
    for patch in patches.PATCHES:
        assert patch.switch in switches.BY_NAME, patch.name
        assert patch.targets and all(re.fullmatch(r"[0-9a-f]{64}", sha) for _, sha in patch.targets)


def test_env_example_lists_every_switch_with_its_default():
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^# ([A-Z][A-Z0-9_]+)=(\S+)", text, flags=re.MULTILINE))
    for switch in switches.SWITCHES:
        assert listed.get(switch.name) == switch.default, f".env.example: {switch.name}"


def test_bench_plain_configuration_is_every_switch_at_its_plain_value():
    from bench import run

    assert switches.plain_environment() == run.PLAIN_ENV


def test_performance_table_lists_every_switch():
    text = (ROOT / "docs" / "PERFORMANCE.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \| `([^`]*)` \|", text, flags=re.MULTILINE))
    assert rows == {switch.name: switch.default for switch in switches.SWITCHES}
