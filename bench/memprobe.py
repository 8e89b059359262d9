"""Diagnosis only: where does the server's memory per phone go?

The application is not changed. :func:`enable` writes a temporary ``sitecustomize.py`` that the
server process (started by ``tests/serverproc.py`` with the inherited environment) imports at
start-up: it turns on ``tracemalloc`` and installs a ``SIGUSR1`` handler that runs ``gc.collect()``
and writes (a) a tracemalloc snapshot and (b) counts of live objects by type, to
``$KOFFER_MEMPROBE_OUT.<n>.snap`` / ``.types.json``.

``.venv/bin/python bench/harness.py memprobe [--phones N]`` joins N phones and prints what grew
per phone: by source line of the allocation (first frame inside the app, else inside NiceGUI) and
by object type. tracemalloc slows the server; the numbers are for attribution, not for the
RSS figures of the memory benchmark.
"""

from __future__ import annotations

import json
import os
import tempfile
import tracemalloc
from collections import Counter
from pathlib import Path

SITE = '''
import os, signal, gc, json, tracemalloc
from collections import Counter
_out = os.environ.get("KOFFER_MEMPROBE_OUT")
if _out:
    tracemalloc.start(12)
    _n = [0]
    def _dump(_sig, _frame):
        gc.collect()
        snap = tracemalloc.take_snapshot()
        snap.dump(f"{_out}.{_n[0]}.snap")
        types = Counter(type(o).__module__ + "." + type(o).__qualname__ for o in gc.get_objects())
        with open(f"{_out}.{_n[0]}.types.json", "w") as f:
            json.dump(types, f)
        with open(f"{_out}.{_n[0]}.done", "w") as f:
            f.write("ok")
        _n[0] += 1
    signal.signal(signal.SIGUSR1, _dump)
'''


def enable() -> tuple[str, dict[str, str]]:
    """Returns the output prefix and the environment changes for the server process."""
    folder = tempfile.mkdtemp(prefix="koffer-memprobe-")
    Path(folder, "sitecustomize.py").write_text(SITE)
    out = str(Path(folder, "dump"))
    return out, {"PYTHONPATH": folder, "KOFFER_MEMPROBE_OUT": out}


def _where(tb: tracemalloc.Traceback) -> str:
    """The most telling frame: the innermost one in the app, else the innermost in NiceGUI."""
    frames = list(tb)  # oldest first (Python >= 3.7), so [-1] is the innermost frame
    app = [f for f in frames if "/work/main/" in f.filename and "/.venv/" not in f.filename
           and "/bench/" not in f.filename]
    ng = [f for f in frames if "/nicegui/" in f.filename]
    pick = app[-1] if app else (ng[-1] if ng else frames[-1])
    inner = ng[-1] if ng else frames[-1]
    short = lambda f: f"{f.filename.split('/work/main/')[-1].split('site-packages/')[-1]}:{f.lineno}"  # noqa: E731
    return f"{short(pick)}  <- {short(inner)}" if pick is not inner else short(pick)


def report(prefix: str, before: int, after: int, phones: int, top: int = 25) -> str:
    s0 = tracemalloc.Snapshot.load(f"{prefix}.{before}.snap")
    s1 = tracemalloc.Snapshot.load(f"{prefix}.{after}.snap")
    lines = []
    diff = s1.compare_to(s0, "filename")
    total = sum(d.size_diff for d in diff)
    lines.append(f"tracemalloc: +{total / 1024 / phones:.1f} KiB per phone in Python allocations "
                 f"(+{total / 1024 / 1024:.1f} MiB for {phones} phones)")
    lines.append("  by file:")
    for d in diff[:12]:
        name = d.traceback[0].filename.split("site-packages/")[-1].split("/work/main/")[-1]
        lines.append(f"    {d.size_diff / 1024 / phones:7.1f} KiB/phone  {d.count_diff / phones:7.1f} blocks/phone  {name}")
    by_site: Counter[str] = Counter()
    for d in s1.compare_to(s0, "traceback"):
        by_site[_where(d.traceback)] += d.size_diff
    lines.append("  by allocating site (innermost app frame <- innermost NiceGUI frame):")
    for site, size in by_site.most_common(top):
        lines.append(f"    {size / 1024 / phones:7.1f} KiB/phone  {site}")
    t0 = Counter(json.loads(Path(f"{prefix}.{before}.types.json").read_text()))
    t1 = Counter(json.loads(Path(f"{prefix}.{after}.types.json").read_text()))
    grown = Counter({k: t1[k] - t0.get(k, 0) for k in t1 if t1[k] - t0.get(k, 0) > 0})
    lines.append("  live objects per phone by type (gc-tracked):")
    for k, v in grown.most_common(top):
        lines.append(f"    {v / phones:7.1f}  {k}")
    return "\n".join(lines)


def cleanup(prefix: str) -> None:
    folder = Path(prefix).parent
    for p in folder.iterdir():
        p.unlink()
    os.rmdir(folder)
