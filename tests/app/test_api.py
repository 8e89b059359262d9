"""JSON API v1 end to end, through the real app (NiceGUI User fixture, fresh in-memory DB per test)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from nicegui.testing import User
from sqlalchemy import func, select

from facilitation import access, context, root, security
from methods.base import MAX_PAYLOAD_BYTES
from sessions import models

PASSWORD = "Geschäftsstelle-2017"
PASSWORD_HASH = security.hash_password(PASSWORD)  # scrypt once per module, not once per test

AGENDA: dict[str, Any] = {
    "format": "moderationskoffer/agenda@1",
    "title": "4. Treffen der Wirtschaftsallianz",
    "date": "2017-11-07",
    "place": "Bottrop",
    "language": "de",
    "names": "optional",
    "steps": [
        {"method": "hand_vote", "title": "Protokoll", "config": {"question": "Protokoll genehmigt?"}},
        {
            "method": "hand_vote",
            "title": "Termin",
            "config": {"question": "Wann?", "options": ["Januar", "Februar"]},
        },
    ],
}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def rows(model: type) -> int:
    with context.current().db.session() as orm:
        return int(orm.execute(select(func.count()).select_from(model)).scalar_one())


def assert_error(response: httpx.Response, status: int, key: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "message", "detail"}
    assert body["error"] == key
    assert isinstance(body["message"], str) and body["message"]
    return body


@pytest.fixture
async def api(user: User) -> httpx.AsyncClient:
    """The app's HTTP client, with the organizer password set as the office would have it."""
    with context.current().db.transaction() as orm:
        orm.merge(models.Setting(key=access.ADMIN_PASSWORD_SETTING, value=PASSWORD_HASH))
    return user.http_client


_login: dict[str, Any] = {"ctx": None, "headers": {}}


async def login(api: httpx.AsyncClient) -> dict[str, str]:
    """Organizer headers; one real login per test (each test runs on a fresh app and context)."""
    ctx = context.current()
    if _login["ctx"] is not ctx:  # holding the context itself, so an id() can never be reused
        response = await api.post("/api/v1/login", json={"password": PASSWORD})
        assert response.status_code == 200, response.text
        _login.update(ctx=ctx, headers=bearer(response.json()["token"]))
    return dict(_login["headers"])


async def create(api: httpx.AsyncClient, doc: dict[str, Any] | None = None) -> dict[str, Any]:
    response = await api.post("/api/v1/sessions", json=doc or AGENDA, headers=await login(api))
    assert response.status_code == 201, response.text
    return response.json()


async def join(api: httpx.AsyncClient, code: str, **extra: Any) -> dict[str, str]:
    response = await api.post("/api/v1/join", json={"code": code, **extra})
    assert response.status_code == 200, response.text
    return bearer(response.json()["participant_token"])


async def act(api: httpx.AsyncClient, created: dict[str, Any], step: int, action: str) -> dict[str, Any]:
    response = await api.post(
        f"/api/v1/sessions/{created['id']}/steps/{step}/{action}", headers=bearer(created["moderator_key"])
    )
    assert response.status_code == 200, response.text
    return response.json()


# --- the whole flow -----------------------------------------------------------------------------


