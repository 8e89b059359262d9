"""Materiality matrix engine: config, validation, Bradley–Terry placement, quadrants, pair choice."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from methods import materiality as m
from methods.base import Cast, Decision, Situation, Stored, latest
from methods.errors import InvalidContribution, InvalidTransition
from methods.materiality import Config, fit, fit_mm, next_task, offered, pair_key, validate

ROOT = Path(__file__).resolve().parents[2]


def cfg(n: int = 5, **kw: Any) -> Config:
    return Config(items=[f"Thema {k}" for k in range(1, n + 1)], **kw)


WIDE = Config(items=[f"Thema {k}" for k in range(1, 61)])


def answer(participant: str, axis: str, a: str, b: str, choice: str | None) -> Cast:
    (entry,) = validate(WIDE, {"axis": axis, "pair": [a, b], "choice": choice})
    return Cast(participant, entry.key, entry.value)


def wins_casts(axis: str, table: list[tuple[str, str, int]]) -> list[Cast]:
    """(winner, loser, times) -> casts, one participant per comparison."""
    out: list[Cast] = []
    for winner, loser, times in table:
        for t in range(times):
            out.append(answer(f"p{len(out)}-{t}", axis, winner, loser, winner))
    return out


def tally(casts: list[Cast], config: Config | None = None) -> m.Result:
    return m.tally(config or cfg(), casts, 0)


def placed(result: m.Result) -> dict[str, m.Placed]:
    return {p.id: p for p in result.items}


# --- config -------------------------------------------------------------------------------------


def test_config_defaults_and_ids() -> None:
    c = Config(items=["A", {"title": "B", "description": "mehr"}, {"id": "x", "label": "C"}, "D", "E"])
    assert [o.id for o in c.items] == ["i1", "i2", "x", "i4", "i5"]
    assert c.items[1].label == "B" and c.items[1].description == "mehr"
    assert c.axes.x.label == "Wirkung" and c.axes.y.label == "Umsetzbarkeit" and c.axes.y.high == "leicht"
    assert c.comparisons_per_axis == 12 and c.split == "median"
    assert c.quadrant_labels.top_right == "priorisiert" and c.quadrant_labels.bottom_left == "nicht priorisiert"


def test_items_from_allows_no_items() -> None:
    assert Config(items_from={"step": 0, "top": 15}).items == []


@pytest.mark.parametrize("raw", [
    {"items": ["A", "B", "C", "D"]},
    {},
    {"items": [f"T{k}" for k in range(61)]},
    {"items": ["A", "B", "C", "D", "a "]},
    {"items": ["A", "B", "C", "D", "E"], "comparisons_per_axis": 0},
    {"items": ["A", "B", "C", "D", "E"], "comparisons_per_axis": 61},
    {"items": ["A", "B", "C", "D", "E"], "split": 1.5},
    {"items": ["A", "B", "C", "D", "E"], "split": "mean"},
    {"items": ["A", "B", "C", "D", "E"], "axes": {"x": {"label": ""}, "y": {"label": "Y"}}},
    {"items": ["A", "B", "C", "D", "E"], "axes": {"x": {"label": "X"}}},
    {"items": ["A", "B", "C", "D", "E"], "quadrant_labels": {"middle": "x"}},
    {"items": ["A", "B", "C", "D", "E"], "unknown": 1},
])
def test_config_errors(raw: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Config.model_validate(raw)


def test_too_few_items_says_why() -> None:
    with pytest.raises(ValidationError, match="at least 5 items"):
        cfg(4)


def test_fixed_split() -> None:
    assert cfg(split=0.6).split == 0.6


def test_default_config_and_demo_parse() -> None:
    assert len(m.ENGINE.parse_config(m.ENGINE.default_config).items) == 5
    demo = m.ENGINE.parse_config(m.ENGINE.demo_steps[0].config)
    assert len(demo.items) == 20 and demo.axes.x.label.startswith("Wirkung")
    empty = m.ENGINE.tally(demo, [], 0, ())
    assert m.ENGINE.load_result(empty.model_dump(mode="json")) == empty
    assert m.outcome(empty).decision is not None and m.outcome(empty).tone == "none"
    assert m.items(empty) == [] and empty.prioritised == []


# --- validation ---------------------------------------------------------------------------------


def err(payload: object, config: Config | None = None) -> InvalidContribution:
    with pytest.raises(InvalidContribution) as info:
        validate(config or cfg(), payload)
    return info.value


def test_validate_entry_key_is_the_same_for_both_orders() -> None:
    (one,) = validate(cfg(), {"axis": "x", "pair": ["i2", "i1"], "choice": "i1"})
    (two,) = validate(cfg(), {"axis": "x", "pair": ["i1", "i2"], "choice": None})
    assert one.key == two.key == pair_key("x", "i1", "i2") == "x:i1:i2"
    assert one.value == {"axis": "x", "pair": ["i2", "i1"], "choice": "i1"}
    (other_axis,) = validate(cfg(), {"axis": "y", "pair": ["i1", "i2"], "choice": "i2"})
    assert other_axis.key == "y:i1:i2"


@pytest.mark.parametrize(("payload", "key"), [
    (["x"], "payload_not_object"),
    ({"axis": "z", "pair": ["i1", "i2"], "choice": "i1"}, "pair_axis_unknown"),
    ({"pair": ["i1", "i2"], "choice": "i1"}, "pair_axis_unknown"),
    ({"axis": "x", "pair": ["i1"], "choice": "i1"}, "pair_invalid"),
    ({"axis": "x", "pair": "i1,i2", "choice": "i1"}, "pair_invalid"),
    ({"axis": "x", "pair": ["i1", 2], "choice": "i1"}, "pair_invalid"),
    ({"axis": "x", "pair": ["i1", "i9"], "choice": "i1"}, "pair_item_unknown"),
    ({"axis": "x", "pair": ["i1", "i1"], "choice": "i1"}, "pair_same_item"),
    ({"axis": "x", "pair": ["i1", "i2"], "choice": "i3"}, "pair_choice_invalid"),
    ({"axis": "x", "pair": ["i1", "i2"], "choice": 1}, "pair_choice_invalid"),
    ({"axis": "x", "pair": ["i1", "i2"]}, "pair_choice_invalid"),
])
def test_validate_refuses_with_a_reason(payload: object, key: str) -> None:
    assert err(payload).key == key


def test_every_refusal_and_outcome_key_has_both_texts() -> None:
    """The views' TEXTS hold every key the engine raises or names, in German and English."""
    from app.views.materiality import TEXTS

    source = (ROOT / "methods" / "materiality.py").read_text(encoding="utf-8")
    raised = set(re.findall(r"""InvalidContribution\(\s*["'](\w+)["']""", source))
    named = set(re.findall(r"""Text\(\s*["']([\w.]+)["']""", source))
    assert raised and named
    for key in [f"err.{k}" for k in raised if k != "payload_not_object"] + sorted(named):
        assert set(TEXTS.get(key, {})) == {"de", "en"}, key


