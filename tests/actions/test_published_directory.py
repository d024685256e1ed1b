"""Served with the published model, the actions read the directory published with it.

scripts/services.sh points REFERRAL_DIRECTORY and REFERRAL_PLACES at the live snapshot
(tools/model_store.py) when the published model serves: a typo saved in the working tree reaches
nobody until `make publish`, which refuses it; `make rollback` brings the previous one back.
"""

from __future__ import annotations

import shutil

import pytest

from actions.referrals import ActionReferTrafficking
from tools import paths
from tools.model_store import publish, rollback


@pytest.fixture
def project(root, tmp_path, monkeypatch):
    """A project with the real directory and places, published with a stand-in model."""
    for relative in (paths.SERVICES, paths.PLACES):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(root / relative, tmp_path / relative)
    model = tmp_path / "models" / "a.tar.gz"
    model.parent.mkdir()
    model.write_bytes(b"a model")
    publish(tmp_path, model, "test")
    monkeypatch.setenv("REFERRAL_DIRECTORY", str(tmp_path / paths.PUBLISHED_SERVICES))
    monkeypatch.setenv("REFERRAL_PLACES", str(tmp_path / paths.PUBLISHED_PLACES))
    return tmp_path


async def refer(dispatcher, make_tracker, domain) -> str:
    tracker = make_tracker("i need help", slots={"location": "Vancouver"})
    await ActionReferTrafficking().run(dispatcher, tracker, domain)
    [listed] = [m for m in dispatcher.messages if m["response"] == "utter_referral_trafficking"]
    dispatcher.messages.clear()
    return listed["services"]


async def test_a_broken_working_tree_changes_nothing_until_published(
    project, dispatcher, make_tracker, domain
):
    before = await refer(dispatcher, make_tracker, domain)
    assert "1-833-900-1010" in before
    (project / paths.SERVICES).write_text("services: [broken\n", encoding="utf-8")
    (project / paths.PLACES).write_text("provinces: [broken\n", encoding="utf-8")
    assert await refer(dispatcher, make_tracker, domain) == before


async def test_rollback_brings_the_previous_directory_back(
    project, dispatcher, make_tracker, domain
):
    before = await refer(dispatcher, make_tracker, domain)
    services = project / paths.SERVICES
    text = services.read_text(encoding="utf-8")
    services.write_text(text.replace("1-833-900-1010", "1-833-900-1011"), encoding="utf-8")
    newer = project / "models" / "b.tar.gz"
    newer.write_bytes(b"b model")
    publish(project, newer, "test")
    assert "1-833-900-1011" in await refer(dispatcher, make_tracker, domain)
    rollback(project)
    assert await refer(dispatcher, make_tracker, domain) == before


def test_the_launcher_points_the_services_at_the_published_files(root):
    script = (root / "scripts" / "services.sh").read_text(encoding="utf-8")
    assert f"$ROOT/{paths.PUBLISHED_SERVICES}" in script
    assert f"$ROOT/{paths.PUBLISHED_PLACES}" in script
