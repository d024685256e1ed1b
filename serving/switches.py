"""The one list of environment variables that change how the Rasa server runs.

`.env.example`, the bench's plain configuration (Rasa's own serving, `make bench`) and the table in
docs/PERFORMANCE.md are checked against this list (tests/serving/test_patches.py). Each patch of
serving/patches.py has one switch here; "0" turns a change off and leaves Rasa's own code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Dict, Tuple


@dataclass(frozen=True)
class Switch:
    name: str
    default: str
    plain: str  # the value for Rasa's own serving (the bench's plain configuration)
    what: str
    where: str  # the file that reads it


SWITCHES: Tuple[Switch, ...] = (
    Switch(
        "NLU_THREADS",
        "4",
        "0",
        "worker threads parsing messages; 0 parses on the event loop",
        "serving/nlu_threads.py",
    ),
    Switch(
        "TF_NUM_INTRAOP_THREADS",
        "1",
        "0",
        "threads per TensorFlow op; 0 lets TensorFlow choose",
        "serving/patches.py",
    ),
    Switch(
        "RASA_MALLOC",
        "tcmalloc",
        "system",
        "memory allocator; system keeps glibc's malloc",
        "serving/server.py",
    ),
    Switch(
        "COMPILE_LANGUAGE_MODEL",
        "1",
        "0",
        "MiniLM runs as one compiled graph",
        "components/fast_lm_featurizer.py",
    ),
    Switch(
        "LEAN_MODEL_LOAD",
        "1",
        "0",
        "models load without a training step",
        "serving/lean_load.py",
    ),
    Switch(
        "FAST_FEATURES",
        "1",
        "0",
        "sparse features joined with numpy",
        "serving/fast_features.py",
    ),
    Switch(
        "DIRECT_PREDICT",
        "1",
        "0",
        "DIET and ResponseSelector skip tf.function's input checks",
        "serving/direct_predict.py",
    ),
    Switch(
        "PLANNED_GRAPH",
        "1",
        "0",
        "graphs run in a planned order, not through dask",
        "serving/graph_runner.py",
    ),
    Switch(
        "CHECK_REPLY_FORMAT_ONCE",
        "1",
        "0",
        "the action server's reply format is checked once, each reply against it",
        "serving/action_reply_check.py",
    ),
    Switch(
        "REMEMBER_LOOKUPS",
        "1",
        "0",
        "event classes and domain emptiness found once",
        "serving/lookups.py",
    ),
    Switch(
        "SQLITE_WAL",
        "1",
        "0",
        "one pooled SQLite connection in WAL mode",
        "serving/private_tracker_store.py",
    ),
    Switch(
        "BACKGROUND_MODEL_LOAD",
        "1",
        "0",
        "a newly published model loads in a worker thread",
        "serving/model_swap.py",
    ),
    Switch(
        "ACTION_TIMEOUT_S",
        "8",
        "8",
        "longest wait for a custom action; 0 keeps Rasa's five minutes",
        "serving/action_fallback.py",
    ),
    Switch(
        "ACTION_FALLBACK",
        "1",
        "1",
        "a failed custom action sends the static help message (keep on)",
        "serving/action_fallback.py",
    ),
    Switch(
        "LOG_PRIVACY",
        "1",
        "1",
        "no message text in Rasa's logs (keep on)",
        "serving/log_privacy.py",
    ),
    Switch(
        "HTTP_SURFACE",
        "1",
        "1",
        "no version on GET /, API tokens must expire (keep on)",
        "serving/http_surface.py",
    ),
    Switch(
        "CHECK_MODEL_ON_LOAD",
        "1",
        "1",
        "refuse to serve without a model; warm the model up (keep on)",
        "serving/warm_up.py",
    ),
)

BY_NAME: Dict[str, Switch] = {switch.name: switch for switch in SWITCHES}

# Read by TensorFlow at its first op, so set before the model loads.
ENVIRONMENT_DEFAULTS = {"TF_NUM_INTRAOP_THREADS": BY_NAME["TF_NUM_INTRAOP_THREADS"].default}


def value(name: str) -> str:
    return os.environ.get(name, BY_NAME[name].default).strip() or BY_NAME[name].default


def on(name: str) -> bool:
    return value(name) != "0"


def plain_environment() -> Dict[str, str]:
    """Every switch set for Rasa's own serving: what the bench's plain configuration runs."""
    return {switch.name: switch.plain for switch in SWITCHES}
