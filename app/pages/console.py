"""The projected console (``/s/{id}/console``) and the read-only projector (``/s/{id}/screen``).

Readable from the back of the room: few words, big type, high contrast. The moderator drives the
agenda with one click per phase; the projector link shows the same without controls.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any

from nicegui import app, events, ui
from nicegui.events import KeyEventArguments
from starlette.requests import Request
from starlette.responses import Response

from app.filenames import download_name
from app.i18n import error_text, t, translator
from app.pages import keys, links, room
from app.pages.auth import check_console
from app.pages.common import add_countdown, file_button, guarded, timer_deadline
from app.pages.room import RoomDialog
from app.qr import scan_url, svg_data_url
from app.runtime import runtime
from app.views import views
from app.views.base import ConsoleView
from app.views.commands import buttons as command_buttons
from facilitation import access, commands, context, hub, lifecycle, live, photos, protocol
from facilitation.context import Context
from facilitation.snapshots import LiveState, SessionState, StepState, StoredInput
from methods import registry
from methods.errors import KofferError, NotAllowed

TIMER_MINUTES = (1, 2, 3, 5, 10, 15)


class ConsoleLive:
    def __init__(self, session_id: int, key: str, moderator: bool, by_key: bool = True) -> None:
        self.ctx = context.current()
        self.session_id = session_id
        self.key = key
        self.moderator = moderator
        self.by_key = by_key
        """Opened with the link's key (which can be replaced), not by the office's login."""
        self.client = ui.context.client
        state = live.build_state(self.ctx, session_id)
        self.key_versions = state.session.key_versions
        self.revoked = False
        self.lang = state.session.language
        self.signature: tuple[int, int, str] | None = None
        self.view: ConsoleView | None = None
        lang = self.lang
        with ui.row().classes("w-full items-center no-wrap gap-6 px-2"):
            self.session_title = ui.label("").classes("text-2xl font-semibold text-gray-700 grow").mark("session-title")
            self.timer = ui.label("").classes("text-5xl font-bold") \
                .props(f'data-timeup="{t("timer.up", lang)}"').mark("timer")
            self.heads = ui.label("").classes("text-2xl font-semibold text-gray-800").mark("heads")
            self.heads_flagged: bool | None = None
            if moderator:  # the count opens who is in the room
                self.heads.classes("cursor-pointer").on("click", self._room)
        with ui.row().classes("w-full no-wrap gap-6 grow items-stretch relative"):
            with ui.column().classes("grow gap-3 min-w-0"):
                with ui.column().classes("w-full gap-3") as self.heading:
                    self.position = ui.label("").classes("text-xl text-gray-500").mark("position")
                    self.step_title = ui.label("").classes("text-5xl font-bold leading-tight").mark("step-title")
                    self.step_state = ui.label("").classes("text-xl font-medium").mark("step-state")
                self.body = ui.column().classes("w-full gap-3")
            # while a result is shown, the QR code shrinks into the top right corner (still there
            # for late joiners, with the code) and the result gets the whole width
            self.qr_compact: bool | None = None
            with ui.column().mark("qr-panel") as self.qr_panel:
                self.qr = ui.image(svg_data_url(scan_url(state.session.join_code))).mark("qr")
                self.join_at = ui.label(t("console.join_at", lang)).classes("text-lg text-gray-600")
                self.join_url = ui.label("").classes("text-xl font-medium text-center break-all leading-snug") \
                    .mark("join-url")  # ≥ 28 px at 1080p, not a small monospace line
                self.code = ui.label("").mark("join-code")
                self.admission = ui.label("").classes("text-xl font-medium text-center text-red-800") \
                    .mark("admission-note")
                self.qr_extras: list[ui.element] = []
                if not runtime.reachable:
                    self.qr_extras.append(
                        ui.label(t("console.lan_warning", lang)).classes("text-sm text-red-700 text-center"))
                if moderator and len(runtime.lan) > 1 and not runtime.public_url:
                    self.qr_extras.append(
                        ui.select(runtime.lan, value=runtime.chosen_lan or runtime.lan[0],
                                  label=t("console.lan_pick", lang), on_change=self._pick_lan).classes("w-full"))
        if moderator:
            self._controls()
        self.unbuilt = False  # the step changed: its view is made after the phones were told
        self.apply(state)
        self.build_view(state)
        # the count and the heading first (the moderator waits for them); building the view of a
        # step that was just opened waits until every phone has been told (docs/performance.md)
        self.subscriptions = [self.ctx.hub.subscribe(session_id, self.apply, priority=hub.FIRST, motion=self.moved,
                                                     news=self.news),
                              self.ctx.hub.subscribe(session_id, self.build_view, priority=hub.AFTER_PHONES)]
        for subscription in self.subscriptions:
            ui.context.client.on_delete(subscription.cancel)

    # --- the link's key: checked on every command, and when the office replaced it ------------
    def _allowed(self) -> bool:
        """Whether this console's link still opens it; stops the console when not."""
        if self.revoked:
            return False
        if not self.by_key:
            return True
        check = access.check_moderator if self.moderator else access.check_projector
        try:
            check(self.ctx, self.session_id, self.key)
        except KofferError:
            self._revoke()
            return False
        return True

    def _revoke(self) -> None:
        """The link was replaced: no more updates or commands; the page says so (a reload with
        the old key in the cookie shows "Link ersetzt")."""
        self.revoked = True
        for subscription in self.subscriptions:
            subscription.cancel()
        page = "console" if self.moderator else "screen"
        with self.client:
            ui.navigate.to(f"/s/{self.session_id}/{page}?replaced=1")

    def _room(self) -> None:
        if self._allowed():
            RoomDialog(self.session_id, self.lang, self._allowed)

    # --- controls -------------------------------------------------------------------------
    def _controls(self) -> None:
        lang = self.lang
        with ui.footer().classes("bg-white text-black border-t px-4 py-2"), \
                ui.row().classes("w-full items-center gap-2"):
            ui.button(t("console.btn.prev", lang), icon="chevron_left", on_click=lambda: self._do(
                lambda: lifecycle.move(self.ctx, self.session_id, -1))).props("outline").mark("prev")
            self.btn_open = ui.button(t("console.btn.open", lang), icon="play_arrow", on_click=self._open) \
                .props("unelevated color=positive").mark("open")
            self.btn_close = ui.button(t("console.btn.close", lang), icon="stop", on_click=lambda: self._step(
                lifecycle.close_step)).props("unelevated color=negative").mark("close")
            self.btn_reveal = ui.button(t("console.btn.reveal", lang), icon="visibility", on_click=lambda: self._step(
                lifecycle.reveal)).props("unelevated color=primary").mark("reveal")
            self.btn_hide = ui.button(t("console.btn.hide", lang), icon="visibility_off", on_click=lambda: self._step(
                lifecycle.hide)).props("outline").mark("hide")
            ui.button(t("console.btn.next", lang), icon="chevron_right", on_click=self._next) \
                .props("outline").mark("next")
            # the current method's own commands (pin, freeze, merge …), from their declaration
            self.commands_row = ui.row().classes("items-center gap-2").mark("method-commands")
            self._commands_for: tuple[int, StepState, int, SessionState, tuple[str, ...]] | None = None
            ui.space()
            # secondary tools as icons with tooltips, so the bar stays one row at 1280 px
            with ui.button(icon="timer").props(f'flat round aria-label="{t("console.btn.timer", lang)}"').tooltip(t("console.btn.timer", lang)).mark("timer-menu"):
                with ui.menu():
                    # checked before picking the minutes: the step closes itself at zero
                    self.timer_closes = ui.switch(t("console.timer_closes", lang)).classes("px-3") \
                        .mark("timer-closes")
                    for minutes in TIMER_MINUTES:
                        ui.menu_item(f"{minutes} min", on_click=lambda m=minutes: self._do(
                            lambda: lifecycle.set_timer(self.ctx, self.session_id, m * 60,
                                                        close_step=bool(self.timer_closes.value)))) \
                            .mark(f"timer-{minutes}")
                    ui.menu_item(t("console.btn.timer_stop", lang), on_click=lambda: self._do(
                        lambda: lifecycle.set_timer(self.ctx, self.session_id, None))).mark("timer-stop")
            ui.button(icon="groups", on_click=self._room) \
                .props(f'flat round aria-label="{t("console.btn.room", lang)}"').tooltip(t("console.btn.room", lang)).mark("room")
            ui.button(icon="qr_code", on_click=lambda: self.qr_panel.set_visibility(not self.qr_panel.visible)) \
                .props(f'flat round aria-label="{t("console.btn.qr", lang)}"').tooltip(t("console.btn.qr", lang)).mark("toggle-qr")
            ui.button(icon="photo_camera", on_click=self._photo_dialog) \
                .props(f'flat round aria-label="{t("console.btn.photo", lang)}"').tooltip(t("console.btn.photo", lang)).mark("photo")
            self.btn_protocol = ui.button(icon="picture_as_pdf", on_click=self._download_protocol) \
                .props(f'flat round aria-label="{t("console.btn.protocol", lang)}"').tooltip(t("console.btn.protocol", lang)).mark("protocol")
            ui.button(icon="cast", on_click=self._projector_link) \
                .props(f'flat round aria-label="{t("console.btn.screen", lang)}"').tooltip(t("console.btn.screen", lang)).mark("projector-link")
            # beside the console (a new tab), never instead of it: the room keeps its screen
            ui.button(icon="edit_note", on_click=lambda: ui.navigate.to(f"/s/{self.session_id}/edit",
                                                                        new_tab=True)) \
                .props(f'flat round aria-label="{t("console.btn.edit", lang)}"').tooltip(t("console.btn.edit", lang)).mark("edit")
            self.btn_end = ui.button(icon="flag", on_click=self._confirm_end) \
                .props(f'flat round color=negative aria-label="{t("console.btn.end", lang)}"').tooltip(t("console.btn.end", lang)).mark("end")
            self.btn_resume = ui.button(icon="replay", on_click=lambda: self._do(
                lambda: lifecycle.reopen_session(self.ctx, self.session_id))) \
                .props(f'flat round aria-label="{t("console.btn.resume", lang)}"').tooltip(t("console.btn.resume", lang)).mark("resume")
            ui.button(icon="help_outline", on_click=self._help).props(f'flat round aria-label="{t("console.btn.help", lang)}"') \
                .tooltip(t("console.btn.help", lang)).mark("help")
        # a presenter clicker sends PageDown/PageUp (or arrows, Space): the room is driven from
        # anywhere without the laptop; typing in a field is never taken as a command
        ui.keyboard(on_key=self._key, ignore=["input", "select", "button", "textarea"])
        if not app.storage.user.get("console_hint_seen"):
            with ui.row().classes("w-full items-center gap-3 bg-blue-50 px-3 py-2 rounded") as hint:
                ui.icon("lightbulb").classes("text-primary text-2xl")
                ui.label(t("console.hint", lang)).classes("text-base grow")

                def seen() -> None:
                    app.storage.user["console_hint_seen"] = True
                    hint.delete()

                ui.button(t("console.hint_ok", lang), on_click=seen).props("flat").mark("hint-ok")

    # --- the next thing to do: buttons, clicker and keys ------------------------------------
    def _key(self, e: KeyEventArguments) -> None:
        if not e.action.keydown or e.action.repeat:
            return
        if e.key.arrow_right or e.key.page_down or e.key.space:
            self._advance()
        elif e.key.arrow_left or e.key.page_up:
            self._do(lambda: lifecycle.move(self.ctx, self.session_id, -1))

    def _advance(self) -> None:
        """One click per phase: open → close → reveal → next step (never past an open vote)."""
        state = live.build_state(self.ctx, self.session_id)
        step = state.step
        if step is None or state.session.state == SessionState.ENDED:
            return
        if step.state == StepState.DRAFT:
            self._step(lifecycle.open_step)
        elif step.state == StepState.OPEN:
            self._step(lifecycle.close_step)
        elif not step.results_visible and registry.engine(step.method).revealable:
            self._step(lifecycle.reveal)
        else:
            self._do(lambda: lifecycle.move(self.ctx, self.session_id, 1))

    def _next(self) -> None:
        """"Weiter" while the vote is still open asks first: leaving it open is rarely meant."""
        state = live.build_state(self.ctx, self.session_id)
        step = state.step
        if step is None or step.state != StepState.OPEN or state.session.state == SessionState.ENDED:
            self._do(lambda: lifecycle.move(self.ctx, self.session_id, 1))
            return
        step_id = step.id

        def close_and_next() -> None:
            self._do(lambda: lifecycle.close_step(self.ctx, step_id))
            self._do(lambda: lifecycle.move(self.ctx, self.session_id, 1))

        self._ask(t("console.next_open_confirm", self.lang, step=step.position + 1), [
            (t("console.close_and_next", self.lang), "negative", close_and_next, "next-close"),
            (t("console.next_keep_open", self.lang), "primary", lambda: self._do(
                lambda: lifecycle.move(self.ctx, self.session_id, 1)), "next-keep-open"),
        ])

    def _open(self) -> None:
        """Opening a closed step starts a new round: everyone votes again; ask before that."""
        state = live.build_state(self.ctx, self.session_id)
        step = state.step
        if step is None or step.state != StepState.CLOSED:
            self._step(lifecycle.open_step)
            return
        self._ask(t("console.new_round_confirm", self.lang, round=step.round + 1, before=step.round), [
            (t("console.btn.reopen", self.lang), "positive", lambda: self._step(lifecycle.open_step), "new-round-confirm"),
        ])

    def _ask(self, question: str, choices: list[tuple[str, str, Callable[[], None], str]]) -> None:
        with ui.dialog(value=True) as dialog, ui.card().classes("gap-4").style("max-width: 40rem"):
            ui.label(question).classes("text-xl")
            with ui.row().classes("w-full justify-end gap-2"):
                ui.button(t("console.cancel", self.lang), on_click=dialog.close).props("flat").mark("ask-cancel")
                for label, color, action, marker in choices:
                    def chosen(action: Callable[[], None] = action) -> None:
                        dialog.close()
                        action()

                    ui.button(label, on_click=chosen).props(f"unelevated color={color}").mark(marker)

    def _help(self) -> None:
        """What each tool does and which keys drive the console: no need to hover over icons."""
        lang = self.lang
        tools = [("timer", "console.btn.timer"), ("groups", "console.btn.room"), ("qr_code", "console.btn.qr"), ("photo_camera", "console.btn.photo"),
                 ("picture_as_pdf", "console.btn.protocol"), ("cast", "console.btn.screen"),
                 ("edit_note", "console.btn.edit"), ("flag", "console.btn.end")]
        with ui.dialog(value=True) as dialog, ui.card().classes("gap-3").style("width: 40rem; max-width: 95vw"):
            ui.label(t("console.help_title", lang)).classes("text-2xl font-semibold")
            for icon, key in tools:
                with ui.row().classes("items-center gap-3 no-wrap"):
                    ui.icon(icon).classes("text-2xl text-primary")
                    ui.label(t(key, lang)).classes("text-lg")
            ui.label(t("console.help_keys_title", lang)).classes("text-xl font-semibold mt-2")
            ui.label(t("console.help_keys", lang)).classes("text-lg whitespace-pre-line").mark("help-keys")
            ui.button(t("console.hint_ok", lang), on_click=dialog.close).props("flat").classes("self-end")

    def _do(self, action: Callable[[], object]) -> None:
        if self._allowed():
            guarded(self.lang, action)

    def _method_commands(self, state: LiveState) -> None:
        step = state.step
        declared = registry.engine(step.method).commands if step is not None else ()
        view = self.view
        offered = tuple(c for c in declared if view is None or view.offers(c.name, state))
        key = (step.id, step.state, step.round, state.session.state, tuple(c.name for c in offered)) \
            if step is not None else None
        if key == self._commands_for:
            return
        self._commands_for = key
        self.commands_row.clear()
        if step is None or state.session.state == SessionState.ENDED:
            return
        step_id = step.id

        def run(name: str, payload: dict[str, Any]) -> bool:
            if not self._allowed():
                return False
            done = guarded(self.lang, lambda: commands.run(self.ctx, self.session_id, step_id, name, payload))
            return done is not None

        with self.commands_row:
            command_buttons(offered, step.state, self.lang, run, step.config)

    def _step(self, transition: Callable[[Context, int], None]) -> None:
        state = live.build_state(self.ctx, self.session_id)
        if state.step is not None:
            step_id = state.step.id
            self._do(lambda: transition(self.ctx, step_id))

    def _confirm_end(self) -> None:
        with ui.dialog() as dialog, ui.card():
            def confirmed() -> None:
                dialog.close()
                self._do(lambda: lifecycle.end_session(self.ctx, self.session_id))

            ui.label(t("console.end_confirm", self.lang)).classes("text-lg")
            with ui.row():
                ui.button(t("console.cancel", self.lang), on_click=dialog.close).props("flat")
                ui.button(t("console.confirm", self.lang), on_click=confirmed).props("color=negative").mark("end-confirm")
        dialog.open()

    def _projector_link(self) -> None:
        """Show the projector link in force (showing never changes it); replacing it is a
        separate, confirmed action, because the beamer holding the old link loses it."""
        lang = self.lang
        with ui.dialog(value=True) as dialog, ui.card().classes("min-w-[560px]").mark("projector-dialog"):
            ui.label(t("console.screen_title", lang)).classes("text-xl font-semibold")
            ui.label(t("console.screen_hint", lang)).classes("text-gray-600")
            box = ui.column().classes("w-full gap-1")

            def show(key: str, label: str) -> None:
                box.clear()
                with box:
                    links.link_row(label, links.projector_url(self.session_id, key), lang, "projector-url")

            def replace() -> None:
                with ui.dialog(value=True) as confirm, ui.card():
                    def confirmed() -> None:
                        confirm.close()
                        key = guarded(lang, lambda: access.replace_projector_key(self.ctx, self.session_id))
                        if key is not None:
                            show(key, t("console.screen_new", lang))
                            ui.notify(t("console.screen_replaced", lang), type="warning")

                    ui.label(t("console.screen_replace_confirm", lang)).classes("text-lg")
                    with ui.row():
                        ui.button(t("console.cancel", lang), on_click=confirm.close).props("flat")
                        ui.button(t("console.screen_replace", lang), on_click=confirmed) \
                            .props("color=negative").mark("projector-replace-confirm")

            show(access.current_keys(self.ctx, self.session_id).projector, t("links.projector", lang))
            with ui.row().classes("w-full items-center"):
                ui.button(t("console.screen_replace", lang), icon="autorenew", on_click=replace) \
                    .props("flat color=negative").mark("projector-replace")
                ui.space()
                ui.button(t("links.close", lang), on_click=dialog.close).props("flat")

    def _photo_dialog(self) -> None:
        state = live.build_state(self.ctx, self.session_id)
        step_id = state.step.id if state.step else None

        async def upload(event: events.UploadEventArguments) -> None:
            if not self._allowed():
                return
            raw = await event.file.read()
            try:  # decoding and re-encoding a 12 MP photo takes a while: not on the event loop
                await asyncio.to_thread(photos.add_photo, self.ctx, self.session_id, step_id, event.file.name, raw)
            except KofferError as exc:
                ui.notify(error_text(exc, self.lang), type="negative", position="top")
                return
            ui.notify(t("console.photo_saved", self.lang), type="positive")
            dialog.close()

        with ui.dialog(value=True) as dialog, ui.card():
            ui.label(state.step.title if state.step else state.session.title).classes("text-lg font-semibold")
            file_button(t("console.photo_pick", self.lang), "photo_camera", "image/jpeg,image/png,image/webp",
                        photos.MAX_BYTES, upload, "photo-upload")

    async def _download_protocol(self) -> None:
        if not self._allowed():
            return
        note = ui.notification(t("archive.generating", self.lang), spinner=True, timeout=None)
        try:
            pdf = await protocol.build_pdf_async(self.ctx, self.session_id, translator(self.lang))
        finally:
            note.dismiss()
        info = live.build_state(self.ctx, self.session_id).session
        ui.download.content(pdf, download_name(t("archive.file.protocol", self.lang), info.title, info.date, "pdf"),
                            "application/pdf")

    def _pick_lan(self, event: events.ValueChangeEventArguments[str]) -> None:
        runtime.chosen_lan = event.value
        state = live.build_state(self.ctx, self.session_id)
        self.qr.set_source(svg_data_url(scan_url(state.session.join_code)))
        self.join_url.set_text(runtime.join_url(state.session.join_code))

    # --- live updates ---------------------------------------------------------------------
    def moved(self, state: LiveState) -> None:
        """A delivery with only inputs in motion (dots being dragged): nothing stored changed, so
        the heading, the counts and the buttons stay; the step's view redraws what moves."""
        if self.view is not None and not self.unbuilt and not self.revoked:
            self.view.moved(state)

    def news(self, inputs: Sequence[StoredInput]) -> bool:
        """Inputs just stored (a card): the step's view may show them before the next delivery;
        whether it showed any."""
        if self.view is not None and not self.unbuilt and not self.revoked:
            return self.view.news(inputs)
        return False

    def build_view(self, state: LiveState) -> None:
        """The step's console view and its method's commands: element construction, so it runs
        after the phones (``AFTER_PHONES``); a delivery that changed nothing of it costs nothing."""
        step = state.step
        if self.unbuilt and step is not None:
            self.unbuilt = False
            with self.body:
                self.view = views(step.method).console(step, self.lang, controls=self.moderator)
            self.view.update(state)
        if self.moderator:
            self._method_commands(state)

    def _qr_layout(self, compact: bool) -> None:
        """Beside the agenda a large QR column; with a result on screen a corner of 7.5 rem."""
        if compact == self.qr_compact:
            return
        self.qr_compact = compact
        if compact:
            self.qr_panel.classes(replace="absolute top-0 right-0 flex-row-reverse items-center gap-3 bg-white") \
                .style(replace="")
            self.qr.style(replace="width: 7.5rem; height: 7.5rem")
            self.code.classes(replace="text-4xl font-mono font-bold tracking-wider")
            self.heading.classes(replace="w-full gap-1") \
                .style(replace="padding-right: 18rem")  # the corner's width: titles wrap before it
            self.step_title.classes(replace="text-4xl font-bold leading-tight")
        else:
            self.qr_panel.classes(replace="items-center gap-1 shrink-0").style(replace="width: 18.75rem")
            self.qr.style(replace="width: 17.5rem; height: 17.5rem")
            self.code.classes(replace="text-6xl font-mono font-bold tracking-widest")
            self.heading.classes(replace="w-full gap-3").style(replace="")
            self.step_title.classes(replace="text-5xl font-bold leading-tight")
        for element in (self.join_at, self.join_url, *self.qr_extras):
            element.set_visibility(not compact)

    def apply(self, state: LiveState) -> None:
        lang = self.lang
        session = state.session
        if session.key_versions != self.key_versions:  # a link was replaced: does ours still open?
            self.key_versions = session.key_versions
            if not self._allowed():
                return
        self.session_title.set_text(session.title)
        heads, flagged = room.heads(state, lang)
        self.heads.set_text(heads)
        if flagged != self.heads_flagged:  # more joined than people expected: red, with a sign
            self.heads_flagged = flagged
            self.heads.classes(replace="text-2xl font-semibold " + ("text-red-800" if flagged else "text-gray-800")
                               + (" cursor-pointer" if self.moderator else ""))
        note = room.admission_note(session, lang)
        self.admission.set_text(note)
        self.admission.set_visibility(bool(note))
        timer = session.timer  # only the current step's; gone on another step
        self.timer.props(f"data-deadline={timer_deadline(timer)}")
        if timer is not None and timer.closes_step:
            self.timer.props(f'title="{t("console.timer_closes_hint", lang)}"')
        else:
            self.timer.props(remove="title")
        self.join_url.set_text(runtime.join_url(session.join_code))
        self.code.set_text(session.join_code)
        step = state.step
        if step is None:
            self.position.set_text("")
            self.step_title.set_text(t("console.no_steps", lang))
            self.step_state.set_text("")
        else:
            self.position.set_text(t("console.step_of", lang, i=step.position + 1, n=len(session.steps))
                                   + " · " + t(f"method.{step.method}", lang))
            self.step_title.set_text(step.title)
            if session.state == SessionState.ENDED:
                label, tone = t("console.ended", lang), "text-gray-600"
            elif step.state == StepState.OPEN:
                label, tone = t("console.open_state", lang, round=step.round), "text-green-800"
            elif step.state == StepState.CLOSED:
                label, tone = t("console.closed_state", lang, round=step.round), "text-red-800"
            else:
                label, tone = t("console.draft", lang), "text-gray-600"
            self.step_state.set_text(label)
            self.step_state.classes(replace=f"text-xl font-medium {tone}")
        wide = step is not None and step.state != StepState.DRAFT and views(step.method).console.wide
        self._qr_layout(step is not None and (wide or (step.results_visible and state.result is not None)))
        signature = (step.id, step.round, repr(step.live_config)) if step else None
        if signature != self.signature:
            # another step, round or config: the old view goes now, the new one is built by
            # build_view once the phones have been told (its elements cost ~20-40 ms)
            self.signature = signature
            self.body.clear()
            self.view = None
            self.unbuilt = step is not None
        elif self.view is not None:
            self.view.update(state)
        if self.moderator:
            ended = session.state == SessionState.ENDED
            is_open = step is not None and step.state == StepState.OPEN
            self.btn_open.set_visibility(step is not None and not is_open and not ended)
            self.btn_open.set_text(t("console.btn.reopen" if step and step.state == StepState.CLOSED else "console.btn.open", lang))
            self.btn_close.set_visibility(is_open)
            shown = step is not None and step.results_visible
            # a live work surface (theme tables) has nothing to reveal or hide: the engine says so
            revealable = step is not None and registry.engine(step.method).revealable
            self.btn_reveal.set_visibility(revealable and step is not None and step.state != StepState.DRAFT and not shown)
            self.btn_hide.set_visibility(revealable and shown)
            self.btn_end.set_visibility(not ended)
            self.btn_resume.set_visibility(ended)


