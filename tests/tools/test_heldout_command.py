"""`python -m tools.heldout`: a clear answer for help and for a model that is not there."""

from __future__ import annotations

import pytest

from tools import heldout


def test_help_describes_the_command(capsys):
    with pytest.raises(SystemExit) as exit_info:
        heldout.main(["--help"])
    assert exit_info.value.code == 0
    assert "held-out" in capsys.readouterr().out


def test_a_missing_model_is_a_usage_error_not_a_traceback(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        heldout.main([str(tmp_path / "no-such-model.tar.gz")])
    assert exit_info.value.code == 2
    assert "no model file at" in capsys.readouterr().err
