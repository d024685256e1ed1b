"""Local ports for servers started by the bench and the tests."""

from __future__ import annotations

import socket

LOOPBACK = "127.0.0.1"


def free_port(preferred: int = 0) -> int:
    """`preferred` if nothing listens on it, else a port the system picks (free when asked)."""
    for port in dict.fromkeys((preferred, 0)):
        with socket.socket() as sock:
            try:
                sock.bind((LOOPBACK, port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError("no free port")