def test_demo_step_comes_after_the_other_methods_demo_steps() -> None:
    """The demo's first steps (clicked through by the screens script and the browser tests) stay."""
    from methods import consensing, hand_vote

    others = [d.order for e in (hand_vote.ENGINE, consensing.ENGINE) for d in e.demo_steps]
    assert min(d.order for d in m.ENGINE.demo_steps) > max(others)


# --- placement ----------------------------------------------------------------------------------


def test_no_comparisons_everything_in_the_middle() -> None:
    r = tally([])
    assert r.empty and not r.enough and r.prioritised == []
    assert all(p.x == 0.5 and p.y == 0.5 and p.quadrant is None for p in r.items)


def test_hand_checkable_two_items_with_prior() -> None:
    """A beat B twice: with one virtual win and loss each against γ=1 the MAP is symmetric,
    γ_A = 1/γ_B; the fixed point of 3/γ_A = 2/(γ_A+1) + 2/(γ_A+γ_B) is γ_A = 2."""
    f = fit(2, {(0, 1): 2})
    assert f.theta[0] == pytest.approx(-f.theta[1], abs=1e-9)
    # check the MM fixed point by hand
    ga, gb = (2.718281828459045 ** t for t in f.theta)
    assert (1 + 2) / ga == pytest.approx(2 / (ga + 1) + 2 / (ga + gb), rel=1e-9)
    assert f.score[0] == pytest.approx(ga / (ga + gb)) and f.score[0] > 0.5 > f.score[1]


def test_newton_matches_hunters_mm() -> None:
    wins = {(0, 1): 3, (1, 0): 1, (1, 2): 2, (2, 3): 4, (3, 0): 1, (0, 4): 2, (4, 2): 1}
    assert list(fit(5, wins).theta) == pytest.approx(fit_mm(5, wins), abs=1e-7)


def test_known_order_chain() -> None:
    """A > B > C > D > E, each beating every lower one three times: the order is the chain."""
    ids = ["i1", "i2", "i3", "i4", "i5"]
    table = [(ids[a], ids[b], 3) for a in range(5) for b in range(a + 1, 5)]
    r = tally(wins_casts("x", table) + wins_casts("y", table))
    assert r.rankings["x"] == ids and r.rankings["y"] == ids
    p = placed(r)
    assert p["i1"].quadrant == "top_right" and p["i5"].quadrant == "bottom_left"
    assert r.prioritised[0] == "i1" and "i5" not in r.prioritised
    assert r.split["x"] == pytest.approx(p["i3"].x, abs=1e-4)  # the median item
    assert r.comparisons == {"x": 30, "y": 30}
    for item in r.items:
        assert item.x_interval[0] <= item.x <= item.x_interval[1]


