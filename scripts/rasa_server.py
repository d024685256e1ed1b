"""Starts `rasa run` (or `rasa shell` when the first argument is `shell`) with a bounded wait
for the action server and safe defaults.

Rasa 3.6 waits up to 5 minutes for a custom action. A person in crisis should
not wait that long: after ACTION_TIMEOUT_S seconds (default 8) the action
counts as failed and components/action_fallback.py sends the static help
message (911 and the hotline) instead of silence.

It also:
- with `--enable-api`, takes the JWT secret from RASA_JWT_SECRET (HS256) so it
  never shows on a command line (`ps`), and refuses to start (exit code 2) without
  a secret or `--auth-token`: the HTTP API can read every conversation and
  replace the model;
- refuses to start, with a clear message and exit code 2, when the model path is
  missing or not a readable Rasa model, or the model fails to load (plain
  `rasa run` falls back to ./models or serves without a model: the assistant
  would then say nothing);
- hands the `--cors` origins to the socket.io channel (channels/web.py) through
  CORS_ORIGINS, so both website channels allow the same origins;
- hides SQL parameters in tracker store errors: the FailSafeTrackerStore logs
  the database error, and its parameters hold the message text;
- keeps one SQLite connection open in WAL mode with synchronous=NORMAL: Rasa's
  SQL tracker store blocks the event loop, and each turn's commit waited for an
  fsync (see tune_sql_tracker_store); a power cut can lose the last turns, never
  corrupt the file (SQLITE_WAL=0 keeps Rasa's defaults);
- runs the language model featurizer as a compiled TensorFlow graph and warms the
  model up before the first message (see compile_language_model;
  COMPILE_LANGUAGE_MODEL=0 keeps Rasa's eager calls);
- makes Sanic answer errors (404, 405, 413) in JSON and refuse request bodies
  over 1 MB (SANIC_REQUEST_MAX_SIZE; messages are capped far lower by the channels).
"""

import os
import sys
import tarfile
from pathlib import Path
from typing import List

# Rasa itself is imported only once the arguments and the model are known to be right, so a
# bad start is reported in about a second rather than after loading TensorFlow.

# The project's Rasa-side packages (components/, channels/, tools/) import from the project root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

EXIT_BAD_MODEL = 2
SANIC_DEFAULTS = {
    "SANIC_FALLBACK_ERROR_FORMAT": "json",
    "SANIC_REQUEST_MAX_SIZE": str(1024 * 1024),
}


def set_action_timeout(seconds: float) -> None:
    import rasa.core.actions.action
    import rasa.utils.endpoints

    rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT = seconds
    rasa.utils.endpoints.DEFAULT_REQUEST_TIMEOUT = seconds


def option_values(argv: List[str], *names: str) -> List[str] | None:
    """The values given after an option (`--cors a b`, `--model=x`), or None if absent."""
    for i, arg in enumerate(argv):
        for name in names:
            if arg == name:
                values = []
                for value in argv[i + 1 :]:
                    if value.startswith("-"):
                        break
                    values.append(value)
                return values
            if arg.startswith(name + "="):
                return [arg.split("=", 1)[1]]
    return None


def model_problem(path: str) -> str | None:
    """Why `path` cannot be served as a Rasa model, or None if it looks right."""
    model = Path(path)
    if not model.exists():
        return f"the model path '{path}' does not exist"
    if model.is_dir():
        archives = list(model.glob("*.tar.gz"))
        if not archives:
            return f"there is no model (*.tar.gz) in '{path}': train one with `make train`"
        model = max(archives, key=os.path.getmtime)
    elif not model.name.endswith(".tar.gz"):
        return f"'{path}' is not a Rasa model archive (*.tar.gz)"
    try:
        with tarfile.open(model, "r:gz") as archive:
            names = archive.getnames()
    except (tarfile.TarError, OSError, EOFError) as error:
        return f"'{model}' is not a readable model archive ({error})"
    if not any(Path(name).name == "metadata.json" for name in names):
        return f"'{model}' is not a Rasa model (no metadata.json inside)"
    return None


def refuse(reason: str) -> None:
    print(f"Rasa server not started: {reason}.", file=sys.stderr, flush=True)
    sys.exit(EXIT_BAD_MODEL)


def check_and_warm_up_on_load(require_model: bool) -> None:
    """After loading: stop if there is no model (instead of serving silence), else warm up.

    The warm-up parses one message so that TensorFlow's one-off graph building happens before
    the first person writes, not during their first message.
    """
    import rasa.core.run

    load = rasa.core.run.load_agent_on_start

    async def load_check_warm_up(*args, **kwargs):
        agent = await load(*args, **kwargs)
        if not agent.is_ready():
            if require_model:
                refuse("the model could not be loaded (see the error above)")
            return agent
        await agent.parse_message("hello, what is human trafficking?")
        return agent

    rasa.core.run.load_agent_on_start = load_check_warm_up