async def test_api_flow_end_to_end(api: httpx.AsyncClient) -> None:
    response = await api.post("/api/v1/login", json={"password": PASSWORD})
    assert response.status_code == 200 and set(response.json()) == {"token"}
    organizer = bearer(response.json()["token"])
    response = await api.post("/api/v1/sessions", json=AGENDA, headers=organizer)
    assert response.status_code == 201, response.text
    created = response.json()
    assert set(created) >= {"id", "join_code", "join_url", "moderator_key", "projector_key", "steps"}
    assert created["join_url"].startswith(f"http://koffer.test/j/{created['join_code']}?qr=")  # the QR's link
    assert [(s["method"], s["title"]) for s in created["steps"]] == [
        ("hand_vote", "Protokoll"),
        ("hand_vote", "Termin"),
    ]
    sid, step = created["id"], created["steps"][0]["id"]
    moderator = bearer(created["moderator_key"])

    # the agenda file comes back as it went in
    response = await api.get(f"/api/v1/sessions/{sid}/agenda", headers=moderator)
    assert response.status_code == 200 and response.json() == AGENDA
    response = await api.get(f"/api/v1/sessions/{sid}", headers=organizer)
    assert response.status_code == 200
    assert response.json()["state"] == "planned" and response.json()["current_step_id"] == step

    # three phones join; lower case and a dash are fine
    code = created["join_code"]
    response = await api.post(
        "/api/v1/join", json={"code": f"{code[:3].lower()}-{code[3:]}", "name": "Erika"}
    )
    assert response.status_code == 200
    assert response.json()["session_id"] == sid
    phones = [bearer(response.json()["participant_token"]), await join(api, code), await join(api, code)]

    response = await api.get(f"/api/v1/sessions/{sid}/current", headers=phones[0])
    assert response.status_code == 200
    current = response.json()
    assert current["step"]["id"] == step and current["step"]["state"] == "draft"
    assert current["step"]["task"]["config"]["question"] == "Protokoll genehmigt?"

    assert await act(api, created, step, "open") == {
        "id": step,
        "state": "open",
        "round": 1,
        "results_visible": False,
    }
    for phone, choice in zip(phones, ["yes", "yes", "no"], strict=True):
        response = await api.post(
            f"/api/v1/steps/{step}/contributions", json={"option": choice}, headers=phone
        )
        assert response.status_code == 201, response.text
        assert response.json() == {"step_id": step, "round": 1, "keys": ["vote"], "stored": True}
    assert rows(models.Contribution) == 3  # 201 means committed

    response = await api.get(f"/api/v1/sessions/{sid}/current", headers=phones[2])
    task = response.json()["step"]["task"]
    assert task["mine"] == {"vote": {"option": "no"}}
    assert "result" not in task  # hidden until the moderator reveals it

    assert (await act(api, created, step, "reveal"))["results_visible"] is True
    response = await api.get(f"/api/v1/sessions/{sid}/current", headers=phones[2])
    assert [o["count"] for o in response.json()["step"]["task"]["result"]["options"]] == [2, 1, 0]
    assert (await act(api, created, step, "hide"))["results_visible"] is False

    assert (await act(api, created, step, "close"))["state"] == "closed"
    assert (await act(api, created, step, "close"))["state"] == "closed"  # twice is harmless
    reopened = await act(api, created, step, "open")
    assert (reopened["state"], reopened["round"]) == ("open", 2)
    response = await api.post(
        f"/api/v1/steps/{step}/contributions", json={"option": "abstain"}, headers=phones[0]
    )
    assert response.status_code == 201 and response.json()["round"] == 2

    for who in (moderator, organizer):
        response = await api.get(f"/api/v1/sessions/{sid}/results", headers=who)
        assert response.status_code == 200
        steps = response.json()["steps"]
        assert [s["id"] for s in steps] == [s["id"] for s in created["steps"]]
        first = steps[0]
        assert (first["method"], first["title"], first["state"]) == ("hand_vote", "Protokoll", "open")
        assert [r["round"] for r in first["rounds"]] == [1, 2]
        one, two = (r["result"] for r in first["rounds"])
        assert [o["count"] for o in one["options"]] == [2, 1, 0] and one["accepted"] is True
        assert [o["count"] for o in two["options"]] == [0, 0, 1] and two["voters"] == 1
        assert steps[1]["rounds"] == []

    response = await api.delete(f"/api/v1/sessions/{sid}", headers=organizer)
    assert response.status_code == 204
    assert_error(await api.get(f"/api/v1/sessions/{sid}", headers=organizer), 404, "session_not_found")
    assert_error(await api.post("/api/v1/join", json={"code": code}), 404, "unknown_join_code")
    assert rows(models.Contribution) == 0 and rows(models.Participant) == 0