def test_prior_keeps_unbeaten_winless_and_unconnected_items_finite() -> None:
    r = tally(wins_casts("x", [("i1", "i2", 20), ("i1", "i3", 20), ("i4", "i1", 0)]))
    p = placed(r)
    assert 0.5 < p["i1"].x < 1.0 and 0.0 < p["i2"].x < 0.5
    assert p["i4"].comparisons["x"] == 0 and 0.0 < p["i4"].x < 1.0  # never compared: at the reference
    assert p["i4"].quadrant is None and p["i4"].uncertain


def test_skips_do_not_count() -> None:
    base = wins_casts("x", [("i1", "i2", 2), ("i2", "i3", 1)])
    skips = [answer(f"s{k}", "x", "i1", "i3", None) for k in range(5)]
    a, b = tally(base), tally(base + skips)
    assert [p.x for p in a.items] == [p.x for p in b.items]
    assert b.skips == {"x": 5, "y": 0} and b.comparisons == a.comparisons
    assert b.raters == a.raters + 5


def test_latest_answer_per_pair_counts() -> None:
    (first,) = validate(cfg(), {"axis": "x", "pair": ["i1", "i2"], "choice": "i1"})
    (second,) = validate(cfg(), {"axis": "x", "pair": ["i2", "i1"], "choice": "i2"})
    rows = [Stored(1, "p", first.key, first.value), Stored(2, "p", second.key, second.value)]
    current = latest(rows)
    assert len(current) == 1
    r = tally(current)
    assert placed(r)["i2"].x > placed(r)["i1"].x


def test_junk_and_removed_items_are_ignored() -> None:
    casts = [Cast("p", "x:i1:i99", {"axis": "x", "pair": ["i1", "i99"], "choice": "i1"}),
             Cast("p", "x:i1:i2", "nonsense"),
             Cast("p", "x:i1:i2", {"axis": "x", "pair": ["i2", "i1"], "choice": "i3"})]
    assert tally(casts).empty


def test_outcome_names_prioritised_and_notes_doubt() -> None:
    ids = ["i1", "i2", "i3", "i4", "i5"]
    table = [(ids[a], ids[b], 1) for a in range(5) for b in range(a + 1, 5)]
    r = tally(wins_casts("x", table) + wins_casts("y", table))
    out = m.outcome(r)
    assert out.decision is not None and out.decision.key == "materiality.prioritised"
    assert r.prioritised and out.decision.params["labels"].startswith("Thema 1")
    assert not r.enough and out.tone == "warn" and out.notes[0].key == "materiality.note_uncertain"
    assert [i.id for i in m.items(r)] == r.prioritised


def test_enough_with_clear_and_plentiful_data() -> None:
    ids = ["i1", "i2", "i3", "i4", "i5"]
    table = [(ids[a], ids[b], 12) for a in range(5) for b in range(a + 1, 5)]
    r = tally(wins_casts("x", table) + wins_casts("y", table))
    assert r.enough and m.outcome(r).tone == "good"


# --- pair choice --------------------------------------------------------------------------------


def play(config: Config, participants: int, seed: int = 3) -> list[Cast]:
    casts: list[Cast] = []
    for rnd in range(2 * config.comparisons_per_axis + 1):
        for p in range(participants):
            task = next_task(config, casts, f"p{p}", seed)
            if task is None:
                continue
            a, b = task["pair"][0]["id"], task["pair"][1]["id"]
            assert offered(config, casts, f"p{p}", seed, [a, b], task["axis"])
            choice = None if rnd % 5 == 4 else min(a, b)
            (entry,) = validate(config, {"axis": task["axis"], "pair": [a, b], "choice": choice})
            casts.append(Cast(f"p{p}", entry.key, entry.value))
    return casts


def test_next_task_shape_and_determinism() -> None:
    c = cfg(8, comparisons_per_axis=3)
    task = next_task(c, [], "p1", 7)
    assert task == next_task(c, [], "p1", 7)
    assert task["axis"] == "x" and task["question_axis_label"] == "Wirkung"
    assert task["progress"] == {"done": 0, "total": 6}
    assert {"id", "title", "description"} == set(task["pair"][0])
    others = {str(next_task(c, [], f"q{k}", 7)["pair"]) for k in range(20)}
    assert len(others) > 3  # participants at the same moment get different pairs


def test_next_task_alternates_never_repeats_and_stops() -> None:
    c = cfg(6, comparisons_per_axis=4)
    casts = play(c, 3)
    for p in ("p0", "p1", "p2"):
        own = [x for x in casts if x.participant == p]
        assert len(own) == 8 and len({x.key for x in own}) == 8
        assert [x.value["axis"] for x in own] == ["x", "y"] * 4
        assert next_task(c, casts, p, 3) is None


def test_budget_capped_by_the_pairs_there_are() -> None:
    c = cfg(5, comparisons_per_axis=60)  # only 10 pairs per axis
    own = [x for x in play(c, 1) if x.participant == "p0"]
    assert len(own) == 20


