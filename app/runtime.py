"""Settings of the running server that pages need (where phones reach us, language)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Runtime:
    port: int = 8080
    public_url: str | None = None
    lan: list[str] = field(default_factory=list)
    chosen_lan: str | None = None

    local_only: bool = False
    """Bound to the loopback address (``--host 127.0.0.1``): only this computer can connect, so
    every printed and shown link says 127.0.0.1 rather than a LAN address that would refuse."""

    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        if self.local_only:
            return f"http://127.0.0.1:{self.port}"
        host = self.chosen_lan or (self.lan[0] if self.lan else "localhost")
        return f"http://{host}:{self.port}"

    def join_url(self, code: str) -> str:
        return f"{self.base_url()}/j/{code}"

    @property
    def reachable(self) -> bool:
        return bool(self.public_url or (self.lan and not self.local_only))


def is_loopback(host: str) -> bool:
    """``127.0.0.1``, ``::1``, ``localhost``: addresses no phone in the room can reach."""
    return host in ("localhost", "::1") or host.startswith("127.")


runtime = Runtime()
