"""Benchmark of the protocol PDF: ``.venv/bin/python bench/bench_protocol.py [--out DIR]``.

Cases (results made by the real engines' ``tally``):
- ``meeting``: an 80-person meeting — hand vote, consensing with 6 proposals and 80 raters in
  2 rounds, a hand vote on a date; should render well under 1 s.
- ``large``: 100 proposals rated by 500 participants, a 30-option hand vote with 500 voters.
Prints the median wall time (min/max) and median CPU time of 5 runs per case;
``--out DIR`` also writes the PDFs.
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from app.i18n import t as translate  # noqa: E402
from facilitation.demo import demo_agenda  # noqa: E402
from methods import consensing, hand_vote  # noqa: E402
from methods.base import Cast  # noqa: E402
from methods.registry import parse_config  # noqa: E402
from sessions.protocol import render  # noqa: E402
from sessions.protocol.data import PhotoData, ProtocolData, RoundData, StepData  # noqa: E402

START = datetime(2017, 11, 7, 17, 0)
REALLABORE = list(demo_agenda()["steps"][1]["config"]["proposals"])  # the demo's six Reallabore


def t(key: str, **params: Any) -> str:
    return translate(key, "de", **params)


def hand_vote_round(config: dict[str, Any], weights: list[float], voters: int, participants: int,
                    rnd: int, opened: datetime, seed: int) -> RoundData:
    cfg = parse_config("hand_vote", config)
    rng = random.Random(seed)
    ids = [o.id for o in cfg.options]
    casts = [Cast(f"p{i}", hand_vote.VOTE_KEY, {"option": rng.choices(ids, weights)[0]})
             for i in range(voters)]
    result = hand_vote.tally(cfg, casts, participants).model_dump(mode="json")
    return RoundData(rnd, config, result, opened, opened + timedelta(minutes=4), voters)


def consensing_round(config: dict[str, Any], means: list[float], raters: int, participants: int,
                     rnd: int, opened: datetime, seed: int) -> RoundData:
    cfg = parse_config("consensing", config)
    rng = random.Random(seed)
    ids = [o.id for o in consensing.options(cfg)]
    casts: list[Cast] = []
    for i in range(raters):
        for oid, mean in zip(ids, means, strict=True):
            if rng.random() < 0.04:
                casts.append(Cast(f"p{i}", oid, consensing.ABSTAIN))
                continue
            value = round(rng.gauss(mean, 2.2))
            casts.append(Cast(f"p{i}", oid, max(0, min(cfg.scale_max, value))))
    result = consensing.tally(cfg, casts, participants).model_dump(mode="json")
    return RoundData(rnd, config, result, opened, opened + timedelta(minutes=12), raters)


def photo(width: int = 640, height: int = 480) -> PhotoData:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (238, 232, 220))
    draw = ImageDraw.Draw(image)
    for i, color in enumerate([(250, 220, 90), (140, 200, 240), (240, 150, 150), (170, 220, 160)]):
        for j in range(5):
            x, y = 40 + j * 115, 40 + i * 105
            draw.rectangle([x, y, x + 95, y + 75], fill=color, outline=(120, 120, 120))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return PhotoData("Pinnwand_Reallabore.jpg", "image/jpeg", buffer.getvalue(), width, height,
                     START + timedelta(minutes=50))


def meeting(photos: bool = True) -> ProtocolData:
    people = 80
    yes_no = {"question": "Sind Sie mit dem Protokoll des 3. Treffens einverstanden?"}
    labs = {"question": "Welche vier Reallabore soll die Allianz beauftragen?", "proposals": REALLABORE,
            "passive_solution": "Wir beauftragen jetzt kein Reallabor", "select": 4}
    date_vote = {"question": "Wann soll das 5. Treffen stattfinden?",
                 "options": ["Ende Januar", "Mitte Februar", "Anfang März"]}
    steps = (
        StepData(0, "hand_vote", "Genehmigung des Protokolls", "closed", (
            hand_vote_round(yes_no, [8, 1, 1], 76, people, 1, START + timedelta(minutes=5), 1),)),
        StepData(1, "consensing", "Welche Reallabore beauftragen wir?", "closed", (
            consensing_round(labs, [3, 4.5, 2.5, 6, 5.5, 4, 7], 80, people, 1,
                             START + timedelta(minutes=15), 2),
            consensing_round(labs, [2.5, 4, 2, 6.5, 5, 3.5, 7.5], 78, people, 2,
                             START + timedelta(minutes=40), 3),
        ), (photo(),) if photos else ()),
        StepData(2, "hand_vote", "Termin für das 5. Treffen", "closed", (
            hand_vote_round(date_vote, [3, 5, 2], 71, people, 1, START + timedelta(minutes=70), 4),)),
    )
    return ProtocolData(
        title="4. Treffen der Wirtschaftsallianz", date="2017-11-07", place="Bottrop, Rathaus – Saal 2",
        moderator="Dr. Jürgen Weiß", language="de", participants_joined=people, participants_active=78,
        started_at=START, ended_at=START + timedelta(minutes=95), generated_at=datetime(2017, 11, 8, 9, 30),
        steps=steps,
    )


def large() -> ProtocolData:
    people = 500
    rng = random.Random(7)
    labs = {"question": "Welche Projektideen verfolgen wir weiter?",
            "proposals": [f"Projektidee {i}: {rng.choice(REALLABORE)}" for i in range(1, 101)], "select": 10}
    means = [rng.uniform(1, 9) for _ in range(100)] + [5.0]
    many = {"question": "Welcher Workshop-Tisch?", "options": [f"Tisch {i}" for i in range(1, 31)]}
    steps = (
        StepData(0, "consensing", "Priorisierung der Projektideen", "closed", (
            consensing_round(labs, means, people, people, 1, START, 11),)),
        StepData(1, "hand_vote", "Thementische", "closed", (
            hand_vote_round(many, [rng.uniform(1, 5) for _ in range(30)], people, people, 1,
                            START + timedelta(minutes=30), 12),)),
    )
    return ProtocolData(
        title="Großkonferenz Innenstadt 2030", date="2018-03-14", place="Essen", moderator="Team Moderation",
        language="de", participants_joined=people, participants_active=people, started_at=START,
        ended_at=START + timedelta(hours=3), generated_at=START + timedelta(hours=4), steps=steps,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, help="also write the PDFs into this directory")
    args = parser.parse_args()
    render(meeting(), t)  # warm-up: font loading happens once per process
    cases = {"meeting (80 people, 3 steps)": meeting(), "large (100 options, 500 people)": large()}
    print(f"{'case':34} {'pages':>5} {'KiB':>6} {'median ms':>10} {'min':>7} {'max':>7} {'cpu ms':>7}")
    for name, data in cases.items():
        times, cpu = [], []
        pdf = b""
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            pdf = render(data, t)
            times.append(1000 * (time.perf_counter() - start))
            cpu.append(1000 * (time.process_time() - start_cpu))
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(f"{name:34} {pages:>5} {len(pdf) / 1024:>6.0f} {statistics.median(times):>10.1f} "
              f"{min(times):>7.1f} {max(times):>7.1f} {statistics.median(cpu):>7.1f}")
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{name.split()[0]}.pdf").write_bytes(pdf)


if __name__ == "__main__":
    main()