def test_offered_refuses_pairs_not_due() -> None:
    c = cfg(10, comparisons_per_axis=2)
    task = next_task(c, [], "p1", 5)
    assert not offered(c, [], "p1", 5, [task["pair"][0]["id"], task["pair"][1]["id"]], "y")
    assert not offered(c, [], "p1", 5, ["i1", "i1"], "x")
    assert not offered(c, [], "p1", 5, ["i1", "i99"], "x")


# --- invariants ---------------------------------------------------------------------------------

comparison = st.tuples(st.sampled_from(["x", "y"]), st.integers(0, 5), st.integers(0, 5),
                       st.sampled_from([0, 1, None]))


def to_casts(rows: list[tuple[str, int, int, int | None]]) -> list[Cast]:
    out = []
    for k, (axis, a, b, pick) in enumerate(rows):
        if a == b:
            continue
        ia, ib = f"i{a + 1}", f"i{b + 1}"
        out.append(answer(f"p{k}", axis, ia, ib, None if pick is None else (ia, ib)[pick]))
    return out


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(comparison, max_size=40), data=st.data())
def test_order_of_casts_does_not_matter(rows: list[tuple[str, int, int, int | None]], data: st.DataObject) -> None:
    casts = to_casts(rows)
    shuffled = data.draw(st.permutations(casts))
    c = cfg(6)
    assert m.tally(c, casts, 0) == m.tally(c, list(shuffled), 0)


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(comparison, max_size=40), a=st.integers(0, 5), b=st.integers(0, 5))
def test_a_win_never_lowers_the_winner(rows: list[tuple[str, int, int, int | None]], a: int, b: int) -> None:
    if a == b:
        return
    c = cfg(6)
    before = placed(m.tally(c, to_casts(rows), 0))
    extra = answer("new", "x", f"i{a + 1}", f"i{b + 1}", f"i{a + 1}")
    after = placed(m.tally(c, [*to_casts(rows), extra], 0))
    assert after[f"i{a + 1}"].x >= before[f"i{a + 1}"].x - 1.01e-4
    assert after[f"i{b + 1}"].x <= before[f"i{b + 1}"].x + 1.01e-4


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(comparison, max_size=60))
def test_coordinates_in_range_and_intervals_around_them(rows: list[tuple[str, int, int, int | None]]) -> None:
    r = m.tally(cfg(6), to_casts(rows), 0)
    for p in r.items:
        for value, (lo, hi) in ((p.x, p.x_interval), (p.y, p.y_interval)):
            assert 0.0 < lo <= value <= hi < 1.0
        assert 0.0 <= p.quadrant_certainty <= 1.0
    assert set(r.rankings["x"]) == {p.id for p in r.items}


# --- moderator commands -------------------------------------------------------------------------


def decided(*steps: tuple[str, dict[str, Any]]) -> list[Decision]:
    return [Decision(seq=k, command=c, payload=p, round=1, actor="moderator", at=f"2026-11-30T10:{k:02d}:00")
            for k, (c, p) in enumerate(steps, start=1)]


def ordered() -> list[Cast]:
    """i1 beats everyone on both axes, i5 loses to everyone: i1 top right, i5 bottom left."""
    ids = ["i1", "i2", "i3", "i4", "i5"]
    table = [(ids[a], ids[b], 3) for a in range(5) for b in range(a + 1, 5)]
    return wins_casts("x", table) + wins_casts("y", table)


def command(name: str) -> m.Command[Config, Any]:
    found = m.ENGINE.command(name)
    assert found is not None
    return found


def guard(name: str, payload: dict[str, Any], decisions: list[Decision] | None = None, config: Config | None = None) -> None:
    cmd = command(name)
    assert cmd.guard is not None
    cmd.guard(config or cfg(), cmd.payload.model_validate(payload), Situation("closed", 1, tuple(decisions or ())))


def test_a_move_keeps_the_computed_position_and_decides_quadrant_and_priority() -> None:
    before = placed(tally(ordered()))
    assert before["i5"].quadrant == "bottom_left" and not before["i5"].prioritised
    r = m.tally(cfg(), ordered(), 0, decided(("move", {"item": "i5", "x": 0.9, "y": 0.8})))
    i5 = placed(r)["i5"]
    assert (i5.x, i5.y, i5.x_interval) == (before["i5"].x, before["i5"].y, before["i5"].x_interval)
    assert i5.moderator == m.Moved(x=0.9, y=0.8, by="moderator", at="2026-11-30T10:01:00")
    assert i5.quadrant == "top_right" and i5.prioritised and not i5.uncertain
    assert "i5" in r.prioritised and "i5" in [i.id for i in m.items(r)]
    assert r.rankings == tally(ordered()).rankings  # the computed order stays in the record
    dumped = r.model_dump(mode="json")["items"][4]["moderator"]
    assert dumped == {"x": 0.9, "y": 0.8, "by": "moderator", "at": "2026-11-30T10:01:00"}


