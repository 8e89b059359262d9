"""The organizer's archive: list and find sessions, create or import one, open its links."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from nicegui import events, ui

from app.filenames import download_name
from app.i18n import error_text, t, translator
from app.pages.auth import require_organizer
from app.pages.common import file_button
from app.pages.links import session_buttons, share_dialog
from app.problems import describe_all
from facilitation import agenda, context, export, organize, protocol
from facilitation.organize import SessionSummary
from facilitation.snapshots import Created
from methods.errors import KofferError


def show_keys(created: Created, lang: str) -> None:
    """Right after creating a session: its links, which can be shown again any time later."""
    share_dialog(created.session.id, lang, "archive.keys_title")


def problems_text(exc: KofferError, lang: str, titles: Sequence[str] = ()) -> str:
    """Every problem in plain words, one per line, naming the step by number and title."""
    return "\n".join(describe_all(exc, lang, titles))


def local_date(value: str, lang: str) -> str:
    """``2017-11-07`` → ``07.11.2017`` (de) / ``2017-11-07`` (en); anything else as typed."""
    try:
        return date.fromisoformat(value.strip()).strftime(t("pdf.date_format", lang))
    except ValueError:
        return value.strip()


def summary_line(row: SessionSummary, lang: str) -> str:
    """Date · place · state · head count, leaving out what is empty (no "· ·")."""
    people = t("archive.participants_one" if row.participants == 1 else "archive.participants_n", lang,
               n=row.participants)
    parts = [local_date(row.date, lang), row.place.strip(), t(f"state.{row.state}", lang), people]
    return " · ".join(p for p in parts if p)


def agenda_titles(raw: bytes) -> list[str]:
    """The step titles of an uploaded agenda as far as it can be read (to name them in problems)."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return []
    steps = data.get("steps") if isinstance(data, dict) else None
    return [str(s.get("title") or "") if isinstance(s, dict) else "" for s in steps] if isinstance(steps, list) else []


