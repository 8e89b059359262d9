"""Bits every page shares: error notifications, the countdown script, device tokens, styles."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from nicegui import app, events, ui
from starlette.requests import Request

from app.i18n import error_text
from app.problems import describe_all
from facilitation.snapshots import Timer
from methods.errors import KofferError

T = TypeVar("T")

# A tiny client-side countdown: the server sets data-deadline (epoch ms) once, the browser ticks.
# Ticking on the server would send hundreds of websocket messages per second to a full room. At
# zero the label says data-timeup ("Zeit ist um") in the over-colour instead of a lasting 0:00;
# it goes when the server takes the deadline away (another step, the step closed, timer stopped).
COUNTDOWN_JS = """
<script>
window.kofferSkew = __NOW__ - Date.now();
setInterval(function () {
  document.querySelectorAll('[data-deadline]').forEach(function (el) {
    var end = parseInt(el.getAttribute('data-deadline') || '0', 10);
    if (!end) { el.textContent = ''; el.style.display = 'none'; el.classList.remove('koffer-timeup'); return; }
    var left = Math.max(0, Math.ceil((end - Date.now() - window.kofferSkew) / 1000));
    el.style.display = '';
    if (left > 0) {
      var m = Math.floor(left / 60), s = left % 60;
      el.textContent = m + ':' + (s < 10 ? '0' : '') + s;
      el.classList.remove('koffer-timeup');
    } else {
      el.textContent = el.getAttribute('data-timeup') || '0:00';
      el.classList.add('koffer-timeup');
    }
  });
}, 500);
</script>
<style>
/* Unlayered, without !important: beats the framework's layered colours; the label must not
   carry Quasar's text-primary, whose !important in a cascade layer no unlayered rule can beat */
[data-deadline] { color: var(--q-primary); }
[data-deadline].koffer-timeup { color: #c62828; animation: koffer-timeup 1.2s ease-in-out 3; }
@keyframes koffer-timeup { 50% { opacity: .35; } }
body { -webkit-text-size-adjust: 100%; }
</style>
"""

# Colours with enough contrast for a washed-out beamer and a phone in daylight. Set as CSS
# variables in the head rather than with ui.colors: an element per page costs server memory on
# every one of hundreds of phones.
THEME_CSS = """<style>
body { --q-primary: #1d4f91 !important; --q-secondary: #455a64 !important;
       --q-positive: #2e7d32 !important; --q-negative: #c62828 !important; }
</style>"""
PHONE_CSS = """<style>
.nicegui-content { max-width: 36rem; margin: 0 auto; padding: 1rem; gap: 1rem; }
/* "waiting" breathes instead of a spinner element: one element less on every phone */
.koffer-waiting { animation: koffer-breathe 2.4s ease-in-out infinite; }
@keyframes koffer-breathe { 50% { opacity: .45; } }
/* a new pair to compare slides in: the eye sees that the cards changed after a tap */
.koffer-arrive { animation: koffer-arrive .2s ease-out; }
@keyframes koffer-arrive { from { opacity: .15; transform: translateY(8px); } }
@media (prefers-reduced-motion: reduce) { .koffer-waiting, .koffer-arrive { animation: none; } }
</style>"""


def file_button(label: str, icon: str, accept: str, max_bytes: int,
                on_upload: Callable[[events.UploadEventArguments], Any], marker: str) -> ui.upload:
    """A plain button that opens the file picker: the uploader's own list ("0.0B / 0.00%",
    "✓ 100 %") stays hidden, and what happened is said in words by ``on_upload``'s notification.
    The size limit and the content checks stay on the server."""
    upload = ui.upload(auto_upload=True, max_file_size=max_bytes, on_upload=on_upload) \
        .props(f'accept="{accept}"').classes("hidden").mark(f"{marker}-input")
    ui.button(label, icon=icon, on_click=lambda: upload.run_method("pickFiles")) \
        .props("outline").mark(marker)
    return upload


def theme() -> None:
    ui.add_head_html(THEME_CSS)


def add_countdown() -> None:
    theme()
    ui.add_head_html(COUNTDOWN_JS.replace("__NOW__", str(int(time.time() * 1000))))


def deadline_ms(ends_at: datetime | None) -> int:
    if ends_at is None:
        return 0
    return int(ends_at.replace(tzinfo=UTC).timestamp() * 1000)


def timer_deadline(timer: Timer | None) -> int:
    """``data-deadline`` for the step on screen: 0 (nothing shown) when it has no timer."""
    return deadline_ms(timer.ends_at if timer is not None else None)


def guarded(lang: str, action: Callable[[], T]) -> T | None:
    """Run a facilitation command; show its refusal as a translated notification."""
    try:
        return action()
    except KofferError as exc:
        # the reasons in plain words too ("Einträge: hat zu wenige Einträge (mindestens 2)"),
        # not only "Die Einstellungen enthalten Fehler."
        details = describe_all(exc, lang)
        ui.notify(" ".join([error_text(exc, lang), *details]), type="negative", position="top", multi_line=True)
        return None


def device_token(session_id: int) -> str:
    """Per-session participant token derived from the browser's random storage id."""
    browser_id = str(app.storage.browser.get("id", ""))
    return hashlib.sha256(f"device:{browser_id}:{session_id}".encode()).hexdigest()


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
