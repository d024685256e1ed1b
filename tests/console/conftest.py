"""The tools tests' tiny project (tests/tools/conftest.py), and a fake trained model for it."""

from __future__ import annotations

import importlib.util
import io
import tarfile
from pathlib import Path

import pytest
import yaml

_spec = importlib.util.spec_from_file_location(
    "tools_test_project", Path(__file__).resolve().parents[1] / "tools" / "conftest.py"
)
tools_test_project = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tools_test_project)


@pytest.fixture
def tiny(tmp_path) -> Path:
    return tools_test_project.write_project(tmp_path / "project")


def fake_model(path: Path, responses: dict) -> Path:
    """A model archive holding only what the published answers read: the domain's responses."""
    data = yaml.safe_dump({"version": "3.1", "responses": responses}).encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("components/domain_provider/domain.yml")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    return path


@pytest.fixture
def trained(tiny) -> Path:
    """A model trained from the tiny project's content as it is now."""
    from tools.published_answers import content_responses

    return fake_model(tiny / "models" / "20260101-000000-tiny.tar.gz", content_responses(tiny))


@pytest.fixture
def edit():
    """edit(root, file, old, new): replaces `old` (which must be there) in one file of the copy."""
    return tools_test_project._edit


@pytest.fixture
def recently() -> str:
    """A day the tiny directory's entries count as checked."""
    return tools_test_project.RECENTLY
