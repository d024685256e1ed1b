"""A small stand-in for Rasa's REST channel, used only when no real Rasa answers.

It speaks the same protocol as Rasa 3.6 (GET / health text, POST /webhooks/rest/webhook with
{"sender", "message", "metadata"} answering a list of {"recipient_id", "text", "buttons"}), sends
CORS headers like `rasa run --cors`, and answers a handful of questions with fixed replies so the
browser tests can be developed and run without a trained model. The real stack is always preferred.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HEALTH_TEXT = "Hello from Rasa: 3.6.21"

HELP_BUTTONS = [
    {"title": "What happens if I call?", "payload": "/tell_me_more"},
    {"title": "Signs of trafficking", "payload": "/faq/signs_of_trafficking"},
]

REPLIES = {
    "what_is_human_trafficking": {
        "text": (
            "Human trafficking is when someone recruits, moves or holds a person and uses force, "
            "threats, lies or control to **exploit** them, for example for sex or for work.\n"
            "It can happen inside Canada. No border crossing is needed."
        ),
        "buttons": [
            {"title": "Is sex work trafficking?", "payload": "/faq/sex_work_vs_trafficking"},
            {"title": "What are the signs?", "payload": "/faq/signs_of_trafficking"},
            {"title": "Where can I get help?", "payload": "/request_help_trafficking"},
        ],
    },
    "sex_work_vs_trafficking": {
        "text": (
            "No. Sex work is adults choosing to sell or trade sexual services. Trafficking is "
            "exploitation: someone uses force, threats, lies or control. Mixing them up can hurt "
            "sex workers and take help away from people who are trafficked."
        ),
        "buttons": [
            {"title": "Why does it matter?", "payload": "/faq/harms_of_conflation"},
            {"title": "Where can I get help?", "payload": "/request_help_trafficking"},
        ],
    },
    "signs_of_trafficking": {
        "text": (
            "Some signs: someone else keeps your ID or money, you cannot leave, you are told "
            "you owe a debt you can never pay, or someone threatens you or your family."
        ),
        "buttons": [{"title": "Where can I get help?", "payload": "/request_help_trafficking"}],
    },
    "request_help_trafficking": {
        "text": (
            "I am sorry this is happening. Keeping someone's passport is a sign of trafficking, "
            "and help is there for you. If you are in danger right now, call 911.\n"
            "Canadian Human Trafficking Hotline: 1-833-900-1010 (24/7, confidential, not police).\n"
            "BC Office to Combat Trafficking in Persons: 1-888-712-7974 (24/7).\n"
            "More: https://www.canadianhumantraffickinghotline.ca/"
        ),
        "buttons": HELP_BUTTONS,
    },
    "tell_me_more": {
        "text": "The hotline listens, explains your options and lets you choose. It does not share "
        "what you say with police without your consent, unless someone is in immediate danger.",
        "buttons": [],
    },
    # the assistant's answer to a language choice (utter_language_bridge) ends with its own
    # "English" button
    "choose_language": {
        "text": "En danger maintenant ? Appelez le 911.",
        "buttons": [{"title": "English", "payload": '/choose_language{"language": "en"}'}],
    },
    "fallback": {
        "text": "Sorry, I can only answer questions about sex work, exploitation and "
        "trafficking in BC.",
        "buttons": [
            {"title": "What is human trafficking?", "payload": "/faq/what_is_human_trafficking"},
            {"title": "I need help", "payload": "/request_help_trafficking"},
        ],
    },
}


def classify(message: str) -> str:
    m = message.strip().lower()
    if m.startswith("/"):
        intent = m[1:].split("{")[0]
        intent = intent.split("/", 1)[1] if intent.startswith("faq/") else intent
        return intent if intent in REPLIES else "fallback"
    if any(w in m for w in ("help", "passport", "took my", "scared")):
        return "request_help_trafficking"
    if "sex work" in m:
        return "sex_work_vs_trafficking"
    if "sign" in m:
        return "signs_of_trafficking"
    if "traffick" in m:
        return "what_is_human_trafficking"
    return "fallback"


class FakeRasa:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _cors(self) -> None:
                origin = self.headers.get("Origin")
                if origin:
                    self.send_header("Access-Control-Allow-Origin", origin)
                    self.send_header("Vary", "Origin")
                    self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                    self.send_header("Access-Control-Allow-Headers", "Content-Type, Accept")

            def _reply(self, status: int, body: bytes, ctype: str) -> None:
                self.send_response(status)
                self._cors()
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_OPTIONS(self) -> None:  # noqa: N802
                self._reply(204, b"", "text/plain")

            def do_GET(self) -> None:  # noqa: N802
                if self.path == "/":
                    self._reply(200, HEALTH_TEXT.encode(), "text/plain; charset=utf-8")
                else:
                    self._reply(404, b"not found", "text/plain")

            def do_POST(self) -> None:  # noqa: N802
                if self.path != "/webhooks/rest/webhook":
                    self._reply(404, b"not found", "text/plain")
                    return
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    data = json.loads(self.rfile.read(length) or b"{}")
                except ValueError:
                    self._reply(400, b"bad json", "text/plain")
                    return
                fake.requests.append(data)
                reply = REPLIES[classify(str(data.get("message", "")))]
                out = {"recipient_id": data.get("sender"), "text": reply["text"]}
                if reply["buttons"]:
                    out["buttons"] = reply["buttons"]
                self._reply(200, json.dumps([out]).encode(), "application/json")

            def log_message(self, format: str, *args) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{host}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FakeRasa:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
