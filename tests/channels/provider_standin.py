"""A local stand-in for the Twilio, Telegram Bot and Messenger Send APIs: it records what the
assistant sends and answers like the real API would, so the tests need no outside network.

The connectors are pointed at it with TWILIO_API_BASE_URL, TELEGRAM_API_BASE_URL and
FACEBOOK_GRAPH_URL. Telegram's setWebhook can be held unanswered to prove start-up does not wait.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List
from urllib.parse import parse_qs, urlsplit

TWILIO_MESSAGES = re.compile(r"^/2010-04-01/Accounts/(?P<sid>[^/]+)/Messages\.json$")
TELEGRAM_METHOD = re.compile(r"^/bot(?P<token>[^/]+)/(?P<method>\w+)$")
MESSENGER_SEND = re.compile(r"^/v[\d.]+/me/messages$")


@dataclass
class Call:
    service: str  # twilio | telegram | messenger
    method: str  # Messages.json, sendMessage, setWebhook, me/messages ...
    params: Dict[str, Any]
    auth: str = ""  # Twilio basic-auth user, Telegram token or Messenger access token
    at: float = field(default_factory=time.monotonic)


class ProviderStandIn:
    def __init__(self) -> None:
        self.calls: List[Call] = []
        self.condition = threading.Condition()
        self.release_set_webhook = threading.Event()
        self.pending: Dict[str, int] = {}
        self.send_delay_s = 0.0  # how long the Twilio API takes to accept a message
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> ProviderStandIn:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release_set_webhook.set()
        self.server.shutdown()
        self.server.server_close()

    def record(self, call: Call) -> None:
        with self.condition:
            self.calls.append(call)
            self.condition.notify_all()

    def find(self, predicate: Callable[[Call], bool]) -> List[Call]:
        with self.condition:
            return [call for call in self.calls if predicate(call)]

    def wait_for(self, predicate: Callable[[Call], bool], timeout: float = 10.0) -> List[Call]:
        deadline = time.monotonic() + timeout
        with self.condition:
            while True:
                found = [call for call in self.calls if predicate(call)]
                if found or time.monotonic() >= deadline:
                    return found
                self.condition.wait(timeout=max(0.0, deadline - time.monotonic()))

    # --- what each service sent to one person -------------------------------------------------

    def sms_to(self, address: str) -> List[Dict[str, Any]]:
        return [
            c.params
            for c in self.find(lambda c: c.service == "twilio")
            if c.params.get("To") == address
        ]

    def telegram_to(self, chat_id: int) -> List[Dict[str, Any]]:
        return [
            c.params
            for c in self.find(lambda c: c.service == "telegram" and c.method == "sendMessage")
            if str(c.params.get("chat_id")) == str(chat_id)
        ]

    def telegram_calls(self, method: str) -> List[Call]:
        return self.find(lambda c: c.service == "telegram" and c.method == method)

    def messenger_to(self, psid: str) -> List[Dict[str, Any]]:
        return [
            c.params["message"]
            for c in self.find(lambda c: c.service == "messenger")
            if c.params.get("recipient", {}).get("id") == psid and "message" in c.params
        ]

    # --- HTTP ---------------------------------------------------------------------------------

    def _handler(self) -> type:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, payload: Any) -> None:
                body = json.dumps(payload).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _body(self) -> Dict[str, Any]:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                kind = self.headers.get("Content-Type", "")
                if kind.startswith("application/json"):
                    return json.loads(raw or b"{}")
                if kind.startswith("multipart/form-data"):
                    return _multipart(raw, kind)
                return {k: v[-1] for k, v in parse_qs(raw.decode("utf-8")).items()}

            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                url = urlsplit(self.path)
                params = self._body()
                twilio = TWILIO_MESSAGES.match(url.path)
                telegram = TELEGRAM_METHOD.match(url.path)
                if twilio:
                    auth = self.headers.get("Authorization", "")
                    user = (
                        base64.b64decode(auth.split(" ")[-1]).decode().split(":")[0] if auth else ""
                    )
                    time.sleep(standin.send_delay_s)
                    standin.record(Call("twilio", "Messages.json", params, user))
                    self._send(
                        201, {"sid": f"SM{len(standin.calls):032d}", "status": "queued", **params}
                    )
                elif telegram:
                    method = telegram.group("method")
                    standin.record(Call("telegram", method, params, telegram.group("token")))
                    if method == "setWebhook":
                        standin.pending[method] = standin.pending.get(method, 0) + 1
                        standin.release_set_webhook.wait(timeout=120)
                        standin.pending[method] -= 1
                    self._send(200, {"ok": True, "result": _telegram_result(method, params)})
                elif MESSENGER_SEND.match(url.path):
                    token = parse_qs(url.query).get("access_token", [""])[0]
                    standin.record(Call("messenger", "me/messages", params, token))
                    recipient = params.get("recipient", {}).get("id", "")
                    self._send(
                        200, {"recipient_id": recipient, "message_id": f"m_{len(standin.calls)}"}
                    )
                else:
                    self._send(404, {"error": f"stand-in has no {url.path}"})

        return Handler


def _telegram_result(method: str, params: Dict[str, Any]) -> Any:
    if method == "getMe":
        return {"id": 123456789, "is_bot": True, "first_name": "Test", "username": "test_help_bot"}
    if method == "sendMessage":
        chat = {"id": int(params.get("chat_id", 0)), "type": "private"}
        return {"message_id": 1, "date": int(time.time()), "chat": chat, "text": params.get("text")}
    return True


def _multipart(raw: bytes, content_type: str) -> Dict[str, Any]:
    boundary = content_type.split("boundary=")[-1].strip('"').encode()
    fields: Dict[str, Any] = {}
    for chunk in raw.split(b"--" + boundary):
        head, _, value = chunk.partition(b"\r\n\r\n")
        name = re.search(rb'name="([^"]+)"', head)
        if name:
            fields[name.group(1).decode()] = value.rstrip(b"\r\n").decode("utf-8")
    return fields


def reply_markup(params: Dict[str, Any]) -> Dict[str, Any] | None:
    markup = params.get("reply_markup")
    return json.loads(markup) if isinstance(markup, str) else markup
