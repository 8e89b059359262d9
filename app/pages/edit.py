"""Agenda builder (``/s/{id}/edit``): session details and steps, import/export of the agenda file.

Open to the organizer (login) and to the moderator (key), because external facilitators often
finish the agenda themselves. Step settings are edited as JSON with a validation list that names
each bad field; a method's views may offer a friendlier form (``MethodViews.editor``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from nicegui import ui
from starlette.requests import Request
from starlette.responses import Response

from app.filenames import download_name
from app.i18n import error_text, t
from app.i18n import language as reader_language
from app.pages import keys
from app.pages.archive import problems_text
from app.pages.auth import may_edit
from app.pages.links import session_buttons
from app.views import views
from facilitation import admission, agenda, context, organize
from facilitation.snapshots import StepInfo
from methods import registry
from methods.errors import KofferError


def items_from_control(step: StepInfo, steps: tuple[StepInfo, ...],
                       get_config: Callable[[], dict[str, Any]], lang: str) -> Callable[[], dict[str, Any]]:
    """"Take the entries from": an earlier step whose result offers items (consensing's selected
    proposals, a hand vote's options by votes), or typed here; optionally only the first N."""
    offering = {s.position: f"{s.position + 1}. {s.title}" for s in steps
                if s.position < step.position and registry.engine(s.method).items is not None}
    if not offering:
        return get_config
    current = step.raw_config.get("items_from") or {}
    choices: dict[int, str] = {-1: t("edit.items_typed", lang), **offering}
    with ui.row().classes("w-full items-start gap-3"):
        source = ui.select(choices, value=current.get("step", -1) if current.get("step") in offering else -1,
                           label=t("edit.items_from", lang)).props("outlined dense").classes("grow") \
            .mark("items-from")
        top = ui.number(t("edit.items_top", lang), value=current.get("top"), min=1, step=1, precision=0) \
            .props("outlined dense clearable").classes("w-56").mark("items-top")

    def get() -> dict[str, Any]:
        config = {k: v for k, v in get_config().items() if k != "items_from"}
        if source.value is not None and int(source.value) >= 0:
            reference: dict[str, int] = {"step": int(source.value)}
            if top.value:
                reference["top"] = int(top.value)
            config["items_from"] = reference
        return config

    return get


def register() -> None:
    @ui.page("/s/{session_id}/edit", title="Moderationskoffer – Tagesordnung")
    def edit_page(session_id: int, request: Request, key: str = "", lang: str = "de") -> Response | None:
        if key:  # like the console: the key leaves the address bar (app/pages/keys.py)
            return keys.move_to_cookie(request, session_id, keys.MODERATOR, key)
        ctx = context.current()
        if not may_edit(session_id, keys.from_cookie(request, session_id, keys.MODERATOR)):
            ui.navigate.to(f"/login?next=/s/{session_id}/edit")
            return None
        ui.query(".nicegui-content").classes("max-w-4xl mx-auto p-6 gap-4")
        info = organize.get_session(ctx, session_id)
        # the editor speaks the organizer's language (?lang=en), not the session's: an office
        # preparing an English meeting still reads German here
        lang = reader_language(lang)
        ui.label(t("edit.title", lang)).classes("text-3xl font-semibold")

        def report(exc: KofferError) -> None:
            ui.notify((problems_text(exc, lang) or error_text(exc, lang)), type="negative", multi_line=True,
                      timeout=0, close_button=True)

        with ui.card().classes("w-full"):
            ui.label(t("edit.details", lang)).classes("text-xl font-semibold")
            title = ui.input(t("edit.session_title", lang), value=info.title,
                             validation={t("err.title_required", lang): lambda v: bool((v or "").strip())}) \
                .props("outlined").classes("w-full").mark("title")
            with ui.row().classes("w-full gap-3"):
                date = ui.input(t("edit.date", lang), value=info.date).props("outlined type=date")
                place = ui.input(t("edit.place", lang), value=info.place).props("outlined")
                moderator = ui.input(t("edit.moderator", lang), value=info.moderator).props("outlined")
            with ui.row().classes("w-full gap-3"):
                names = ui.select({p: t(f"edit.names.{p}", lang) for p in agenda.NAMES_POLICIES},
                                  value=info.names, label=t("edit.names", lang)).classes("w-48")
                language = ui.select({"de": "Deutsch", "en": "English"}, value=info.language,
                                     label=t("edit.language", lang)).classes("w-48")
            # who gets in (docs/security.md): the open code, the code until the start, or cards
            with ui.row().classes("w-full items-start gap-3"):
                level = ui.select({a: t(f"admission.{a}", lang) for a in agenda.ADMISSION_LEVELS},
                                  value=str(info.admission), label=t("edit.admission", lang)) \
                    .classes("w-96").mark("admission")
                head_count = ui.number(t("edit.head_count", lang), value=info.head_count, min=1, step=1,
                                       precision=0).props("outlined clearable").classes("w-56").mark("head-count")
            level_hint = ui.label(t(f"admission.{info.admission}.hint", lang)).classes("text-gray-600")
            level.on_value_change(lambda e: level_hint.set_text(t(f"admission.{e.value}.hint", lang)))

            def save_details() -> None:
                try:
                    organize.update_details(ctx, session_id, title=title.value or "", date=date.value or "",
                                            place=place.value or "", moderator=moderator.value or "",
                                            names=names.value, language=language.value)
                    admission.set_admission(ctx, session_id, level=level.value,
                                            head_count=int(head_count.value) if head_count.value else None)
                except KofferError as exc:
                    report(exc)
                    return
                ui.notify(t("edit.saved", lang), type="positive")

            ui.button(t("edit.save", lang), on_click=save_details).props("unelevated").mark("save-details")

        ui.label(t("edit.steps", lang)).classes("text-xl font-semibold")
        steps_box = ui.column().classes("w-full gap-3")

        def render() -> None:
            steps_box.clear()
            current = organize.get_session(ctx, session_id)
            with steps_box:
                for step in current.steps:
                    with ui.card().classes("w-full").mark(f"step-{step.position + 1}"):
                        with ui.row().classes("w-full items-center"):
                            ui.label(f"{step.position + 1}. {t('method.' + step.method, lang)}").classes("font-semibold grow")
                            ui.label(t(f"step.{step.state}", lang)).classes("text-gray-600")
                            ui.button(icon="arrow_upward", on_click=lambda s=step.id: act(lambda: organize.move_step(ctx, s, -1))).props("flat dense")
                            ui.button(icon="arrow_downward", on_click=lambda s=step.id: act(lambda: organize.move_step(ctx, s, 1))).props("flat dense")
                            ui.button(icon="delete", on_click=lambda s=step.id: act(lambda: organize.remove_step(ctx, s))).props("flat dense color=negative").mark("remove")
                        step_title = ui.input(t("edit.step_title", lang), value=step.title).props("outlined dense").classes("w-full")
                        editor = views(step.method).editor
                        if editor is not None:
                            get_config = editor(step.raw_config, lang)
                        else:
                            area = ui.textarea(t("edit.config", lang), value=json.dumps(step.raw_config, ensure_ascii=False, indent=2)) \
                                .props("outlined autogrow").classes("w-full font-mono")
                            def get_config(a: ui.textarea = area) -> Any:
                                return json.loads(a.value or "{}")
                        if editor is not None and registry.engine(step.method).items_field is not None:
                            get_config = items_from_control(step, current.steps, get_config, lang)
                        ui.button(t("edit.save", lang), on_click=lambda s=step.id, ti=step_title, g=get_config: save_step(s, ti.value, g)) \
                            .props("unelevated dense").mark(f"save-step save-step-{step.position + 1}")

        def act(action: Callable[[], object], done: str = "") -> bool:
            """Run a command; say ``done`` *before* the cards are rebuilt: a notification sent from
            a button that the rebuild has just deleted never reaches the browser."""
            try:
                action()
            except KofferError as exc:
                report(exc)
                return False
            if done:
                ui.notify(done, type="positive")
            render()
            return True

        def save_step(step_id: int, step_title: str, get_config: Callable[[], dict[str, Any]]) -> None:
            try:
                config = get_config()
            except ValueError as exc:
                key = "edit.invalid_json" if isinstance(exc, json.JSONDecodeError) else "edit.invalid_config"
                ui.notify(t(key, lang, error=str(exc)), type="negative")
                return
            act(lambda: organize.update_step(ctx, step_id, step_title or "", config), t("edit.saved", lang))

        with ui.row().classes("w-full items-end gap-3"):
            method = ui.select({m: t(f"method.{m}", lang) for m in registry.names()}, value=registry.names()[0],
                               label=t("edit.method", lang)).classes("w-64").mark("method")
            new_title = ui.input(t("edit.step_title", lang)).props("outlined dense").mark("new-step-title")

            def add_step() -> None:
                if act(lambda: organize.add_step(
                        ctx, session_id, method.value, new_title.value or t(f"method.{method.value}", lang),
                        dict(registry.engine(method.value).default_config)), t("edit.added", lang)):
                    new_title.set_value("")  # ready for the next one

            ui.button(t("edit.add_step", lang), icon="add", on_click=add_step).props("unelevated").mark("add-step")

        with ui.row().classes("gap-4"):
            ui.button(t("edit.export", lang), icon="download", on_click=lambda: ui.download.content(
                json.dumps(organize.agenda_document(ctx, session_id), ensure_ascii=False, indent=2),
                download_name(t("archive.file.agenda", lang), info.title, info.date, "json"), "application/json")) \
                .props("outline").mark("export")
            ui.space()
            session_buttons(session_id, lang)
        render()
        return None
