"""Settings of the running server that pages need (where phones reach us, language)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Runtime:
    port: int = 8080
    public_url: str | None = None
    lan: list[str] = field(default_factory=list)
    chosen_lan: str | None = None

    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        host = self.chosen_lan or (self.lan[0] if self.lan else "localhost")
        return f"http://{host}:{self.port}"

    def join_url(self, code: str) -> str:
        return f"{self.base_url()}/j/{code}"

    @property
    def reachable(self) -> bool:
        return bool(self.public_url or self.lan)


runtime = Runtime()
