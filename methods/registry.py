"""The registration list: the one place in the code that names the methods.

A method is a plug-in. Each layer finds its part of a method by convention under the method's
name and checks that part's type: the engine ``ENGINE`` in ``methods/<name>.py``, the views
``VIEWS`` in ``app/views/<name>.py``, the protocol board ``BOARD`` in
``sessions/protocol/<name>.py``. Adding a method = its own modules + ``docs/methods/<name>.md``
+ one line in :data:`METHODS`. ``tests/test_registry.py`` fails when a part, doc or text is
missing.

:func:`register` adds a method whose modules live elsewhere (a plug-in outside this package,
or a throwaway method in a test) without touching this file.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from methods.base import Engine
from methods.errors import NotFound

METHODS: tuple[str, ...] = (
    "hand_vote",
    "consensing",
    "materiality",
    "dot_vote",
    "theme_tables",
    "constellation",
)
"""The registration list, in the order the editor offers the methods."""

LAYERS = ("engine", "views", "board")


@dataclass(frozen=True)
class Registration:
    """Where each layer finds its part of one method (module paths, imported on first use)."""

    name: str
    engine: str
    views: str
    board: str

    @classmethod
    def conventional(cls, name: str) -> Registration:
        return cls(name, f"methods.{name}", f"app.views.{name}", f"sessions.protocol.{name}")

    def module(self, layer: str) -> str:
        path: str = getattr(self, layer)
        return path


_registered: dict[str, Registration] = {name: Registration.conventional(name) for name in METHODS}
_parts: dict[tuple[str, str, str], Any] = {}
_generation = 0


def generation() -> int:
    """Changes whenever a method is registered or removed (caches built from the list rebuild)."""
    return _generation


def names() -> tuple[str, ...]:
    """Every registered method, registration order."""
    return tuple(_registered)


def registration(name: str) -> Registration:
    try:
        return _registered[name]
    except KeyError:
        raise NotFound("unknown_method", method=name) from None


def register(entry: Registration) -> None:
    """Add a method whose modules live outside the conventional places (plug-ins, tests)."""
    _registered[entry.name] = entry
    _forget(entry.name)


def unregister(name: str) -> None:
    _registered.pop(name, None)
    _forget(name)


def _forget(name: str) -> None:
    global _generation
    _generation += 1
    for key in [k for k in _parts if k[0] == name]:
        del _parts[key]


def part(name: str, layer: str, attribute: str, kind: type[Any]) -> Any:
    """A layer's part of a method, loaded by convention and checked for its type.

    ``part("consensing", "views", "VIEWS", MethodViews)`` imports ``app.views.consensing`` and
    returns its ``VIEWS`` after checking it is a ``MethodViews``: a half-built method fails with
    a message naming the missing piece, not somewhere deep in a page.
    """
    key = (name, layer, attribute)
    found = _parts.get(key)
    if found is not None:
        return found
    path = registration(name).module(layer)
    module = importlib.import_module(path)
    value = getattr(module, attribute, None)
    if not isinstance(value, kind):
        raise TypeError(f"{path}.{attribute} must be a {kind.__name__}, not {type(value).__name__}")
    _parts[key] = value
    return value


def engine(name: str) -> Engine[Any, Any]:
    """The engine of a registered method; :class:`NotFound` for an unknown name."""
    found: Engine[Any, Any] = part(name, "engine", "ENGINE", Engine)
    if found.name != name:
        raise TypeError(f"{registration(name).engine}.ENGINE is named {found.name!r}, registered as {name!r}")
    return found


def engines() -> dict[str, Engine[Any, Any]]:
    return {name: engine(name) for name in names()}


def parse_config(name: str, raw: dict[str, Any] | None) -> Any:
    """Validate a raw config dict; raises pydantic.ValidationError naming the bad fields."""
    return engine(name).parse_config(raw)