def compile_language_model() -> None:
    """Runs the language model featurizer's transformer as one TensorFlow graph.

    Rasa 3.6 calls the Hugging Face model (MiniLM in config.yml) eagerly, op by op, for every
    message: ~130 ms of CPU per message here, three quarters of the whole turn. As a
    tf.function with open input shapes it is traced once (a few seconds, during the warm-up)
    and then takes ~35 ms; the predictions are the same (all 284 held-out examples).
    """
    import tensorflow as tf
    from rasa.nlu.featurizers.dense_featurizer.lm_featurizer import LanguageModelFeaturizer

    spec = [tf.TensorSpec([None, None], tf.int32), tf.TensorSpec([None, None], tf.float32)]

    def compute(self, batch_attention_mask, padded_token_ids):
        call = self.__dict__.get("_compiled_call")
        if call is None:
            model = self.model

            @tf.function(input_signature=spec)
            def call(token_ids, attention_mask):
                return model(token_ids, attention_mask=attention_mask, training=False)[0]

            self._compiled_call = call
        token_ids = tf.convert_to_tensor(padded_token_ids, tf.int32)
        attention_mask = tf.convert_to_tensor(batch_attention_mask, tf.float32)
        return call(token_ids, attention_mask).numpy()

    LanguageModelFeaturizer._compute_batch_sequence_features = compute


def tune_sql_tracker_store(fast_sqlite: bool) -> None:
    """Hides SQL parameters in errors; for a SQLite file, keeps one connection open in WAL mode.

    Rasa opens a new SQLite connection for every read and write (SQLAlchemy 1.4's NullPool for
    files), and its SQL tracker store runs on the event loop: each turn's commit waited for an
    fsync, ~14 ms here during which no other conversation moved. A pooled connection in WAL
    mode with synchronous=NORMAL commits in ~0.2 ms (WAL without the pool is no faster: the
    last connection to close checkpoints the log).
    """
    import sqlite3

    import rasa.core.tracker_store as tracker_store
    from sqlalchemy import event, pool
    from sqlalchemy.engine import Engine

    engine_kwargs = tracker_store.create_engine_kwargs

    def tuned(url):
        kwargs = {**engine_kwargs(url), "hide_parameters": True}
        if fast_sqlite and url.drivername.startswith("sqlite") and url.database:
            kwargs.update(poolclass=pool.QueuePool, connect_args={"check_same_thread": False})
        return kwargs

    tracker_store.create_engine_kwargs = tuned
    if not fast_sqlite:
        return

    @event.listens_for(Engine, "connect")
    def _pragmas(connection, _record) -> None:
        if isinstance(connection, sqlite3.Connection):
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()


def uses_model_server(argv: List[str]) -> bool:
    endpoints = (option_values(argv, "--endpoints") or ["endpoints.yml"])[0]
    try:
        import yaml

        return bool((yaml.safe_load(Path(endpoints).read_text()) or {}).get("models"))
    except (OSError, ValueError):
        return False


if __name__ == "__main__":
    argv = sys.argv[1:]
    command = argv.pop(0) if argv[:1] == ["shell"] else "run"
    if "--enable-api" in argv:
        secret = os.environ.get("RASA_JWT_SECRET", "")
        if secret and option_values(argv, "--jwt-secret") is None:
            # `=` form: a secret may start with "-" (token_urlsafe does, 1 time in 64).
            argv += [f"--jwt-secret={secret}", "--jwt-method", "HS256"]
        if not (option_values(argv, "--jwt-secret") or option_values(argv, "--auth-token", "-t")):
            refuse("--enable-api needs a JWT secret: set RASA_JWT_SECRET (or --jwt-secret)")
    model_server = uses_model_server(argv)
    if not model_server:  # with a model server, Rasa waits for a model to be published
        problem = model_problem((option_values(argv, "--model", "-m") or ["models"])[0])
        if problem:
            refuse(problem)
    else:  # a newly published model loads in a worker thread; conversations go on meanwhile
        from tools.model_swap import load_models_in_background

        load_models_in_background()
    check_and_warm_up_on_load(require_model=not model_server)
    if os.environ.get("COMPILE_LANGUAGE_MODEL", "1") != "0":
        compile_language_model()
    set_action_timeout(float(os.environ.get("ACTION_TIMEOUT_S", "8")))
    from components import action_fallback

    action_fallback.install()
    tune_sql_tracker_store(fast_sqlite=os.environ.get("SQLITE_WAL", "1") != "0")
    cors = option_values(argv, "--cors")
    if cors is not None:
        os.environ["CORS_ORIGINS"] = " ".join(cors)
    for key, value in SANIC_DEFAULTS.items():
        os.environ.setdefault(key, value)
    sys.argv = ["rasa", command, *argv]
    from rasa.__main__ import main

    main()
