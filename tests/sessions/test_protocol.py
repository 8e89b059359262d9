"""The photo protocol PDF: structure, text, hostile input, boards at the extremes, photos, rounds."""

from __future__ import annotations

import ast
import io
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from app import i18n
from methods import consensing, constellation, dot_vote, hand_vote, materiality, registry, theme_tables
from methods.base import Cast, Decision
from methods.registry import parse_config
from sessions.protocol import render
from sessions.protocol import theme_tables as protocol_theme_tables
from sessions.protocol.data import PhotoData, ProtocolData, RoundData, StepData
from sessions.protocol.registry import board as board_of

ROOT = Path(__file__).resolve().parents[2]
START = datetime(2024, 3, 12, 18, 0)
HOSTILE = "<b>Bold</b> & <script>alert(1)</script> „Zitat“ Straße"


def t(key: str, **params: Any) -> str:
    return i18n.t(key, "de", **params)


def t_en(key: str, **params: Any) -> str:
    return i18n.t(key, "en", **params)


# --- data from the real engines -----------------------------------------------------------------


def hv_round(counts: dict[str, int], participants: int, config: dict[str, Any] | None = None,
             rnd: int = 1) -> RoundData:
    config = config or {"question": "Sind Sie mit dem Protokoll einverstanden?"}
    casts = [Cast(f"{option}{i}", hand_vote.VOTE_KEY, {"option": option})
             for option, n in counts.items() for i in range(n)]
    result = hand_vote.tally(parse_config("hand_vote", config), casts, participants).model_dump(mode="json")
    opened = START + timedelta(minutes=10 * rnd)
    return RoundData(rnd, config, result, opened, opened + timedelta(minutes=5), sum(counts.values()))


CS_CONFIG = {"question": "Wie gestalten wir den Marktplatz?",
             "proposals": ["Grünfläche am Rathaus", "Straßenfest im Juni", "Bürgerbüro öffnen"],
             "passive_solution": "Alles bleibt, wie es ist", "select": 1}


def cs_round(ratings: dict[str, list[int]], config: dict[str, Any] | None = None, rnd: int = 1,
             participants: int = 12) -> RoundData:
    """``ratings``: option id -> one rating per rater (rater i rates position i)."""
    config = config or CS_CONFIG
    casts = [Cast(f"r{i}", oid, value) for oid, values in ratings.items() for i, value in enumerate(values)]
    result = consensing.tally(parse_config("consensing", config), casts, participants).model_dump(mode="json")
    opened = START + timedelta(minutes=30 * rnd)
    raters = max((len(v) for v in ratings.values()), default=0)
    return RoundData(rnd, config, result, opened, opened + timedelta(minutes=12), raters)


ROUND1 = {"p1": [1, 2, 0, 3, 1, 2, 2, 0, 1, 3], "p2": [5, 6, 4, 7, 5, 8, 6, 5, 4, 6],
          "p3": [3, 2, 4, 3, 5, 2, 3, 4, 2, 3], "passive": [8, 9, 7, 8, 10, 9, 8, 7, 9, 8]}
ROUND2 = {"p1": [0, 1, 0, 2, 1, 1, 2, 0, 1, 2], "p2": [6, 7, 5, 8, 6, 9, 7, 6, 5, 7],
          "p3": [2, 2, 3, 3, 4, 2, 2, 3, 2, 3], "passive": [9, 9, 8, 8, 10, 9, 9, 8, 9, 9]}


def session(steps: tuple[StepData, ...], title: str = "Bürgerwerkstatt Marktplatz – 2. Treffen",
            **kw: Any) -> ProtocolData:
    fields: dict[str, Any] = {
        "title": title, "date": "2024-03-12", "place": "Gießen, Rathaus", "moderator": "Jürgen Weiß",
        "language": "de", "participants_joined": 20, "participants_active": 19, "started_at": START,
        "ended_at": START + timedelta(hours=2), "generated_at": START + timedelta(days=1), "steps": steps}
    return ProtocolData(**{**fields, **kw})


def scripted() -> ProtocolData:
    return session((
        StepData(0, "hand_vote", "Genehmigung der Tagesordnung", "closed",
                 (hv_round({"yes": 12, "no": 5, "abstain": 2}, 20),)),
        StepData(1, "consensing", "Gestaltung des Marktplatzes", "closed", (cs_round(ROUND1),)),
        StepData(2, "hand_vote", "Termin für das nächste Treffen", "draft"),
    ))


