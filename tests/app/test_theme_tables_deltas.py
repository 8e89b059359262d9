"""Card deltas (app/views/theme_tables_deltas.py): what a browser holds after a delta is the new list."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.views.theme_tables_deltas import apply, diff, held

CARDS = st.lists(st.builds(lambda i, t: {"id": f"c{i}", "text": t}, st.integers(0, 30), st.sampled_from("abc")),
                 unique_by=lambda c: c["id"], max_size=12)


def shown(card: dict[str, Any]) -> dict[str, Any]:
    return {"id": card["id"], "text": card["text"].upper()}


@given(before=CARDS, after=CARDS)
def test_a_delta_brings_what_the_browser_holds_to_the_new_cards(before: list[dict[str, Any]],
                                                                 after: list[dict[str, Any]]) -> None:
    delta = diff(held(before), held(after), shown)
    if delta is not None:  # None: the caller sends the whole list
        assert apply([shown(c) for c in before], delta) == [shown(c) for c in after]


@given(before=CARDS, more=CARDS)
def test_cards_after_the_held_ones_are_put_alone(before: list[dict[str, Any]], more: list[dict[str, Any]]) -> None:
    """The common case (new cards at the end, the held ones the very same dicts, as the fold
    reuses them) puts only the new cards and removes nothing."""
    ids = {c["id"] for c in before}
    new = [c for c in more if c["id"] not in ids]
    delta = diff(held(before), held([*before, *new]), shown)
    assert delta == ({"remove": [], "put": [[len(before) + k, shown(c)] for k, c in enumerate(new)]} if new else {})


def test_a_changed_card_among_the_held_ones_is_put_again() -> None:
    before = [{"id": "a", "text": "x"}, {"id": "b", "text": "y"}]
    after = [{"id": "a", "text": "x"}, {"id": "b", "text": "z"}, {"id": "c", "text": "w"}]
    assert diff(held(before), held(after), shown) == {"remove": ["b"], "put": [[1, shown(after[1])],
                                                                               [2, shown(after[2])]]}
