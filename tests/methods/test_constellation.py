"""Room constellation engine: config, positions, signatures, the stage from decisions, the numbers."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from methods import constellation
from methods.base import Cast, Decision, Situation, Stored, latest
from methods.constellation import (
    BINS,
    ENGINE,
    Config,
    gate,
    outcome,
    picture,
    quantile,
    stage,
    tally,
    validate,
)
from methods.errors import InvalidContribution, InvalidTransition

STATEMENTS = ["Das Leitbild", "Die Leitziele", "Die SWOT-Analyse"]


def cfg(**kw: Any) -> Config:
    return Config.model_validate({"statements": STATEMENTS, **kw})


def line(*xs: float, statement: int = 0) -> list[Cast]:
    """Participants "1", "2", … placed at xs on a line."""
    return [Cast(str(k), f"pos:{statement}", [x]) for k, x in enumerate(xs, start=1)]


def decided(*commands: tuple[str, dict[str, Any]]) -> list[Decision]:
    return [Decision(seq=k, command=c, payload=p, round=1, at=f"2017-11-07T14:{k:02d}:00")
            for k, (c, p) in enumerate(commands, start=1)]


def refused(key: str, fn: Any, *args: Any) -> InvalidContribution | InvalidTransition:
    with pytest.raises((InvalidContribution, InvalidTransition)) as caught:
        fn(*args)
    assert caught.value.key == key, caught.value
    return caught.value


# --- config -------------------------------------------------------------------------------------


def test_config_defaults_are_the_agreement_line() -> None:
    c = cfg()
    assert c.dimensions == 1 and c.y_axis is None
    assert (c.axes.x.low, c.axes.x.high) == ("klare Ablehnung", "volle Zustimmung")
    assert not c.names and not c.phones_see_others and not c.sign_off
    assert ENGINE.results_hidden_by_default is False  # the room sees people take their places


def test_a_field_gets_its_second_axis_and_the_scenario_config_parses() -> None:
    assert cfg(dimensions=2).y_axis == constellation.Y_DEFAULT
    own = cfg(dimensions=2, axes={"x": {"label": "Zustimmung", "low": "nein", "high": "ja"},
                                  "y": {"label": "Engagement", "low": "zuschauen", "high": "anpacken"}})
    assert own.y_axis is not None and own.y_axis.high == "anpacken"
    treffen4 = {"dimensions": 1, "axes": {"x": {"label": "Zustimmung", "low": "klare Ablehnung",
                                                "high": "volle Zustimmung"}},
                "statements": STATEMENTS, "sign_off": True}
    assert Config.model_validate(treffen4).sign_off


@pytest.mark.parametrize("bad, code", [
    ({"dimensions": 3}, "dimensions_choice"),
    ({"statements": []}, "too_short"),
    ({"statements": ["  "]}, "string_too_short"),
    ({"statements": ["x" * 3001]}, "string_too_long"),
    ({"axes": {"x": {"label": "Z", "low": "", "high": "ja"}}}, "string_too_short"),
    ({"colour": "red"}, "extra_forbidden"),
])
def test_bad_configs_say_why(bad: dict[str, Any], code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Config.model_validate({"statements": STATEMENTS, **bad})
    assert code in {e["type"] for e in caught.value.errors()}


# --- positions ----------------------------------------------------------------------------------


def test_a_position_is_one_entry_per_statement() -> None:
    assert validate(cfg(), {"statement": 1, "x": 0.25}) == [constellation.Entry("pos:1", [0.25])]
    assert validate(cfg(dimensions=2), {"statement": 0, "x": 1, "y": 0}) == [constellation.Entry("pos:0", [1.0, 0.0])]
    assert validate(cfg(), {"statement": 0, "x": 0.123456789})[0].value == [0.1235]


@pytest.mark.parametrize("payload, key", [
    ({"statement": 0, "x": 1.01}, "constellation_outside"),
    ({"statement": 0, "x": -0.01}, "constellation_outside"),
    ({"statement": 0, "x": float("nan")}, "constellation_coordinate"),
    ({"statement": 0, "x": float("inf")}, "constellation_coordinate"),
    ({"statement": 0, "x": "0.5"}, "constellation_coordinate"),
    ({"statement": 0, "x": True}, "constellation_coordinate"),
    ({"statement": 0}, "constellation_coordinate"),
    ({"statement": 3, "x": 0.5}, "constellation_statement"),
    ({"statement": -1, "x": 0.5}, "constellation_statement"),
    ({"statement": "0", "x": 0.5}, "constellation_statement"),
    ({"statement": 0, "x": 0.5, "y": 0.5}, "constellation_no_y"),
    ({"statement": 0, "x": 0.5, "colour": 1}, "constellation_position_invalid"),
])
def test_bad_positions_are_refused_with_a_reason(payload: dict[str, Any], key: str) -> None:
    refused(key, validate, cfg(), payload)


def test_a_field_needs_y_in_range() -> None:
    refused("constellation_coordinate", validate, cfg(dimensions=2), {"statement": 0, "x": 0.5})
    refused("constellation_outside", validate, cfg(dimensions=2), {"statement": 0, "x": 0.5, "y": 2})


# --- signatures ---------------------------------------------------------------------------------


def test_a_signature_is_a_name_and_optional_strokes() -> None:
    c = cfg(sign_off=True)
    entry = validate(c, {"sign": {"statement": 0, "name": " Anna Weber ", "strokes": [[0, 0, 10, 20], [500, 500]]}})[0]
    assert entry.key == "sign:0"
    assert entry.value == {"name": "Anna Weber", "strokes": [[0, 0, 10, 20], [500, 500]]}
    assert validate(c, {"sign": {"statement": 2, "name": "B"}})[0].value == {"name": "B", "strokes": []}


@pytest.mark.parametrize("sign, key", [
    ({"statement": 0, "name": ""}, "constellation_sign_name"),
    ({"statement": 0, "name": "x" * 81}, "constellation_sign_name"),
    ({"statement": 0}, "constellation_sign_name"),
    ({"statement": 5, "name": "A"}, "constellation_statement"),
    ({"statement": 0, "name": "A", "strokes": [[0, 0, 1]]}, "constellation_strokes"),
    ({"statement": 0, "name": "A", "strokes": [[0, 1001]]}, "constellation_strokes"),
    ({"statement": 0, "name": "A", "strokes": [[0.5, 1]]}, "constellation_strokes"),
    ({"statement": 0, "name": "A", "strokes": [[]]}, "constellation_strokes"),
    ({"statement": 0, "name": "A", "strokes": [[1, 1]] * 41}, "constellation_strokes"),
    ({"statement": 0, "name": "A", "strokes": [[1, 1] * 401]}, "constellation_strokes"),
    ({"statement": 0, "name": "A", "bitmap": "data:image/png"}, "constellation_sign_invalid"),
])
def test_bad_signatures_are_refused(sign: dict[str, Any], key: str) -> None:
    refused(key, validate, cfg(sign_off=True), {"sign": sign})


def test_no_signature_without_sign_off() -> None:
    refused("constellation_no_sign_off", validate, cfg(), {"sign": {"statement": 0, "name": "A"}})


# --- the stage and what it admits ---------------------------------------------------------------


def test_positions_only_for_the_current_unfrozen_statement() -> None:
    c = cfg()
    pos = validate(c, {"statement": 0, "x": 0.5})
    gate(c, [], pos)
    frozen = decided(("freeze", {"statement": 0}))
    refused("constellation_frozen", gate, c, frozen, pos)
    gate(c, [*frozen, *decided(("unfreeze", {"statement": 0}))], pos)
    refused("constellation_not_current", gate, c, [], validate(c, {"statement": 1, "x": 0.5}))
    moved_on = decided(("next_statement", {}))
    refused("constellation_not_current", gate, c, moved_on, pos)
    gate(c, moved_on, validate(c, {"statement": 1, "x": 0.5}))


def test_signatures_only_while_signing_is_open_for_their_statement() -> None:
    c = cfg(sign_off=True)
    sig = validate(c, {"sign": {"statement": 0, "name": "A"}})
    refused("constellation_signing_closed", gate, c, [], sig)
    opened = decided(("open_signing", {"statement": 0}))
    gate(c, opened, sig)
    refused("constellation_signing_closed", gate, c, decided(("open_signing", {"statement": 1})), sig)
    refused("constellation_signing_closed", gate, c, [*opened, *decided(("close_signing", {}))], sig)


def test_guards_say_when_a_command_does_not_fit() -> None:
    c = cfg(sign_off=True)

    def run(name: str, payload: dict[str, Any], before: list[Decision]) -> None:
        command = ENGINE.command(name)
        assert command is not None and command.guard is not None
        command.guard(c, command.payload.model_validate(payload), Situation("open", 1, tuple(before)))

    run("freeze", {}, [])
    refused("constellation_already_frozen", run, "freeze", {}, decided(("freeze", {"statement": 0})))
    refused("constellation_not_frozen", run, "unfreeze", {}, [])
    refused("constellation_snapshot_before_first", run, "snapshot", {"label": "after"}, [])
    taken = decided(("snapshot", {"label": "before", "statement": 0, "positions": {}}))
    refused("constellation_snapshot_taken", run, "snapshot", {"label": "before"}, taken)
    run("snapshot", {"label": "after"}, taken)
    last = decided(("next_statement", {}), ("next_statement", {}))
    refused("constellation_last_statement", run, "next_statement", {}, last)
    refused("constellation_not_reached", run, "open_signing", {"statement": 1}, [])
    refused("constellation_signing_open", run, "open_signing", {}, decided(("open_signing", {"statement": 0})))
    refused("constellation_signing_not_open", run, "close_signing", {}, [])
    with pytest.raises(InvalidContribution):
        ENGINE.command("open_signing").guard(cfg(), ENGINE.command("open_signing").payload(), Situation("open", 1))  # type: ignore[union-attr]


def test_a_snapshot_records_the_positions_of_the_statement_on_screen() -> None:
    command = ENGINE.command("snapshot")
    assert command is not None and command.record is not None
    casts = [*line(0.1, 0.9), Cast("1", "pos:1", [0.4]), Cast("3", "sign:0", {"name": "C"})]
    seen = command.record(cfg(), command.payload(label="before"), casts, Situation("open", 1))
    assert seen == {"statement": 0, "positions": {"1": [0.1], "2": [0.9]}}


# --- the numbers --------------------------------------------------------------------------------


def test_not_placed_are_counted_apart_never_in_the_middle() -> None:
    result = tally(cfg(), line(0.9, 1.0, 0.8, 0.95), participants=10)
    live = result.statements[0].live
    assert (live.placed, live.not_placed) == (4, 6)
    assert live.median == [0.925]  # of the four dots only: six people at 0.5 would drag it down
    assert result.statements[1].live.placed == 0 and result.statements[1].live.not_placed == 10


def test_the_latest_position_per_participant_counts() -> None:
    rows = [Stored(1, "1", "pos:0", [0.1]), Stored(2, "2", "pos:0", [0.5]), Stored(3, "1", "pos:0", [0.9])]
    live = tally(cfg(), latest(rows), participants=2).statements[0].live
    assert sorted(s[1] for s in live.spots) == [0.5, 0.9]


def test_median_quartiles_histogram_and_ends_on_a_line() -> None:
    live = tally(cfg(), line(0.0, 0.2, 0.4, 0.6, 1.0), participants=5).statements[0].live
    assert live.median == [0.4] and live.q1 == [0.2] and live.q3 == [0.6] and live.spread == [0.4]
    assert live.histogram == [1, 0, 1, 0, 1, 0, 1, 0, 0, 1]  # 1.0 lands in the last bin
    assert live.ends == {"low": "1", "middle": "3", "high": "5"}
    assert not live.few


def test_quadrants_in_a_field_count_the_middle_to_the_high_side() -> None:
    c = cfg(dimensions=2)
    casts = [Cast("1", "pos:0", [0.5, 0.5]), Cast("2", "pos:0", [0.1, 0.9]), Cast("3", "pos:0", [0.2, 0.2]),
             Cast("4", "pos:0", [0.9, 0.1])]
    live = tally(c, casts, participants=4).statements[0].live
    assert live.quadrants == {"top_right": 1, "top_left": 1, "bottom_right": 1, "bottom_left": 1}
    assert len(live.median) == 2 and live.histogram == []


def test_three_dots_or_fewer_are_few() -> None:
    assert tally(cfg(), line(0.1, 0.5, 0.9), 3).statements[0].live.few
    assert not tally(cfg(), line(0.1, 0.5, 0.9, 0.2), 4).statements[0].live.few


def test_snapshots_stay_as_taken_and_the_shift_is_per_person() -> None:
    c = cfg()
    before = {"1": [0.2], "2": [0.4], "3": [0.5], "4": [0.9]}
    after = {"1": [0.6], "2": [0.4], "3": [0.7], "5": [0.1]}
    decisions = decided(("snapshot", {"label": "before", "statement": 0, "positions": before}),
                        ("snapshot", {"label": "before", "statement": 0, "positions": {"1": [0.0]}}),  # ignored
                        ("snapshot", {"label": "after", "statement": 0, "positions": after}))
    board = tally(c, line(0.0, 0.0, 0.0, 0.0, 0.0), 5, decisions).statements[0]
    assert board.before is not None and board.after is not None
    assert sorted(s[1] for s in board.before.spots) == [0.2, 0.4, 0.5, 0.9]  # not the live dots
    assert board.before.at == "2017-11-07T14:01:00" and board.after.at == "2017-11-07T14:03:00"
    shifts = {s.participant: s.dx for s in board.shifts}
    assert shifts == {"1": 0.4, "2": 0.0, "3": 0.2}  # 4 left, 5 came late: not in the shift
    assert board.moved == 2
    assert board.median_shift == [round(board.after.median[0] - board.before.median[0], 4)]


def test_the_stage_follows_the_decisions() -> None:
    c = cfg(sign_off=True)
    now = stage(c, decided(("freeze", {"statement": 0}), ("next_statement", {}), ("highlight", {"statement": 1}),
                           ("open_signing", {"statement": 0}), ("next_statement", {}), ("next_statement", {})))
    assert now.current == 2 and now.frozen == {0} and now.highlight == {1} and now.signing == 0
    result = tally(c, [Cast("1", "sign:0", {"name": "Anna", "strokes": [[1, 2]]}, at="2017-11-07T15:00:00")], 1,
                   decided(("open_signing", {"statement": 0})))
    sig = result.statements[0].signatures[0]
    assert (sig.name, sig.strokes, sig.at) == ("Anna", [[1, 2]], "2017-11-07T15:00:00")
    assert result.statements[0].signing


def test_going_back_a_statement_lets_the_room_move_there_again_and_keeps_the_later_reached() -> None:
    c = cfg(sign_off=True)
    there = decided(("next_statement", {}), ("next_statement", {}), ("freeze", {"statement": 2}))
    back = [*there, *decided(("previous_statement", {}))]
    now = stage(c, back)
    assert (now.current, now.furthest, now.frozen) == (1, 2, {2})
    gate(c, back, validate(c, {"statement": 1, "x": 0.3}))  # the earlier statement takes positions again
    refused("constellation_not_current", gate, c, back, validate(c, {"statement": 2, "x": 0.3}))
    result = tally(c, [*line(0.2, statement=1), *line(0.9, statement=2)], 1, back)
    assert result.current == 1 and [b.reached for b in result.statements] == [True, True, True]
    assert result.statements[2].live.placed == 1  # the later statement keeps its dots
    situation = Situation(state="open", round=1, decisions=tuple(back))
    constellation.guard_open_signing(c, constellation.OpenSigning(statement=2), situation)  # reached before
    assert stage(c, [*back, *decided(("next_statement", {}))]).current == 2
    first = Situation(state="open", round=1,
                      decisions=tuple(decided(("next_statement", {}), ("previous_statement", {}))))
    refused("constellation_first_statement", constellation.guard_previous, c, constellation.Empty(), first)
    refused("constellation_first_statement", constellation.guard_previous, c, constellation.Empty(),
            Situation(state="open", round=1))


def test_outcome_says_where_the_room_stands() -> None:
    assert outcome(tally(cfg(), [], 0)).decision.key == "constellation.empty"  # type: ignore[union-attr]
    one = outcome(tally(cfg(), line(0.9, 0.8, 0.7, 1.0), 5))
    assert one.decision is not None and one.decision.key == "constellation.stands_high"
    assert one.decision.params["median"] == 85 and one.decision.params["placed"] == 4
    assert one.notes == () and one.headline is None
    low = outcome(tally(cfg(), line(0.1, 0.2), 2))
    assert low.decision is not None and low.decision.key == "constellation.stands_low"
    both = [*line(0.9, 0.9), *line(0.5, 0.5, statement=1)]
    many = outcome(tally(cfg(), both, 2, decided(("next_statement", {}))))
    assert many.decision is not None and many.decision.key == "constellation.stands_many"
    assert many.decision.params["medians"] == "1: 90 · 2: 50"
    assert many.headline is not None and many.headline.key == "constellation.stands_middle"  # statement 2 on screen
    assert many.headline.params["n"] == 2
    moved_on = outcome(tally(cfg(), line(0.9, 0.9), 2, decided(("next_statement", {}))))
    assert moved_on.headline is not None and moved_on.headline.key == "constellation.nobody_yet"
    before = decided(("snapshot", {"label": "before", "statement": 0, "positions": {"1": [0.5]}}))
    assert [n.key for n in outcome(tally(cfg(), line(0.9), 1, before)).notes] == ["constellation.note_no_after"]


def test_names_only_where_the_step_allows_them_and_only_of_the_dots_shown() -> None:
    names = {"1": "Anna", "2": "Bernd", "3": "Cem", "4": "Dora", "9": "Nie da"}
    snap = decided(("snapshot", {"label": "before", "statement": 0, "positions": {"4": [0.1], "2": [0.3]}}))
    casts = [*line(0.2, 0.5, 0.8), Cast("5", "pos:0", [0.6])]  # 5 gave no name
    pseudonymous = tally(cfg(), casts, 6, snap)
    assert constellation.with_names(cfg(), pseudonymous, names) == pseudonymous  # names off: unchanged
    assert pseudonymous.people == {}  # the tally itself never holds a name
    named = constellation.with_names(cfg(names=True), tally(cfg(names=True), casts, 6, snap), names)
    # live 1, 2, 3, 5 and before 4, 2: the names of those shown who gave one; 9 placed nowhere
    assert named.people == {"1": "Anna", "2": "Bernd", "3": "Cem", "4": "Dora"}
    assert ENGINE.with_names is constellation.with_names
    assert ENGINE.load_result(named.model_dump(mode="json")) == named


def test_a_result_survives_its_json() -> None:
    c = cfg(dimensions=2, sign_off=True)
    casts = [Cast("1", "pos:0", [0.3, 0.7]), Cast("2", "sign:0", {"name": "B", "strokes": [[1, 2, 3, 4]]})]
    result = tally(c, casts, 3, decided(("snapshot", {"label": "before", "statement": 0,
                                                      "positions": {"1": [0.3, 0.7]}})))
    assert ENGINE.load_result(result.model_dump(mode="json")) == result


# --- invariants ---------------------------------------------------------------------------------

coordinate = st.floats(min_value=0, max_value=1, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(xs=st.lists(coordinate, min_size=1, max_size=60), extra=st.integers(min_value=0, max_value=20))
def test_line_numbers_are_consistent(xs: list[float], extra: int) -> None:
    live = picture([(str(k), x, None) for k, x in enumerate(xs)], len(xs) + extra, 1)
    assert live.placed + live.not_placed == len(xs) + extra
    assert sum(live.histogram) == len(xs) and len(live.histogram) == BINS
    lo, hi = min(xs), max(xs)
    assert lo - 1e-4 <= live.q1[0] <= live.median[0] <= live.q3[0] <= hi + 1e-4
    assert 0 <= live.spread[0] <= hi - lo + 1e-4
    below = sum(1 for x in xs if x < live.median[0] - 1e-4)
    above = sum(1 for x in xs if x > live.median[0] + 1e-4)
    assert below <= len(xs) / 2 and above <= len(xs) / 2  # the median splits the placed dots
    by_id = dict((str(k), x) for k, x in enumerate(xs))
    assert by_id[live.ends["low"]] == lo and by_id[live.ends["high"]] == hi


@settings(max_examples=100, deadline=None)
@given(points=st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=40))
def test_field_quadrants_count_every_dot_once(points: list[tuple[float, float]]) -> None:
    live = picture([(str(k), x, y) for k, (x, y) in enumerate(points)], len(points), 2)
    assert sum(live.quadrants.values()) == len(points)
    assert live.quadrants["top_right"] == sum(1 for x, y in points if x >= 0.5 and y >= 0.5)


@settings(max_examples=100, deadline=None)
@given(xs=st.lists(coordinate, min_size=1, max_size=30), moves=st.lists(coordinate, min_size=1, max_size=30))
def test_a_snapshot_never_changes_after_later_moves(xs: list[float], moves: list[float]) -> None:
    c = cfg()
    record = ENGINE.command("snapshot").record  # type: ignore[union-attr]
    assert record is not None
    casts = line(*xs)
    seen = record(c, constellation.Snapshot(label="before"), casts, Situation("open", 1))
    decisions = decided(("snapshot", {"label": "before", **seen}))
    first = tally(c, casts, len(xs), decisions).statements[0].before
    later = tally(c, [*casts, *line(*moves)][-len(xs) - len(moves):], len(xs), decisions).statements[0].before
    assert first == later


@settings(max_examples=100, deadline=None)
@given(xs=st.lists(coordinate, min_size=1, max_size=40), q=st.floats(min_value=0, max_value=1))
def test_quantile_stays_between_its_neighbours(xs: list[float], q: float) -> None:
    values = sorted(xs)
    value = quantile(values, q)
    assert values[0] - 1e-12 <= value <= values[-1] + 1e-12
    assert not math.isnan(value)


@settings(max_examples=200, deadline=None)
@given(payload=st.dictionaries(st.sampled_from(["statement", "x", "y", "sign"]),
                               st.one_of(st.none(), st.booleans(), st.integers(-3, 5), st.floats(allow_nan=True),
                                         st.text(max_size=3)), max_size=4))
def test_validation_never_stores_nonsense(payload: dict[str, Any]) -> None:
    """Whatever a client sends: refused with a reason, or a position inside the line."""
    try:
        entries = validate(cfg(), payload)
    except InvalidContribution:
        return
    assert len(entries) == 1 and entries[0].key in ("pos:0", "pos:1", "pos:2")
    assert all(0 <= v <= 1 and math.isfinite(v) for v in entries[0].value)