def register() -> None:
    @ui.page("/archive", title="Moderationskoffer – Archiv")
    def archive_page(lang: str = "de") -> None:
        if not require_organizer("/archive"):
            return
        ctx = context.current()
        ui.query(".nicegui-content").classes("max-w-5xl mx-auto p-6 gap-4")
        with ui.row().classes("w-full items-center"):
            ui.label(t("archive.title", lang)).classes("text-3xl font-semibold grow")
            ui.link(t("login.logout", lang), "/logout")
        with ui.row().classes("w-full items-end gap-3"):
            text = ui.input(t("archive.search", lang)).props("outlined dense clearable").mark("search")
            date_from = ui.input(t("archive.from", lang)).props("outlined dense type=date").mark("from")
            date_to = ui.input(t("archive.to", lang)).props("outlined dense type=date").mark("to")
            ui.space()
            ui.button(t("archive.new", lang), icon="add", on_click=lambda: new_dialog()).props("unelevated").mark("new")
            file_button(t("archive.import", lang), "upload_file", ".json,application/json", agenda.MAX_AGENDA_BYTES,
                        lambda e: import_agenda(e), "import")
        with ui.row().classes("w-full items-center gap-3"):
            days = organize.retention_days(ctx)
            retention_note = ui.label(t("archive.retention_on", lang, days=days) if days
                                      else t("archive.retention_off", lang)).classes("text-gray-600 grow")
            retention = ui.number(t("archive.retention", lang), value=days, min=1, max=3650, format="%d") \
                .props("outlined dense clearable").classes("w-96").mark("retention")

            def save_retention() -> None:
                value = int(retention.value) if retention.value else None
                doomed = organize.expired_ids(ctx, value) if value and 1 <= value <= 3650 else []
                if not doomed:
                    apply_retention(value)
                    return
                # a typo ("1" for "180") must not silently delete the archive
                with ui.dialog(value=True) as dialog, ui.card():
                    def confirmed() -> None:
                        dialog.close()
                        apply_retention(value)

                    ui.label(t("archive.retention_confirm", lang, n=len(doomed), days=value)).classes("text-lg")
                    with ui.row():
                        ui.button(t("console.cancel", lang), on_click=dialog.close).props("flat")
                        ui.button(t("archive.delete", lang), on_click=confirmed) \
                            .props("color=negative").mark("retention-confirm")

            def apply_retention(value: int | None) -> None:
                try:
                    organize.set_retention_days(ctx, value)
                except KofferError as exc:
                    ui.notify(error_text(exc, lang), type="negative")
                    return
                retention_note.set_text(t("archive.retention_on", lang, days=value) if value
                                        else t("archive.retention_off", lang))
                organize.apply_retention(ctx)
                render()

            ui.button(t("edit.save", lang), on_click=save_retention).props("flat").mark("retention-save")
        table_box = ui.column().classes("w-full")

        def render() -> None:
            table_box.clear()
            rows = organize.list_sessions(ctx, text.value or "", date_from.value or "", date_to.value or "")
            with table_box:
                if not rows:
                    ui.label(t("archive.empty", lang)).classes("text-gray-600")
                    return
                for row in rows:
                    with ui.card().classes("w-full").mark(f"session-{row.id}"):
                        with ui.row().classes("w-full items-center gap-4"):
                            with ui.column().classes("grow gap-0"):
                                ui.label(row.title).classes("text-lg font-semibold")
                                ui.label(summary_line(row, lang)).classes("text-gray-600").mark(f"summary-{row.id}")
                            session_buttons(row.id, lang)
                            ui.link(t("archive.edit", lang), f"/s/{row.id}/edit")
                            extra_actions(row.id)

        def extra_actions(session_id: int) -> None:
            def name(kind: str, ext: str) -> str:
                info = organize.get_session(ctx, session_id)
                return download_name(t(f"archive.file.{kind}", lang), info.title, info.date, ext)

            ui.button(t("archive.protocol", lang), icon="picture_as_pdf",
                      on_click=lambda: download_protocol(session_id)).props("flat dense").mark(f"protocol-{session_id}")
            # icons with their words: an office should not have to guess
            with ui.button(t("archive.downloads", lang), icon="download").props("flat dense") \
                    .mark(f"downloads-{session_id}"), ui.menu():
                ui.menu_item(t("archive.agenda", lang), on_click=lambda: ui.download.content(
                    json.dumps(organize.agenda_document(ctx, session_id), ensure_ascii=False, indent=2),
                    name("agenda", "json"), "application/json"))
                ui.menu_item(t("archive.json", lang), on_click=lambda: ui.download.content(
                    json.dumps(export.export_json(ctx, session_id), ensure_ascii=False, indent=1),
                    name("data", "json"), "application/json"))
                ui.menu_item(t("archive.csv", lang), on_click=lambda: ui.download.content(
                    export.export_csv(ctx, session_id), name("data", "csv"), "text/csv"))
            ui.button(t("archive.delete", lang), icon="delete", on_click=lambda: confirm_delete(session_id)) \
                .props("flat dense color=negative").mark(f"delete-{session_id}")

        async def download_protocol(session_id: int) -> None:
            note = ui.notification(t("archive.generating", lang), spinner=True, timeout=None)
            try:
                info = organize.get_session(ctx, session_id)
                pdf = await protocol.build_pdf_async(ctx, session_id, translator(info.language))
            finally:
                note.dismiss()
            ui.download.content(pdf, download_name(t("archive.file.protocol", lang), info.title, info.date, "pdf"),
                                "application/pdf")

        def confirm_delete(session_id: int) -> None:
            info = organize.get_session(ctx, session_id)
            with ui.dialog(value=True) as dialog, ui.card():
                ui.label(t("archive.delete_confirm", lang, title=info.title)).classes("text-lg")
                with ui.row():
                    ui.button(t("console.cancel", lang), on_click=dialog.close).props("flat")

                    def really() -> None:
                        organize.delete_session(ctx, session_id)
                        dialog.close()
                        ui.notify(t("archive.deleted", lang), type="positive")
                        render()

                    ui.button(t("archive.delete", lang), on_click=really).props("color=negative").mark("delete-confirm")

        async def import_agenda(event: events.UploadEventArguments) -> None:
            raw = await event.file.read()
            try:
                spec = agenda.loads(raw)
                created = organize.create_session(ctx, spec)
            except KofferError as exc:
                ui.notify(error_text(exc, lang) + "\n" + problems_text(exc, lang, agenda_titles(raw)), type="negative",
                          multi_line=True, timeout=0, close_button=True)
                return
            render()
            show_keys(created, lang)

        def new_dialog() -> None:
            with ui.dialog(value=True) as dialog, ui.card().classes("min-w-[480px]"):
                ui.label(t("archive.new", lang)).classes("text-xl font-semibold")
                title = ui.input(t("edit.session_title", lang),
                                 validation={t("err.title_required", lang): lambda v: bool((v or "").strip())}) \
                    .props("outlined").classes("w-full").mark("new-title")
                date = ui.input(t("edit.date", lang)).props("outlined type=date").classes("w-full")
                place = ui.input(t("edit.place", lang)).props("outlined").classes("w-full")
                names = ui.select({p: t(f"edit.names.{p}", lang) for p in agenda.NAMES_POLICIES}, value="none",
                                  label=t("edit.names", lang)).classes("w-full")
                language = ui.select({"de": "Deutsch", "en": "English"}, value="de",
                                     label=t("edit.language", lang)).classes("w-full")

                def create() -> None:
                    doc: dict[str, Any] = {"title": title.value, "date": date.value or "", "place": place.value,
                                           "names": names.value, "language": language.value, "steps": []}
                    try:
                        created = organize.create_session(ctx, agenda.parse(doc))
                    except KofferError as exc:
                        ui.notify(problems_text(exc, lang) or error_text(exc, lang), type="negative", multi_line=True)
                        return
                    dialog.close()
                    render()
                    show_keys(created, lang)

                with ui.row().classes("w-full justify-end gap-2"):
                    ui.button(t("console.cancel", lang), on_click=dialog.close).props("flat").mark("new-cancel")
                    ui.button(t("edit.save", lang), on_click=create).props("unelevated").mark("new-create")

        for field in (text, date_from, date_to):
            field.on_value_change(lambda _e: render())
        render()
