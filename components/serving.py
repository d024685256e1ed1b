"""What the Rasa server changes in Rasa 3.6 to serve this assistant, in one place.

scripts/rasa_server.py calls `install()` before Rasa starts; tests/nlu uses it to check that
the served model predicts exactly what Rasa's own code predicts. Each speed or memory change
can be switched off with its environment variable, to compare (`make bench`, README):

| variable | default | what it changes |
|---|---|---|
| COMPILE_LANGUAGE_MODEL | 1 | MiniLM runs as one compiled graph (components/compiled_lm.py) |
| LEAN_MODEL_LOAD | 1 | models load without a training step (components/lean_load.py) |
| FAST_FEATURES | 1 | sparse features joined with numpy (components/fast_features.py) |
| NLU_THREADS | 4 | parse in worker threads, 0: on the event loop (components/nlu_threads.py) |
| SQLITE_WAL | 1 | one pooled SQLite connection in WAL mode (components/sql_tracker_store.py) |

Always on: a failed custom action sends the static help message (components/action_fallback.py),
the SQL tracker store hides message text in its errors and saves without counting.
"""

from __future__ import annotations

import os

from components import (
    action_fallback,
    compiled_lm,
    fast_features,
    lean_load,
    nlu_threads,
    sql_tracker_store,
)


def _on(name: str) -> bool:
    return os.environ.get(name, "1") != "0"


def install() -> None:
    action_fallback.install()
    sql_tracker_store.install(fast_sqlite=_on("SQLITE_WAL"))
    if _on("COMPILE_LANGUAGE_MODEL"):
        compiled_lm.install()
    if _on("LEAN_MODEL_LOAD"):
        lean_load.install()
    if _on("FAST_FEATURES"):
        fast_features.install()
    nlu_threads.install(int(os.environ.get("NLU_THREADS", "4")))