def png(width: int = 64, height: int = 48) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def text_of(pdf: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler) is not installed")
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def pct(value: float) -> str:
    """As the projector writes it: whole numbers without decimals."""
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}".replace(".", ",")
    return text + " %"


# --- structure ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scripted_pdf() -> bytes:
    return render(scripted(), t)


def test_pdf_is_valid_and_has_one_page_per_part(scripted_pdf: bytes) -> None:
    assert scripted_pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(scripted_pdf))
    # cover + agenda + 3 steps (one round or none each) + closing
    assert len(reader.pages) == 6
    assert reader.metadata is not None and reader.metadata.title == "Bürgerwerkstatt Marktplatz – 2. Treffen"


def test_empty_session_has_cover_agenda_and_closing() -> None:
    pdf = render(session(()), t)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 3
    assert "keine Tagesordnungspunkte" in text_of(pdf)


def test_same_data_same_pdf(scripted_pdf: bytes) -> None:
    assert render(scripted(), t) == scripted_pdf


def test_progress_runs_from_zero_to_one() -> None:
    seen: list[float] = []
    render(scripted(), t, seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen) and len(seen) >= 2 + 3


# --- text ---------------------------------------------------------------------------------------


def test_text_has_titles_numbers_decisions_and_umlauts(scripted_pdf: bytes) -> None:
    text = text_of(scripted_pdf)
    data = scripted()
    assert data.title in text
    for step in data.steps:
        assert step.title in text
    assert "Fotoprotokoll" in text and "Tagesordnung" in text
    assert "Dr." not in text  # nothing invented
    assert "Jürgen Weiß" in text and "20 angemeldet, davon 19 aktiv" in text
    # hand vote: counts, percent of votes cast, turnout, decision
    assert "Ja 12 63,2 %" in text and "Nein 5 26,3 %" in text and "Enthaltung 2 10,5 %" in text
    assert "19 von 20" in text and "95 %" in text
    assert "Angenommen (Ja 12 : Nein 5)" in text
    # consensing: acceptance numbers from the tally, the selection, umlauts and ß
    result = data.steps[1].rounds[0].result
    for option in result["options"]:
        assert pct(option["acceptance"]) in text
        assert f"{option['mean']:.2f}".replace(".", ",") in text
    assert "Ausgewählt: Grünfläche am Rathaus" in text
    assert "Straßenfest im Juni" in text and "Bürgerbüro öffnen" in text
    # closing page: decisions and the step that was never held
    assert "Beschlüsse und Ergebnisse" in text and "Offene Punkte" in text
    assert "nicht behandelt" in text
    assert "Seite 6 von 6" in text


def test_agenda_names_the_page_each_step_starts_on(scripted_pdf: bytes) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler) is not installed")
    agenda = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-layout", "-", "-"], input=scripted_pdf,
                            capture_output=True, check=True).stdout.decode("utf-8")
    rows = {line.split()[0]: line.split()[-1] for line in agenda.splitlines() if line.split()[:1] in
            (["1"], ["2"], ["3"])}
    assert rows == {"1": "3", "2": "4", "3": "5"}


def test_hostile_text_is_printed_literally() -> None:
    config = {**CS_CONFIG, "proposals": [HOSTILE, "B & <i>C</i>"]}
    ratings = {"p1": [1, 2, 1], "p2": [4, 4, 5], "passive": [7, 8, 9]}
    data = session((
        StepData(0, "consensing", HOSTILE, "closed", (cs_round(ratings, config),),
                 (PhotoData(HOSTILE, "image/png", png(), 64, 48),)),
    ), title=HOSTILE, moderator="<u>M & M</u>")
    text = text_of(render(data, t))
    assert text.count(HOSTILE) >= 4  # cover, step heading, transcription, decision, photo caption …
    assert "B & <i>C</i>" in text and "<u>M & M</u>" in text
    assert "&amp;" not in text and "&lt;" not in text


def test_passive_best_and_ties_are_open_items() -> None:
    worse = {"p1": [8, 9], "p2": [9, 9], "p3": [7, 9], "passive": [1, 2]}
    tie = hv_round({"o1": 3, "o2": 3}, 6, {"question": "Wann?", "options": ["Montag", "Dienstag"]})
    text = text_of(render(session((
        StepData(0, "consensing", "Marktplatz", "closed", (cs_round(worse),)),
        StepData(1, "hand_vote", "Termin", "open",
                 (RoundData(1, tie.config, tie.result, tie.opened_at, None, 6),)),
    )), t))
    assert "Kein Vorschlag ist besser als die Passivlösung" in text
    assert "Gleichstand: Montag, Dienstag (je 3 Stimmen)" in text
    assert "Runde nicht geschlossen" in text and "Gleichstand – keine Entscheidung" in text


