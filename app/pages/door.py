"""The phone's way in when the code alone does not admit it: waiting for the moderator's OK, being
turned away, and the voting card's landing page (``/k/{card}``).

A waiting phone shows its number in the session ("Ihre Nummer: 17"), so the moderator can tell
who is who without names, and turns into the live phone view the moment the moderator lets it in
(it listens to the hub like every phone; after sleep or a reload it finds itself waiting again by
its device token). A card's page joins on the first real browser connection, never on a link
preview, then continues on ``/j/{code}``: the card's secret leaves the address bar.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from app.i18n import error_text, language, t
from app.pages.common import PHONE_CSS, add_countdown, device_token
from facilitation import admission, cards, context, live, participation
from facilitation.participation import Joined
from facilitation.snapshots import LiveState, ParticipantStatus
from methods.errors import KofferError


def name_form(title: str, policy: str, lang: str, go: Callable[[str | None], None],
              extra: Callable[[], None] | None = None) -> None:
    """Ask for a name (the session's policy), saying what it is used for, then ``go(name)``."""
    ui.label(t("join.welcome", lang)).classes("text-3xl font-semibold")
    ui.label(title).classes("text-xl text-gray-700 -mt-2").mark("session-title")  # which meeting this is
    if extra is not None:
        extra()
    key = "join.name_label" if policy == "required" else "join.name_optional"
    # Enter submits, as on every field a phone types into (a late joiner's keyboard says "Go")
    name = ui.input(t(key, lang)).props('outlined autofocus maxlength=80 enterkeyhint="go"') \
        .classes("w-full text-xl").mark("name")
    name.on("keydown.enter", lambda: go(name.value))
    # what a name means here: the office's exports show it beside this person's inputs
    ui.label(t("join.name_note", lang)).classes("text-base text-gray-600 -mt-2").mark("name-note")
    ui.button(t("join.name_continue", lang), on_click=lambda: go(name.value)) \
        .classes("w-full text-xl py-3").props("unelevated").mark("name-continue")
    if policy == "optional":  # a full-size target too (WCAG 2.5.8): people tap it with a thumb
        ui.button(t("join.name_skip", lang), on_click=lambda: go(None)) \
            .classes("w-full text-lg").style("min-height: 48px").props("flat").mark("name-skip")


def turned_away(title: str, lang: str) -> None:
    ui.label(title).classes("text-base font-semibold text-gray-700").mark("session-title")
    ui.label(t("phone.removed", lang)).classes("text-2xl").mark("removed")


class WaitingLive:
    """A phone waiting for the moderator's OK; ``admitted(joined, state)`` builds the live view."""

    def __init__(self, joined: Joined, state: LiveState, lang: str,
                 admitted: Callable[[Joined, LiveState], None]) -> None:
        self.ctx = context.current()
        self.joined, self.lang, self.admitted = joined, lang, admitted
        self.client = ui.context.client
        number = admission.number_of(self.ctx, joined.session_id, joined.participant_id)
        with ui.column().classes("w-full gap-4").mark("waiting-box") as self.box:
            ui.label(state.session.title).classes("text-base font-semibold text-gray-700").mark("session-title")
            ui.label(t("phone.wait_title", lang)).classes("text-2xl font-semibold")
            ui.label(t("phone.wait_text", lang)).classes("text-xl")
            ui.label(t("phone.wait_number", lang)).classes("text-lg text-gray-700 mt-2")
            ui.label(str(number)).classes("text-7xl font-bold font-mono koffer-waiting").mark("wait-number")
        self.subscription = self.ctx.hub.subscribe(joined.session_id, self.apply)
        self.client.on_delete(self.subscription.cancel)

    def apply(self, state: LiveState) -> None:
        if self.joined.participant_id in state.waiting:
            return
        self.subscription.cancel()
        fresh = participation.resume(self.ctx, self.joined.session_id, self.joined.token) or self.joined
        self.box.delete()
        with self.client.content:
            if fresh.status == ParticipantStatus.IN:
                self.admitted(fresh, state)
            else:
                turned_away(state.session.title, self.lang)


def register() -> None:
    @ui.page("/k/{card}", title="Moderationskoffer")
    def card_page(card: str, lang: str = "") -> None:
        ctx = context.current()
        add_countdown()
        ui.add_head_html(PHONE_CSS)
        shown = language(lang or None)
        session_id = cards.card_session(ctx, card)
        if session_id is None:
            ui.label(t("err.voting_card_unknown", shown)).classes("text-xl").mark("join-error")
            return
        state = live.build_state(ctx, session_id)
        lang = language(lang or state.session.language)
        token = device_token(session_id)
        code = state.session.join_code
        suffix = "" if lang == state.session.language else f"?lang={lang}"

        status: list[ui.label] = []

        def redeem(name: str | None) -> None:
            try:
                cards.redeem(ctx, card, token, name)
            except KofferError as exc:
                if status:  # the page says it ("Karte schon benutzt"), there is nothing to tap
                    status[0].set_text(error_text(exc, lang))
                    status[0].mark("join-error")
                else:
                    ui.notify(error_text(exc, lang), type="negative", position="top", multi_line=True)
                return
            ui.navigate.to(f"/j/{code}{suffix}")  # the card's secret leaves the address bar

        joined = participation.resume(ctx, session_id, token)
        if joined is None and state.session.names != "none":
            name_form(state.session.title, state.session.names, lang, redeem)
            return
        status.append(ui.label(t("phone.card_joining", lang)).classes("text-xl").mark("card-joining"))
        client = ui.context.client

        def first_connect() -> None:  # a real browser, not a link preview, takes the card
            if getattr(client, "_koffer_card", False):
                return
            client._koffer_card = True  # type: ignore[attr-defined]
            with client.content:
                redeem(None)

        client.on_connect(first_connect)
