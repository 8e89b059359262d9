"""Cards to a browser as deltas: what changed since the last delivery, not every card again.

A theme-tables board grows to hundreds of cards; sending every card to the console and to each
phone at the table after each new card made a card's cost grow with the cards already there
(issue 13: 158 KB to the console and 37 KB to each of ~20 phones per card at 900 cards). The
browser components hold the cards they were given (the full list with the page) and merge a
delta keyed by card id:

``{"remove": [ids], "put": [[index, card], ...]}`` — drop the removed ids (and those put again),
then insert each put card at its index in the new list, in ascending order. That rebuilds the new
list exactly when the cards that did not change keep their relative order; :func:`diff` checks
this and returns None otherwise (the caller sends the full list). Cards keep their order key for
life (an edit, a move or a merge changes a card, never where the unchanged ones stand), so the
fallback is for safety, not for the common case.

:func:`apply` is the Python twin of the components' merge (``theme_tables.js``,
``theme_tables_board.js``): tests use it to see what a browser holds after the messages it got.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

Held = list[tuple[str, Any]]
"""A table's cards as the browser holds them: (card id, the card's raw result dict), in order."""


def held(cards: Sequence[dict[str, Any]]) -> Held:
    return [(str(c["id"]), c) for c in cards]


def diff(before: Held, after: Held, card: Callable[[Any], Any]) -> dict[str, Any] | None:
    """The delta from ``before`` to ``after`` with each put card as ``card`` renders it; ``{}``
    when nothing changed; None when a delta cannot say it (unchanged cards reordered).

    The common case — the cards held, then new ones after them — is seen by one comparison of
    the held prefix, which for cards the fold reused (the very same dicts) is a pointer check per
    card at C speed: a new card costs its own rendering, not a Python pass over the table."""
    n = len(before)
    if after[:n] == before:
        return {"remove": [], "put": [[k, card(c)] for k, (_, c) in enumerate(after[n:], n)]} if len(after) > n else {}
    old = dict(before)
    kept = {i for i, c in after if i in old and old[i] == c}
    if [i for i, _ in before if i in kept] != [i for i, _ in after if i in kept]:
        return None
    remove = [i for i, _ in before if i not in kept]
    put = [[k, card(c)] for k, (i, c) in enumerate(after) if i not in kept]
    if not remove and not put:
        return {}
    return {"remove": remove, "put": put}


def apply(cards: list[dict[str, Any]], delta: dict[str, Any]) -> list[dict[str, Any]]:
    """``cards`` (as the browser renders them, each with an ``id``) after ``delta``."""
    gone = set(delta.get("remove", ())) | {c["id"] for _, c in delta.get("put", ())}
    out = [c for c in cards if c["id"] not in gone]
    for index, card in delta.get("put", ()):
        out.insert(index, card)
    return out
