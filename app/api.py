"""JSON API v1: the same commands as the UI, on the same facilitation functions.

Tokens come as ``Authorization: Bearer ...``: an organizer token (``POST /login``), a session's
moderator key, or a participant token (``POST /join``). Errors are JSON
``{"error": key, "message": text, "detail": {...}}`` with 401/403/404/409/413/422/429.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response

from app import api_archive, api_room
from app.api_auth import bearer, moderator_or_organizer
from app.api_body import read_json as _json
from app.i18n import error_text, say
from app.qr import scan_url
from facilitation import (
    access,
    agenda,
    cards,
    commands,
    context,
    contributions,
    lifecycle,
    live,
    organize,
    participation,
)
from facilitation.snapshots import ParticipantStatus, SessionInfo, StepState
from methods import registry
from methods.base import MAX_PAYLOAD_BYTES, Outcome
from methods.errors import InvalidContribution, KofferError, NotAllowed, NotFound

router = APIRouter(prefix="/api/v1", tags=["v1"])


def _lang(request: Request) -> str:
    return "en" if request.headers.get("accept-language", "").lower().startswith("en") else "de"


def _timer_json(info: SessionInfo) -> dict[str, Any] | None:
    """The current step's timer (a timer belongs to its step); ``ends_at`` in UTC."""
    timer = info.timer
    if timer is None:
        return None
    return {"step_id": timer.step_id, "ends_at": timer.ends_at.isoformat(timespec="seconds") + "Z",
            "close_step": timer.closes_step}


def _session_json(session_id: int) -> dict[str, Any]:
    info = organize.get_session(context.current(), session_id)
    return {
        "id": info.id, "title": info.title, "date": info.date, "place": info.place,
        "language": info.language, "names": info.names, "state": info.state,
        "join_code": info.join_code, "join_url": scan_url(info.join_code),
        "admission": info.admission, "head_count": info.head_count, "joining_closed": info.joining_closed,
        "current_step_id": info.current_step_id, "timer": _timer_json(info),
        "steps": [{"id": s.id, "position": s.position, "method": s.method, "title": s.title,
                   "state": s.state, "round": s.round, "results_visible": s.results_visible}
                  for s in info.steps],
    }


DEVICE_COOKIE = "koffer_device"


@router.post("/login")
async def login(request: Request, response: Response) -> dict[str, str]:
    """The organizer's token. A client that logged in before sends back the ``koffer_device``
    cookie it got then and is limited on its own wrong passwords, not its address's."""
    body = await _json(request, 4096)
    password = body.get("password") if isinstance(body, dict) else None
    if not isinstance(password, str):
        raise InvalidContribution("payload_not_object")
    address = request.client.host if request.client else "unknown"
    ctx = context.current()
    device = request.cookies.get(DEVICE_COOKIE)
    token = access.login(ctx, password, address, device=device)
    if access.known_device(ctx, device) is None:
        response.set_cookie(DEVICE_COOKIE, access.device_mark(ctx), max_age=365 * 24 * 3600,
                            path="/api/v1/login", httponly=True, samesite="strict")
    return {"token": token}


@router.post("/sessions", status_code=201)
async def create_session(request: Request) -> dict[str, Any]:
    ctx = context.current()
    access.check_organizer(ctx, bearer(request))
    spec = agenda.parse(await _json(request, agenda.MAX_AGENDA_BYTES))
    created = organize.create_session(ctx, spec)
    info = created.session
    return {
        "id": info.id, "join_code": info.join_code, "join_url": scan_url(info.join_code),
        "moderator_key": created.moderator_key, "projector_key": created.projector_key,
        "steps": [{"id": s.id, "method": s.method, "title": s.title} for s in info.steps],
    }


@router.get("/sessions/{session_id}")
def get_session(session_id: int, request: Request) -> dict[str, Any]:
    moderator_or_organizer(request, session_id)
    return _session_json(session_id)