def test_english() -> None:
    text = text_of(render(scripted(), t_en))
    assert "Photo protocol" in text and "Decisions and results" in text and "Page 6 of 6" in text
    assert "63.2%" in text and "Accepted (yes 12 : no 5)" in text


# --- rounds -------------------------------------------------------------------------------------


def test_both_rounds_and_their_comparison_appear() -> None:
    r1, r2 = cs_round(ROUND1), cs_round(ROUND2, rnd=2)
    h1 = hv_round({"yes": 4, "no": 6}, 10)
    h2 = hv_round({"yes": 7, "no": 3}, 10, rnd=2)
    data = session((
        StepData(0, "consensing", "Marktplatz", "closed", (r1, r2)),
        StepData(1, "hand_vote", "Protokoll", "closed", (h1, h2)),
    ))
    text = text_of(render(data, t))
    assert "Runde 1" in text and "Runde 2" in text and "Vergleich der Runden" in text
    for rnd in (r1, r2):
        for option in rnd.result["options"]:
            assert pct(option["acceptance"]) in text
    change = consensing.compare_rounds(r1.result, r2.result)[0]
    assert (f"{change['delta']:+.1f}".replace(".", ",") + " Pkt.") in text
    assert "Abgelehnt (Ja 4 : Nein 6)" in text and "Angenommen (Ja 7 : Nein 3)" in text
    assert "Runde 2: Angenommen (Ja 7 : Nein 3)" in text  # the closing page names the deciding round
    assert "+3" in text


# --- boards at the extremes ---------------------------------------------------------------------


def empty_round(method: str) -> RoundData:
    config = CS_CONFIG if method == "consensing" else dict(registry.engine(method).default_config) \
        if method in ("materiality", "dot_vote", "theme_tables", "constellation") else {}
    result = registry.engine(method).tally(parse_config(method, config), [], 0).model_dump(mode="json")
    return RoundData(1, config, result, START, None, 0)