# --- authentication -----------------------------------------------------------------------------


async def test_login_errors(api: httpx.AsyncClient) -> None:
    assert_error(await api.post("/api/v1/login", json={"password": "falsch"}), 403, "wrong_password")
    assert_error(await api.post("/api/v1/login", json={"passwort": PASSWORD}), 422, "payload_not_object")
    for _ in range(7):
        await api.post("/api/v1/login", json={"password": "falsch"})
    assert_error(await api.post("/api/v1/login", json={"password": PASSWORD}), 429, "too_many_attempts")


async def test_organizer_routes_need_a_token(api: httpx.AsyncClient) -> None:
    assert_error(await api.post("/api/v1/sessions", json=AGENDA), 401, "login_required")
    assert rows(models.Session) == 0
    created = await create(api)
    sid = created["id"]
    assert_error(await api.delete(f"/api/v1/sessions/{sid}"), 401, "login_required")
    assert_error(await api.get(f"/api/v1/sessions/{sid}/results"), 401, "login_required")
    assert_error(await api.get(f"/api/v1/sessions/{sid}"), 401, "login_required")
    # a moderator key is not an organizer login
    assert_error(
        await api.delete(f"/api/v1/sessions/{sid}", headers=bearer(created["moderator_key"])),
        403,
        "login_required",
    )
    assert_error(
        await api.post("/api/v1/sessions", json=AGENDA, headers=bearer("made-up")), 403, "login_required"
    )
    assert rows(models.Session) == 1


async def test_wrong_moderator_key_is_forbidden(api: httpx.AsyncClient) -> None:
    created = await create(api)
    sid, step = created["id"], created["steps"][0]["id"]
    for key in ("wrong", created["projector_key"]):
        body = assert_error(
            await api.post(f"/api/v1/sessions/{sid}/steps/{step}/open", headers=bearer(key)), 403, "wrong_key"
        )
        assert body["message"] == "Der Zugangsschlüssel fehlt oder ist falsch."
    assert_error(await api.post(f"/api/v1/sessions/{sid}/steps/{step}/open"), 401, "login_required")
    # another session's moderator key does not open this one
    other = await create(api)
    assert_error(
        await api.get(f"/api/v1/sessions/{sid}/results", headers=bearer(other["moderator_key"])),
        403,
        "wrong_key",
    )
    response = await api.get(f"/api/v1/sessions/{sid}", headers=bearer(created["moderator_key"]))
    assert response.json()["steps"][0]["state"] == "draft"


async def test_participant_routes_need_a_participant_token(api: httpx.AsyncClient) -> None:
    created = await create(api)
    sid, step = created["id"], created["steps"][0]["id"]
    await act(api, created, step, "open")
    assert_error(
        await api.post(f"/api/v1/steps/{step}/contributions", json={"option": "yes"}),
        401,
        "participant_token_required",
    )
    assert_error(
        await api.post(
            f"/api/v1/steps/{step}/contributions",
            json={"option": "yes"},
            headers=bearer(created["moderator_key"]),
        ),
        403,
        "participant_token_required",
    )
    assert_error(await api.get(f"/api/v1/sessions/{sid}/current"), 401, "participant_token_required")
    # a participant of another session sees nothing here and cannot vote here
    other = await create(api)
    stranger = await join(api, other["join_code"])
    assert_error(await api.get(f"/api/v1/sessions/{sid}/current", headers=stranger), 403, "not_a_participant")
    assert_error(
        await api.post(f"/api/v1/steps/{step}/contributions", json={"option": "yes"}, headers=stranger),
        403,
        "not_a_participant",
    )
    assert rows(models.Contribution) == 0


# --- refused contributions store nothing --------------------------------------------------------


