"""Starts `rasa run` (or `rasa shell` when the first argument is `shell`) with a bounded wait
for the action server and safe defaults.

It:
- with `--enable-api`, takes the JWT secret from RASA_JWT_SECRET (HS256) so it
  never shows on a command line (`ps`), and refuses to start (exit code 2) without
  a secret or `--auth-token`: the HTTP API can read every conversation and
  replace the model. A JWT secret or auth token shorter than MIN_JWT_SECRET_CHARS is
  refused too (a short HS256 secret can be guessed offline from one token), and tokens
  must carry an expiry (serving/http_surface.py);
- refuses to start, with a clear message and exit code 2, when the model path is
  missing or not a readable Rasa model, or the model fails to load (plain
  `rasa run` falls back to ./models or serves without a model: the assistant
  would then say nothing);
- hands the `--cors` origins to the socket.io channel (channels/web.py) through
  CORS_ORIGINS, so both website channels allow the same origins;
- warms the model up before the first message, so TensorFlow's one-off graph building does not
  delay the first person who writes;
- runs Rasa with this project's serving changes (serving/patches.py): the static help
  message (911 and the hotline) when a custom action fails or takes more than ACTION_TIMEOUT_S
  seconds (default 8; Rasa waits 5 minutes), SQL errors without message text, a published
  model loaded without pausing conversations, and the speed and memory changes listed there;
- starts itself again with tcmalloc when it is installed (see use_tcmalloc);
- warns on stderr when it logs at DEBUG (Rasa's debug output holds message text);
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

EXIT_BAD_MODEL = 2
# `python -c "import secrets; print(secrets.token_urlsafe(32))"` gives 43 characters.
MIN_JWT_SECRET_CHARS = 32
SANIC_DEFAULTS = {
    "SANIC_FALLBACK_ERROR_FORMAT": "json",
    "SANIC_REQUEST_MAX_SIZE": str(1024 * 1024),
}
TCMALLOC = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4"


def use_tcmalloc() -> None:
    """Restarts this process with tcmalloc, when installed (Debian libtcmalloc-minimal4).

    TensorFlow allocates and frees many small buffers per message, from several threads; with
    tcmalloc instead of glibc's malloc, 2 NLU threads answered 33 instead of 27 msg/s at 10
    conversations.
    RASA_MALLOC=system keeps glibc's.
    """
    preload = os.environ.get("LD_PRELOAD", "")
    if os.environ.get("RASA_MALLOC") == "system" or "tcmalloc" in preload:
        return
    if not os.path.exists(TCMALLOC):
        return
    os.environ["LD_PRELOAD"] = " ".join(filter(None, [TCMALLOC, preload]))
    os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])


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


def logs_at_debug(argv: List[str]) -> bool:
    level = os.environ.get("LOG_LEVEL", "").strip().upper()
    return level == "DEBUG" or "--debug" in argv or "-vv" in argv


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


def uses_model_server(argv: List[str]) -> bool:
    endpoints = (option_values(argv, "--endpoints") or ["endpoints.yml"])[0]
    try:
        import yaml

        return bool((yaml.safe_load(Path(endpoints).read_text()) or {}).get("models"))
    except (OSError, ValueError):
        return False


if __name__ == "__main__":
    use_tcmalloc()
    argv = sys.argv[1:]
    command = argv.pop(0) if argv[:1] == ["shell"] else "run"
    if "--enable-api" in argv:
        secret = os.environ.get("RASA_JWT_SECRET", "")
        if secret and option_values(argv, "--jwt-secret") is None:
            # `=` form: a secret may start with "-" (token_urlsafe does, 1 time in 64).
            argv += [f"--jwt-secret={secret}", "--jwt-method", "HS256"]
        given = option_values(argv, "--jwt-secret")
        token = option_values(argv, "--auth-token", "-t")
        if not (given or token):
            refuse("--enable-api needs a JWT secret: set RASA_JWT_SECRET (or --jwt-secret)")
        for name, value in (("JWT secret", given), ("auth token", token)):
            if value is not None and len("".join(value)) < MIN_JWT_SECRET_CHARS:
                refuse(
                    f"the {name} is shorter than {MIN_JWT_SECRET_CHARS} characters; make one "
                    'with python -c "import secrets; print(secrets.token_urlsafe(32))"'
                )
    if logs_at_debug(argv):
        # Rasa's own DEBUG output (parsed messages, entities, slots) holds what people write;
        # serving/log_privacy.py keeps it out of every level above.
        print(
            "WARNING: DEBUG logging writes message text to the logs. Use it only with test "
            "conversations, never with real people.",
            file=sys.stderr,
            flush=True,
        )
    model_server = uses_model_server(argv)
    if not model_server:  # with a model server, Rasa waits for a model to be published
        problem = model_problem((option_values(argv, "--model", "-m") or ["models"])[0])
        if problem:
            refuse(problem)
    check_and_warm_up_on_load(require_model=not model_server)
    from serving import patches

    # With a model server, a newly published model loads in a worker thread.
    patches.install(background_model_loading=model_server)
    cors = option_values(argv, "--cors")
    if cors is not None:
        os.environ["CORS_ORIGINS"] = " ".join(cors)
    for key, value in SANIC_DEFAULTS.items():
        os.environ.setdefault(key, value)
    sys.argv = ["rasa", command, *argv]
    from rasa.__main__ import main

    main()
