"""Diagnosis only: where does the server's memory per phone go, and how long does its GC pause?

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

SITE = """
import os, signal, gc, json, time, tracemalloc
from collections import Counter
_hub = os.environ.get("KOFFER_HUB_INTERVAL")
if _hub:  # what-if experiment: the live hub's coalescing interval (facilitation/hub.py)
    import importlib.abc, sys

    class _HubPatch(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name != "facilitation.hub":
                return None
            sys.meta_path.remove(self)
            import importlib.util
            spec = importlib.util.find_spec(name)
            loader = spec.loader
            orig = loader.exec_module
            def exec_module(module):
                orig(module)
                init = module.InProcessHub.__init__
                def patched(self, builder, interval=0.1):
                    init(self, builder, interval=float(_hub))
                module.InProcessHub.__init__ = patched
            loader.exec_module = exec_module
            return spec

    sys.meta_path.insert(0, _HubPatch())
_thr = os.environ.get("KOFFER_GC_THRESHOLD")
if _thr:  # what-if experiment: different collection thresholds
    gc.set_threshold(*[int(x) for x in _thr.split(",")])
if os.environ.get("KOFFER_GC_FREEZE"):  # what-if: gc.freeze() at the end of start-up (SIGHUP)
    signal.signal(signal.SIGHUP, lambda _s, _f: (gc.collect(), gc.freeze()))
_gclog = os.environ.get("KOFFER_GCLOG")
if _gclog:
    _events, _start = [], [0.0]
    def _gc_cb(phase, info):
        if phase == "start":
            _start[0] = time.perf_counter()
        else:
            took = time.perf_counter() - _start[0]
            _events.append((time.time(), info["generation"], took, info["collected"]))
    gc.callbacks.append(_gc_cb)
    def _gc_dump(_sig, _frame):
        with open(_gclog + ".tmp", "w") as f:
            json.dump(_events, f)
        os.replace(_gclog + ".tmp", _gclog)
    signal.signal(signal.SIGUSR2, _gc_dump)
_out = os.environ.get("KOFFER_MEMPROBE_OUT")
if _out:
    tracemalloc.start(8)
    _n = [0]
    def _dump(_sig, _frame):
        gc.collect()
        try:
            snap = tracemalloc.take_snapshot()
            snap.dump(f"{_out}.{_n[0]}.snap")
        except Exception as exc:
            print("memprobe failed:", exc, flush=True)
        def _name(o):
            t = type(o)
            module = t.__dict__.get("__module__")
            return f"{module if isinstance(module, str) else '?'}.{t.__qualname__}"
        types = Counter(_name(o) for o in gc.get_objects())
        with open(f"{_out}.{_n[0]}.types.json", "w") as f:
            json.dump(types, f)
        with open(f"{_out}.{_n[0]}.done", "w") as f:
            f.write("ok")
        _n[0] += 1
    signal.signal(signal.SIGUSR1, _dump)
"""


def enable(
    gc_only: bool = False, threshold: str = "", freeze: bool = False, hub_interval: str = ""
) -> tuple[str, dict[str, str]]:
    """Returns the output prefix and the environment changes for the server process.

    ``gc_only``: no tracemalloc, just a log of garbage collections (``SIGUSR2`` writes
    ``<prefix>.gc.json``: [wall time, generation, seconds, objects collected] per collection).
    """
    folder = tempfile.mkdtemp(prefix="koffer-memprobe-")
    Path(folder, "sitecustomize.py").write_text(SITE)
    out = str(Path(folder, "dump"))
    env = {"PYTHONPATH": folder, "KOFFER_GCLOG": out + ".gc.json"}
    if not gc_only:
        env["KOFFER_MEMPROBE_OUT"] = out
    if threshold:
        env["KOFFER_GC_THRESHOLD"] = threshold
    if freeze:
        env["KOFFER_GC_FREEZE"] = "1"
    if hub_interval:
        env["KOFFER_HUB_INTERVAL"] = hub_interval
    return out, env


def _where(tb: tracemalloc.Traceback) -> str:
    """The most telling frame: the innermost one in the app, else the innermost in NiceGUI."""
    frames = list(tb)  # oldest first (Python >= 3.7), so [-1] is the innermost frame
    app = [
        f
        for f in frames
        if "/work/main/" in f.filename and "/.venv/" not in f.filename and "/bench/" not in f.filename
    ]
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
    lines.append(
        f"tracemalloc: +{total / 1024 / phones:.1f} KiB per phone in Python allocations "
        f"(+{total / 1024 / 1024:.1f} MiB for {phones} phones)"
    )
    lines.append("  by file:")
    for d in diff[:12]:
        name = d.traceback[0].filename.split("site-packages/")[-1].split("/work/main/")[-1]
        lines.append(
            f"    {d.size_diff / 1024 / phones:7.1f} KiB/phone  "
            f"{d.count_diff / phones:7.1f} blocks/phone  {name}"
        )
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
