"""Small shared pieces of the method views (status line, result bars without a chart library)."""

from __future__ import annotations

import hashlib
import html
from typing import Any

from nicegui import ui

from app.i18n import t
from methods.options import normalise


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
        if self.label.text == t("phone.saved", self.lang):
            return  # already says so: no update sent (every vote in a burst would send one)
        self.label.set_text(t("phone.saved", self.lang))
        self.label.classes(replace="text-lg font-medium text-center w-full text-green-800")

    def show(self, text: str, tone: str = "text-gray-700") -> None:
        self.label.set_text(text)
        self.label.classes(replace=f"text-lg font-medium text-center w-full {tone}")


class Bars:
    """Horizontal bars drawn with plain elements: the phone page must not load plotly.

    Rows are created once per option; a changed ranking only moves them, so a live reveal during
    an open vote costs every phone a few small updates, not a rebuild.
    """

    def __init__(self) -> None:
        self.box = ui.column().classes("w-full gap-2")
        self.rows: dict[str, tuple[ui.column, ui.label, ui.linear_progress]] = {}
        self.order: list[str] = []

    def set(self, rows: list[tuple[str, str, float, str]]) -> None:
        """rows: (id, label, fraction 0..1, right-hand text), in display order."""
        ids = [r[0] for r in rows]
        if set(ids) != set(self.rows):
            self.box.clear()
            self.rows = {}
            with self.box:
                for rid in ids:
                    with ui.column().classes("w-full gap-0") as row:
                        caption = ui.label("").classes("text-base")
                        bar = ui.linear_progress(value=0, show_value=False, size="14px").props("rounded color=primary")
                    self.rows[rid] = (row, caption, bar)
            self.order = ids
        elif ids != self.order:
            for index, rid in enumerate(ids):
                self.rows[rid][0].move(target_index=index)
            self.order = ids
        for rid, label, frac, text in rows:
            _row, caption, bar = self.rows[rid]
            caption.set_text(f"{label} — {text}")
            bar.set_value(frac)


def merge_options(raw: Any, lines: list[str], prefix: str) -> list[dict[str, str]]:
    """Options from one-per-line text; unchanged labels keep their id and description."""
    existing = [p for p in (normalise(raw, prefix) if isinstance(raw, list) else []) if isinstance(p, dict)]
    by_label: dict[str, list[dict[str, Any]]] = {}
    for p in existing:
        by_label.setdefault(str(p.get("label", "")).strip(), []).append(p)
    taken = {str(p.get("id")) for p in existing}
    kept: set[str] = set()
    out: list[dict[str, str]] = []
    for line in lines:
        match = next((p for p in by_label.get(line, []) if str(p.get("id")) not in kept), None)
        if match is not None:
            kept.add(str(match["id"]))
            item = {"id": str(match["id"]), "label": line}
            if match.get("description"):
                item["description"] = str(match["description"])
            out.append(item)
            continue
        # a new proposal never inherits the id of one removed earlier (that would carry the old
        # proposal's round-1 numbers into the round comparison): derive it from its own text
        digest = hashlib.sha1(line.encode(), usedforsecurity=False).hexdigest()
        new_id, n = f"{prefix}-{digest[:6]}", 0
        while new_id in taken:
            n += 1
            new_id = f"{prefix}-{digest[:6]}-{n}"
        taken.add(new_id)
        out.append({"id": new_id, "label": line})
    return out
