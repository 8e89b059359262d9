"""Start page and organizer login."""

from __future__ import annotations

import re

from nicegui import app, ui
from starlette.requests import Request

from app.i18n import error_text, t
from app.pages.auth import STORED
from app.pages.common import add_countdown, client_address
from facilitation import access, context, participation
from facilitation.security import hash_key, normalise_join_code
from methods.errors import KofferError

SAFE_NEXT = re.compile(r"/[A-Za-z0-9/_\-?=&.%]*")


def _safe_next(target: str) -> str:
    """Only a path on this server: no scheme, no '//' or backslash that a browser reads as a host."""
    if SAFE_NEXT.fullmatch(target) and not target.startswith("//"):
        return target
    return "/archive"


def join_form(lang: str, address: str, value: str = "") -> None:
    """Code field and button; also shown under the message when a scanned or typed code is wrong."""

    def join() -> None:
        try:
            participation.find_session_id(context.current(), code.value or "", address)
        except KofferError as exc:
            ui.notify(error_text(exc, lang), type="negative", position="top")
            return
        target = f"/j/{normalise_join_code(code.value)}"
        ui.navigate.to(target if lang == "de" else f"{target}?lang={lang}")  # the choice made here stays

    code = ui.input(t("join.code_label", lang), value=value) \
        .props('outlined autofocus maxlength=9 enterkeyhint="go" input-class="text-3xl tracking-widest uppercase"') \
        .classes("w-full").on("keydown.enter", join).mark("code")
    ui.button(t("join.button", lang), on_click=join).classes("w-full text-xl py-3").props("unelevated").mark("join")


def register() -> None:
    @ui.page("/", title="Moderationskoffer")
    def index(request: Request, lang: str = "de") -> None:
        add_countdown()
        ui.query(".nicegui-content").classes("max-w-md mx-auto p-6 gap-5")
        ui.label(t("app.name", lang)).classes("text-4xl font-bold")
        ui.label(t("app.tagline", lang)).classes("text-lg text-gray-700")
        join_form(lang, client_address(request))
        with ui.row().classes("w-full justify-between"):
            # links are tap targets too: at least 44 px high
            ui.link(t("join.organizer_link", lang), "/login").classes("text-base inline-flex items-center") \
                .style("min-height: 44px")
            ui.link("English" if lang == "de" else "Deutsch", f"/?lang={'en' if lang == 'de' else 'de'}") \
                .classes("text-base inline-flex items-center px-2").style("min-height: 44px")

    @ui.page("/login", title="Moderationskoffer – Login")
    def login_page(request: Request, next: str = "/archive", lang: str = "de") -> None:  # noqa: A002
        ui.query(".nicegui-content").classes("max-w-md mx-auto p-6 gap-4")
        ui.label(t("login.title", lang)).classes("text-3xl font-semibold")
        address = client_address(request)

        def submit() -> None:
            ctx = context.current()
            # a browser that logged in before is limited on its own failures (access.login)
            device = app.storage.user.get("organizer_device")
            try:
                token = access.login(ctx, password.value or "", address, device=str(device) if device else None)
            except KofferError as exc:
                ui.notify(error_text(exc, lang), type="negative", position="top")
                return
            app.storage.user[STORED] = hash_key(token)  # only the hash on the server's disk
            if access.known_device(ctx, str(device) if device else None) is None:
                app.storage.user["organizer_device"] = access.device_mark(ctx)
            ui.navigate.to(_safe_next(next))

        password = ui.input(t("login.password", lang), password=True).props("outlined autofocus") \
            .classes("w-full").on("keydown.enter", submit).mark("password")
        ui.button(t("login.button", lang), on_click=submit).classes("w-full").props("unelevated").mark("login")

    @ui.page("/logout")
    def logout_page() -> None:
        token_hash = app.storage.user.pop(STORED, None)
        if token_hash:
            access.logout_hash(context.current(), str(token_hash))
        ui.navigate.to("/")
