"""The moderator's view of who is in the room (the console's "Teilnehmende" dialog).

The head count beside the expected number of people (flagged when more phones joined than people
are in the room), "Beitritt schließen/öffnen", the phones waiting for an OK, everyone who joined
with an "Entfernen" per row (asked first: their inputs stop counting everywhere), and the printed
voting cards. Rebuilt when opened and after each action; the count in the console's head line is
updated in place by every delivery.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from nicegui import ui

from app.filenames import download_name
from app.i18n import error_text, t, translator
from app.pages.common import guarded
from app.runtime import runtime
from facilitation import admission, cards, context, organize
from facilitation.admission import RosterEntry
from facilitation.snapshots import Admission, LiveState, ParticipantStatus, SessionInfo
from methods.errors import KofferError

SHOWN_ROWS = 60
"""Rows listed at once (newest first, where a burst of joins shows up); the filter finds the rest."""


def heads(state: LiveState, lang: str) -> tuple[str, bool]:
    """The head line's count and whether it is flagged (more joined than people expected)."""
    n, expected = state.participants, state.session.head_count
    if expected is None:
        text = t("console.heads", lang, n=n)
    elif n > expected:
        text = t("console.heads_over", lang, n=n, expected=expected)
    else:
        text = t("console.heads_of", lang, n=n, expected=expected)
    if state.waiting:
        text += " · " + t("console.waiting", lang, n=len(state.waiting))
    return text, expected is not None and n > expected


def admission_note(session: SessionInfo, lang: str) -> str:
    """Under the QR code: how people get in right now ("" while the code admits everyone)."""
    if session.admission == Admission.CARDS:
        return t("console.join_cards", lang)
    return t("console.join_closed", lang) if session.joining_closed else ""


def card_url(token: str) -> str:
    return f"{runtime.base_url()}/k/{token}"