@pytest.fixture
async def voting(api: httpx.AsyncClient) -> dict[str, Any]:
    """A session whose first step is open, with one phone that has voted once."""
    created = await create(api)
    step = created["steps"][0]["id"]
    await act(api, created, step, "open")
    phone = await join(api, created["join_code"])
    response = await api.post(f"/api/v1/steps/{step}/contributions", json={"option": "yes"}, headers=phone)
    assert response.status_code == 201
    return {"created": created, "step": step, "phone": phone}


async def test_vote_on_closed_or_draft_step_is_409(api: httpx.AsyncClient, voting: dict[str, Any]) -> None:
    await act(api, voting["created"], voting["step"], "close")
    body = assert_error(
        await api.post(
            f"/api/v1/steps/{voting['step']}/contributions", json={"option": "no"}, headers=voting["phone"]
        ),
        409,
        "step_closed",
    )
    assert body["detail"] == {"step": 1}
    draft = voting["created"]["steps"][1]["id"]
    assert_error(
        await api.post(
            f"/api/v1/steps/{draft}/contributions", json={"option": "o1"}, headers=voting["phone"]
        ),
        409,
        "step_not_open",
    )
    assert rows(models.Contribution) == 1
    results = await api.get(f"/api/v1/sessions/{voting['created']['id']}/results", headers=await login(api))
    assert results.json()["steps"][0]["rounds"][0]["result"]["voters"] == 1


async def test_unknown_option_is_422_in_german_or_english(
    api: httpx.AsyncClient, voting: dict[str, Any]
) -> None:
    body = assert_error(
        await api.post(
            f"/api/v1/steps/{voting['step']}/contributions",
            json={"option": "vielleicht"},
            headers=voting["phone"],
        ),
        422,
        "unknown_option",
    )
    assert body["detail"] == {"option": "vielleicht"}
    assert body["message"] == "Diese Option gibt es nicht: vielleicht"
    assert rows(models.Contribution) == 1

    # the same refusal for an English-speaking client
    headers = {**voting["phone"], "Accept-Language": "en-GB,en;q=0.9,de;q=0.5"}
    body = assert_error(
        await api.post(
            f"/api/v1/steps/{voting['step']}/contributions", json={"option": "vielleicht"}, headers=headers
        ),
        422,
        "unknown_option",
    )
    assert body["message"] == "There is no such option: vielleicht"
    body = assert_error(
        await api.get("/api/v1/sessions/999", headers={"Accept-Language": "en",
                                                  "Authorization": f"Bearer {voting['created']['moderator_key']}"}),
        403, "wrong_key",  # another session's key opens nothing here, and says so without revealing ids
    )
    assert body["message"] == "The access key is missing or wrong."


async def test_session_ids_cannot_be_probed_without_a_token(api: httpx.AsyncClient, voting: dict[str, Any]) -> None:
    """Without a token an existing and a missing session answer alike (ids are sequential)."""
    existing = await api.get(f"/api/v1/sessions/{voting['created']['id']}")
    missing = await api.get("/api/v1/sessions/999")
    assert existing.status_code == missing.status_code == 401


async def test_malformed_json_and_non_objects_are_422(api: httpx.AsyncClient, voting: dict[str, Any]) -> None:
    for content in (b"{not json", b'{"option": "yes"', b"\xff\xfe", b"{'option': 'yes'}"):
        response = await api.post(
            f"/api/v1/steps/{voting['step']}/contributions",
            content=content,
            headers={**voting["phone"], "Content-Type": "application/json"},
        )
        assert_error(response, 422, "malformed_json")
    response = await api.post(
        f"/api/v1/steps/{voting['step']}/contributions", content=b"", headers=voting["phone"]
    )
    assert_error(response, 422, "payload_not_object")
    for payload in (["yes"], "yes", 1, None):
        assert_error(
            await api.post(
                f"/api/v1/steps/{voting['step']}/contributions", json=payload, headers=voting["phone"]
            ),
            422,
            "payload_not_object",
        )
    assert rows(models.Contribution) == 1


