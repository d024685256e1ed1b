"""Candidate pipelines are built from config.yml: the gates and their patterns are config.yml's."""

from __future__ import annotations

import pytest
import yaml

from tools.paths import ROOT
from tools.pipelines import candidate, write_candidate

CONFIG = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
EXPERIMENTS = sorted((ROOT / "experiments").glob("*.yml"))


@pytest.mark.parametrize("path", EXPERIMENTS, ids=lambda p: p.name)
def test_each_candidate_has_config_ymls_components_and_holds_no_copy(path):
    text = path.read_text(encoding="utf-8")
    assert "_patterns" not in text and "based_on: config.yml" in text
    left_out = set(yaml.safe_load(text).get("without") or ())
    built = candidate(path)
    for component in CONFIG["pipeline"]:
        if component["name"] not in left_out:
            assert component in built["pipeline"], f"{path.name}: {component['name']}"
    assert built["policies"] == CONFIG["policies"]


def test_a_candidate_leaves_out_only_what_it_names(tmp_path):
    spec = tmp_path / "experiments" / "lean.yml"
    spec.parent.mkdir()
    spec.write_text("based_on: config.yml\nwithout: [DIETClassifier]\n", encoding="utf-8")
    built = yaml.safe_load(write_candidate(spec, tmp_path / "out").read_text(encoding="utf-8"))
    assert [c for c in CONFIG["pipeline"] if c["name"] != "DIETClassifier"] == built["pipeline"]
    spec.write_text("based_on: config.yml\nwithout: [NoSuchThing]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="NoSuchThing"):
        candidate(spec)
