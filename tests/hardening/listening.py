"""Which local addresses a TCP port listens on, read from /proc/net/tcp and tcp6 (Linux)."""

from __future__ import annotations

import ipaddress
import socket
import struct
from pathlib import Path

LISTEN = "0A"


def _address(hex_address: str) -> str:
    raw = bytes.fromhex(hex_address)
    if len(raw) == 4:
        return socket.inet_ntop(socket.AF_INET, struct.pack("<I", int(hex_address, 16)))
    words = struct.unpack("<4I", raw)
    return str(ipaddress.IPv6Address(struct.pack(">4I", *words)))


def listening_addresses(port: int) -> set:
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            local, state = fields[1], fields[3]
            address, port_hex = local.split(":")
            if state == LISTEN and int(port_hex, 16) == port:
                found.add(_address(address))
    return found


def only_loopback(port: int) -> bool:
    addresses = listening_addresses(port)
    return bool(addresses) and all(ipaddress.ip_address(a).is_loopback for a in addresses)
