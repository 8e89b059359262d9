"""A session's links where people need them: shown with a copy button, opened, handed on.

The keys are derived on the server (``facilitation.access.current_keys``), so showing a link
never changes it; only "Beamer-Link ersetzen" on the console does (with a confirmation).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from nicegui import ui

from app.i18n import t
from app.pages.auth import is_organizer
from app.qr import scan_url, svg_data_url
from app.runtime import runtime
from facilitation import access, context, organize

# Copies in the click's own browser task. ``navigator.clipboard`` exists only in secure contexts
# (https, localhost), and a room laptop is usually reached over plain http on the LAN, so the
# old ``execCommand('copy')`` route is the fallback. Returns whether the text was copied.
COPY_JS = """/*koffer-copy*/ const text = %s;
return (async () => {
  try {
    if (navigator.clipboard && window.isSecureContext) { await navigator.clipboard.writeText(text); return true; }
  } catch (e) { /* fall back below */ }
  const area = document.createElement('textarea');
  area.value = text; area.setAttribute('readonly', ''); area.style.position = 'fixed'; area.style.opacity = '0';
  document.body.appendChild(area); area.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
  area.remove();
  return ok;
})();"""


def console_url(session_id: int, key: str) -> str:
    return f"{runtime.base_url()}/s/{session_id}/console?key={key}"


def projector_url(session_id: int, key: str) -> str:
    return f"{runtime.base_url()}/s/{session_id}/screen?key={key}"


async def copy(text: str, lang: str) -> None:
    """Copy ``text`` in the browser and say whether it worked ("Kopiert")."""
    try:
        ok = await ui.run_javascript(COPY_JS % json.dumps(text), timeout=3)
    except TimeoutError:
        ok = False
    if ok:
        ui.notify(t("links.copied", lang), type="positive")
    else:
        ui.notify(t("links.copy_failed", lang), type="warning")


def copy_button(text: str, lang: str, mark: str) -> ui.button:
    async def clicked() -> None:
        await copy(text, lang)

    return ui.button(icon="content_copy", on_click=clicked).props("flat round dense") \
        .tooltip(t("links.copy", lang)).mark(mark)


def link_row(label: str, url: str, lang: str, mark: str) -> None:
    """A labelled link that opens in a new tab, with its copy button."""
    ui.label(label).classes("font-medium mt-2")
    with ui.row().classes("w-full items-center no-wrap gap-2"):
        ui.link(url, url, new_tab=True).classes("font-mono break-all grow").mark(mark)
        copy_button(url, lang, f"copy-{mark}")


def share_dialog(session_id: int, lang: str, title_key: str = "links.title") -> ui.dialog:
    """Console, projector and join link (+ code + QR), each with a copy button."""
    ctx = context.current()
    keys = access.current_keys(ctx, session_id)
    info = organize.get_session(ctx, session_id)
    join = scan_url(info.join_code)
    with ui.dialog(value=True) as dialog, ui.card().classes("min-w-[640px]").mark("links-dialog"):
        ui.label(t(title_key, lang)).classes("text-xl font-semibold")
        ui.label(info.title).classes("text-gray-700")
        ui.label(t("links.hint", lang)).classes("text-gray-600")
        console_box = ui.column().classes("w-full gap-0")
        projector_box = ui.column().classes("w-full gap-0")

        def show(moderator: str, projector: str) -> None:
            console_box.clear()
            with console_box:
                link_row(t("links.console", lang), console_url(session_id, moderator), lang, "moderator-link")
            projector_box.clear()
            with projector_box:
                link_row(t("links.projector", lang), projector_url(session_id, projector), lang, "projector-link")

        show(keys.moderator, keys.projector)
        if is_organizer():  # the office re-issues a link (the old one stops at once)
            replace_links(session_id, lang, show)
        link_row(t("links.join", lang), join, lang, "join-link")
        with ui.row().classes("w-full items-center gap-4"):
            ui.image(svg_data_url(join)).style("width: 10rem; height: 10rem").mark("join-qr")
            with ui.column().classes("gap-1"):
                ui.label(t("links.code", lang)).classes("text-gray-600")
                with ui.row().classes("items-center gap-2"):
                    ui.label(info.join_code).classes("text-4xl font-mono font-bold tracking-widest") \
                        .mark("join-code")
                    copy_button(info.join_code, lang, "copy-join-code")
        ui.button(t("links.close", lang), on_click=dialog.close).props("flat").classes("self-end") \
            .mark("links-close")
    return dialog


def replace_links(session_id: int, lang: str, show: Callable[[str, str], None]) -> None:
    """"Konsolen-Link ersetzen" / "Beamer-Link ersetzen", each asked first: the old link stops at
    once and a console or beamer open on it is told and stops (``ConsoleLive._revoke``)."""
    ctx = context.current()

    def replace(moderator: bool) -> None:
        def confirmed() -> None:
            confirm.close()
            if not is_organizer():
                return
            if moderator:
                access.replace_moderator_key(ctx, session_id)
            else:
                access.replace_projector_key(ctx, session_id)
            keys = access.current_keys(ctx, session_id)
            show(keys.moderator, keys.projector)
            ui.notify(t("links.console_replaced" if moderator else "console.screen_replaced", lang), type="warning")

        question = "links.console_replace_confirm" if moderator else "console.screen_replace_confirm"
        with ui.dialog(value=True) as confirm, ui.card().style("max-width: 40rem"):
            ui.label(t(question, lang)).classes("text-lg")
            with ui.row().classes("w-full justify-end"):
                ui.button(t("console.cancel", lang), on_click=confirm.close).props("flat")
                ui.button(t("links.replace", lang), on_click=confirmed).props("color=negative") \
                    .mark("replace-confirm")

    with ui.row().classes("gap-2"):
        ui.button(t("links.console_replace", lang), icon="autorenew", on_click=lambda: replace(True)) \
            .props("flat color=negative").mark("replace-console")
        ui.button(t("console.screen_replace", lang), icon="autorenew", on_click=lambda: replace(False)) \
            .props("flat color=negative").mark("replace-projector")


def session_buttons(session_id: int, lang: str) -> None:
    """"Konsole öffnen", "Beamer öffnen", "Links weitergeben" for one session (organizer pages).

    The console and projector open with their keys, so they keep working on a reload after the
    office's login has expired."""

    def open_console() -> None:  # relative: the same address the office is using right now
        keys = access.current_keys(context.current(), session_id)
        ui.navigate.to(f"/s/{session_id}/console?key={keys.moderator}", new_tab=True)

    def open_projector() -> None:
        keys = access.current_keys(context.current(), session_id)
        ui.navigate.to(f"/s/{session_id}/screen?key={keys.projector}", new_tab=True)

    ui.button(t("links.open_console", lang), icon="co_present", on_click=open_console) \
        .props("flat dense").mark(f"open-console-{session_id}")
    ui.button(t("links.open_projector", lang), icon="cast", on_click=open_projector) \
        .props("flat dense").mark(f"open-projector-{session_id}")
    ui.button(t("links.share", lang), icon="share", on_click=lambda: share_dialog(session_id, lang)) \
        .props("flat dense").mark(f"share-{session_id}")
