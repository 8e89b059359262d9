"""What a browser holds of a theme-tables board after the messages it was sent.

The boards reach the browser as a full prop (with the page, or when a phone sits down) and then
as ``apply(delta)`` calls with only what changed (app/views/theme_tables_deltas.py). A test that read
the server's prop would see the page's cards only; this follows the element's messages the way
the component does — a props patch replaces the board, an ``apply`` merges a delta (with
``theme_tables_deltas.apply``, the Python twin of the components' merge) — and records each message's
size, so a test can say what a card costs on the wire.
"""

from __future__ import annotations

import json
import re
from typing import Any

from nicegui import Client, ui

from app.views import theme_tables_deltas

PATCH = re.compile(r"^var e=mounted_app\.elements\[(\d+)\];if\(e\)Object\.assign\(e\.props,(\{.*\})\)$", re.S)
APPLY = re.compile(r'^(?:return )?runMethod\((\d+), ?"apply", ?\[(.*)\]\)$', re.S)


def _parsed(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        return json.loads(value) if value else {}
    return dict(value or {})


def merge_table(table: dict[str, Any], delta: dict[str, Any]) -> dict[str, Any]:
    """One table after a delta entry, as the components merge it."""
    out = {**table, **{k: v for k, v in delta.items() if k not in ("cards", "all")}}
    if "all" in delta:
        out["cards"] = delta["all"]
    elif "cards" in delta:
        out["cards"] = theme_tables_deltas.apply(list(table.get("cards", [])), delta["cards"])
    return out


class Held:
    """``element``'s ``prop`` as its browser holds it; ``sizes``: bytes of each message line for it."""

    def __init__(self, client: Client, element: ui.element, prop: str) -> None:
        self.element, self.prop = element, prop
        self.value = _parsed(element.props[prop])
        self.sizes: list[int] = []
        forward = client.outbox._emit  # noqa: SLF001 - the one place the messages pass

        async def capture(message: Any) -> None:
            await forward(message)
            self.seen(message[1], message[2])

        client.outbox._emit = capture  # type: ignore[method-assign]  # noqa: SLF001

    def seen(self, kind: str, data: dict[str, Any]) -> None:
        eid = str(self.element.id)
        if kind == "update":  # a full update of elements, keyed by id
            full = data.get(self.element.id) or data.get(eid)
            if isinstance(full, dict):
                self.value = _parsed(full["props"].get(self.prop, ""))
                self.sizes.append(len(json.dumps(full["props"].get(self.prop, ""))))
            return
        if kind != "run_javascript":
            return
        for line in str(data.get("code", "")).split("\n"):
            patch, call = PATCH.match(line), APPLY.match(line)
            if patch and patch.group(1) == eid:
                fields = json.loads(patch.group(2))
                if self.prop in fields:
                    self.value = _parsed(fields[self.prop])
                    self.sizes.append(len(line))
            elif call and call.group(1) == eid:
                self.merge(json.loads(call.group(2)))
                self.sizes.append(len(line))

    def merge(self, delta: dict[str, Any]) -> None:
        if "tables" in delta or "round" in delta or "focus" in delta:  # the console's boards
            tables = {t["id"]: t for t in self.value.get("tables", [])}
            for entry in delta.get("tables", []):
                tables[entry["id"]] = merge_table(tables.get(entry["id"], {"id": entry["id"], "cards": []}), entry)
            self.value = {**self.value, **{k: v for k, v in delta.items() if k != "tables"},
                          "tables": list(tables.values())}
        elif delta.get("id") == self.value.get("id"):  # a phone's table
            self.value = merge_table(self.value, delta)
