"""The participant's phone: ``/j/{code}``.

One clear input per screen, big touch targets, German by default. The page subscribes to the
hub and only *updates* its elements. A step is shown by the method's phone component (one
element, drawn in the browser, see app/views/base.py); another step of the same method is one
props update of that element, another method replaces it. ``reconnect_timeout`` is long so a phone
whose screen slept for half a minute resumes on the same page without a reload.
"""

from __future__ import annotations

import asyncio
from typing import Any

from nicegui import ui
from starlette.requests import Request

from app.i18n import LANGUAGES, error_text, language, t
from app.pages.common import PHONE_CSS, add_countdown, client_address, device_token, timer_deadline
from app.pages.door import WaitingLive, name_form, turned_away
from app.pages.index import join_form
from app.views import views
from app.views.base import PhoneHost, PhoneView
from facilitation import context, contributions, live, participation
from facilitation.participation import Joined
from facilitation.snapshots import LiveState, ParticipantStatus, SessionState, StepInfo, StepState
from methods.errors import KofferError

PHONE_RECONNECT_TIMEOUT = 60.0


class PhoneLive:
    """The live part of a phone page for one participant.

    Every element is made once and then only updated: the session title, the timer and one
    :class:`PhoneHost`, which draws the current method's component (it also shows the step title
    and the waiting/ended notice). A method's server-side view is made the first time the phone
    meets the method: a plain object, no element. Moving on to another step is a props update of
    the host; nothing is made or torn down for a full room.
    """

    def __init__(self, joined: Joined, state: LiveState, lang: str) -> None:
        self.ctx = context.current()
        self.joined = joined
        self.lang = lang
        self.signature: tuple[Any, ...] | None = None
        self.deadline = -1
        self.views: dict[str, PhoneView] = {}
        self.title = ui.label(state.session.title).classes(
            "text-base font-semibold text-gray-700 pr-16").mark("session-title")
        # top right, out of the flow: no row element around title and timer on every phone
        self.timer = ui.label("").classes("fixed top-3 right-4 z-20 text-xl font-bold") \
            .props(f'data-timeup="{t("timer.up", self.lang)}"').mark("timer")
        if joined.name:
            ui.label(joined.name).classes("text-sm text-gray-500 -mt-3").mark("my-name")
        methods = list(dict.fromkeys(s.method for s in state.session.steps))  # agenda order, once each
        # every event the agenda's components send: a listener added later costs a full update
        self.host = PhoneHost(tuple(dict.fromkeys(e for m in methods for e in views(m).phone.EVENTS)))
        language_switch(state.session.join_code, lang)  # below the input, never over it
        # the first method's component also says "please wait" (with the step title) until a step
        # opens; a label only for a session without steps
        self.view = self._component(methods[0]) if methods else None
        self.notice = None if self.view is not None else ui.label("").classes("text-2xl").mark("waiting")
        self.subscription = self.ctx.hub.subscribe(joined.session_id, self.apply)
        ui.context.client.on_delete(self.subscription.cancel)
        self.apply(state)

    def _submit(self, step_id: int, payload: Any) -> asyncio.Future[Any]:
        """Into the group commit with the other phones tapping in these milliseconds."""
        return self.ctx.batcher.enqueue(step_id, self.joined.participant_id, payload)

    def _next_task(self, step: StepInfo) -> list[Any]:
        """This participant's next task and the one after it (asked only by methods that hand out
        tasks)."""
        return live.next_tasks(self.ctx, step, self.joined.participant_id)

    def _move(self, step_id: int, payload: Any) -> None:
        """A position in motion (a dragged dot): shown to the room, never stored."""
        live.move(self.ctx, self.joined.session_id, step_id, self.joined.participant_id, payload)

    def apply(self, state: LiveState) -> None:
        """Called for every hub delivery: compares before it sends, so a vote elsewhere in the
        room costs this phone nothing on the wire."""
        if self.joined.participant_id in state.removed:
            self._removed(state)
            return
        self.title.set_text(state.session.title)
        deadline = timer_deadline(state.session.timer)  # only the current step's timer
        if deadline != self.deadline:
            self.deadline = deadline
            self.timer.props(f"data-deadline={deadline}")
        signature = state.step_signature
        if signature != self.signature:
            self.signature = signature
            self._switch(state)
        elif self.view is not None:
            self.view.show(state)

    def _removed(self, state: LiveState) -> None:
        """The moderator removed this participant: the input goes, the phone says so (once)."""
        if self.signature == ("removed",):
            return
        self.signature = ("removed",)
        self.subscription.cancel()
        if self.view is not None:
            self.view.idle(t("phone.removed", self.lang))
        elif self.notice is not None:
            self.notice.set_text(t("phone.removed", self.lang))
        self.timer.props("data-deadline=0")

    def _switch(self, state: LiveState) -> None:
        step = state.step
        ended = state.session.state == SessionState.ENDED
        if ended or step is None or step.state == StepState.DRAFT:
            notice = t("phone.ended" if ended else "phone.waiting", self.lang)
            heading = step.title if step is not None and not ended else ""
            if self.view is not None:  # the component on screen says it: one small update
                self.view.idle(notice, heading)
            elif self.notice is not None:
                self.notice.set_text(notice)
            return
        mine = (contributions.my_inputs(self.ctx, step.id, self.joined.participant_id)
                if self.joined.participant_id in state.contributor_ids else {})
        view = self._component(step.method)
        view.load(step, mine, state)  # one props update of the host, which now draws this method
        self.view = view
        if self.notice is not None:
            self.notice.set_visibility(False)

    def _component(self, method: str) -> PhoneView:
        view = self.views.get(method)
        if view is None:  # the phone meets the method: its view, drawn by the page's host
            view = self.views[method] = views(method).phone(self.lang, self._submit, self._next_task,
                                                            self._move, self.joined.name, self.host)
            view.participant = self.joined.participant_id
        return view