# The console is read from the back of the room: type grows with the beamer's resolution
# (16 px at 1280 wide, 24 px at 1920) because Tailwind sizes are in rem.
BEAMER_CSS = ("<style>html { font-size: clamp(16px, 1.25vw, 28px); }"
              # a focus ring that a moderator working with the keyboard can see from a step back
              # (Quasar's .no-outline is !important in NiceGUI's last layer; an !important in the
              # first layer outranks it)
              " @layer theme { :focus-visible { outline: 3px solid #1d4f91 !important;"
              " outline-offset: 3px !important; } }</style>")


def _refused(exc: KofferError, lang: str) -> None:
    """One language, calm words: this page may be on the wall of the room (the browser's language
    decides, German unless it asks for English)."""
    ui.label(error_text(exc, lang)).classes("text-3xl text-gray-800").mark("refused")
    ui.label(t("console.refused_hint", lang)).classes("text-xl text-gray-600")


def _keyed_console(session_id: int, key: str, moderator: bool, lang: str = "de", replaced: bool = False) -> None:
    """Console and projector share everything but the key check and the controls."""
    add_countdown()
    ui.add_head_html(BEAMER_CSS)
    ui.query(".nicegui-content").classes("p-4")
    try:
        by_key = check_console(session_id, key, moderator)
    except KofferError as exc:
        _refused(NotAllowed("key_replaced") if replaced and isinstance(exc, NotAllowed) else exc, lang)
        return
    ConsoleLive(session_id, key, moderator=moderator, by_key=by_key)