async def test_payload_over_16_kb_is_413(api: httpx.AsyncClient, voting: dict[str, Any]) -> None:
    big = {"option": "yes", "pad": "x" * (MAX_PAYLOAD_BYTES + 1)}
    body = assert_error(
        await api.post(f"/api/v1/steps/{voting['step']}/contributions", json=big, headers=voting["phone"]),
        413,
        "payload_too_large",
    )
    assert body["detail"] == {"limit": MAX_PAYLOAD_BYTES}

    # also without a Content-Length header (a streamed body): counted while reading
    async def stream() -> AsyncIterator[bytes]:
        yield b'{"option": "yes", "pad": "'
        for _ in range(20):
            yield b"x" * 1024
        yield b'"}'

    response = await api.post(
        f"/api/v1/steps/{voting['step']}/contributions",
        content=stream(),
        headers={**voting["phone"], "Content-Type": "application/json"},
    )
    assert "content-length" not in response.request.headers
    assert_error(response, 413, "payload_too_large")
    assert rows(models.Contribution) == 1


# --- not found ----------------------------------------------------------------------------------


async def test_unknown_session_step_and_code_are_404(api: httpx.AsyncClient) -> None:
    organizer = await login(api)
    created = await create(api)
    sid = created["id"]
    assert_error(await api.get("/api/v1/sessions/999", headers=organizer), 404, "session_not_found")
    assert_error(await api.get("/api/v1/sessions/999/results", headers=organizer), 404, "session_not_found")
    assert_error(await api.delete("/api/v1/sessions/999", headers=organizer), 404, "session_not_found")
    moderator = bearer(created["moderator_key"])
    assert_error(
        await api.post(f"/api/v1/sessions/{sid}/steps/999/open", headers=moderator), 404, "step_not_found"
    )
    # a step of another session is "not found" here, even for the right moderator key
    other = await create(api)
    foreign_step = other["steps"][0]["id"]
    assert_error(
        await api.post(f"/api/v1/sessions/{sid}/steps/{foreign_step}/open", headers=moderator),
        404,
        "step_not_found",
    )
    assert_error(
        await api.post(
            f"/api/v1/sessions/{sid}/steps/{created['steps'][0]['id']}/explode", headers=moderator
        ),
        404,
        "unknown_action",
    )
    phone = await join(api, created["join_code"])
    assert_error(
        await api.post("/api/v1/steps/999/contributions", json={"option": "yes"}, headers=phone),
        404,
        "step_not_found",
    )
    body = assert_error(await api.post("/api/v1/join", json={"code": "ZZZZZZ"}), 404, "unknown_join_code")
    assert body["detail"] == {"code": "ZZZZZZ"}
    response = await api.get(f"/api/v1/sessions/{sid}", headers=organizer)
    assert [s["state"] for s in response.json()["steps"]] == ["draft", "draft"]


async def test_join_code_guessing_is_rate_limited(api: httpx.AsyncClient) -> None:
    created = await create(api)
    for _ in range(20):
        assert_error(await api.post("/api/v1/join", json={"code": "ZZZZZZ"}), 404, "unknown_join_code")
    # typed codes from this address are refused now, the right one too (no answer tells a guesser
    # which code exists) ...
    assert_error(
        await api.post("/api/v1/join", json={"code": created["join_code"]}), 429, "too_many_codes"
    )
    assert rows(models.Participant) == 0
    # ... but the QR code's link (its proof) still lets the room in from the same address
    proof = created["join_url"].split("?qr=", 1)[1]
    response = await api.post("/api/v1/join", json={"code": created["join_code"], "qr": proof})
    assert response.status_code == 200 and response.json()["status"] == "in"
    # and a made-up proof counts as guessing
    assert_error(await api.post("/api/v1/join", json={"code": "ZZZZZZ", "qr": "A" * 12}), 429, "too_many_codes")
    assert rows(models.Participant) == 1