def test_undo_takes_back_the_latest_move_only() -> None:
    moves = [("move", {"item": "i3", "x": 0.1, "y": 0.1}), ("move", {"item": "i3", "x": 0.95, "y": 0.95})]
    one_back = placed(m.tally(cfg(), ordered(), 0, decided(*moves, ("undo_move", {"item": "i3"}))))["i3"]
    assert one_back.moderator is not None and (one_back.moderator.x, one_back.moderator.y) == (0.1, 0.1)
    assert one_back.quadrant == "bottom_left"
    both_back = placed(m.tally(cfg(), ordered(), 0, decided(*moves, ("undo_move", {"item": "i3"}),
                                                            ("undo_move", {"item": "i3"}))))["i3"]
    assert both_back == placed(tally(ordered()))["i3"]


def test_marks_override_the_quadrant_for_the_prioritised_set() -> None:
    plain = tally(ordered())
    assert "i1" in plain.prioritised and "i4" not in plain.prioritised
    r = m.tally(cfg(), ordered(), 0, decided(("prioritise", {"item": "i1", "prioritised": False}),
                                             ("prioritise", {"item": "i4", "prioritised": True})))
    by = placed(r)
    assert "i1" not in r.prioritised and "i4" in r.prioritised
    assert by["i1"].marked is False and by["i1"].quadrant == "top_right" and not by["i1"].prioritised
    assert by["i4"].marked is True and by["i4"].prioritised
    assert [i.id for i in m.items(r)] == r.prioritised  # later steps get what the moderator marked
    again = m.tally(cfg(), ordered(), 0, decided(("prioritise", {"item": "i1", "prioritised": False}),
                                                 ("prioritise", {"item": "i1", "prioritised": True})))
    assert placed(again)["i1"].prioritised and placed(again)["i1"].marked is True


def test_decisions_about_unknown_items_or_junk_are_ignored() -> None:
    r = m.tally(cfg(), ordered(), 0, decided(("move", {"item": "i99", "x": 0.5, "y": 0.5}),
                                             ("move", {"item": "i2", "x": 3, "y": 0.5}),
                                             ("move", {"item": "i2", "x": True, "y": 0.5}),
                                             ("undo_move", {"item": "i2"}), ("melt", {"item": "i2"})))
    assert r == tally(ordered())


@pytest.mark.parametrize(("name", "payload", "key"), [
    ("move", {"item": "i99", "x": 0.5, "y": 0.5}, "mat_item_unknown"),
    ("move", {"item": "i1", "x": 1.2, "y": 0.5}, "mat_move_range"),
    ("move", {"item": "i1", "x": 0.5, "y": -0.01}, "mat_move_range"),
    ("prioritise", {"item": "nope"}, "mat_item_unknown"),
    ("undo_move", {"item": "i99"}, "mat_item_unknown"),
])
def test_command_guards_refuse_with_a_reason(name: str, payload: dict[str, Any], key: str) -> None:
    with pytest.raises(InvalidContribution) as caught:
        guard(name, payload)
    assert caught.value.key == key


def test_undo_without_a_move_is_refused_by_title() -> None:
    with pytest.raises(InvalidTransition) as caught:
        guard("undo_move", {"item": "i2"})
    assert caught.value.key == "mat_nothing_to_undo" and caught.value.params == {"item": "Thema 2"}
    moved = decided(("move", {"item": "i2", "x": 0.2, "y": 0.2}))
    guard("undo_move", {"item": "i2"}, moved)  # now there is one
    with pytest.raises(InvalidTransition):  # taken back already: nothing left to undo
        guard("undo_move", {"item": "i2"}, [*moved, Decision(9, "undo_move", {"item": "i2"}, 1)])


def test_command_texts_and_choices() -> None:
    from app.views.materiality import TEXTS

    for cmd in m.COMMANDS:
        assert cmd.label in TEXTS
        for field in cmd.payload.model_fields:
            assert f"{cmd.label}.{field}" in TEXTS, (cmd.name, field)
        assert cmd.choices is not None and cmd.choices(cfg())["item"]["i2"] == "2  Thema 2"
    for key in ("mat_item_unknown", "mat_move_range", "mat_nothing_to_undo"):
        assert set(TEXTS[f"err.{key}"]) == {"de", "en"}


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(comparison, max_size=40),
       moves=st.lists(st.tuples(st.integers(0, 5), st.floats(0, 1), st.floats(0, 1), st.booleans()), max_size=6))