def _browser_language(request: Request) -> str:
    return "en" if request.headers.get("accept-language", "").lower().startswith("en") else "de"


def register() -> None:
    # a keyed link's first load moves the key into a cookie and shows the address without it
    # (app/pages/keys.py): the console's address bar is on the wall of the room
    @ui.page("/s/{session_id}/console", title="Moderationskoffer – Konsole")
    def console_page(session_id: int, request: Request, key: str = "", replaced: str = "") -> Response | None:
        if key:
            return keys.move_to_cookie(request, session_id, keys.MODERATOR, key)
        _keyed_console(session_id, keys.from_cookie(request, session_id, keys.MODERATOR), moderator=True,
                       lang=_browser_language(request), replaced=bool(replaced))
        return None

    @ui.page("/s/{session_id}/screen", title="Moderationskoffer")
    def screen_page(session_id: int, request: Request, key: str = "", replaced: str = "") -> Response | None:
        if key:
            return keys.move_to_cookie(request, session_id, keys.PROJECTOR, key)
        # the moderator's key opens the projector view too (the moderator often sets up the beamer)
        _keyed_console(session_id, keys.from_cookie(request, session_id, keys.PROJECTOR, keys.MODERATOR),
                       moderator=False, lang=_browser_language(request), replaced=bool(replaced))
        return None
