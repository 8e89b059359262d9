"""Security by default: headers, body caps, keyed pages."""

from __future__ import annotations

from nicegui.testing import User

from facilitation import agenda, context, organize


async def test_security_headers_on_pages_and_api(user: User) -> None:
    for path in ("/", "/api/v1/sessions/1", "/j/NOPE42", "/docs"):
        r = await user.http_client.get(path)
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["Referrer-Policy"] == "no-referrer"
        assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
        assert r.headers["X-Frame-Options"] == "DENY"


async def test_oversized_body_is_refused_before_reading(user: User) -> None:
    r = await user.http_client.post("/api/v1/join", content=b"x" * 100, headers={"Content-Length": str(50 * 1024 * 1024)})
    assert r.status_code == 413
    assert r.json()["error"] == "payload_too_large"
    assert r.headers["X-Content-Type-Options"] == "nosniff"  # the refusal is hardened too


async def test_edit_page_needs_key_or_login(user: User) -> None:
    created = organize.create_session(context.current(), agenda.parse({"title": "Geheim", "steps": []}))
    await user.open(f"/s/{created.session.id}/edit?key=falsch")
    await user.should_see("Anmeldung Geschäftsstelle")
    await user.open(f"/s/{created.session.id}/edit?key={created.moderator_key}")
    await user.should_see("Sitzung vorbereiten")


def test_login_redirect_stays_on_this_server() -> None:
    from app.pages.index import _safe_next

    assert _safe_next("/s/3/edit?key=abc") == "/s/3/edit?key=abc"
    for evil in ("//evil.example", "/\\evil.example", "/\t/evil.example", "https://evil.example", "/%0a//x\\y"):
        assert _safe_next(evil) == "/archive", evil


async def test_a_wrong_key_does_not_reveal_which_sessions_exist(user: User) -> None:
    created = organize.create_session(context.current(), agenda.parse({"title": "Da", "steps": []}))
    junk = {"Authorization": "Bearer junk"}
    existing = await user.http_client.get(f"/api/v1/sessions/{created.session.id}", headers=junk)
    missing = await user.http_client.get("/api/v1/sessions/999", headers=junk)
    assert existing.status_code == missing.status_code == 403


def test_setting_up_the_app_again_does_not_stack_the_404_handler() -> None:
    """Every test sets the app up again; the 404 page wraps NiceGUI's handler once, not itself
    (a stack of wrappers overflowed the call stack after a few hundred tests)."""
    from fastapi import FastAPI

    from app import notfound

    app = FastAPI()

    async def original(request, exc):  # type: ignore[no-untyped-def]
        return None

    app.exception_handlers[404] = original
    notfound.install(app)
    first = app.exception_handlers[404]
    notfound.install(app)
    assert app.exception_handlers[404].wrapped is original and first.wrapped is original  # type: ignore[attr-defined]


def test_setting_up_the_api_again_does_not_nest_the_lifespan() -> None:
    """Including the API's routers leaves the app's start-up as it was (FastAPI would add a
    layer per router and per setup: after a few hundred test apps the start-up overflowed)."""
    from fastapi import FastAPI

    from app import api

    app = FastAPI()
    before = app.router.lifespan_context
    api.install(app)
    api.install(app)
    assert app.router.lifespan_context is before
