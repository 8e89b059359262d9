"""Dot vote engine: budget and cap, the whole allocation replacing the last, ranking with ties,
the merged-card rule, the moderator's merge/split, what a later step is offered."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from facilitation.demo import demo_agenda
from methods import dot_vote
from methods.base import Cast, Decision, Situation, Stored, latest
from methods.dot_vote import Config, Merge, Split, default_dots, guard_merge, guard_split, tally, validate
from methods.errors import InvalidContribution, InvalidTransition, KofferError


def cfg(n: int = 6, **kw: Any) -> Config:
    return Config(items=[f"Karte {i}" for i in range(1, n + 1)], **kw)


def give(config: Config, dots: dict[str, int]) -> dict[str, int]:
    """The stored value of a valid allocation."""
    entries = validate(config, {"dots": dots})
    assert [e.key for e in entries] == ["dots"]
    value: dict[str, int] = entries[0].value
    return value


def refused(config: Config, payload: Any) -> InvalidContribution:
    with pytest.raises(InvalidContribution) as caught:
        validate(config, payload)
    return caught.value


def merge(item: str, into: str, seq: int = 1, **extra: Any) -> Decision:
    return Decision(seq, "merge", {"item": item, "into": into, **extra}, 1)


def split(item: str, seq: int = 2) -> Decision:
    return Decision(seq, "split", {"item": item}, 1)


def by_id(result: dot_vote.Result) -> dict[str, dot_vote.Ranked]:
    return {r.id: r for r in result.items}


# --- config -------------------------------------------------------------------------------------


def test_module_interface() -> None:
    assert dot_vote.NAME == "dot_vote" and dot_vote.ENGINE.name == "dot_vote"
    assert dot_vote.RESULTS_HIDDEN_BY_DEFAULT is True  # early dots must not steer later ones
    assert dot_vote.ENGINE.items_field == "items"


@pytest.mark.parametrize(("items", "dots"), [(2, 1), (3, 1), (4, 2), (9, 3), (10, 4), (30, 10), (31, 10), (100, 10)])
def test_default_budget_is_a_third_of_the_items_rounded_up_and_at_most_ten(items: int, dots: int) -> None:
    assert default_dots(items) == dots
    assert cfg(items).budget == dots
    assert cfg(items, dots=7).budget == 7  # a given budget wins
    assert cfg(items).max_per_item == 3


def test_items_get_ids_and_may_carry_what_was_merged_into_them() -> None:
    c = Config(items=["A", {"title": "B", "description": "mehr"},
                      {"id": "k7", "label": "C", "merged_from": ["k8", "k9"]}])
    assert [i.id for i in c.items] == ["i1", "i2", "k7"]
    assert c.items[1].description == "mehr" and c.items[2].merged_from == ["k8", "k9"]


def test_auftakt_scenario_step_parses() -> None:
    """The kick-off's dot vote takes the theme tables' cards; its own settings are valid."""
    c = Config.model_validate({"question": "Welche Karten sind Ihnen am wichtigsten?",
                               "items_from": {"step": 1}, "dots": 5, "max_per_item": 2})
    assert c.items == [] and c.budget == 5 and c.max_per_item == 2


@pytest.mark.parametrize("raw", [
    {},  # no items and no source
    {"items": ["nur eine"]},
    {"items": ["A", "a "]},  # reads the same on a phone
    {"items": ["A", "B"], "dots": 0},
    {"items": ["A", "B"], "dots": 51},
    {"items": ["A", "B"], "max_per_item": 0},
    {"items": ["A", "B"], "max_per_item": 11},
    {"items": ["A", "B"], "surprise": 1},
    {"items": [{"id": "a", "label": "A", "merged_from": ["x"]}, {"id": "b", "label": "B", "merged_from": ["x"]}]},
    {"items": [{"id": "a", "label": "A", "merged_from": ["b"]}, {"id": "b", "label": "B"}]},
    {"items": [{"id": "a", "label": "A", "merged_from": ["no spaces"]}, "B"]},
])
def test_bad_configs_are_refused(raw: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Config.model_validate(raw)


def test_a_card_merged_into_two_items_is_named() -> None:
    with pytest.raises(ValidationError) as caught:
        Config.model_validate({"items": [{"id": "a", "label": "A", "merged_from": ["x"]},
                                         {"id": "b", "label": "B", "merged_from": ["x"]}]})
    assert caught.value.errors()[0]["type"] == "merged_twice"


# --- validation ---------------------------------------------------------------------------------


def test_an_allocation_is_stored_whole_without_zeros_in_item_order() -> None:
    c = cfg(6, dots=4)
    assert give(c, {"i3": 1, "i1": 2, "i2": 0}) == {"i1": 2, "i3": 1}
    assert give(c, {}) == {}  # taking every dot back is an allocation too


@pytest.mark.parametrize(("dots", "key", "params"), [
    ({"i1": 3, "i2": 2}, "dots_over_budget", {"budget": 4, "given": 5}),
    ({"i1": 4}, "dots_over_cap", {"item": "Karte 1", "cap": 3}),
    ({"i1": 1, "i99": 1}, "unknown_item", {"item": "i99"}),
    ({"i1": -1}, "dots_not_count", {"item": "i1"}),
    ({"i1": 1.5}, "dots_not_count", {"item": "i1"}),
    ({"i1": True}, "dots_not_count", {"item": "i1"}),
    ({"i1": "2"}, "dots_not_count", {"item": "i1"}),
])
def test_an_allocation_over_budget_or_cap_or_naming_an_unknown_item_is_refused_as_a_whole(
        dots: dict[str, Any], key: str, params: dict[str, Any]) -> None:
    error = refused(cfg(6, dots=4), {"dots": dots})
    assert (error.key, error.params) == (key, params)


@pytest.mark.parametrize("payload", [{}, {"dots": [1, 2]}, {"dots": "i1"}, {"option": "i1"}, [1], "x"])
def test_a_payload_without_an_allocation_is_refused(payload: Any) -> None:
    assert refused(cfg(), payload).key in {"dots_missing", "payload_not_object"}


def test_the_latest_allocation_replaces_the_previous_one_never_adds_to_it() -> None:
    """Two allocations of one person, each within budget: only the later counts."""
    c = cfg(6, dots=3)
    rows = [Stored(1, "7", "dots", give(c, {"i1": 3})), Stored(2, "7", "dots", give(c, {"i2": 2, "i3": 1}))]
    result = tally(c, latest(rows), 1)
    assert {r.id: r.dots for r in result.items if r.dots} == {"i2": 2, "i3": 1}
    assert result.dots == 3 and result.voters == 1


# --- ranking ------------------------------------------------------------------------------------


def casts(table: dict[str, dict[str, int]]) -> list[Cast]:
    return [Cast(p, "dots", dots) for p, dots in table.items()]


def test_ranking_by_dots_with_ties_sharing_a_rank() -> None:
    c = cfg(6, dots=5)
    result = tally(c, casts({
        "1": {"i2": 3, "i4": 2},
        "2": {"i2": 2, "i3": 2, "i4": 1},
        "3": {"i3": 3, "i5": 1},
    }), 4)
    rows = [(r.id, r.dots, r.rank, r.tie, r.people) for r in result.items]
    assert rows == [
        ("i2", 5, 1, True, 2), ("i3", 5, 1, True, 2),  # tied first: same rank, agenda order
        ("i4", 3, 3, False, 2),  # then rank 3, not 2
        ("i5", 1, 4, False, 1),
        ("i1", 0, None, False, 0), ("i6", 0, None, False, 0),  # no dot, no rank, agenda order
    ]
    assert result.leaders == ["i2", "i3"] and result.voters == 3 and result.participants == 4
    assert result.dots == 14 and not result.empty


def test_outcome_names_the_leader_or_the_tie() -> None:
    c = cfg(4, dots=3)
    assert dot_vote.outcome(tally(c, [], 5)).decision is not None
    assert dot_vote.outcome(tally(c, [], 5)).tone == "none"
    one = dot_vote.outcome(tally(c, casts({"1": {"i2": 2}, "2": {"i1": 1}})))
    assert one.decision is not None and one.decision.key == "dot_vote.leader"
    assert one.decision.params == {"label": "Karte 2", "dots": 2} and one.tone == "good" and not one.notes
    tie = dot_vote.outcome(tally(c, casts({"1": {"i2": 2}, "2": {"i1": 2}})))
    assert tie.decision is not None and tie.decision.key == "dot_vote.tie"
    assert tie.decision.params == {"labels": "Karte 1 · Karte 2", "dots": 2}
    assert tie.tone == "warn" and [n.key for n in tie.notes] == ["dot_vote.issue_tie"]
    assert tie.headline is not None and tie.headline.params == {"n": 2, "dots": 2}
    single = dot_vote.outcome(tally(c, casts({"1": {"i2": 1}, "2": {"i1": 1}})))
    assert single.decision is not None and single.decision.key == "dot_vote.tie_one"  # "je 1 Punkt"


def test_a_later_step_is_offered_the_items_with_dots_best_first() -> None:
    c = Config(items=["A", "B", {"id": "m", "label": "C", "merged_from": ["x", "y"]}, "D"], dots=4)
    offered = dot_vote.items(tally(c, casts({"1": {"m": 3, "i1": 1}, "2": {"i2": 2, "i1": 1}})))
    assert [(i.id, i.label) for i in offered] == [("m", "C"), ("i1", "A"), ("i2", "B")]  # D had none
    assert offered[0].merged_from == ("x", "y")  # the harvest's provenance travels on


# --- merged cards -------------------------------------------------------------------------------


def test_dots_on_the_originals_count_once_per_person_on_the_merged_card_up_to_the_cap() -> None:
    """Two cards with dots are merged while the vote runs: each person's dots on both count for
    the merged card, at most the cap; the person is counted once."""
    c = cfg(4, dots=6, max_per_item=3)
    table = casts({
        "anna": {"i1": 2, "i2": 2},  # 4 on the two duplicates → 3 (the cap)
        "ben": {"i1": 1, "i2": 1},  # 2 → 2
        "cem": {"i2": 3},  # 3 → 3
        "dora": {"i3": 1},
    })
    before = by_id(tally(c, table))
    assert (before["i1"].dots, before["i2"].dots) == (3, 6)
    merged = tally(c, table, 4, [merge("i2", "i1", label="Fachkräfte gemeinsam gewinnen")])
    rows = by_id(merged)
    assert "i2" not in rows  # one card now
    card = rows["i1"]
    assert (card.dots, card.people, card.label) == (3 + 2 + 3, 3, "Fachkräfte gemeinsam gewinnen")
    assert card.members == ["i1", "i2"] and card.merged_from == ["i1", "i2"]
    assert merged.dots == 9 and merged.voters == 4
    # undone: each card gets back exactly what was given to it
    again = by_id(tally(c, table, 4, [merge("i2", "i1", label="Neu"), split("i2")]))
    assert (again["i1"].dots, again["i2"].dots, again["i1"].label) == (3, 6, "Karte 1")


def test_an_original_named_in_an_allocation_counts_for_its_merged_card() -> None:
    """A harvest's merged card lists its originals; dots given on an original's id count for the
    card, and the cap is checked on the card as a whole."""
    c = Config(items=[{"id": "m", "label": "Fachkräfte", "merged_from": ["k1", "k2"]}, "B", "C"], dots=5,
               max_per_item=2)
    assert give(c, {"k1": 1, "m": 1}) == {"m": 1, "k1": 1}
    error = refused(c, {"dots": {"k1": 1, "k2": 1, "m": 1}})
    assert (error.key, error.params) == ("dots_over_cap", {"item": "Fachkräfte", "cap": 2})
    result = by_id(tally(c, casts({"1": {"k1": 1, "m": 1}, "2": {"k2": 2}})))
    assert (result["m"].dots, result["m"].people) == (4, 2)


def test_merging_three_cards_and_a_merged_card_carries_every_original() -> None:
    c = Config(items=[{"id": "a", "label": "A", "merged_from": ["t1", "t2"]}, "B", "C", "D"], dots=9)
    decisions = [merge("i2", "a", 1), merge("i3", "a", 2)]
    result = by_id(tally(c, casts({"1": {"a": 1, "i2": 1, "i3": 1}}), 1, decisions))
    assert result["a"].members == ["a", "i2", "i3"]
    assert result["a"].merged_from == ["a", "t1", "t2", "i2", "i3"]
    assert (result["a"].dots, result["a"].people) == (3, 1)


def test_merge_and_split_guards() -> None:
    c = cfg(3)
    now = Situation("open", 1, (merge("i2", "i1"),))
    for payload in (Merge(item="i2", into="i3"), Merge(item="i3", into="i2"), Merge(item="i9", into="i1")):
        with pytest.raises(InvalidContribution) as caught:
            guard_merge(c, payload, now)  # i2 is no item of its own any more
        assert caught.value.key == "merge_not_an_item"
    with pytest.raises(InvalidContribution):
        guard_merge(c, Merge(item="i1", into="i1"), now)
    guard_merge(c, Merge(item="i3", into="i1"), now)
    guard_split(c, Split(item="i2"), now)
    for item in ("i1", "i3", "i9"):  # a lead or a card never merged cannot be split off
        with pytest.raises(InvalidTransition):
            guard_split(c, Split(item=item), now)


def test_a_decision_that_no_longer_fits_is_skipped() -> None:
    c = cfg(3)
    result = tally(c, [], 0, [merge("i2", "i1", 1), merge("i2", "i3", 2), split("i1", 3), split("i9", 4)])
    assert [r.members for r in result.items] == [["i1", "i2"], ["i3"]]


# --- invariants ---------------------------------------------------------------------------------


@st.composite
def scenario(draw: st.DrawFn) -> tuple[Config, list[tuple[str, dict[str, Any]]], list[Decision]]:
    n = draw(st.integers(2, 8))
    dots = draw(st.one_of(st.none(), st.integers(1, 8)))
    cap = draw(st.integers(1, 4))
    c = cfg(n, dots=dots, max_per_item=cap)
    ids = [i.id for i in c.items]
    allocation = st.dictionaries(st.sampled_from([*ids, "zz"]), st.integers(-1, 5), max_size=n)
    payloads = draw(st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d"]), allocation), max_size=12))
    commands = draw(st.lists(st.tuples(st.booleans(), st.sampled_from(ids), st.sampled_from(ids)), max_size=4))
    decisions = [Decision(k, "merge", {"item": a, "into": b}, 1) if is_merge else Decision(k, "split", {"item": a}, 1)
                 for k, (is_merge, a, b) in enumerate(commands)]
    return c, payloads, decisions


def stored(c: Config, payloads: list[tuple[str, dict[str, Any]]]) -> list[Stored]:
    """What the server keeps of these taps: the valid ones, in arrival order."""
    rows = []
    for k, (who, dots) in enumerate(payloads):
        try:
            rows.append(Stored(k, who, "dots", give(c, dots)))
        except KofferError:
            continue
    return rows


@settings(max_examples=300, deadline=None)
@given(scenario())
def test_budget_and_cap_are_never_exceeded(case: tuple[Config, list[Any], list[Decision]]) -> None:
    c, payloads, decisions = case
    for _who, dots in payloads:
        try:
            value = give(c, dots)
        except KofferError:
            continue
        assert sum(value.values()) <= c.budget and all(0 < v <= c.max_per_item for v in value.values())
    rows = stored(c, payloads)
    result = tally(c, latest(rows), 4, decisions)
    assert result.dots <= result.voters * c.budget
    for item in result.items:
        assert item.dots <= item.people * c.max_per_item  # nobody more than the cap on one card
    # every person's dots on the board stay within their budget
    per_person = {r.participant: sum(r.value.values()) for r in rows}
    assert result.dots <= sum(per_person.values())


@settings(max_examples=300, deadline=None)
@given(scenario())
def test_ranking_order_and_ties(case: tuple[Config, list[Any], list[Decision]]) -> None:
    c, payloads, decisions = case
    result = tally(c, latest(stored(c, payloads)), 4, decisions)
    counts = [r.dots for r in result.items]
    assert counts == sorted(counts, reverse=True)  # most dots first
    for r in result.items:
        if r.dots == 0:
            assert r.rank is None and not r.tie
            continue
        assert r.rank == 1 + sum(1 for o in result.items if o.dots > r.dots)
        assert r.tie == (sum(1 for o in result.items if o.dots == r.dots) > 1)
    for a, b in zip(result.items, result.items[1:], strict=False):
        if a.dots == b.dots:
            assert a.position < b.position  # a tie keeps agenda order, nothing hidden decides it
    assert set(result.leaders) == {r.id for r in result.items if r.rank == 1}
    # every agenda card is on the board exactly once
    assert sorted(m for r in result.items for m in r.members) == sorted(i.id for i in c.items)


@settings(max_examples=200, deadline=None)
@given(scenario(), st.randoms(use_true_random=False))
def test_the_tally_does_not_depend_on_the_order_of_the_people(case: Any, rnd: Any) -> None:
    c, payloads, decisions = case
    current = latest(stored(c, payloads))
    shuffled = list(current)
    rnd.shuffle(shuffled)
    assert tally(c, shuffled, 4, decisions) == tally(c, current, 4, decisions)
    json.dumps(tally(c, current, 4, decisions).model_dump(mode="json"))  # a snapshot is JSON


def test_demo_step_takes_its_items_from_the_demos_consensing_step() -> None:
    """The demo dot vote names an agenda position; a method added before it would shift that."""
    steps = demo_agenda()["steps"]
    mine = next(s for s in steps if s["method"] == "dot_vote")
    assert steps.index(mine) > mine["config"]["items_from"]["step"]
    assert steps[mine["config"]["items_from"]["step"]]["method"] == "consensing"
