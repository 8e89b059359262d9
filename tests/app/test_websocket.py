"""The server's websocket implementation (app/websocket.py)."""

from __future__ import annotations

import pytest
import uvicorn
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from uvicorn.protocols.websockets.wsproto_impl import WSProtocol

from app import websocket


async def _app(scope: object, receive: object, send: object) -> None:
    """An ASGI app for the config; never called."""


def _nicegui_config() -> uvicorn.Config:
    """What NiceGUI's ``ui.run`` builds: wsproto, loaded when the server starts."""
    config = uvicorn.Config(_app, ws="wsproto", lifespan="off")
    config.load()
    return config


def test_the_server_takes_websockets_sans_io_parser_instead_of_wsproto(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(websocket.ENV, raising=False)
    config = _nicegui_config()
    assert config.ws_protocol_class is WSProtocol
    assert websocket.choose(config) == "websockets-sansio"
    assert config.ws_protocol_class is WebSocketsSansIOProtocol


def test_wsproto_stays_when_the_room_asks_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(websocket.ENV, "wsproto")
    config = _nicegui_config()
    assert websocket.choose(config) == "wsproto"
    assert config.ws_protocol_class is WSProtocol


def test_an_unknown_choice_is_said_and_changes_nothing(monkeypatch: pytest.MonkeyPatch,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv(websocket.ENV, "websockets.legacy")
    config = _nicegui_config()
    assert websocket.choose(config) == "wsproto"
    assert config.ws_protocol_class is WSProtocol
    assert "KOFFER_WEBSOCKETS" in caplog.text


def test_without_a_started_server_nothing_is_chosen() -> None:
    assert websocket.choose(None) is None
    assert websocket.choose(uvicorn.Config(_app)) is None  # not loaded: no server started it
