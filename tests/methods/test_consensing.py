"""Systemic consensing engine: config, validation, tally numbers, ranking, selection."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from methods import consensing
from methods.base import Cast, Stored, latest
from methods.consensing import Config, compare_rounds, options, validate
from methods.errors import InvalidContribution


def tally(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """The result as stored and sent (its JSON), which is what these numbers are about."""
    return consensing.tally(*args, **kwargs).model_dump(mode="json")


def cfg(n: int = 3, **kw: Any) -> Config:
    return Config(proposals=[f"Vorschlag {i}" for i in range(1, n + 1)], **kw)


def casts(table: dict[str, dict[str, Any]]) -> list[Cast]:
    """{participant: {option_id: value}} -> casts."""
    return [Cast(p, k, v) for p, ratings in table.items() for k, v in ratings.items()]


def by_id(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["id"]: o for o in result["options"]}


def order(result: dict[str, Any]) -> list[str]:
    return [o["id"] for o in result["options"]]


# --- config -------------------------------------------------------------------------------------


def test_module_interface() -> None:
    assert consensing.NAME == "consensing"
    assert consensing.RESULTS_HIDDEN_BY_DEFAULT is True


def test_config_defaults_and_option_ids() -> None:
    c = Config(proposals=["A", {"title": "B", "description": "mehr"}, {"id": "x", "label": "C"}])
    assert [p.id for p in c.proposals] == ["p1", "p2", "x"]
    assert c.proposals[1].label == "B" and c.proposals[1].description == "mehr"
    assert c.passive_solution == "Alles bleibt, wie es ist"
    assert c.scale_max == 10 and c.select == 1 and c.high_threshold is None
    assert c.threshold == 7
    opts = options(c)
    assert [o.id for o in opts] == ["p1", "p2", "x", "passive"]
    assert opts[-1].label == "Alles bleibt, wie es ist"


def test_scenario_config_parses() -> None:
    c = Config.model_validate(
        {
            "question": "Welche vier Reallabore soll die Allianz beauftragen?",
            "proposals": ["A", "B", "C", "D", "E", "F"],
            "passive_solution": "Wir beauftragen jetzt kein Reallabor",
            "select": 4,
        }
    )
    assert options(c)[-1].label == "Wir beauftragen jetzt kein Reallabor"
    assert c.select == 4


@pytest.mark.parametrize(
    "raw",
    [
        {"proposals": []},
        {},
        {"proposals": [{"id": "passive", "label": "X"}]},
        {"proposals": [{"id": "a", "label": "X"}, {"id": "a", "label": "Y"}]},
        {"proposals": ["A", "B"], "select": 3},
        {"proposals": ["A"], "select": 0},
        {"proposals": ["A"], "scale_max": 5},
        {"proposals": ["A"], "scale_max": 0},
        {"proposals": ["A"], "passive_solution": "   "},
        {"proposals": ["A"], "high_threshold": 11},
        {"proposals": ["A"], "high_threshold": 0},
        {"proposals": ["A"], "scale_max": 2, "high_threshold": 3},
        {"proposals": ["A"], "question": "x" * 501},
        {"proposals": [f"P{i}" for i in range(101)]},
        {"proposals": ["A"], "unknown": 1},
    ],
)
def test_config_errors(raw: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        Config.model_validate(raw)


def test_reserved_id_error_names_passive() -> None:
    with pytest.raises(ValidationError, match="reserved"):
        Config(proposals=[{"id": "passive", "label": "X"}])


def test_bad_scale_error_is_clear() -> None:
    with pytest.raises(ValidationError, match="Handabwehr"):
        Config(proposals=["A"], scale_max=5)


def test_config_threshold_explicit_and_handabwehr_default() -> None:
    assert cfg(high_threshold=5).threshold == 5
    assert cfg(scale_max=2).threshold == 2
    assert cfg(scale_max=2, high_threshold=1).threshold == 1
    assert cfg(3, select=3).select == 3


# --- validation ---------------------------------------------------------------------------------


def test_validate_entries_per_option_in_agenda_order() -> None:
    entries = validate(cfg(), {"ratings": {"passive": 9, "p2": "abstain", "p1": 0}})
    assert [(e.key, e.value) for e in entries] == [("p1", 0), ("p2", "abstain"), ("passive", 9)]


def test_validate_partial_and_bounds() -> None:
    assert [(e.key, e.value) for e in validate(cfg(), {"ratings": {"p3": 10}})] == [("p3", 10)]
    assert validate(cfg(scale_max=2), {"ratings": {"p1": 2}})[0].value == 2


def err(config: Config, payload: object) -> InvalidContribution:
    with pytest.raises(InvalidContribution) as info:
        validate(config, payload)
    return info.value


def test_validate_payload_not_object() -> None:
    assert err(cfg(), ["p1", 3]).key == "payload_not_object"
    assert err(cfg(), "ratings").key == "payload_not_object"


@pytest.mark.parametrize("payload", [{}, {"ratings": {}}, {"ratings": None}, {"ratings": [["p1", 3]]}])
def test_validate_ratings_missing(payload: object) -> None:
    assert err(cfg(), payload).key == "ratings_missing"


def test_validate_unknown_option() -> None:
    e = err(cfg(), {"ratings": {"p1": 3, "p9": 2}})
    assert (e.key, e.params) == ("unknown_option", {"option": "p9"})


@pytest.mark.parametrize(("scale", "value"), [(10, 11), (10, -1), (2, 3), (2, 10)])
def test_validate_out_of_scale(scale: int, value: int) -> None:
    e = err(cfg(scale_max=scale), {"ratings": {"p2": value}})
    assert (e.key, e.params) == ("rating_out_of_scale", {"option": "p2", "max": scale})


@pytest.mark.parametrize("value", [True, False, 3.0, 3.5, "3", "Enthaltung", None, [3], {"v": 3}])
def test_validate_not_integer(value: object) -> None:
    e = err(cfg(), {"ratings": {"p1": value}})
    assert (e.key, e.params) == ("rating_not_integer", {"option": "p1"})


# --- tally: numbers -----------------------------------------------------------------------------


def test_acceptance_formula_excludes_abstentions() -> None:
    c = cfg(2)
    r = tally(
        c,
        casts(
            {
                "a": {"p1": 2, "p2": 9, "passive": 8},
                "b": {"p1": 5, "p2": "abstain", "passive": 10},
                "c": {"p1": 0, "p2": 3, "passive": 7},
                "d": {"p1": "abstain"},
            }
        ),
        participants=5,
    )
    o = by_id(r)
    # p1: W = 7 over 3 raters -> mean 2.33, A = 100 * (1 - 7/30) = 76.67 -> 76.7
    assert (o["p1"]["sum"], o["p1"]["raters"], o["p1"]["abstentions"]) == (7, 3, 1)
    assert o["p1"]["mean"] == 2.33
    assert o["p1"]["acceptance"] == 76.7
    assert o["p1"]["histogram"] == [1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0]
    assert (o["p1"]["high"], o["p1"]["max"]) == (0, 5)
    # p2: W = 12 over 2 raters -> mean 6, A = 40
    assert (o["p2"]["sum"], o["p2"]["raters"], o["p2"]["abstentions"]) == (12, 2, 1)
    assert (o["p2"]["mean"], o["p2"]["acceptance"], o["p2"]["high"], o["p2"]["max"]) == (6.0, 40.0, 1, 9)
    # passive: W = 25 over 3 -> mean 8.33, A = 16.7, three ratings >= 7
    assert (o["passive"]["mean"], o["passive"]["acceptance"], o["passive"]["high"]) == (8.33, 16.7, 3)
    assert o["passive"]["passive"] is True and o["p1"]["passive"] is False
    assert (r["participants"], r["raters"], r["empty"]) == (5, 3, False)
    assert (r["scale_max"], r["high_threshold"], r["select"]) == (10, 7, 1)
    assert order(r) == ["p1", "p2", "passive"]
    json.dumps(r)  # JSON-serialisable


def test_mean_ranks_when_rater_counts_differ() -> None:
    # by sum p1 (W=12) would be worse than p2 (W=9); by mean p1 (3.0) beats p2 (4.5)
    r = tally(
        cfg(2),
        casts(
            {
                "a": {"p1": 3, "p2": 4},
                "b": {"p1": 3, "p2": 5},
                "c": {"p1": 3},
                "d": {"p1": 3},
            }
        ),
    )
    assert order(r)[:2] == ["p1", "p2"]
    o = by_id(r)
    assert (o["p1"]["rank"], o["p2"]["rank"]) == (1, 2)
    assert o["p1"]["tie"] is False and o["p1"]["tie_break"] is None


def test_tie_break_by_max() -> None:
    # same mean 4; p1 max 6, p2 max 4 -> p2 first, not a tie
    r = tally(cfg(2), casts({"a": {"p1": 2, "p2": 4}, "b": {"p1": 6, "p2": 4}}))
    o = by_id(r)
    assert order(r)[:2] == ["p2", "p1"]
    assert (o["p2"]["rank"], o["p1"]["rank"]) == (1, 2)
    assert o["p1"]["tie"] is o["p2"]["tie"] is False
    assert o["p1"]["tie_break"] == o["p2"]["tie_break"] == "max"


def test_tie_break_by_high_count() -> None:
    # same mean 5, same max 8; p1 has two ratings >= 7, p2 one -> p2 first
    r = tally(
        cfg(2),
        casts({"a": {"p1": 7, "p2": 8}, "b": {"p1": 8, "p2": 6}, "c": {"p1": 0, "p2": 1}}),
    )
    o = by_id(r)
    assert (o["p1"]["mean"], o["p2"]["mean"], o["p1"]["max"], o["p2"]["max"]) == (5.0, 5.0, 8, 8)
    assert (o["p1"]["high"], o["p2"]["high"]) == (2, 1)
    assert order(r)[:2] == ["p2", "p1"]
    assert (o["p2"]["rank"], o["p1"]["rank"]) == (1, 2)
    assert o["p1"]["tie_break"] == o["p2"]["tie_break"] == "high"
    assert o["p1"]["tie"] is False


def test_high_count_uses_configured_threshold() -> None:
    table = {"a": {"p1": 5, "p2": 6}, "b": {"p1": 6, "p2": 5}, "c": {"p1": 1, "p2": 1}}
    o = by_id(tally(cfg(2, high_threshold=6), casts(table)))
    assert (o["p1"]["high"], o["p2"]["high"]) == (1, 1)
    o = by_id(tally(cfg(2, high_threshold=5), casts(table)))
    assert (o["p1"]["high"], o["p2"]["high"]) == (2, 2)


def test_full_tie_is_flagged_with_equal_rank_in_agenda_order() -> None:
    # p3 and p2 identical (mean 3, max 4, high 0); p1 best; passive worst
    r = tally(
        cfg(3),
        casts(
            {
                "a": {"p1": 0, "p3": 2, "p2": 4, "passive": 9},
                "b": {"p1": 1, "p3": 4, "p2": 2, "passive": 9},
            }
        ),
    )
    o = by_id(r)
    assert order(r) == ["p1", "p2", "p3", "passive"]
    assert [o[i]["rank"] for i in order(r)] == [1, 2, 2, 4]  # competition ranking
    assert o["p2"]["tie"] is o["p3"]["tie"] is True
    assert o["p1"]["tie"] is o["passive"]["tie"] is False
    assert o["p2"]["tie_break"] is None


def test_tie_with_passive_makes_proposal_not_acceptable() -> None:
    r = tally(cfg(1), casts({"a": {"p1": 3, "passive": 3}}))
    o = by_id(r)
    assert o["p1"]["acceptance"] == o["passive"]["acceptance"] == 70.0
    assert o["p1"]["tie"] is True and o["p1"]["rank"] == o["passive"]["rank"] == 1
    assert o["p1"]["acceptable"] is False
    assert r["selected"] == [] and r["passive_best"] is True


def test_acceptable_only_if_strictly_better_than_passive() -> None:
    r = tally(
        cfg(3, select=3),
        casts(
            {"a": {"p1": 2, "p2": 5, "p3": 8, "passive": 5}, "b": {"p1": 4, "p2": 5, "p3": 6, "passive": 5}}
        ),
    )
    o = by_id(r)
    assert o["p1"]["acceptable"] is True
    assert o["p2"]["acceptable"] is False  # equal to passive
    assert o["p3"]["acceptable"] is False  # worse than passive
    assert o["passive"]["acceptable"] is False and o["passive"]["selected"] is False
    assert r["selected"] == ["p1"]  # select 3 but only one is acceptable
    assert r["passive_best"] is False


def test_passive_best_when_nothing_beats_doing_nothing() -> None:
    r = tally(cfg(2, select=2), casts({"a": {"p1": 6, "p2": 9, "passive": 1}}))
    assert order(r)[0] == "passive"
    assert by_id(r)["passive"]["rank"] == 1
    assert r["selected"] == [] and r["passive_best"] is True
    assert not any(o["acceptable"] or o["selected"] for o in r["options"])


def test_passive_unrated_makes_every_rated_proposal_acceptable() -> None:
    r = tally(cfg(3, select=3), casts({"a": {"p1": 10, "p2": 3}}))
    o = by_id(r)
    assert o["p1"]["acceptable"] is o["p2"]["acceptable"] is True
    assert o["p3"]["acceptable"] is False  # unrated
    assert r["selected"] == ["p2", "p1"]
    assert r["passive_best"] is False


def test_selection_follows_rank_order() -> None:
    r = tally(
        cfg(5, select=2),
        casts(
            {
                "a": {"p1": 4, "p2": 1, "p3": 8, "p4": 2, "p5": 3, "passive": 6},
                "b": {"p1": 4, "p2": 3, "p3": 8, "p4": 2, "p5": 6, "passive": 6},
            }
        ),
    )
    # p4 and p2 both have mean 2; p4 wins on the lower maximum (2 vs 3)
    assert order(r)[:3] == ["p4", "p2", "p1"]
    assert r["selected"] == ["p4", "p2"]
    assert [o["id"] for o in r["options"] if o["selected"]] == ["p4", "p2"]
    assert r["selection_tie"] is False


def test_selection_tie_at_boundary() -> None:
    # p2 and p3 fully tied for the second place, only two may be selected
    r = tally(
        cfg(3, select=2),
        casts(
            {"a": {"p1": 0, "p2": 3, "p3": 3, "passive": 9}, "b": {"p1": 0, "p2": 5, "p3": 5, "passive": 9}}
        ),
    )
    assert r["selected"] == ["p1", "p2"]  # agenda order decides who is listed, but ...
    assert r["selection_tie"] is True  # ... the moderator is told it needs a decision
    o = by_id(r)
    assert o["p3"]["selected"] is False and o["p3"]["acceptable"] is True


def test_tie_inside_selection_is_no_selection_tie() -> None:
    r = tally(
        cfg(3, select=2),
        casts(
            {"a": {"p1": 3, "p2": 3, "p3": 6, "passive": 9}, "b": {"p1": 5, "p2": 5, "p3": 6, "passive": 9}}
        ),
    )
    assert r["selected"] == ["p1", "p2"]
    assert by_id(r)["p1"]["tie"] is True
    assert r["selection_tie"] is False


def test_low_quorum_flag() -> None:
    # best-rated option has 5 raters; p2 has 2 (< 2.5) -> flagged; p3 has 3 -> fine
    table: dict[str, dict[str, Any]] = {
        "a": {"p1": 1, "p2": 1, "p3": 1},
        "b": {"p1": 1, "p2": 1, "p3": 1},
        "c": {"p1": 1, "p3": 1},
        "d": {"p1": 1, "p2": "abstain"},
        "e": {"p1": 1, "p2": "abstain"},
    }
    o = by_id(tally(cfg(3), casts(table)))
    assert o["p1"]["low_quorum"] is False
    assert o["p2"]["low_quorum"] is True
    assert o["p3"]["low_quorum"] is False
    assert o["passive"]["low_quorum"] is True  # nobody rated it
    # exactly half is not "fewer than half"
    o = by_id(tally(cfg(2), casts({"a": {"p1": 1, "p2": 1}, "b": {"p1": 1}})))
    assert o["p2"]["low_quorum"] is False


def test_handabwehr_scale_maths_and_default_threshold() -> None:
    c = cfg(2, scale_max=2)
    r = tally(
        c,
        casts(
            {
                "a": {"p1": 0, "p2": 2, "passive": 2},
                "b": {"p1": 1, "p2": 1, "passive": 2},
                "c": {"p1": 0, "p2": "abstain", "passive": 1},
            }
        ),
    )
    o = by_id(r)
    assert r["scale_max"] == 2 and r["high_threshold"] == 2
    # p1: W = 1 over 3, A = 100 * (1 - 1/6) = 83.3
    assert (o["p1"]["sum"], o["p1"]["mean"], o["p1"]["acceptance"]) == (1, 0.33, 83.3)
    assert o["p1"]["histogram"] == [2, 1, 0]
    # p2: W = 3 over 2, A = 100 * (1 - 3/4) = 25, one "both hands"
    assert (o["p2"]["acceptance"], o["p2"]["high"], o["p2"]["histogram"]) == (25.0, 1, [0, 1, 1])
    # passive: W = 5 over 3, A = 16.7, two high
    assert (o["passive"]["acceptance"], o["passive"]["high"]) == (16.7, 2)
    assert r["selected"] == ["p1"]


def test_empty_input_is_a_valid_empty_result() -> None:
    c = cfg(3, select=2)
    r = tally(c, [], participants=12)
    assert r["empty"] is True
    assert (r["raters"], r["participants"], r["selected"]) == (0, 12, [])
    assert r["selection_tie"] is False and r["passive_best"] is False
    assert order(r) == ["p1", "p2", "p3", "passive"]
    for o in r["options"]:
        assert (o["raters"], o["sum"], o["mean"], o["acceptance"], o["rank"], o["max"]) == (
            0,
            0,
            None,
            None,
            None,
            None,
        )
        assert o["histogram"] == [0] * 11
        assert not (o["selected"] or o["acceptable"] or o["low_quorum"] or o["tie"])
    json.dumps(r)


def test_only_abstentions_is_empty() -> None:
    r = tally(cfg(1), casts({"a": {"p1": "abstain", "passive": "abstain"}}))
    assert r["empty"] is True and r["raters"] == 0
    assert by_id(r)["p1"]["abstentions"] == 1


def test_unrated_options_go_last_in_agenda_order() -> None:
    r = tally(cfg(4), casts({"a": {"p3": 5, "p1": 6}}))
    assert order(r) == ["p3", "p1", "p2", "p4", "passive"]
    assert [o["rank"] for o in r["options"]] == [1, 2, None, None, None]


def test_removed_options_and_invalid_values_are_ignored() -> None:
    r = tally(cfg(1, scale_max=2), [Cast("a", "p7", 1), Cast("a", "p1", 9), Cast("b", "p1", 1)])
    o = by_id(r)
    assert "p7" not in o
    assert (o["p1"]["raters"], o["p1"]["sum"]) == (1, 1)
    assert r["raters"] == 1


def test_latest_rating_counts() -> None:
    c = cfg(2)
    rows = [
        Stored(1, "a", "p1", 9),
        Stored(2, "a", "p2", 4),
        Stored(3, "b", "p1", 2),
        Stored(4, "a", "p1", 1),  # a changes p1 from 9 to 1
        Stored(5, "b", "p1", "abstain"),  # b changes p1 to an abstention
    ]
    o = by_id(tally(c, latest(rows)))
    assert (o["p1"]["sum"], o["p1"]["raters"], o["p1"]["abstentions"]) == (1, 1, 1)
    assert o["p2"]["sum"] == 4
    # stored out of order: seq decides, not position
    o = by_id(tally(c, latest(list(reversed(rows)))))
    assert (o["p1"]["sum"], o["p1"]["raters"], o["p1"]["abstentions"]) == (1, 1, 1)


def test_validated_entries_feed_tally() -> None:
    c = cfg(2)
    rows: list[Stored] = []
    seq = 0
    for who, payload in [
        ("a", {"ratings": {"p1": 2, "passive": 8}}),
        ("b", {"ratings": {"p1": 4, "p2": "abstain"}}),
        ("a", {"ratings": {"p2": 3}}),  # partial: a adds p2 later, p1 stays
    ]:
        for e in validate(c, payload):
            seq += 1
            rows.append(Stored(seq, who, e.key, e.value))
    o = by_id(tally(c, latest(rows)))
    assert (o["p1"]["sum"], o["p1"]["raters"]) == (6, 2)
    assert (o["p2"]["sum"], o["p2"]["raters"], o["p2"]["abstentions"]) == (3, 1, 1)


def test_histogram_hidden_below_three_raters() -> None:
    o = by_id(tally(cfg(2), casts({"a": {"p1": 1, "p2": 1}, "b": {"p1": 1, "p2": 1}, "c": {"p1": 1}})))
    assert o["p1"]["histogram_hidden"] is False
    assert o["p2"]["histogram_hidden"] is True


def test_labels_and_question_in_result() -> None:
    c = Config(question="Was?", proposals=[{"title": "A", "description": "lang"}], passive_solution="Nichts")
    r = tally(c, [])
    o = by_id(r)
    assert r["question"] == "Was?"
    assert (o["p1"]["label"], o["p1"]["description"]) == ("A", "lang")
    assert o["passive"]["label"] == "Nichts"


# --- compare rounds -----------------------------------------------------------------------------


def test_compare_rounds() -> None:
    c1 = cfg(2)
    first = tally(c1, casts({"a": {"p1": 5, "p2": 8}, "b": {"p1": 3}}))
    c2 = Config(proposals=["Vorschlag 1 (überarbeitet)", "Vorschlag 2", "Neu"])
    second = tally(c2, casts({"a": {"p1": 1, "p3": 2}, "b": {"p1": 3}}))
    rows = {row["id"]: row for row in compare_rounds(first, second)}
    assert [row["id"] for row in compare_rounds(first, second)] == order(second)
    assert rows["p1"] == {
        "id": "p1",
        "label": "Vorschlag 1 (überarbeitet)",
        "acceptance_before": 60.0,
        "acceptance_after": 80.0,
        "delta": 20.0,
    }
    assert (rows["p2"]["acceptance_before"], rows["p2"]["acceptance_after"], rows["p2"]["delta"]) == (
        20.0,
        None,
        None,
    )
    assert (rows["p3"]["acceptance_before"], rows["p3"]["acceptance_after"], rows["p3"]["delta"]) == (
        None,
        80.0,
        None,
    )
    assert compare_rounds({}, {}) == []


# --- properties ---------------------------------------------------------------------------------

RATING = st.one_of(st.integers(0, 10), st.just("abstain"))


@st.composite
def ballots(draw: st.DrawFn, scale: int = 10) -> tuple[Config, list[Cast]]:
    n = draw(st.integers(1, 5))
    config = Config(
        proposals=[f"P{i}" for i in range(n)],
        scale_max=scale,
        select=draw(st.integers(1, n)),
    )
    ids = [o.id for o in options(config)]
    value = st.one_of(st.integers(0, scale), st.just("abstain"))
    table = draw(
        st.dictionaries(
            st.sampled_from([f"u{i}" for i in range(8)]),
            st.dictionaries(st.sampled_from(ids), value, max_size=len(ids)),
            max_size=8,
        )
    )
    return config, casts(table)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), scale=st.sampled_from([10, 2]))
def test_result_does_not_depend_on_cast_order(data: st.DataObject, scale: int) -> None:
    config, cs = data.draw(ballots(scale))
    shuffled = data.draw(st.permutations(cs))
    assert tally(config, shuffled) == tally(config, cs)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), scale=st.sampled_from([10, 2]))
def test_raising_a_rating_never_raises_acceptance(data: st.DataObject, scale: int) -> None:
    config, cs = data.draw(ballots(scale))
    raisable = [i for i, c in enumerate(cs) if isinstance(c.value, int) and c.value < scale]
    if not raisable:
        return
    i = data.draw(st.sampled_from(raisable))
    old = cs[i]
    new_value = data.draw(st.integers(old.value + 1, scale))
    changed = [*cs[:i], Cast(old.participant, old.key, new_value), *cs[i + 1 :]]
    before = by_id(tally(config, cs))[old.key]
    after = by_id(tally(config, changed))[old.key]
    assert after["acceptance"] <= before["acceptance"]
    assert after["mean"] > before["mean"]


@settings(max_examples=200, deadline=None)
@given(data=st.data(), scale=st.sampled_from([10, 2]))
def test_result_invariants(data: st.DataObject, scale: int) -> None:
    config, cs = data.draw(ballots(scale))
    r = tally(config, cs, participants=8)
    json.dumps(r)
    opts = r["options"]
    assert sorted(o["id"] for o in opts) == sorted(o.id for o in options(config))
    assert len(r["selected"]) <= config.select
    acceptable = [o["id"] for o in opts if o["acceptable"]]
    assert set(r["selected"]) <= set(acceptable)
    # selection takes the best acceptable ones: as many as possible, in rank order
    assert r["selected"] == acceptable[: config.select]
    assert "passive" not in acceptable
    ranks = [o["rank"] for o in opts if o["rank"] is not None]
    assert ranks == sorted(ranks)
    rated = [o for o in opts if o["raters"]]
    means = [o["mean"] for o in rated]
    assert means == sorted(means)
    for o in opts:
        assert sum(o["histogram"]) == o["raters"]
        assert len(o["histogram"]) == scale + 1
        if o["raters"]:
            assert 0 <= o["acceptance"] <= 100
    assert r["empty"] is (r["raters"] == 0)
    assert r["passive_best"] is (not r["empty"] and not acceptable)


def test_config_lists_select_and_threshold_problems_next_to_others() -> None:
    """Field-level checks: a wrong select is reported even when another field is wrong too."""
    import pydantic

    with pytest.raises(pydantic.ValidationError) as err:
        consensing.Config.model_validate({"proposals": ["A", "B"], "select": 3, "high_threshold": 11,
                                          "passive_solution": ""})
    fields = {e["loc"][0] for e in err.value.errors()}
    assert {"select", "high_threshold", "passive_solution"} <= fields


def test_a_snapshot_stored_by_an_older_release_still_loads() -> None:
    """Closed rounds keep the JSON of the release that closed them: fields added later get their
    defaults, fields dropped since are ignored, and the outcome still reads."""
    old = {"question": "Q", "scale_max": 10, "select": 1, "raters": 2, "selected": ["p1"],
           "options": [{"id": "p1", "label": "Alpha", "acceptance": 85.0, "rank": 1, "selected": True},
                       {"id": "passive", "label": "Nichts", "passive": True, "acceptance": 15.0, "rank": 2}],
           "empty": False, "an_old_field": 1}
    result = consensing.ENGINE.load_result(old)
    assert result.options[0].low_quorum is False and result.options[0].tie_break is None
    said = consensing.outcome(result)
    assert said.decision is not None and said.decision.params == {"labels": "Alpha"}