def language_switch(code: str, lang: str) -> None:
    """"English" / "Deutsch" at the end of the page: each participant reads in their own language
    (the session's is the default). A link with the language in the address, so a phone that
    slept and reloads keeps it, and no per-phone storage is written."""
    other = "en" if lang == "de" else "de"
    ui.link(t("phone.other_language", other), f"/j/{code}?lang={other}") \
        .classes("self-end text-base px-3 py-3").props('lang="' + other + '"').mark("language")


def _name_form(session_id: int, code: str, title: str, policy: str, lang: str, container: ui.column,
               address: str) -> None:
    """Ask for a name (session setting), then turn the page into the live phone view."""

    def go(name: str | None) -> None:
        ctx = context.current()
        try:
            joined = participation.join_session(ctx, session_id, name=name, token=device_token(session_id),
                                                address=address)
        except KofferError as exc:
            ui.notify(error_text(exc, lang), type="negative", position="top")
            return
        container.clear()
        with container:
            enter(joined, live.build_state(ctx, session_id), lang)

    with container:
        name_form(title, policy, lang, go, extra=lambda: language_switch(code, lang))


def enter(joined: Joined, state: LiveState, lang: str) -> None:
    """The page for a participant: live if in, a wait for the moderator's OK, or turned away."""
    if joined.status == ParticipantStatus.WAITING:
        def admitted(fresh: Joined, now: LiveState) -> None:
            PhoneLive(fresh, now, lang)

        WaitingLive(joined, state, lang, admitted)
    elif joined.status == ParticipantStatus.REMOVED:
        turned_away(state.session.title, lang)
    else:
        PhoneLive(joined, state, lang)


def register() -> None:
    @ui.page("/j/{code}", title="Moderationskoffer", reconnect_timeout=PHONE_RECONNECT_TIMEOUT)
    async def phone_page(code: str, request: Request, lang: str = "", qr: str = "") -> None:
        ctx = context.current()
        add_countdown()
        ui.add_head_html(PHONE_CSS)
        address = client_address(request)
        known = participation.lookup_code(ctx, code)
        joined = participation.resume(ctx, known, device_token(known)) if known is not None else None
        if joined is None:
            try:
                session_id = participation.find_session_id(ctx, code, address, qr)
            except KofferError as exc:
                shown = language(lang or None)
                ui.label(error_text(exc, shown)).classes("text-xl").mark("join-error")
                join_form(shown, address)
                return
        else:
            session_id = joined.session_id
        token = device_token(session_id)
        state = live.build_state(ctx, session_id)
        # the participant's choice (a link on the phone or on the start page), else the session's
        lang = lang if lang in LANGUAGES else state.session.language
        if joined is None and state.session.names != "none":
            _name_form(session_id, state.session.join_code, state.session.title, state.session.names, lang,
                       ui.column().classes("w-full gap-4"), address)
            return
        if joined is None:
            # a participant is counted only once a real browser connects, not for every link
            # preview or prefetch that fetches the page; no task is left waiting for that
            client = ui.context.client

            def first_connect() -> None:
                if getattr(client, "_koffer_joined", False):
                    return  # on_connect also fires on every reconnect
                client._koffer_joined = True  # type: ignore[attr-defined]
                try:
                    joined = participation.join_session(ctx, session_id, token=token, address=address)
                except KofferError as exc:  # one address piling up waiting requests
                    with client.content:
                        ui.label(error_text(exc, lang)).classes("text-xl").mark("join-error")
                    return
                with client.content:
                    enter(joined, live.build_state(ctx, session_id), lang)

            client.on_connect(first_connect)
            return
        with ui.context.client.content:  # no wrapper element: each one costs memory on every phone
            enter(joined, state, lang)
