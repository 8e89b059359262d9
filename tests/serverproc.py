"""Start the real server (``koffer demo``) in a subprocess, as the README's run command does."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    proc: subprocess.Popen[str]
    base: str
    console: str
    projector: str
    join_url: str
    code: str
    data_dir: Path
    port: int
    output: list[str]

    def stop(self, kill: bool = False) -> None:
        if self.proc.poll() is None:
            self.proc.kill() if kill else self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start(data_dir: Path, port: int | None = None, password: str = "organizer-secret", timeout: float = 40,
          public_url: bool = True) -> Server:
    """``public_url=False``: started as a user would with ``--host 127.0.0.1`` alone."""
    port = port or free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "NICEGUI"))}
    env.update({"KOFFER_ADMIN_PASSWORD": password, "PYTHONUNBUFFERED": "1"})
    env.pop("KOFFER_DATABASE_URL", None)
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "app.cli", "--data-dir", str(data_dir), "demo", "--host", "127.0.0.1",
         "--port", str(port), *(["--public-url", base] if public_url else [])],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    output: list[str] = []
    found: dict[str, str] = {}
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            if proc.poll() is not None:
                raise RuntimeError("server exited:\n" + "".join(output))
            continue
        output.append(line)
        for name in ("Console", "Projector", "Join URL"):
            m = re.match(rf"\s*{name}:\s+(\S+)", line)
            if m:
                found[name] = m.group(1)
        if "Join URL" in found and "code:" in line:
            found["code"] = line.rsplit("code:", 1)[1].strip()
        if "ready to go" in line:
            break
    # drain the rest of the output in the background so the pipe never blocks the server
    import threading

    threading.Thread(target=lambda: [output.append(x) for x in proc.stdout], daemon=True).start()  # type: ignore[union-attr]
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError("server did not answer:\n" + "".join(output))
    return Server(proc, base, found["Console"], found["Projector"], found["Join URL"], found["code"],
                  data_dir, port, output)