async def test_join_with_names_required(api: httpx.AsyncClient) -> None:
    created = await create(api, {**AGENDA, "names": "required"})
    assert_error(await api.post("/api/v1/join", json={"code": created["join_code"]}), 422, "name_required")
    assert rows(models.Participant) == 0
    await join(api, created["join_code"], name="Erika Muster")
    assert rows(models.Participant) == 1


# --- agenda problems ----------------------------------------------------------------------------


async def test_bad_agenda_lists_every_problem(api: httpx.AsyncClient) -> None:
    doc = {
        "title": "Treffen",
        "date": "7.11.2017",
        "steps": [
            {"method": "world_cafe", "title": "Tische"},
            {"method": "hand_vote", "config": {"options": ["nur eine"]}},
            {"method": "hand_vote", "config": {"options": ["A", "B"], "max_choices": 1, "farbe": "rot"}},
        ],
    }
    response = await api.post("/api/v1/sessions", json=doc, headers=await login(api))
    body = assert_error(response, 422, "agenda_invalid")
    problems = body["detail"]["problems"]
    assert sorted(p["field"] for p in problems) == sorted(
        [
            "date",
            "steps[0].method",
            "steps[1].config.options",
            "steps[2].config.max_choices",
            "steps[2].config.farbe",
        ]
    )
    assert all(p["message"] for p in problems)
    assert rows(models.Session) == 0 and rows(models.Step) == 0


async def test_agenda_body_that_is_not_json(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/api/v1/sessions",
        content=b"title: Treffen",
        headers={**await login(api), "Content-Type": "application/json"},
    )
    assert_error(response, 422, "malformed_json")
    assert rows(models.Session) == 0


# --- the documentation pages of the production app ----------------------------------------------