class RoomDialog:
    """``allowed()`` is asked before every action (the console's link may have been replaced)."""

    def __init__(self, session_id: int, lang: str, allowed: Callable[[], bool]) -> None:
        self.ctx = context.current()
        self.session_id = session_id
        self.lang = lang
        self.allowed = allowed
        self.filter = ""
        with ui.dialog(value=True) as self.dialog, \
                ui.card().classes("gap-3").style("width: 56rem; max-width: 96vw").mark("room-dialog"):
            self.box = ui.column().classes("w-full gap-3")
        self.render()

    def _act(self, action: Callable[[], object], done: str = "") -> None:
        if not self.allowed():
            self.dialog.close()
            return
        if guarded(self.lang, action) is not None and done:
            ui.notify(done, type="positive")
        self.render()

    def render(self) -> None:
        info = organize.get_session(self.ctx, self.session_id)
        everyone = admission.roster(self.ctx, self.session_id)
        self.box.clear()
        with self.box:
            ui.label(t("room.title", self.lang)).classes("text-2xl font-semibold")
            self._settings(info, sum(1 for r in everyone if r.status == ParticipantStatus.IN))
            waiting = [r for r in everyone if r.status == ParticipantStatus.WAITING]
            if waiting:
                self._waiting(waiting)
            self._people([r for r in everyone if r.status != ParticipantStatus.WAITING])
            self._cards(info)
            ui.button(t("links.close", self.lang), on_click=self.dialog.close).props("flat").classes("self-end")

    # --- head count and the door ---------------------------------------------------------------
    def _settings(self, info: SessionInfo, joined: int) -> None:
        lang = self.lang
        with ui.row().classes("w-full items-center gap-4"):
            expected = ui.number(t("room.head_count", lang), value=info.head_count, min=1, step=1, precision=0) \
                .props("outlined dense clearable").classes("w-48").mark("head-count")
            ui.button(t("room.head_count_save", lang), on_click=lambda: self._act(
                lambda: admission.set_admission(self.ctx, self.session_id,
                                                head_count=int(expected.value) if expected.value else None),
                t("edit.saved", lang))).props("outline").mark("head-count-save")
            ui.label(t("room.level", lang, level=t(f"admission.{info.admission}", lang))).classes("text-gray-700 grow")
            if info.admission != Admission.CARDS:
                closed = info.joining_closed
                ui.button(t("room.open_joining" if closed else "room.close_joining", lang),
                          icon="lock_open" if closed else "lock",
                          on_click=lambda: self._act(lambda: admission.set_admission(
                              self.ctx, self.session_id, closed=not closed))) \
                    .props(f"unelevated color={'positive' if closed else 'negative'}").mark("toggle-joining")
        if info.head_count is not None and joined > info.head_count:
            ui.label(t("room.over", lang, n=joined, expected=info.head_count)) \
                .classes("text-lg text-red-800 font-medium").mark("room-over")

    def _waiting(self, waiting: list[RosterEntry]) -> None:
        lang = self.lang
        with ui.row().classes("w-full items-center"):
            ui.label(t("room.waiting_title", lang, n=len(waiting))).classes("text-xl font-semibold grow")
            ui.button(t("room.admit_all", lang), icon="done_all", on_click=lambda: self._act(
                lambda: admission.admit_all(self.ctx, self.session_id))).props("outline").mark("admit-all")
        for entry in waiting:
            with ui.row().classes("w-full items-center gap-3 no-wrap").mark(f"waiting-{entry.number}"):
                ui.label(self._who(entry)).classes("text-lg grow")
                ui.button(t("room.admit", lang), icon="check", on_click=lambda e=entry: self._act(
                    lambda: admission.admit(self.ctx, self.session_id, e.id))) \
                    .props("unelevated color=positive").mark(f"admit-{entry.number}")
                ui.button(t("room.turn_away", lang), on_click=lambda e=entry: self._act(
                    lambda: admission.remove(self.ctx, self.session_id, e.id))) \
                    .props("flat color=negative").mark(f"turn-away-{entry.number}")

    def _who(self, entry: RosterEntry) -> str:
        parts = [t("room.number", self.lang, n=entry.number)]
        if entry.name:
            parts.append(entry.name)
        if entry.card is not None:
            parts.append(t("room.card", self.lang, n=entry.card))
        parts.append(t("room.since", self.lang, at=entry.joined_at.strftime("%H:%M:%S")))
        return " · ".join(parts)

    # --- everyone who joined ---------------------------------------------------------------------
    def _people(self, people: list[RosterEntry]) -> None:
        lang = self.lang
        with ui.row().classes("w-full items-center"):
            ui.label(t("room.people_title", lang, n=sum(1 for p in people if p.status == ParticipantStatus.IN))) \
                .classes("text-xl font-semibold grow")
            search = ui.input(t("room.filter", lang), value=self.filter).props("outlined dense clearable") \
                .classes("w-64").mark("room-filter")

            def filtered() -> None:
                self.filter = str(search.value or "")
                self.render()

            search.on("keydown.enter", filtered)
            search.on("clear", filtered)
        needle = self.filter.strip().lower()
        shown = [p for p in reversed(people)
                 if not needle or needle == str(p.number) or needle in (p.name or "").lower()]
        ui.label(t("room.people_hint", lang)).classes("text-gray-600")
        with ui.column().classes("w-full gap-1"):
            for entry in shown[:SHOWN_ROWS]:
                removed = entry.status == ParticipantStatus.REMOVED
                with ui.row().classes("w-full items-center gap-3 no-wrap").mark(f"person-{entry.number}"):
                    ui.label(self._who(entry)).classes("grow " + ("line-through text-gray-500" if removed else ""))
                    ui.label(t("room.inputs", lang, n=entry.inputs)).classes("text-gray-700")
                    if removed:
                        ui.label(t("room.removed", lang)).classes("text-gray-600 w-28")
                    else:
                        ui.button(t("room.remove", lang), icon="person_remove",
                                  on_click=lambda e=entry: self._confirm_remove(e)) \
                            .props("flat color=negative").classes("w-28").mark(f"remove-{entry.number}")
        if len(shown) > SHOWN_ROWS:
            ui.label(t("room.more", lang, n=len(shown) - SHOWN_ROWS)).classes("text-gray-600")

    def _confirm_remove(self, entry: RosterEntry) -> None:
        lang = self.lang
        with ui.dialog(value=True) as confirm, ui.card().style("max-width: 40rem"):
            ui.label(t("room.remove_confirm", lang, who=self._who(entry), n=entry.inputs)).classes("text-lg")

            def removed() -> None:
                confirm.close()
                self._act(lambda: admission.remove(self.ctx, self.session_id, entry.id),
                          t("room.removed_done", lang, n=entry.number))

            with ui.row().classes("w-full justify-end"):
                ui.button(t("console.cancel", lang), on_click=confirm.close).props("flat")
                ui.button(t("room.remove", lang), on_click=removed).props("unelevated color=negative") \
                    .mark("remove-confirm")

    # --- voting cards ---------------------------------------------------------------------------
    def _cards(self, info: SessionInfo) -> None:
        lang = self.lang
        made, used = cards.issued(self.ctx, self.session_id)
        ui.label(t("room.cards_title", lang)).classes("text-xl font-semibold")
        ui.label(t("room.cards_hint", lang) + (" " + t("room.cards_made", lang, made=made, used=used) if made else "")) \
            .classes("text-gray-700").mark("cards-made")
        with ui.row().classes("items-center gap-3"):
            count = ui.number(t("room.cards_count", lang), value=max(made, info.head_count or 0) or 30,
                              min=1, max=cards.MAX_CARDS, step=1, precision=0) \
                .props("outlined dense").classes("w-48").mark("cards-count")

            async def download() -> None:
                if not self.allowed():
                    return
                n = int(count.value or 0)
                try:  # a thousand QR codes take a moment: not on the event loop
                    pdf = await asyncio.to_thread(cards.sheet_pdf, self.ctx, self.session_id, n, card_url,
                                                  translator(info.language))
                except KofferError as exc:
                    ui.notify(error_text(exc, lang), type="negative", position="top")
                    return
                ui.download.content(pdf, download_name(t("cards.file", lang), info.title, info.date, "pdf"),
                                    "application/pdf")
                self.render()

            ui.button(t("room.cards_pdf", lang), icon="print", on_click=download).props("outline").mark("cards-pdf")
