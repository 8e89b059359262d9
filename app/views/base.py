"""What a method's views look like to the pages that host them.

A phone page builds one :class:`PhoneView` per step and round and then only calls ``update``
with each new live state: elements are changed in place, never rebuilt, because rebuilding on
hundreds of phones at every vote costs seconds where updating costs milliseconds.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from facilitation.snapshots import LiveState, StepInfo

Submit = Callable[[dict[str, Any]], Awaitable[bool]]
"""Sends a payload; resolves to True once the input is committed (errors are shown by the page)."""


class PhoneView:
    def __init__(self, step: StepInfo, lang: str, mine: dict[str, Any], submit: Submit) -> None:
        self.step, self.lang, self.mine, self.submit = step, lang, mine, submit

    def update(self, state: LiveState) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleView:
    def __init__(self, step: StepInfo, lang: str) -> None:
        self.step, self.lang = step, lang

    def update(self, state: LiveState) -> None:  # pragma: no cover - interface
        raise NotImplementedError