def large_round(method: str) -> RoundData:
    people = 500
    if method == "consensing":
        config = {"proposals": [f"Vorschlag {i} mit einem längeren Titel über Straßen" for i in range(100)],
                  "select": 5}
        ids = [o.id for o in consensing.options(parse_config("consensing", config))]
        casts = [Cast(f"r{p}", oid, (p * 7 + k * 3) % 11) for p in range(people) for k, oid in enumerate(ids)]
        result = consensing.tally(parse_config("consensing", config), casts, people).model_dump(mode="json")
    elif method == "materiality":  # 60 items, every person 24 comparisons
        config = {"items": [f"Thema {i} mit einem längeren Titel über Straßen" for i in range(60)]}
        parsed = parse_config("materiality", config)
        ids = [o.id for o in parsed.items]
        casts = [Cast(f"r{p}", materiality.pair_key(axis, ids[a], ids[b]),
                      {"axis": axis, "pair": [ids[a], ids[b]], "choice": ids[min(a, b)]})
                 for p in range(people) for k in range(12) for axis in ("x", "y")
                 for a, b in [((p + k) % 60, (p * 7 + k * 13 + 1) % 60)] if a != b]
        result = materiality.tally(parsed, casts, people).model_dump(mode="json")
    elif method == "dot_vote":  # 100 cards, 500 people with 10 dots each, some merged while voting
        config = {"items": [f"Karte {i} mit einem längeren Text über Straßen und Plätze" for i in range(100)],
                  "max_per_item": 3}
        parsed = parse_config("dot_vote", config)
        ids = [o.id for o in parsed.items]
        casts = [Cast(f"r{p}", dot_vote.DOTS_KEY, {ids[(p * 7 + k * 11) % 100]: 1 for k in range(10)})
                 for p in range(people)]
        merges = [Decision(k, "merge", {"item": ids[k + 50], "into": ids[k]}, 1) for k in range(5)]
        result = dot_vote.tally(parsed, casts, people, merges).model_dump(mode="json")
    elif method == "theme_tables":  # 12 tables, 500 people writing a long card each, merges
        config = {"categories": ["Klimawandel", "Technologischer Wandel"],
                  "tables": [{"title": f"Tisch {i} über Straßen, Plätze und Wege", "question": "Was fehlt?",
                              "prompts": ["Flächen", "Fachkräfte", "Digitalisierung"]} for i in range(12)]}
        parsed = parse_config("theme_tables", config)
        casts = []
        for p in range(people):
            entry = theme_tables.validate(parsed, {"card": {
                "table": f"t{p % 12 + 1}", "text": f"Karte {p}: " + "ein längerer Gedanke " * 12,
                "prompt": f"p{p % 4 + 1}" if p % 4 < 3 else None, "category": "k1" if p % 3 else None}})[0]
            casts.append(Cast(f"{p + 1}", entry.key, entry.value, p + 1))
        ids = [f"c{p + 1}-{c.key.removeprefix('card:')}" for p, c in enumerate(casts)]
        merges = [Decision(i + 1, "merge", {"cards": [ids[i * 24], ids[i * 24 + 12]]}, 1, after=people)
                  for i in range(10)]
        result = theme_tables.tally(parsed, casts, people, merges).model_dump(mode="json")
    elif method == "constellation":  # a field, three long statements, snapshots, 500 signatures
        config = {"dimensions": 2, "sign_off": True,
                  "statements": [f"Aussage {i}: " + "ein langer Leitbildtext über Straßen " * 40 for i in range(3)]}
        parsed = parse_config("constellation", config)
        casts = [Cast(f"{p}", f"pos:{i}", [(p * 37 % 101) / 100, (p * 53 % 97) / 96]) for p in range(people)
                 for i in range(3)]
        casts += [Cast(f"{p}", "sign:0", {"name": f"Person {p} mit langem Namen", "strokes": [
            [v for k in range(40) for v in (k * 25 % 1000, (k * 37 + p) % 1000)]]}, at="2017-11-07T15:00:00")
            for p in range(people)]
        positions = {f"{p}": [(p * 31 % 101) / 100, 0.5] for p in range(people)}
        decisions = [Decision(1, "snapshot", {"label": "before", "statement": 0, "positions": positions}, 1,
                              at="2017-11-07T14:10:00"),
                     Decision(2, "snapshot", {"label": "after", "statement": 0,
                                              "positions": {p: [x, 0.7] for p, (x, _y) in positions.items()}}, 1,
                              at="2017-11-07T14:20:00"),
                     Decision(3, "next_statement", {}, 1), Decision(4, "next_statement", {}, 1)]
        result = constellation.tally(parsed, casts, people, decisions).model_dump(mode="json")
    else:
        config = {"options": [f"Option {i} – ein längerer Text" for i in range(30)]}
        casts = [Cast(f"v{p}", hand_vote.VOTE_KEY, {"option": f"o{p % 30 + 1}"}) for p in range(people)]
        result = hand_vote.tally(parse_config("hand_vote", config), casts, people).model_dump(mode="json")
    return RoundData(1, config, result, START, START + timedelta(minutes=9), people)


def draw(method: str, rnd: RoundData) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    board = board_of(method)
    assert board is not None
    board.draw(canvas, 50, 50, 400, 250, rnd, t)
    canvas.showPage()
    canvas.save()
    board.transcription(rnd, t)
    return buffer.getvalue()


@pytest.mark.parametrize("method", registry.names())
def test_board_with_empty_result(method: str) -> None:
    rnd = empty_round(method)
    assert draw(method, rnd).startswith(b"%PDF")
    engine = registry.engine(method)
    assert engine.outcome(engine.load_result(rnd.result)).tone == "none"  # nothing decided
    bare = RoundData(1, {}, {}, None, None, 0)  # no result at all
    assert draw(method, bare).startswith(b"%PDF")


@pytest.mark.parametrize("method", registry.names())
def test_board_with_large_result(method: str) -> None:
    assert draw(method, large_round(method)).startswith(b"%PDF")


def test_large_session_renders_with_capped_board() -> None:
    data = session((StepData(0, "consensing", "Ideen", "closed", (large_round("consensing"),)),
                    StepData(1, "hand_vote", "Tische", "closed", (large_round("hand_vote"),))))
    text = text_of(render(data, t))
    assert "+71 weitere" in text  # 101 options, 30 rows on the board (passive solution included)
    assert "Vorschlag 99 mit einem längeren Titel über Straßen" in text  # every option transcribed


