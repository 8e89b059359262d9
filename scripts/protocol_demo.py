"""A whole demo meeting through the API, then its protocol PDF: what the office receives.

    .venv/bin/python scripts/protocol_demo.py [OUT.pdf] [PEOPLE]

Starts the demo server on a temporary data dir, joins PEOPLE phones (default 12) through the
API, answers every step of the demo agenda as people would (each method's own payload), closes
and reveals it, and saves the protocol PDF (look at it: ``pdftoppm -r 60 -png OUT.pdf page``).
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import serverproc  # noqa: E402


def answers(method: str, config: dict[str, Any], task: dict[str, Any], rnd: random.Random) -> list[dict[str, Any]]:
    """What one person sends in a step of this method (several payloads where people do that)."""
    if method == "hand_vote":
        options = [o["id"] for o in config["options"]]
        return [{"option": rnd.choice(options[:2] + options[:1])}]
    if method == "consensing":
        ids = [p["id"] for p in config["proposals"]] + ["passive"]
        return [{"ratings": {i: rnd.randint(0, 10) for i in ids}}]
    if method == "dot_vote":
        ids = [i["id"] for i in config["items"]]
        dots = dict.fromkeys(rnd.sample(ids, min(len(ids), 2)), 1)
        return [{"dots": dots}]
    if method == "theme_tables":
        tables = [tb["id"] for tb in config["tables"]]
        return [{"card": {"table": rnd.choice(tables), "text": rnd.choice(
            ["Mehr Gewerbeflächen ausweisen", "Ausbildung gemeinsam werben", "Glasfaser in allen Gewerbegebieten",
             "Leerstand in der Innenstadt nutzen", "Kennzahlen jährlich veröffentlichen"])}}]
    if method == "constellation":
        return [{"statement": 0, "x": round(min(1, max(0, rnd.gauss(0.7, 0.2))), 3)}]
    return []


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "protocol-demo.pdf")
    people = int(sys.argv[2]) if len(sys.argv) > 2 else 12
    rnd = random.Random(7)
    srv = serverproc.start(Path(tempfile.mkdtemp()) / "data")
    try:
        key = srv.console.split("key=", 1)[1]
        sid = int(srv.console.split("/s/", 1)[1].split("/", 1)[0])
        mod = {"Authorization": f"Bearer {key}"}
        with httpx.Client(base_url=srv.base, timeout=30) as http:
            tokens = []
            for _ in range(people):
                joined = http.post("/api/v1/join", json={"code": srv.code}).json()
                tokens.append({"Authorization": f"Bearer {joined['participant_token']}"})
            steps = http.get(f"/api/v1/sessions/{sid}", headers=mod).json()["steps"]
            for step in steps:
                opened = http.post(f"/api/v1/sessions/{sid}/steps/{step['id']}/open", headers=mod)
                if opened.status_code != 200:
                    print("not opened:", step["title"], opened.json().get("message"))
                    continue
                for token in tokens:
                    current = http.get(f"/api/v1/sessions/{sid}/current", headers=token).json()["step"]
                    task = current["task"]
                    if step["method"] == "materiality":
                        for _ in range(12):
                            nxt = task.get("next")
                            if not nxt or not nxt.get("pair"):
                                break
                            pair = [i["id"] for i in nxt["pair"]]
                            http.post(f"/api/v1/steps/{step['id']}/contributions", headers=token,
                                      json={"axis": nxt["axis"], "pair": pair, "choice": min(pair)})
                            task = http.get(f"/api/v1/sessions/{sid}/current", headers=token).json()["step"]["task"]
                        continue
                    for payload in answers(step["method"], task["config"], task, rnd):
                        r = http.post(f"/api/v1/steps/{step['id']}/contributions", json=payload, headers=token)
                        if r.status_code != 201:
                            print(step["method"], r.status_code, r.text[:200])
                http.post(f"/api/v1/sessions/{sid}/steps/{step['id']}/close", headers=mod)
                http.post(f"/api/v1/sessions/{sid}/steps/{step['id']}/reveal", headers=mod)
            pdf = http.get(f"/api/v1/sessions/{sid}/protocol.pdf", headers=mod)
            pdf.raise_for_status()
            out.write_bytes(pdf.content)
    finally:
        srv.stop()
    print("saved", out, f"({len(pdf.content)} bytes)")


if __name__ == "__main__":
    main()
