"""Writes the reverse proxy's nginx configuration from deploy/nginx/*.template.

    python3 -m tools.nginx_config --listen 443 --rasa-hostname assistant.example.org \
        --web-hostname chat.example.org > /etc/nginx/conf.d/assistant.conf

With --load-balancer it writes the cluster's whole nginx.conf instead
(deploy/cluster/loadbalancer.conf.template: the same site in front of several Rasa servers, and
the action servers behind ACTION_LISTEN); scripts/services.sh start-cluster runs it.

Standard library only, so it runs with the system's python3 too. See deploy/nginx/README.md.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import List

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
TEMPLATES = DEPLOY / "nginx"
LOAD_BALANCER = DEPLOY / "cluster" / "loadbalancer.conf.template"
PLACEHOLDER = re.compile(r"@([A-Z_]+)@")
# One upstream server behind the public proxy: nginx's own defaults.
DEFAULTS = {
    "CONNECTIONS_PER_ADDRESS": 30,
    "NEXT_UPSTREAM": "error timeout",
    "PEOPLE_BURST": 20,
    "READ_TIMEOUT_S": 30,
}


def render(values: dict) -> str:
    """assistant.conf with each placeholder filled in; ValueError if one has no value."""
    common = (TEMPLATES / "common.conf.template").read_text(encoding="utf-8")
    site = (TEMPLATES / "assistant.conf.template").read_text(encoding="utf-8")
    indented = "\n    ".join(line for line in common.strip().splitlines())
    text = site.replace("@COMMON@", indented)
    values = {**DEFAULTS, **values}
    missing = sorted({name for name in PLACEHOLDER.findall(text) if name not in values})
    if missing:
        raise ValueError(f"no value for {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), text)


def render_load_balancer(values: dict, rasa_servers: List[str], action_servers: List[str]) -> str:
    """The cluster's nginx.conf: the site of `render` over the upstream `rasa_replicas`."""
    site = render({**values, "RASA_UPSTREAM": "rasa_replicas"})
    main = LOAD_BALANCER.read_text(encoding="utf-8")
    filled = {
        **values,
        "SITE": "\n    ".join(site.strip().splitlines()),
        "RASA_SERVERS": _servers(rasa_servers),
        "ACTION_SERVERS": _servers(action_servers),
        # as root, workers would run as nobody, who cannot use the private folder they write to
        "USER": "user root;" if hasattr(os, "geteuid") and os.geteuid() == 0 else "",
    }
    missing = sorted({name for name in PLACEHOLDER.findall(main) if name not in filled})
    if missing:
        raise ValueError(f"no value for {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda m: str(filled[m.group(1)]), main)


def _servers(addresses: List[str]) -> str:
    # max_fails=0: a server is never taken out as a whole for a slow answer; a refused connection
    # (restarting) costs a retry on the next server, on loopback well under a millisecond.
    return "\n".join(f"        server {a} max_fails=0;" for a in addresses)


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
    parser.add_argument("--connections-per-address", type=int, default=30)
    parser.add_argument("--load-balancer", action="store_true", help="the cluster's nginx.conf")
    parser.add_argument("--rasa-servers", nargs="+", default=["127.0.0.1:5011"])
    parser.add_argument("--action-servers", nargs="+", default=["127.0.0.1:5061"])
    parser.add_argument("--action-listen", default="127.0.0.1:5055")
    parser.add_argument("--prefix", default="/var/lib/nginx", help="nginx's pid and temp files")
    args = parser.parse_args(argv)
    if args.load_balancer:
        # Every message reaches it from this machine (the widget's page, a public proxy): the
        # per-address limits belong to the public proxy, not here. A request that fails because
        # a replica stopped goes to another one.
        values = {
            "LISTEN": args.listen,
            "RASA_HOSTNAME": args.rasa_hostname,
            "WEB_HOSTNAME": args.web_hostname,
            "WEB_UPSTREAM": args.web_upstream,
            "PEOPLE_RATE": 100000,
            "PEOPLE_BURST": 10000,
            "PROVIDER_RATE": 100000,
            "HEADER_TIMEOUT_S": args.header_timeout_s,
            "ERROR_LOG": args.error_log,
            "CONNECTIONS_PER_ADDRESS": 10000,
            "NEXT_UPSTREAM": "error non_idempotent",
            # a message retried after a replica died waits for that conversation's lock first
            "READ_TIMEOUT_S": 60,
            "ACTION_LISTEN": args.action_listen,
            "PREFIX": args.prefix,
        }
        sys.stdout.write(render_load_balancer(values, args.rasa_servers, args.action_servers))
        return 0
    sys.stdout.write(
        render(
            {
                "CONNECTIONS_PER_ADDRESS": args.connections_per_address,
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