@pytest.fixture
async def production_client(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[httpx.AsyncClient]:
    """The app as ``app.main.run`` configures it (with its docs), on a fresh in-memory database."""
    from nicegui import core
    from nicegui.testing.general import nicegui_reset_globals

    from app import main

    docs = (core.app.docs_url, core.app.redoc_url, core.app.openapi_url)
    with nicegui_reset_globals():
        monkeypatch.setenv("NICEGUI_USER_SIMULATION", "true")  # ui.run configures but starts no server
        monkeypatch.setenv("KOFFER_ADMIN_PASSWORD", PASSWORD)
        main.run(root.create("sqlite://"), host="127.0.0.1", port=8080, public_url="http://koffer.test")
        try:
            async with core.app.router.lifespan_context(core.app):
                async with httpx.AsyncClient(
                    transport=httpx.ASGITransport(core.app), base_url="http://test"
                ) as c:
                    yield c
        finally:
            core.app.docs_url, core.app.redoc_url, core.app.openapi_url = docs


async def test_openapi_docs_are_served(production_client: httpx.AsyncClient) -> None:
    response = await production_client.get("/docs")
    assert response.status_code == 200
    assert "swagger" in response.text.lower()
    response = await production_client.get("/openapi.json")
    assert response.status_code == 200
    paths = json.loads(response.text)["paths"]
    assert {
        "/api/v1/login",
        "/api/v1/sessions",
        "/api/v1/join",
        "/api/v1/steps/{step_id}/contributions",
    } <= set(paths)


async def test_live_views_are_told_on_the_event_loop_thread(api: httpx.AsyncClient) -> None:
    """Regression: sync API routes run in a worker thread; the hub delivered to the live views
    from that thread (no coalescing, NiceGUI updates off the event loop)."""
    import asyncio
    import threading

    created = await create(api)
    ctx = context.current()
    heard: list[tuple[int, str]] = []
    subscription = ctx.hub.subscribe(
        created["id"],
        lambda state: heard.append((threading.get_ident(), state.step.state if state.step else "")),
    )
    try:
        await act(api, created, created["steps"][0]["id"], "open")
        for _ in range(50):
            if heard and heard[-1][1] == "open":
                break
            await asyncio.sleep(0.02)
        assert heard and heard[-1][1] == "open"
        assert {ident for ident, _ in heard} == {threading.get_ident()}
    finally:
        subscription.cancel()


# --- the timer ----------------------------------------------------------------------------------


async def test_the_moderator_sets_a_timer_that_closes_the_step(api: httpx.AsyncClient, voting: dict[str, Any]) -> None:
    created, step = voting["created"], voting["step"]
    key = bearer(created["moderator_key"])
    url = f"/api/v1/sessions/{created['id']}/timer"
    response = await api.post(url, json={"seconds": 300, "close_step": True}, headers=key)
    assert response.status_code == 200, response.text
    timer = response.json()["timer"]
    assert (timer["step_id"], timer["close_step"]) == (step, True) and timer["ends_at"].endswith("Z")
    session = (await api.get(f"/api/v1/sessions/{created['id']}", headers=key)).json()
    assert session["timer"] == timer
    assert context.current().timers.armed(created["id"])

    response = await api.post(url, json={"seconds": None}, headers=key)  # stop
    assert response.json() == {"timer": None}
    assert not context.current().timers.armed(created["id"])

    response = await api.post(url, json={"seconds": 1, "close_step": True}, headers=key)
    assert response.json()["timer"]["close_step"] is True
    for _ in range(60):  # the server's own loop closes the step at zero
        state = (await api.get(f"/api/v1/sessions/{created['id']}", headers=key)).json()["steps"][0]["state"]
        if state == "closed":
            break
        await asyncio.sleep(0.05)
    assert state == "closed"
    results = (await api.get(f"/api/v1/sessions/{created['id']}/results", headers=key)).json()
    assert [o["count"] for o in results["steps"][0]["rounds"][0]["result"]["options"]] == [1, 0, 0]


async def test_timer_refusals(api: httpx.AsyncClient, voting: dict[str, Any]) -> None:
    created = voting["created"]
    url = f"/api/v1/sessions/{created['id']}/timer"
    key = bearer(created["moderator_key"])
    assert_error(await api.post(url, json={"seconds": 60}), 401, "login_required")
    assert_error(await api.post(url, json={"seconds": 60}, headers=bearer("wrong")), 403, "wrong_key")
    assert_error(await api.post(url, json={"seconds": "60"}, headers=key), 422, "timer_payload")
    assert_error(await api.post(url, json={"seconds": 60, "close_step": "yes"}, headers=key), 422, "timer_payload")
    assert_error(await api.post(url, json=[60], headers=key), 422, "payload_not_object")
    assert_error(await api.post(url, json={"seconds": 10**6}, headers=key), 422, "timer_out_of_range")
    await act(api, created, voting["step"], "close")
    body = assert_error(await api.post(url, json={"seconds": 60, "close_step": True}, headers=key),
                        409, "timer_close_needs_open_step")
    assert body["detail"] == {"step": 1}


async def test_a_client_that_logged_in_before_is_not_locked_out_by_a_guesser(api: httpx.AsyncClient) -> None:
    """The login answer sets an HttpOnly device cookie for ``/api/v1/login``; with it, a client's
    login survives eight wrong passwords from its address (someone else's)."""
    first = await api.post("/api/v1/login", json={"password": PASSWORD})
    cookie = first.headers["set-cookie"]
    assert cookie.startswith("koffer_device=") and "HttpOnly" in cookie and "Path=/api/v1/login" in cookie
    mark = first.cookies["koffer_device"]
    api.cookies.clear()
    for _ in range(8):  # the guesser: same address, no cookie
        assert_error(await api.post("/api/v1/login", json={"password": "rate"}), 403, "wrong_password")
    assert_error(await api.post("/api/v1/login", json={"password": PASSWORD}), 429, "too_many_attempts")
    again = await api.post("/api/v1/login", json={"password": PASSWORD}, cookies={"koffer_device": mark})
    assert again.status_code == 200 and "set-cookie" not in again.headers
