"""The reverse proxy configuration (deploy/nginx/) in front of the running stack.

nginx (Debian's package, installed by scripts/setup_system.sh) runs on a free loopback port with
the project's configuration, rendered by tools/nginx_config.py, pointing at the running Rasa
server and web page. A short header timeout keeps the slow-client test quick.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from hardening.sockets import closed_after

from tools import nginx_config
from tools.net import free_port

ROOT = Path(__file__).resolve().parents[2]
RASA_URL = os.environ.get("RASA_URL", "http://localhost:5005")

WEB_URL = os.environ.get("WEB_URL", "http://localhost:8080")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
RASA_SITE = "assistant.localhost"
WEB_SITE = "chat.localhost"
HEADER_TIMEOUT_S = 2

MAIN_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
{user}
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/assistant.conf;
}}
"""


def loopback(url: str) -> str:
    return f"127.0.0.1:{urlsplit(url).port}"


@pytest.fixture(scope="module")
def proxy(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("nginx")
    port = free_port()
    site = nginx_config.render(
        {
            "LISTEN": f"127.0.0.1:{port}",
            "RASA_HOSTNAME": RASA_SITE,
            "WEB_HOSTNAME": WEB_SITE,
            "RASA_UPSTREAM": loopback(RASA_URL),
            "WEB_UPSTREAM": loopback(WEB_URL),
            "PEOPLE_RATE": 5,
            "PROVIDER_RATE": 50,
            "HEADER_TIMEOUT_S": HEADER_TIMEOUT_S,
            "ERROR_LOG": f"{tmp}/assistant-error.log",
        }
    )
    (tmp / "assistant.conf").write_text(site)
    # as root, nginx's workers would run as nobody, who cannot use this private folder
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp / "nginx.conf").write_text(MAIN_CONF.format(tmp=tmp, user=user))
    args = [NGINX, "-e", "stderr", "-p", str(tmp), "-c", str(tmp / "nginx.conf")]
    checked = subprocess.run([*args, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([*args, "-g", "daemon off;"], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


def get(proxy: str, site: str, path: str = "/") -> requests.Response:
    return requests.get(proxy + path, headers={"Host": site}, timeout=30)


def test_a_message_passes_through(proxy):
    reply = requests.post(
        proxy + "/webhooks/rest/webhook",
        json={"sender": f"proxy-{uuid.uuid4().hex}", "message": "what is human trafficking?"},
        headers={"Host": RASA_SITE},
        timeout=30,
    )
    assert reply.status_code == 200
    assert reply.json() and reply.json()[0].get("text")
    assert reply.headers["Server"] == "nginx"  # no version


def test_the_web_page_passes_through(proxy):
    page = get(proxy, WEB_SITE)
    assert page.status_code == 200 and "chat-widget.js" in page.text
    assert page.headers["Server"] == "nginx"
    assert "Content-Security-Policy" in page.headers


@pytest.mark.parametrize(
    "path", ["/conversations/x/tracker", "/model/parse", "/status", "/webhooks/rest/"]
)
def test_only_the_assistants_paths_reach_rasa(proxy, path):
    assert get(proxy, RASA_SITE, path).status_code == 404


def test_an_oversize_body_gets_413(proxy):
    reply = requests.post(
        proxy + "/webhooks/rest/webhook",
        data=b'{"sender": "big", "message": "' + b"x" * 100_000 + b'"}',
        headers={"Host": RASA_SITE, "Content-Type": "application/json"},
        timeout=30,
    )
    assert reply.status_code == 413


def test_a_burst_from_one_client_gets_429(proxy):
    with ThreadPoolExecutor(max_workers=16) as pool:
        codes = list(pool.map(lambda _: get(proxy, RASA_SITE).status_code, range(80)))
    assert 429 in codes
    assert 200 in codes  # the first ones (the allowed burst) were answered


def test_slow_headers_time_out(proxy):
    """A client sending one header byte every 0.2 s never finishes: nginx cuts it off."""
    address = urlsplit(proxy)
    head = b"GET / HTTP/1.1\r\nHost: " + WEB_SITE.encode() + b"\r\nX-Slow: " + b"a" * 200
    with socket.create_connection((address.hostname, address.port)) as sock:
        waited = closed_after(sock, HEADER_TIMEOUT_S + 10, head)
    assert waited is not None, "nginx kept a slow client for the whole head"
    assert waited < HEADER_TIMEOUT_S + 2
