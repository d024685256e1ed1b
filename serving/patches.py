"""What the Rasa server changes in Rasa 3.6 to serve this assistant, in one place.

serving/server.py calls `install()` before Rasa starts; tests/nlu uses it to check that
the served model predicts exactly what Rasa's own code predicts. Each speed or memory change
can be switched off with its environment variable, to compare (`make bench`, docs/PERFORMANCE.md):

| variable | default | what it changes |
|---|---|---|
| COMPILE_LANGUAGE_MODEL | 1 | MiniLM runs as one compiled graph (serving/compiled_lm.py) |
| LANGUAGE_MODEL_BATCHING | 1 | messages reaching MiniLM together run as one batch (same file) |
| LEAN_MODEL_LOAD | 1 | models load without a training step (serving/lean_load.py) |
| FAST_FEATURES | 1 | sparse features joined with numpy (serving/fast_features.py) |
| LM_TOKEN_CACHE | 1 | MiniLM's word splits are remembered (serving/lm_token_cache.py) |
| DIRECT_PREDICT | 1 | DIET and ResponseSelector skip tf.function checks (direct_predict.py) |
| REMEMBER_LOOKUPS | 1 | event classes and domain emptiness found once (serving/lookups.py) |
| PLANNED_GRAPH | 1 | graphs run in a planned order, not via dask (serving/graph_runner.py) |
| NLU_THREADS | 4 | parse in worker threads, 0: on the event loop (serving/nlu_threads.py) |
| TF_NUM_INTRAOP_THREADS | 1 | threads per TensorFlow op (0: TensorFlow's own choice) |
| SQLITE_WAL | 1 | one pooled SQLite connection in WAL mode (serving/sql_tracker_store.py) |

Always on: no message text in any log (serving/log_privacy.py); `GET /` without Rasa's version
and API tokens that must expire (serving/http_surface.py); a custom action that fails or takes
longer than ACTION_TIMEOUT_S (default 8 s; Rasa waits 5 minutes) sends the static help message
(serving/action_fallback.py), and the SQL tracker store hides message text in its errors, saves
without counting and reads and writes rows without the ORM. With a model server, a newly published
model loads in a worker thread (serving/model_swap.py).
"""

from __future__ import annotations

import os

from serving import (
    action_fallback,
    compiled_lm,
    direct_predict,
    fast_features,
    graph_runner,
    http_surface,
    lean_load,
    lm_token_cache,
    log_privacy,
    lookups,
    model_swap,
    nlu_threads,
    sql_tracker_store,
)

# One thread per TensorFlow op: the parallelism comes from the NLU threads. Splitting this
# model's small ops across cores cost more than it gained: 33.6 instead of 39 ms per message
# alone, 46 instead of 40 msg/s at 10 conversations. Read by TensorFlow at its first op, so
# this must run before the model loads.
TENSORFLOW_DEFAULTS = {"TF_NUM_INTRAOP_THREADS": "1"}


def _on(name: str) -> bool:
    return os.environ.get(name, "1") != "0"


def _set_action_timeout(seconds: float) -> None:
    import rasa.core.actions.action
    import rasa.utils.endpoints

    rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT = seconds
    rasa.utils.endpoints.DEFAULT_REQUEST_TIMEOUT = seconds


def install(background_model_loading: bool = False) -> None:
    log_privacy.install()
    http_surface.install()
    for key, value in TENSORFLOW_DEFAULTS.items():
        os.environ.setdefault(key, value)
    _set_action_timeout(float(os.environ.get("ACTION_TIMEOUT_S", "8")))
    action_fallback.install()
    sql_tracker_store.install(fast_sqlite=_on("SQLITE_WAL"))
    if background_model_loading:
        model_swap.load_models_in_background()
    if _on("COMPILE_LANGUAGE_MODEL"):
        compiled_lm.install(batching=_on("LANGUAGE_MODEL_BATCHING"))
    if _on("LEAN_MODEL_LOAD"):
        lean_load.install()
    if _on("FAST_FEATURES"):
        fast_features.install()
    lm_token_cache.install(_on("LM_TOKEN_CACHE"))
    direct_predict.install(_on("DIRECT_PREDICT"))
    graph_runner.install(_on("PLANNED_GRAPH"))
    lookups.install(_on("REMEMBER_LOOKUPS"))
    nlu_threads.install(int(os.environ.get("NLU_THREADS", "4")))
