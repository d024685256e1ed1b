"""A tiny model server: Rasa downloads the published model from it and swaps when it changes.

Rasa asks every few seconds (endpoints `models: wait_time_between_pulls`), sending the
fingerprint of the model it has (If-None-Match). The answer is "304 not modified" until
`make publish` or `make rollback` changes the published model; then Rasa downloads the new one
and switches to it without stopping. Listens on 127.0.0.1 only.

    GET /model    the published model file (ETag: its fingerprint)
    GET /health   200 when there is a model to serve
    GET /status   what is published, and which model Rasa last said it has

    python -m serving.model_server [--port 5006]     (MODEL_SERVER_PORT; SERVE_MODEL=latest serves
                                                    the newest trained model instead, for tests)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Dict, List, Tuple

from tools import paths
from tools.model_store import StoreError, current_file, publish_first_model, read_state
from tools.models import fingerprint, newest_trained

DEFAULT_PORT = 5006


class ModelServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, root: Path, serve_latest: bool = False) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.root = Path(root)
        self.serve_latest = serve_latest
        self.last_pull: Dict[str, Any] = {}
        self._fingerprints: Dict[Tuple[str, float], str] = {}

    def model(self) -> Tuple[Path, str] | None:
        """The file to serve and its fingerprint, or None."""
        path = newest_trained(self.root) if self.serve_latest else current_file(self.root)
        if path is None:
            return None
        key = (str(path), path.stat().st_mtime)
        if key not in self._fingerprints:
            self._fingerprints[key] = fingerprint(path)
        return path, self._fingerprints[key]


class Handler(BaseHTTPRequestHandler):
    server: ModelServer

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        route = self.path.split("?")[0].rstrip("/")
        if route == "/model":
            self._model()
        elif route == "/health":
            found = self.server.model()
            self._json(
                {"status": "ok", "fingerprint": found[1]} if found else {"status": "no model"},
                HTTPStatus.OK if found else HTTPStatus.SERVICE_UNAVAILABLE,
            )
        elif route == "/status":
            found = self.server.model()
            self._json(
                {
                    "serving": found[1] if found else None,
                    "mode": "latest" if self.server.serve_latest else "published",
                    "published": read_state(self.server.root),
                    "last_pull": self.server.last_pull,
                }
            )
        else:
            self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)

    def _model(self) -> None:
        found = self.server.model()
        has = (self.headers.get("If-None-Match") or "").strip('"')
        self.server.last_pull = {"has": has, "at": dt.datetime.now().isoformat(timespec="seconds")}
        if found is None:
            self._json({"error": "no model published"}, HTTPStatus.NOT_FOUND)
            return
        path, print_name = found
        if has == print_name:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", f'"{print_name}"')
            self.end_headers()
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "application/gzip")
        self.send_header("Content-Length", str(path.stat().st_size))
        self.send_header("ETag", f'"{print_name}"')
        self.send_header("filename", f"{print_name}.tar.gz")
        self.end_headers()
        with open(path, "rb") as handle:
            shutil.copyfileobj(handle, self.wfile)
        self.log_message("sent model %s", print_name)

    def _json(self, body: Dict[str, Any], status: HTTPStatus = HTTPStatus.OK) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        """Only unusual answers are logged: Rasa asks every few seconds."""
        if str(code) not in ("200", "304"):
            super().log_request(code, size)


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=paths.ROOT)
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("MODEL_SERVER_PORT", DEFAULT_PORT))
    )
    args = parser.parse_args(argv)
    serve_latest = os.environ.get("SERVE_MODEL", "published") == "latest"
    if not serve_latest:
        try:
            first = publish_first_model(args.root)
        except StoreError as error:
            print(error, file=sys.stderr)
            return 1
        if first:
            print(f"Nothing was published yet: published {first['trained_as']}.", flush=True)
    server = ModelServer(args.port, args.root, serve_latest)
    found = server.model()
    print(
        f"Serving {'the newest trained' if serve_latest else 'the published'} model "
        f"{found[1] if found else '(none yet)'} on http://127.0.0.1:{args.port}/model",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