@router.get("/sessions/{session_id}/agenda")
def get_agenda(session_id: int, request: Request) -> dict[str, Any]:
    moderator_or_organizer(request, session_id)
    return organize.agenda_document(context.current(), session_id)


@router.delete("/sessions/{session_id}", status_code=204)
def delete_session(session_id: int, request: Request) -> Response:
    ctx = context.current()
    access.check_organizer(ctx, bearer(request))
    organize.delete_session(ctx, session_id)
    return Response(status_code=204)


ACTIONS = {
    "open": lifecycle.open_step,
    "close": lifecycle.close_step,
    "reveal": lifecycle.reveal,
    "hide": lifecycle.hide,
}


@router.post("/sessions/{session_id}/steps/{step_id}/{action}")
def step_action(session_id: int, step_id: int, action: str, request: Request) -> dict[str, Any]:
    ctx = context.current()
    moderator_or_organizer(request, session_id)
    if action not in ACTIONS:
        raise NotFound("unknown_action", action=action[:20])
    info = organize.get_session(ctx, session_id)
    if info.step(step_id) is None:
        raise NotFound("step_not_found", step=step_id)
    ACTIONS[action](ctx, step_id)
    step = organize.get_session(ctx, session_id).step(step_id)
    assert step is not None
    return {"id": step.id, "state": step.state, "round": step.round, "results_visible": step.results_visible}


@router.post("/sessions/{session_id}/steps/{step_id}/commands/{name}")
async def step_command(session_id: int, step_id: int, name: str, request: Request) -> dict[str, Any]:
    """A method's own moderator command (see the method's doc); the body is its payload. With a
    participant token, a command the method lets participants run (a theme table's host)."""
    ctx = context.current()
    try:
        actor: str | None = moderator_or_organizer(request, session_id)
    except NotAllowed as refused:
        actor = None
        try:
            joined = participation.participant_for_token(ctx, bearer(request))
        except NotAllowed:
            raise refused from None
        if joined.session_id != session_id:
            raise refused from None
    payload = await _json(request, MAX_PAYLOAD_BYTES)
    if actor is None:
        decided = commands.run_by_participant(ctx, session_id, step_id, joined.participant_id, name, payload)
    else:
        decided = commands.run(ctx, session_id, step_id, name, payload, actor=actor)
    return {"id": decided.id, "step_id": decided.step_id, "round": decided.round, "command": decided.command,
            "payload": decided.payload}


@router.post("/sessions/{session_id}/timer")
async def set_timer(session_id: int, request: Request) -> dict[str, Any]:
    """A countdown for the current step (``seconds`` 0 or null stops it); ``close_step`` closes
    the step when the time is up. Async: the scheduled close is armed on the server's loop."""
    moderator_or_organizer(request, session_id)
    body = await _json(request, 4096)
    if not isinstance(body, dict):
        raise InvalidContribution("payload_not_object")
    seconds, close_step = body.get("seconds"), body.get("close_step", False)
    if (seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, int))) \
            or not isinstance(close_step, bool):
        raise InvalidContribution("timer_payload")
    ctx = context.current()
    lifecycle.set_timer(ctx, session_id, seconds, close_step=close_step)
    return {"timer": _timer_json(organize.get_session(ctx, session_id))}


@router.post("/join")
async def join(request: Request) -> dict[str, Any]:
    """``{"code", "qr"?, "name"?}`` or ``{"card", "name"?}``; ``status`` says whether the new
    participant is ``in`` or ``waiting`` for the moderator's OK (docs/api.md)."""
    body = await _json(request, 4096)
    if not isinstance(body, dict) or not any(isinstance(body.get(k), str) for k in ("code", "card")):
        raise InvalidContribution("payload_not_object")
    name = body.get("name") if isinstance(body.get("name"), str) else None
    ctx = context.current()
    if isinstance(body.get("card"), str):
        joined = cards.redeem(ctx, body["card"], name=name)
    else:
        address = request.client.host if request.client else "unknown"
        proof = body.get("qr") if isinstance(body.get("qr"), str) else None
        joined = participation.join(ctx, body["code"], name=name, address=address, proof=proof)
    return {"participant_token": joined.token, "session_id": joined.session_id,
            "participant_id": joined.participant_id, "status": joined.status}


