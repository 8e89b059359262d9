"""Small shared pieces of the method views (plot text escaping, option lists from text, a settings
form's field errors)."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable
from typing import Any

from methods.options import normalise


def plot_text(text: str) -> str:
    """Plotly reads <b>, <a href>, <span style> in labels as markup; participant and agenda text
    must stay text, so it is entity-escaped (plotly shows entities as the literal characters)."""
    return html.escape(text, quote=False)


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


Problems = list[tuple[str, str]]
"""(field key, translated message) found while reading a settings form."""


def checked(fields: dict[str, Any], read: Callable[[Problems], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
    """A settings form's getter: clears the fields' old errors, reads the config, puts each
    problem next to its field and raises ``ValueError`` with the first (the editor shows it and
    stores nothing)."""

    def get() -> dict[str, Any]:
        for element in fields.values():
            if hasattr(element, "error"):
                element.error = None
        problems: Problems = []
        config = read(problems)
        for key, message in problems:
            fields[key].error = message
        if problems:
            raise ValueError(problems[0][1])
        return config

    return get
