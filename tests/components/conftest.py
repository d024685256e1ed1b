import pytest

from components.safety_gate import SafetyGate
from tools.pipeline import configured


@pytest.fixture(scope="module")
def gate(root) -> SafetyGate:
    """The safety gate as config.yml configures it."""
    return configured(SafetyGate, root)