def test_malformed_result_and_unknown_method_never_crash() -> None:
    broken = RoundData(1, {"options": "x"}, {"options": [{"id": "a", "count": "viele", "percent": None},
                                                         "junk"], "voters": "?"}, START, None, 3)
    data = session((
        StepData(0, "hand_vote", "Kaputt", "closed", (broken,)),
        StepData(1, "consensing", "Kaputt auch", "closed", (RoundData(1, {}, {"options": [{"rank": "x"}]},
                                                                      None, None, 0),)),
        StepData(2, "fishbowl", "Aufstellung im Raum", "closed",
                 (RoundData(1, {}, {"positions": [1, 2, 3], "median": 0.5}, START, START, 4),)),
    ))
    text = text_of(render(data, t))
    assert "Aufstellung im Raum" in text and "positions" in text and "median" in text


# --- photos -------------------------------------------------------------------------------------


def page_images(page: Any) -> int:
    xobjects = page["/Resources"].get("/XObject") or {}
    return sum(1 for ref in xobjects.values() if ref.get_object().get("/Subtype") == "/Image")


def test_photos_are_embedded_after_their_step_and_at_the_end() -> None:
    step_photo = PhotoData("Pinnwand.png", "image/png", png(), 64, 48, START)
    loose = PhotoData("Flipchart.png", "image/png", png(30, 60), 30, 60)
    broken = PhotoData("kaputt.jpg", "image/jpeg", b"not an image", 10, 10)
    data = session((StepData(0, "hand_vote", "Protokoll", "closed",
                             (hv_round({"yes": 3, "no": 1}, 4),), (step_photo, broken)),),
                   loose_photos=(loose,))
    pdf = render(data, t)
    reader = PdfReader(io.BytesIO(pdf))
    with_images = [i for i, page in enumerate(reader.pages) if page_images(page)]
    assert with_images and with_images[0] >= 2  # after cover and agenda
    assert sum(page_images(p) for p in reader.pages) == 2
    text = text_of(pdf)
    assert "Foto: Pinnwand.png" in text and "Weitere Fotos" in text and "Foto: Flipchart.png" in text
    assert "Foto konnte nicht gelesen werden" in text


def test_a_tablecloth_photo_stands_with_its_table_and_its_summary_not_after_the_step() -> None:
    """Issue 13: "the uploaded photos of the physical tablecloth beside the table". The photo the
    result links to table 2 is drawn in table 2's part of the transcription, beside its host's
    summary, once; a photo of the step that belongs to no table still follows the step."""
    cloth = PhotoData("Visionen: foto.jpg", "image/png", png(160, 90), 160, 90, START, id=7)
    other = PhotoData("Flipchart.png", "image/png", png(30, 60), 30, 60, START, id=8)
    result = theme_tables.Result(tables=[
        theme_tables.TableOut(id="t1", title="Herausforderungen", cards=[theme_tables.CardOut(id="a", text="Flächen")],
                              rounds=[theme_tables.RoundOut(round=1, summary="Flächen fehlen")]),
        theme_tables.TableOut(id="t2", title="Visionen", cards=[theme_tables.CardOut(id="b", text="Radwege")],
                              rounds=[theme_tables.RoundOut(round=1, summary="Radwege ausbauen")], photos=[7]),
    ], cards=2).model_dump(mode="json")
    rnd = RoundData(1, {"tables": [{"title": "Herausforderungen"}, {"title": "Visionen"}]}, result, START,
                    START + timedelta(minutes=40), 12, photos=(cloth, other))
    assert protocol_theme_tables.placed_photos(rnd) == {7}
    pdf = render(session((StepData(0, "theme_tables", "Thementische", "closed", (rnd,), (cloth, other)),)), t)
    reader = PdfReader(io.BytesIO(pdf))
    texts = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
    assert sum(page_images(p) for p in reader.pages) == 2  # each photo once: the tablecloth not again
    page = next(i for i, text in enumerate(texts) if "Tischdecke, Foto 1: Visionen: foto.jpg" in text)
    text = texts[page]
    assert page_images(reader.pages[page]) >= 1
    # in table 2's part: after its heading, beside its summary; table 1's part came before
    heading = text.index("Visionen", text.index("Flächen fehlen"))  # past the pinboards, in the transcription
    assert text.index("Radwege ausbauen", heading) < text.index("Tischdecke, Foto 1", heading)
    assert "Foto: Visionen: foto.jpg" not in " ".join(texts)  # not among the photos after the step
    assert "Foto: Flipchart.png" in " ".join(texts)


# --- layering -----------------------------------------------------------------------------------


def test_protocol_imports_no_app_facilitation_or_ui() -> None:
    for path in (ROOT / "sessions" / "protocol").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            for name in names:
                top = name.split(".")[0]
                assert top not in ("app", "facilitation", "nicegui", "sqlalchemy"), (path, name)