def test_decisions_never_change_the_computed_placement(rows: list[tuple[str, int, int, int | None]],
                                                       moves: list[tuple[int, float, float, bool]]) -> None:
    c = cfg(6)
    steps = [("move", {"item": f"i{k + 1}", "x": x, "y": y}) if not undo else ("undo_move", {"item": f"i{k + 1}"})
             for k, x, y, undo in moves]
    plain, moved = m.tally(c, to_casts(rows), 0), m.tally(c, to_casts(rows), 0, decided(*steps))
    for a, b in zip(plain.items, moved.items, strict=True):
        assert (a.x, a.y, a.x_interval, a.y_interval, a.comparisons) == (b.x, b.y, b.x_interval, b.y_interval,
                                                                         b.comparisons)
        if b.moderator is not None:
            assert b.quadrant is not None and b.prioritised == (b.quadrant == "top_right")
    assert plain.rankings == moved.rankings


# --- answers to pairs not offered ---------------------------------------------------------------


def test_admit_accepts_what_was_handed_or_answered_and_refuses_the_rest() -> None:
    c = cfg(12, comparisons_per_axis=4)
    pl = m.place(c, [])
    task = next_task(c, [], "p1", 5)
    pair = [task["pair"][0]["id"], task["pair"][1]["id"]]
    m.admit(c, pl, [], "p1", 5, {"axis": "x", "pair": pair, "choice": None})
    ranked = m.candidates(c, pl, m.own_pairs(c, [], "p1"), "x", "p1", 5)
    far = [c.items[ranked[-1][0]].id, c.items[ranked[-1][1]].id]  # the participant's least likely pair
    with pytest.raises(InvalidContribution) as caught:
        m.admit(c, pl, [], "p1", 5, {"axis": "x", "pair": far, "choice": far[0]})
    assert caught.value.key == "pair_not_offered" and caught.value.params["first"].startswith("Thema")
    handed = {**task, "pair": [{"id": far[0]}, {"id": far[1]}]}  # as if the model had chosen it
    m.admit(c, pl, [], "p1", 5, {"axis": "x", "pair": far[::-1], "choice": None}, [handed])
    done = [answer("p1", "x", far[0], far[1], far[0])]  # answered once (say before a restart)
    m.admit(c, pl, done, "p1", 5, {"axis": "x", "pair": far, "choice": far[1]})


def test_task_for_with_a_model_of_the_same_casts_is_next_task() -> None:
    c = cfg(8, comparisons_per_axis=3)
    casts = play(c, 4)[:10]
    for p in ("p0", "p3", "new"):
        own = [x for x in casts if x.participant == p]
        assert m.task_for(c, m.place(c, casts), own, p, 9) == next_task(c, casts, p, 9)


# --- what makes a pair worth asking -------------------------------------------------------------


def a_fit(scores: list[float], counts: list[int], se: float = 0.3) -> m.Fit:
    """A fitted axis made up for the pair-choice rules: the given coordinates and counts, one
    standard error, the slope of a coordinate near the middle."""
    n = len(scores)
    return m.Fit(theta=tuple(4.0 * (s - 0.5) for s in scores), se=(se,) * n, score=tuple(scores),
                 low=tuple(scores), high=tuple(scores), slope=(0.25,) * n, comparisons=tuple(counts),
                 games={}, iterations=0)


def test_an_item_in_doubt_about_its_side_needs_more_than_a_clear_one() -> None:
    f = a_fit([0.1, 0.5, 0.9, 0.5], [20, 20, 20, 20])
    need = m.needs(f, 0.5)
    assert need[1] == need[3] > need[0] == pytest.approx(need[2])


def test_an_item_compared_less_needs_more() -> None:
    f = a_fit([0.1, 0.1, 0.9, 0.9], [5, 30, 30, 30])
    need = m.needs(f, 0.5)
    assert need[0] > need[1] == pytest.approx(need[2])


def test_a_close_pair_of_needy_items_is_worth_most() -> None:
    f = a_fit([0.49, 0.51, 0.95, 0.05], [20, 20, 20, 20])
    value = m.utilities(f, 0.5)
    assert max(value, key=lambda pair: value[pair]) == (0, 1)
    assert value[(2, 3)] == min(value.values())  # far apart and both clearly placed


def test_pair_values_are_computed_once_per_model(monkeypatch: pytest.MonkeyPatch) -> None:
    c = cfg(12, comparisons_per_axis=4)
    casts = play(c, 3)[:9]
    calls: list[str] = []
    real = m.utilities

    def counting(f: m.Fit, split: float) -> dict[tuple[int, int], float]:
        calls.append("x")
        return real(f, split)

    monkeypatch.setattr(m, "utilities", counting)
    model = m.place(c, casts)
    tasks = [m.task_for(c, model, [], f"p{k}", 1) for k in range(20)]
    assert len(calls) == len(m.AXES) and all(tasks)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(comparison, max_size=30), participant=st.sampled_from(["p0", "p1", "p2"]),
       seed=st.integers(0, 1000))