@router.get("/sessions/{session_id}/current")
def current(session_id: int, request: Request) -> dict[str, Any]:
    ctx = context.current()
    joined = participation.participant_for_token(ctx, bearer(request))
    if joined.session_id != session_id:
        raise NotAllowed("not_a_participant")
    state = live.build_state(ctx, session_id)
    step = state.step
    if step is None or joined.status != ParticipantStatus.IN:  # waiting for the OK, or removed
        return {"session_state": state.session.state, "participant_status": joined.status, "step": None}
    mine = contributions.my_inputs(ctx, step.id, joined.participant_id) if step.state != StepState.DRAFT else {}
    task: dict[str, Any] = {"config": step.config.model_dump(mode="json"), "mine": mine,
                            "next": live.next_task(ctx, step, joined.participant_id)}
    own = registry.engine(step.method).participant_view
    if own is not None and state.typed is not None:  # e.g. the theme table this participant sits at
        task.update(own(step.config, state.typed, str(joined.participant_id)))
    if step.results_visible and state.result is not None:
        task["result"] = state.result
        task["outcome"] = _outcome_json(state.outcome, _lang(request))
    return {
        "session_state": state.session.state,
        "participant_status": joined.status,
        "step": {"id": step.id, "method": step.method, "title": step.title, "state": step.state,
                 "round": step.round, "task": task},
    }


@router.post("/steps/{step_id}/contributions", status_code=201)
async def contribute(step_id: int, request: Request) -> dict[str, Any]:
    ctx = context.current()
    joined = participation.participant_for_token(ctx, bearer(request))
    payload = await _json(request, MAX_PAYLOAD_BYTES)
    receipt = contributions.submit(ctx, step_id, joined.participant_id, payload)
    return {"step_id": receipt.step_id, "round": receipt.round, "keys": list(receipt.keys), "stored": True}


@router.get("/sessions/{session_id}/results")
def results(session_id: int, request: Request) -> dict[str, Any]:
    moderator_or_organizer(request, session_id)
    steps = live.step_results(context.current(), session_id)
    lang = _lang(request)
    for step in steps:
        method = registry.engine(step["method"])
        for rnd in step["rounds"]:
            rnd["outcome"] = _outcome_json(method.outcome(method.load_result(rnd["result"])), lang)
    return {"steps": steps}


def _outcome_json(outcome: Outcome | None, lang: str) -> dict[str, Any] | None:
    """The engine's outcome in the reader's language: the sentence the console showed."""
    if outcome is None:
        return None
    return {"decision": say(outcome.decision, lang) or None, "tone": outcome.tone,
            "notes": [say(n, lang) for n in outcome.notes]}


def install(app: FastAPI) -> None:
    """Mount the router and the JSON error mapping on the app."""

    async def koffer_error(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, KofferError)
        status = exc.http_status
        if exc.key in ("login_required", "participant_token_required") and not bearer(request):
            status = 401
        return JSONResponse({"error": exc.key, "message": error_text(exc, _lang(request)),
                             "detail": exc.params}, status_code=status)

    app.add_exception_handler(KofferError, koffer_error)
    # FastAPI wraps the app's lifespan in one more layer for every included router; ours have no
    # lifespan, and an app set up again (every test sets it up) would nest deeper each time until
    # the start-up overflows the call stack
    lifespan = app.router.lifespan_context
    app.include_router(router)
    app.include_router(api_archive.router)
    app.include_router(api_room.router)
    app.router.lifespan_context = lifespan
