#!/usr/bin/env python3
"""Set-up and the two everyday commands, needing nothing but Python 3.11+ on the machine.

    python3 tasks.py run    # create .venv, install, start the server with the demo session
    python3 tasks.py test   # create .venv, install (+ Debian chromium if root), run all tests
    python3 tasks.py test --fast   # the same without browser and real-server tests, for development

Further arguments go to pytest (``python3 tasks.py test tests/facilitation -x``).

Kept in Python rather than a Makefile so a fresh laptop without make works too.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".installed"
SYSTEM_PACKAGES = ["chromium", "poppler-utils"]  # browser tests; pdftotext/pdftoppm for protocol tests
FAST = ["-m", "not e2e and not server"]  # the marks of the tests that start chromium or a server


def sh(*cmd: str | Path, **kw: object) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kw)  # type: ignore[call-overload]  # noqa: S603


def ensure_venv() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not (BIN / "python").exists():
        venv.create(VENV, with_pip=True)
    sh(BIN / "python", "-m", "pip", "install", "-q", "--upgrade", "pip")
    sh(BIN / "python", "-m", "pip", "install", "-q", "-e", f"{ROOT}[dev]")
    STAMP.write_text(wanted)


def ensure_system_packages() -> None:
    missing = [p for p, exe in zip(SYSTEM_PACKAGES, ("chromium", "pdftotext"), strict=True) if not shutil.which(exe)]
    if not missing:
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        sh("apt-get", "update", "-q", env=env)
        sh("apt-get", "install", "-y", "-q", *missing, env=env)
    else:
        print(f"note: {', '.join(missing)} missing and not installable here; "
              "browser/PDF-text tests will be skipped", flush=True)


def pytest_args(args: list[str]) -> list[str]:
    """pytest's arguments for ``tasks.py test ARGS``: ``--fast`` leaves out the browser and
    real-server tests (under a minute instead of ~3), and the 15 slowest tests are always listed
    so a test that got slow is seen the day it happened (``--durations=N`` overrides)."""
    fast = "--fast" in args
    rest = [a for a in args if a != "--fast"]
    durations = [] if any(a.startswith("--durations") for a in rest) else ["--durations=15"]
    return ["-q", *durations, *(FAST if fast else []), *rest]


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if command == "run":
        ensure_venv()
        os.execv(str(BIN / "koffer"), [str(BIN / "koffer"), "demo", *sys.argv[2:]])  # noqa: S606
    if command == "test":
        ensure_venv()
        ensure_system_packages()
        return subprocess.call([str(BIN / "pytest"), *pytest_args(sys.argv[2:])], cwd=ROOT)  # noqa: S603
    if command == "setup":
        ensure_venv()
        ensure_system_packages()
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
