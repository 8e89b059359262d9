"""Which address phones use to reach this laptop.

Never 127.0.0.1 (a phone would talk to itself). With several interfaces (Wi-Fi and a phone
hotspot, say) the console lets the moderator pick; ``--public-url`` overrides everything, e.g.
behind a reverse proxy.
"""

from __future__ import annotations

import fcntl
import ipaddress
import socket
import struct

SIOCGIFADDR = 0x8915


def _interface_ipv4(name: str) -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            packed = fcntl.ioctl(s.fileno(), SIOCGIFADDR, struct.pack("256s", name[:15].encode()))
        except OSError:
            return None
    return socket.inet_ntoa(packed[20:24])


def lan_addresses() -> list[str]:
    """IPv4 addresses of this machine that other devices can reach (loopback excluded)."""
    found: list[str] = []
    try:
        names = [n for _i, n in socket.if_nameindex()]
    except OSError:
        names = []
    for name in names:
        addr = _interface_ipv4(name)
        if addr and addr not in found:
            found.append(addr)
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            addr = str(info[4][0])
            if addr not in found:
                found.append(addr)
    except OSError:
        pass
    usable = [a for a in found if not ipaddress.ip_address(a).is_loopback and not a.startswith("169.254.")]
    # private LAN ranges first: that is the venue Wi-Fi or the hotspot
    return sorted(usable, key=lambda a: (not ipaddress.ip_address(a).is_private, a))
