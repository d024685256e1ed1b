"""Writes the reverse proxy's nginx configuration from deploy/nginx/*.template.

    python3 -m tools.nginx_config --listen 443 --rasa-hostname assistant.example.org \
        --web-hostname chat.example.org > /etc/nginx/conf.d/assistant.conf

Standard library only, so it runs with the system's python3 too. See deploy/nginx/README.md.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import List

TEMPLATES = Path(__file__).resolve().parent.parent / "deploy" / "nginx"
PLACEHOLDER = re.compile(r"@([A-Z_]+)@")


def render(values: dict) -> str:
    """assistant.conf with each placeholder filled in; ValueError if one has no value."""
    common = (TEMPLATES / "common.conf.template").read_text(encoding="utf-8")
    site = (TEMPLATES / "assistant.conf.template").read_text(encoding="utf-8")
    indented = "\n    ".join(line for line in common.strip().splitlines())
    text = site.replace("@COMMON@", indented)
    missing = sorted({name for name in PLACEHOLDER.findall(text) if name not in values})
    if missing:
        raise ValueError(f"no value for {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), text)


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default="80", help="nginx listen value, e.g. '443 ssl'")
    parser.add_argument("--rasa-hostname", default="assistant.localhost")
    parser.add_argument("--web-hostname", default="chat.localhost")
    parser.add_argument("--rasa-upstream", default="127.0.0.1:5005")
    parser.add_argument("--web-upstream", default="127.0.0.1:8080")
    parser.add_argument("--people-rate", type=int, default=5, help="messages a second per address")
    parser.add_argument("--provider-rate", type=int, default=50, help="webhook calls a second")
    parser.add_argument("--header-timeout-s", type=int, default=10)
    parser.add_argument("--error-log", default="/var/log/nginx/assistant-error.log")
    args = parser.parse_args(argv)
    sys.stdout.write(
        render(
            {
                "LISTEN": args.listen,
                "RASA_HOSTNAME": args.rasa_hostname,
                "WEB_HOSTNAME": args.web_hostname,
                "RASA_UPSTREAM": args.rasa_upstream,
                "WEB_UPSTREAM": args.web_upstream,
                "PEOPLE_RATE": args.people_rate,
                "PROVIDER_RATE": args.provider_rate,
                "HEADER_TIMEOUT_S": args.header_timeout_s,
                "ERROR_LOG": args.error_log,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