def test_candidates_rank_every_open_pair_once(rows: list[tuple[str, int, int, int | None]], participant: str,
                                             seed: int) -> None:
    c = cfg(6)
    casts = [Cast(f"p{k % 3}", x.key, x.value) for k, x in enumerate(to_casts(rows))]
    seen = m.own_pairs(c, casts, participant)
    model = m.place(c, casts)
    for axis in m.AXES:
        ranked = m.candidates(c, model, seen, axis, participant, seed)
        every = {(i, j) for i in range(6) for j in range(i + 1, 6)}
        assert sorted(ranked) == sorted(every - seen[axis])
        assert ranked == m.candidates(c, model, seen, axis, participant, seed)
        assert m.best(model, seen, axis, participant, seed) == (ranked[0] if ranked else None)


def test_the_task_is_the_first_candidate_whether_the_pick_is_random_or_the_best() -> None:
    """``best`` (what a task takes) equals the first of the full ranking in both of its ways: the
    best score, and the random pick a quarter of the tasks take (both occur over these seeds)."""
    c = cfg(12, comparisons_per_axis=4)
    casts = play(c, 4)
    model = m.place(c, casts)
    ways = set()
    for seed in range(120):
        participant = f"p{seed % 5}"
        seen = m.own_pairs(c, casts, participant)
        for axis in m.AXES:
            ranked = m.candidates(c, model, seen, axis, participant, seed)
            assert m.best(model, seen, axis, participant, seed) == ranked[0]
            ways.add(ranked[0] == min(m._scored(model, seen, axis, participant, seed)[0])[1])
    assert ways == {True, False}


def test_best_stops_early_yet_takes_the_first_candidate() -> None:
    """``best`` scores the pairs by falling utility and stops once no later pair can score lower:
    at 20 items with a fifth of the pairs asked it must still pick what the full ranking puts
    first, for every participant and seed (both ways: the best score and the random pick), and
    where utilities tie at zero or (not from this engine, but ``best`` must not rely on it
    silently) are negative."""
    c = cfg(20, comparisons_per_axis=40)
    casts = play(cfg(20, comparisons_per_axis=6), 12)
    model = m.place(c, casts)
    rng = random.Random(4)
    pairs = [(i, j) for i in range(20) for j in range(i + 1, 20)]
    flat = m.place(c, [])
    odd = m.place(c, casts)
    odd.__dict__["utilities"] = {a: {p: (-1.0 if k % 7 == 0 else 0.0 if k % 3 == 0 else u)
                                     for k, (p, u) in enumerate(model.utilities[a].items())} for a in m.AXES}
    taken = 0
    for seed in range(150):
        participant = f"p{seed % 13}"
        seen = {a: set(rng.sample(pairs, rng.choice([0, 5, 38, 189]))) for a in m.AXES}
        for placement in (model, flat, odd):
            for axis in m.AXES:
                ranked = m.candidates(c, placement, seen, axis, participant, seed)
                assert m.best(placement, seen, axis, participant, seed) == (ranked[0] if ranked else None)
                taken += bool(ranked)
    assert taken > 800


def test_answers_says_which_payload_answers_a_handed_task_and_admit_agrees() -> None:
    """Facilitation admits an answer to a handed task on ``answers`` alone (no read of the round):
    it must match exactly what ``admit`` accepts from ``handed``, and nothing else."""
    c = cfg(12, comparisons_per_axis=4)
    task = next_task(c, [], "p1", 5)
    a, b = task["pair"][0]["id"], task["pair"][1]["id"]
    axis, other = task["axis"], "y" if task["axis"] == "x" else "x"
    assert m.answers(task, {"axis": axis, "pair": [a, b], "choice": a})
    assert m.answers(task, {"axis": axis, "pair": [b, a], "choice": None})  # either order
    third = next(o.id for o in c.items if o.id not in (a, b))
    for wrong in ({"axis": other, "pair": [a, b], "choice": a}, {"axis": axis, "pair": [a, third], "choice": a},
                  {"axis": axis, "pair": "ab", "choice": None}, {"axis": axis}, ["x"]):
        assert not m.answers(task, wrong)
    assert not m.answers(None, {"axis": axis, "pair": [a, b], "choice": a})  # nothing handed (done)
    pl = m.place(c, [])
    for payload in ({"axis": axis, "pair": [b, a], "choice": b}, {"axis": axis, "pair": [a, b], "choice": None}):
        assert m.answers(task, payload)
        m.admit(c, pl, [], "p1", 5, payload, [task])  # admit accepts it from the handed task too


# --- a participant's answered pairs, kept between answers --------------------------------------


