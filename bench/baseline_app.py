"""Bare NiceGUI baseline for the benchmarks: the same shape of work, no database, no hub.

* ``/j/{code}``  a phone: question label, one "Ja" button, a status label. Joining happens on the
  page request (no name form). A click adds the tab to an in-memory set and updates every console.
* ``/console``   the count label "N von M haben abgestimmt" (M = phones that opened the page).
* ``POST /api/join`` → ``{"participant_token"}``; ``POST /api/vote`` (Bearer token);
  ``GET /api/results`` → ``{"voters", "participants"}``; ``POST /api/next`` sets the next question
  on every phone (the "next step" of the benchmark).

Same ``ui.run`` settings as ``app.main.run`` (reconnect timeouts, language, storage secret) so the
difference the benchmarks show is the application's own work.

Run: ``python bench/baseline_app.py --port 8081`` (binds 127.0.0.1 only).
"""

from __future__ import annotations

import argparse
import secrets

from fastapi import Request
from fastapi.responses import JSONResponse
from nicegui import app, ui

QUESTIONS = [
    "Sind Sie mit dem Protokoll des 3. Treffens einverstanden?",
    "Welche vier Reallabore soll die Allianz beauftragen?",
    "Wann soll das 5. Treffen stattfinden?",
]

state = {"question": 0}
participants: set[str] = set()
votes: set[str] = set()
tokens: dict[str, str] = {}
phones: dict[str, ui.label] = {}
statuses: dict[str, ui.label] = {}
consoles: dict[str, ui.label] = {}


def count_text() -> str:
    return f"{len(votes)} von {len(participants)} haben abgestimmt"


def refresh_consoles() -> None:
    text = count_text()
    for label in list(consoles.values()):
        label.set_text(text)


@ui.page("/j/{code}", title="Baseline", reconnect_timeout=60.0)
def phone_page(code: str) -> None:
    client = ui.context.client
    pid = client.id
    participants.add(pid)
    question = ui.label(QUESTIONS[state["question"]]).classes("text-2xl")
    status = ui.label("")

    clicks = [0]

    def vote() -> None:
        votes.add(pid)
        clicks[0] += 1  # each click answers with a new text, so a repeated click gets a reply too
        status.set_text("Gespeichert" if clicks[0] == 1 else f"Gespeichert ({clicks[0]})")
        refresh_consoles()

    ui.button("Ja", on_click=vote).classes("w-full")
    phones[pid] = question
    statuses[pid] = status

    def gone() -> None:
        phones.pop(pid, None)
        statuses.pop(pid, None)

    client.on_delete(gone)
    refresh_consoles()


@ui.page("/console", title="Baseline console")
def console_page() -> None:
    client = ui.context.client
    consoles[client.id] = ui.label(count_text())
    ui.button("Weiter", on_click=next_question)
    client.on_delete(lambda: consoles.pop(client.id, None))


@ui.page("/")
def index() -> None:
    ui.label("baseline")


def _token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None


@app.post("/api/join")
async def api_join() -> dict[str, str]:
    token = secrets.token_urlsafe(16)
    pid = "api-" + token
    tokens[token] = pid
    participants.add(pid)
    refresh_consoles()
    return {"participant_token": token}


@app.post("/api/vote", status_code=201)
async def api_vote(request: Request) -> JSONResponse:
    pid = tokens.get(_token(request) or "")
    if pid is None:
        return JSONResponse({"error": "participant_token_required"}, status_code=401)
    await request.json()
    votes.add(pid)
    refresh_consoles()
    return JSONResponse({"stored": True}, status_code=201)


@app.get("/api/results")
def api_results() -> dict[str, int]:
    return {"voters": len(votes), "participants": len(participants)}


@app.post("/api/reset")
def api_reset() -> dict[str, int]:
    votes.clear()
    for label in list(statuses.values()):
        label.set_text("")
    refresh_consoles()
    return {"voters": 0}


def next_question() -> None:
    state["question"] = (state["question"] + 1) % len(QUESTIONS)
    text = QUESTIONS[state["question"]]
    for label in list(phones.values()):
        label.set_text(text)


@app.post("/api/next")
def api_next() -> dict[str, int]:
    next_question()
    return {"question": state["question"]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8081)
    args = parser.parse_args()
    print(f"baseline on http://127.0.0.1:{args.port}", flush=True)
    ui.run(
        host="127.0.0.1",
        port=args.port,
        title="Baseline",
        reload=False,
        show=False,
        storage_secret="baseline-secret",
        reconnect_timeout=10.0,
        uvicorn_logging_level="warning",
        language="de",
        favicon="🧰",
    )


if __name__ in {"__main__", "__mp_main__"}:
    main()
