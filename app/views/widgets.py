"""Small shared pieces of the method views (status line, result bars without a chart library)."""

from __future__ import annotations

import html

from nicegui import ui

from app.i18n import t


def plot_text(text: str) -> str:
    """Plotly reads <b>, <a href>, <span style> in labels as markup; participant and agenda text
    must stay text, so it is entity-escaped (plotly shows entities as the literal characters)."""
    return html.escape(text, quote=False)


class StatusLine:
    """The phone's promise: 'Gespeichert ✓' appears only after the commit returned."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.label = ui.label("").classes("text-lg font-medium text-center w-full").mark("status")

    def saved(self) -> None:
        self.label.set_text(t("phone.saved", self.lang))
        self.label.classes(replace="text-lg font-medium text-center w-full text-green-800")

    def show(self, text: str, tone: str = "text-gray-700") -> None:
        self.label.set_text(text)
        self.label.classes(replace=f"text-lg font-medium text-center w-full {tone}")


class Bars:
    """Horizontal bars drawn with plain elements: the phone page must not load plotly."""

    def __init__(self) -> None:
        self.box = ui.column().classes("w-full gap-2")
        self.rows: dict[str, tuple[ui.label, ui.linear_progress]] = {}

    def set(self, rows: list[tuple[str, str, float, str]]) -> None:
        """rows: (id, label, fraction 0..1, right-hand text)."""
        if [r[0] for r in rows] != list(self.rows):
            self.box.clear()
            self.rows = {}
            with self.box:
                for rid, _label, _frac, _text in rows:
                    with ui.column().classes("w-full gap-0"):
                        caption = ui.label("").classes("text-base")
                        bar = ui.linear_progress(value=0, show_value=False, size="14px").props("rounded color=primary")
                    self.rows[rid] = (caption, bar)
        for rid, label, frac, text in rows:
            caption, bar = self.rows[rid]
            caption.set_text(f"{label} — {text}")
            bar.set_value(frac)