@settings(max_examples=120, deadline=None)
@given(rows=st.lists(comparison, max_size=30), cuts=st.lists(st.integers(0, 30), max_size=4))
def test_answered_pairs_extended_piece_by_piece_are_the_own_pairs_of_all(
        rows: list[tuple[str, int, int, int | None]], cuts: list[int]) -> None:
    """``answered`` grown by any split of a participant's casts (answers and changed answers in
    the order stored) equals ``own_pairs`` of them all; the state it was given stays as it was."""
    c = cfg(6)
    casts = [Cast("p0", x.key, x.value) for x in to_casts(rows)]
    state: m.Answered | None = None
    for start, end in zip([0, *sorted(cuts)], [*sorted(cuts), len(casts)], strict=True):
        prev = state
        kept = None if prev is None else {a: set(s) for a, s in prev.pairs.items()}
        state = m.answered(c, state, casts[start:end])
        if prev is not None:
            assert {a: set(s) for a, s in prev.pairs.items()} == kept  # the state given stays as it was
        assert dict(state.pairs) == m.own_pairs(c, latest(casts[:max(start, end)]), "p0")
    assert state is not None


def test_the_next_pair_from_the_kept_answered_pairs_is_the_same_on_many_random_cases() -> None:
    """The task and the admission from ``Answered`` (what facilitation keeps) equal those from the
    casts, as before, across rooms, participants, seeds and lengths (the random pick and the best
    score both occur): 20 items, the participant's state grown answer by answer."""
    c = cfg(20, comparisons_per_axis=8)
    checked = 0
    for room_seed in range(4):
        casts = play(cfg(20, comparisons_per_axis=4), 10, seed=room_seed)
        model = m.place(c, casts)
        for p in range(10):
            participant = f"p{p}"
            own = [x for x in casts if x.participant == participant]
            state: m.Answered | None = None
            for k in range(len(own) + 1):
                state = m.answered(c, state, own[k - 1:k] if k else [])
                for seed in (1, 17, 400):
                    task = m.task_for(c, model, own[:k], participant, seed)
                    assert m.task_for(c, model, state, participant, seed) == task
                    if task is not None:
                        pair = [task["pair"][0]["id"], task["pair"][1]["id"]]
                        for probe in (pair, [c.items[0].id, c.items[-1].id]):
                            assert m.offered_by(c, model, state, participant, seed, probe, task["axis"]) \
                                == m.offered_by(c, model, own[:k], participant, seed, probe, task["axis"])
                    checked += 1
    assert checked > 900


def test_the_item_index_is_made_once_per_config_and_matches_the_items() -> None:
    c = cfg(7)
    assert c.index == {o.id: k for k, o in enumerate(c.items)}
    assert c.index is c.index
    assert c.model_dump() == cfg(7).model_dump() and "index" not in c.model_dump()


# --- the pair after the one on screen --------------------------------------------------------------


def test_the_task_after_an_assumed_answer_is_the_task_once_it_is_answered() -> None:
    """``assume`` is the state the participant reaches by answering the task: the task chosen from
    it is exactly the one chosen after the real answer is stored (same model), so the pair a phone
    holds ahead is the pair it would have been sent; the axes still alternate, no pair comes
    twice, and the last pair of the budget has nothing after it."""
    c = cfg(12, comparisons_per_axis=5)
    model = m.place(c, play(cfg(12, comparisons_per_axis=3), 8, seed=3))
    for participant in ("p1", "p2", "p9"):
        state = m.answered(c, None, [])
        shown: list[tuple[str, frozenset[str]]] = []
        task = m.task_for(c, model, state, participant, 11)
        while task is not None:
            assumed = m.assume(c, state, task)
            assert assumed is not None
            ahead = m.task_for(c, model, assumed, participant, 11)
            a, b = task["pair"][0]["id"], task["pair"][1]["id"]
            (entry,) = validate(c, {"axis": task["axis"], "pair": [a, b], "choice": a})
            stored = m.answered(c, state, [Cast(participant, entry.key, entry.value)])
            assert stored == assumed
            assert m.assume(c, stored, task) is None  # answered: no longer open
            shown.append((task["axis"], frozenset((a, b))))
            if ahead is not None:
                assert ahead["axis"] != task["axis"]  # the axes alternate (equal budgets)
                assert ahead["progress"]["done"] == task["progress"]["done"] + 1
            state, task = stored, m.task_for(c, model, stored, participant, 11)
            assert task == ahead
        assert len(shown) == len(set(shown)) == 10


def test_assume_refuses_what_is_no_open_pair() -> None:
    c = cfg(6, comparisons_per_axis=1)
    state = m.answered(c, None, [])
    a, b, other = c.items[0].id, c.items[1].id, c.items[2].id

    def task(axis: str, *ids: str) -> dict[str, Any]:
        return {"axis": axis, "pair": [{"id": i} for i in ids]}

    assert m.assume(c, state, task("x", a, b)) is not None
    for bad in (None, {}, task("z", a, b), task("x", a, a), task("x", a, "nope"), task("x", a, b, other)):
        assert m.assume(c, state, bad) is None
    done = m.assume(c, state, task("x", a, b))
    assert done is not None and m.assume(c, done, task("x", a, other)) is None  # the axis' budget is spent
    assert m.assume(c, done, task("y", a, other)) is not None
