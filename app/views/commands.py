"""The console's buttons for a method's own commands, drawn from their declaration.

A command without payload fields runs on one click (more than two commands share one menu button); one with fields opens a small form made
from its payload model (text → input, number → number field, yes/no → checkbox, a fixed choice
→ select, its values named by ``<label>.<field>.<value>`` texts where there are). Labels come from the method's texts: ``<label>`` for the button, ``<label>.<field>``
for each field. Refusals are shown as translated notifications, like every other command.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

from nicegui import ui
from pydantic import BaseModel

from app.i18n import has, t
from methods.base import Command

MAX_BUTTONS = 2
"""More commands than this share one menu button."""



def _field(name: str, annotation: Any, label: str, default: Any,
           choices: Mapping[str, str] | None = None, choice: Callable[[Any], str] = str) -> Callable[[], Any]:
    """One input for one payload field; returns a getter for its value. ``choices`` are the
    values the step's config offers (an item id → its title); ``choice`` names a fixed choice's
    values ("before" → "Stand vor der Diskussion")."""
    if choices:
        picked = ui.select(dict(choices), value=default if default in choices else next(iter(choices)),
                           label=label).props("outlined").classes("w-full").mark(f"command-field-{name}")
        return lambda: picked.value
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        annotation, origin, args = args[0], typing.get_origin(args[0]), list(typing.get_args(args[0]))
    start = default
    if origin is typing.Literal:
        select = ui.select({v: choice(v) for v in args}, value=start if start in args else args[0], label=label) \
            .props("outlined dense").classes("w-full").mark(f"command-field-{name}")
        return lambda: select.value
    if annotation is bool:
        box = ui.checkbox(label, value=bool(start)).mark(f"command-field-{name}")
        return lambda: box.value
    if annotation in (int, float):
        number = ui.number(label, value=start, precision=0 if annotation is int else None) \
            .props("outlined dense").classes("w-full").mark(f"command-field-{name}")
        return lambda: (int(number.value) if annotation is int and number.value is not None else number.value)
    text = ui.input(label, value=start or "").props("outlined dense").classes("w-full").mark(f"command-field-{name}")
    return lambda: text.value


def _choice(field_key: str, lang: str) -> Callable[[Any], str]:
    """A choice's value in words where the method has a text ``<label>.<field>.<value>``."""
    return lambda value: t(f"{field_key}.{value}", lang) if has(f"{field_key}.{value}") else str(value)


def _form(command: Command[Any, Any], lang: str, run: Callable[[dict[str, Any]], bool], config: Any) -> None:
    model: type[BaseModel] = command.payload
    choices = command.choices(config) if command.choices is not None and config is not None else {}
    with ui.dialog(value=True) as dialog, ui.card().classes("gap-3").style("width: 34rem; max-width: 95vw"):
        # a closed form goes for good: a console used all afternoon keeps no pile of hidden forms
        dialog.on_value_change(lambda e: None if e.value else dialog.delete())
        ui.label(t(command.label, lang)).classes("text-2xl font-semibold")
        getters = {name: _field(name, info.annotation, t(f"{command.label}.{name}", lang),
                                None if info.is_required() else info.default, choices.get(name),
                                _choice(f"{command.label}.{name}", lang))
                   for name, info in model.model_fields.items()}
        with ui.row().classes("w-full justify-end gap-2"):
            ui.button(t("console.cancel", lang), on_click=dialog.close).props("flat")

            def submit() -> None:
                if run({name: get() for name, get in getters.items()}):
                    dialog.close()

            ui.button(t("console.confirm", lang), on_click=submit).props("unelevated").mark("command-submit")


def buttons(commands: tuple[Command[Any, Any], ...], state: str, lang: str,
            run: Callable[[str, dict[str, Any]], bool], config: Any = None) -> None:
    """One button per command offered in the step's ``state``; ``run(name, payload)`` executes
    the command and says whether it went through; ``config`` (the step's) fills ``choices``."""
    offered = [c for c in commands if state in c.states and c.button]
    if len(offered) > MAX_BUTTONS:  # one menu: the console's footer stays one row at 1280 px
        with ui.dropdown_button(t("console.btn.commands", lang), auto_close=True).props("outline") \
                .mark("commands-menu"):
            for command in offered:
                ui.menu_item(t(command.label, lang), on_click=_action(command, lang, run, config)) \
                    .mark(f"command-{command.name}")
        return
    for command in offered:
        ui.button(t(command.label, lang), on_click=_action(command, lang, run, config)).props("outline") \
            .mark(f"command-{command.name}")


def _action(command: Command[Any, Any], lang: str, run: Callable[[str, dict[str, Any]], bool],
            config: Any) -> Callable[[], Any]:
    if not command.payload.model_fields:
        return lambda: run(command.name, {})
    return lambda: _form(command, lang, lambda body: run(command.name, body), config)
