"""Hand vote engine: pure rules, no database."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from methods import hand_vote
from methods.base import MAX_PAYLOAD_BYTES, Cast, Stored, latest
from methods.errors import InvalidContribution
from methods.hand_vote import VOTE_KEY, Config, validate


def tally(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """The result as stored and sent (its JSON), which is what these numbers are about."""
    return hand_vote.tally(*args, **kwargs).model_dump(mode="json")


def votes(*choices: str | list[str]) -> list[Cast]:
    """One cast per participant p1, p2, ...: a string is a single choice, a list a multiple one."""
    out = []
    for i, choice in enumerate(choices, start=1):
        value = {"options": choice} if isinstance(choice, list) else {"option": choice}
        out.append(Cast(f"p{i}", VOTE_KEY, value))
    return out


def counts(result: dict) -> dict[str, int]:
    return {o["id"]: o["count"] for o in result["options"]}


def percents(result: dict) -> dict[str, float]:
    return {o["id"]: o["percent"] for o in result["options"]}


# --- config -------------------------------------------------------------------------------------


def test_default_options_are_yes_no_abstain() -> None:
    config = Config()
    assert [o.id for o in config.options] == ["yes", "no", "abstain"]
    assert [o.label for o in config.options] == ["Ja", "Nein", "Enthaltung"]
    assert config.multiple is False and config.max_choices is None


def test_plain_string_options_get_positional_ids() -> None:
    config = Config.model_validate({"options": ["Januar", "Februar", "März"]})
    assert [(o.id, o.label) for o in config.options] == [("o1", "Januar"), ("o2", "Februar"), ("o3", "März")]


@pytest.mark.parametrize(
    "raw, field",
    [
        ({"options": ["nur eine"]}, "options"),
        ({"options": [{"id": "a", "label": "A"}, {"id": "a", "label": "B"}]}, "options"),
        ({"options": ["A", "B"], "max_choices": 1}, "max_choices"),
        ({"options": ["A", "B"], "multiple": True, "max_choices": 0}, "max_choices"),
        ({"colour": "red"}, "colour"),
    ],
    ids=["one-option", "duplicate-ids", "max-choices-without-multiple", "max-choices-zero", "unknown-key"],
)
def test_bad_configs_are_rejected(raw: dict, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        Config.model_validate(raw)
    locs = [err["loc"] for err in info.value.errors()]
    assert [loc[0] for loc in locs] == [field], locs


def test_max_choices_without_multiple_is_reported_next_to_other_problems() -> None:
    """Regression: as a model-level rule it was skipped whenever any other field was wrong."""
    with pytest.raises(ValidationError) as info:
        Config.model_validate({"options": ["nur eine"], "max_choices": 1, "farbe": "rot"})
    problems = {err["loc"][0]: err["msg"] for err in info.value.errors()}
    assert set(problems) == {"options", "max_choices", "farbe"}
    assert "multiple" in problems["max_choices"]
    assert Config.model_validate({"options": ["A", "B"], "multiple": True, "max_choices": 1}).max_choices == 1


def test_duplicate_id_message_names_the_id() -> None:
    with pytest.raises(ValidationError, match="duplicate option id 'a'"):
        Config.model_validate({"options": [{"id": "a", "label": "A"}, {"id": "a", "label": "B"}]})


def test_config_is_frozen() -> None:
    config = Config()
    with pytest.raises(ValidationError):
        config.question = "anders"  # type: ignore[misc]


# --- tally --------------------------------------------------------------------------------------


def test_percentages_are_of_votes_cast_not_of_the_room() -> None:
    result = tally(Config(), votes("yes", "yes", "no"), participants=10)
    assert counts(result) == {"yes": 2, "no": 1, "abstain": 0}
    assert percents(result) == {"yes": 66.7, "no": 33.3, "abstain": 0.0}
    assert result["voters"] == 3
    assert result["participants"] == 10
    assert result["turnout"] == 30.0


def test_turnout_is_none_without_participant_count() -> None:
    result = tally(Config(), votes("yes"))
    assert result["turnout"] is None
    assert result["participants"] == 0


def test_empty_tally() -> None:
    result = tally(Config(question="Protokoll?"), [], participants=5)
    assert result["question"] == "Protokoll?"
    assert result["voters"] == 0
    assert result["turnout"] == 0.0
    assert percents(result) == {"yes": 0.0, "no": 0.0, "abstain": 0.0}
    assert result["leaders"] == [] and result["tie"] is False
    assert result["accepted"] is None


def test_result_is_json_serialisable_and_deterministic() -> None:
    casts = votes("yes", "no", "abstain", "yes")
    assert json.dumps(tally(Config(), casts, 7)) == json.dumps(tally(Config(), casts, 7))


def test_multiple_choice_counts_each_voter_once() -> None:
    config = Config.model_validate({"options": ["A", "B", "C"], "multiple": True})
    result = tally(config, votes(["o1", "o2"], ["o1"], ["o3", "o1"], ["o2"]), participants=4)
    assert result["voters"] == 4
    assert counts(result) == {"o1": 3, "o2": 2, "o3": 1}
    assert percents(result) == {"o1": 75.0, "o2": 50.0, "o3": 25.0}
    assert result["turnout"] == 100.0
    assert result["leaders"] == ["o1"] and result["tie"] is False


def test_leaders_and_tie_follow_option_order() -> None:
    config = Config.model_validate({"options": ["A", "B", "C"]})
    result = tally(config, votes("o3", "o2", "o3", "o2", "o1"))
    assert result["leaders"] == ["o2", "o3"]
    assert result["tie"] is True
    result = tally(config, votes("o3", "o2", "o3"))
    assert result["leaders"] == ["o3"]
    assert result["tie"] is False


@pytest.mark.parametrize(
    "choices, accepted",
    [
        (("yes", "yes", "no"), True),
        (("yes", "no"), False),  # a tie is not a majority
        (("yes", "no", "no"), False),
        (("abstain", "abstain", "yes"), True),  # abstentions decide nothing
        (("abstain",), False),  # yes 0 vs no 0
        ((), None),  # nobody voted: nothing decided
    ],
)
def test_accepted_only_when_yes_beats_no(choices: tuple[str, ...], accepted: bool | None) -> None:
    assert tally(Config(), votes(*choices))["accepted"] is accepted


def test_accepted_is_none_for_a_choice_without_yes_and_no() -> None:
    config = Config.model_validate({"options": ["Januar", "Februar"]})
    assert tally(config, votes("o1", "o1", "o2"))["accepted"] is None


def test_vote_for_an_option_removed_between_rounds_is_ignored() -> None:
    before = Config.model_validate({"options": ["A", "B", "C"]})
    after = Config.model_validate({"options": [{"id": "o1", "label": "A"}, {"id": "o3", "label": "C"}]})
    # p1 voted for B in round 1 (valid then); B is gone in round 2's config
    [b_vote] = validate(before, {"option": "o2"})
    casts = [
        Cast("p1", VOTE_KEY, b_vote.value),
        Cast("p2", VOTE_KEY, {"option": "o1"}),
        Cast("p3", VOTE_KEY, {"options": ["o2", "o3"]}),
    ]
    result = tally(after, casts, participants=3)
    assert counts(result) == {"o1": 1, "o3": 1}
    assert result["voters"] == 2  # p1's vote for the removed o2 no longer counts
    assert percents(result) == {"o1": 50.0, "o3": 50.0}


def test_foreign_keys_and_junk_values_are_ignored_by_tally() -> None:
    casts = [
        Cast("p1", "other", {"option": "yes"}),
        Cast("p2", VOTE_KEY, "yes"),
        Cast("p3", VOTE_KEY, {"option": 3}),
    ]
    result = tally(Config(), casts)
    assert result["voters"] == 0
    assert counts(result) == {"yes": 0, "no": 0, "abstain": 0}


def test_tally_of_latest_rows_counts_the_changed_vote() -> None:
    rows = [
        Stored(1, "p1", VOTE_KEY, {"option": "no"}),
        Stored(2, "p2", VOTE_KEY, {"option": "no"}),
        Stored(3, "p1", VOTE_KEY, {"option": "yes"}),
    ]
    result = tally(Config(), latest(rows))
    assert counts(result) == {"yes": 1, "no": 1, "abstain": 0}
    assert result["voters"] == 2


# --- validate -----------------------------------------------------------------------------------


def test_single_choice_validates_to_one_entry() -> None:
    assert validate(Config(), {"option": "abstain"}) == [hand_vote.Entry(VOTE_KEY, {"option": "abstain"})]


def test_multiple_choice_entry_is_in_option_order() -> None:
    config = Config.model_validate({"options": ["A", "B", "C"], "multiple": True})
    [entry] = validate(config, {"options": ["o3", "o1"]})
    assert entry.key == VOTE_KEY
    assert entry.value == {"options": ["o1", "o3"]}


def test_max_choices_is_enforced() -> None:
    config = Config.model_validate({"options": ["A", "B", "C", "D"], "multiple": True, "max_choices": 2})
    assert validate(config, {"options": ["o1", "o4"]})[0].value == {"options": ["o1", "o4"]}
    with pytest.raises(InvalidContribution) as info:
        validate(config, {"options": ["o1", "o2", "o3"]})
    assert info.value.key == "vote_too_many"
    assert info.value.params == {"limit": 2}


MULTI = {"options": ["A", "B", "C"], "multiple": True}


@pytest.mark.parametrize(
    "config, payload, key",
    [
        ({}, {"option": "maybe"}, "unknown_option"),
        ({}, {"option": 1}, "vote_choose_one"),
        ({}, {"option": None}, "vote_choose_one"),
        ({}, {}, "vote_choose_one"),
        ({}, {"options": ["yes"]}, "vote_choose_one"),  # multiple-choice payload on a single vote
        (MULTI, {"option": "o1"}, "vote_choose_options"),
        (MULTI, {"options": []}, "vote_choose_options"),
        (MULTI, {"options": "o1"}, "vote_choose_options"),
        (MULTI, {"options": ["o1", 2]}, "vote_choose_options"),
        (MULTI, {"options": ["o1", "o1"]}, "vote_duplicate_option"),
        (MULTI, {"options": ["o1", "o9"]}, "unknown_option"),
        ({**MULTI, "max_choices": 1}, {"options": ["o1", "o2"]}, "vote_too_many"),
        ({}, ["yes"], "payload_not_object"),
        ({}, "yes", "payload_not_object"),
        ({}, None, "payload_not_object"),
        ({}, {"option": "yes", "x": {1, 2}}, "payload_not_object"),  # not JSON at all
        ({}, {"option": "yes", "pad": "x" * MAX_PAYLOAD_BYTES}, "payload_too_large"),
        (
            {},
            {"option": "yes", "pad": "ä" * (MAX_PAYLOAD_BYTES // 2)},
            "payload_too_large",
        ),  # bytes, not chars
    ],
)
def test_invalid_payloads_raise_with_their_key(config: dict, payload: object, key: str) -> None:
    with pytest.raises(InvalidContribution) as info:
        validate(Config.model_validate(config), payload)
    assert info.value.key == key


def test_unknown_option_names_the_option() -> None:
    with pytest.raises(InvalidContribution) as info:
        validate(Config(), {"option": "vielleicht"})
    assert info.value.params == {"option": "vielleicht"}


def test_payload_just_under_the_limit_is_accepted() -> None:
    base = {"option": "yes", "pad": ""}
    room = MAX_PAYLOAD_BYTES - len(json.dumps(base).encode())
    payload = {"option": "yes", "pad": "x" * room}
    assert len(json.dumps(payload).encode()) == MAX_PAYLOAD_BYTES
    assert validate(Config(), payload)[0].value == {"option": "yes"}


def test_a_snapshot_stored_by_an_older_release_still_loads() -> None:
    old = {"voters": 3, "options": [{"id": "yes", "label": "Ja", "count": 2}, {"id": "no", "label": "Nein", "count": 1}],
           "leaders": ["yes"], "accepted": True, "obsolete": "x"}
    result = hand_vote.ENGINE.load_result(old)
    assert result.options[0].percent == 0.0 and result.turnout is None
    said = hand_vote.outcome(result)
    assert said.decision is not None and said.decision.key == "hand_vote.accepted"
    assert said.decision.params == {"yes": 2, "no": 1}


def test_outcome_of_a_tie_is_a_note_to_settle() -> None:
    config = Config.model_validate({"options": ["Mai", "Juni"]})
    result = hand_vote.tally(config, [Cast("a", VOTE_KEY, {"option": "o1"}), Cast("b", VOTE_KEY, {"option": "o2"})])
    said = hand_vote.outcome(result)
    assert said.tone == "warn" and [n.key for n in said.notes] == ["hand_vote.issue_tie"]
    assert said.decision is not None and said.decision.key == "hand_vote.tie_one"  # "je 1 Stimme", not "Stimmen"
    assert hand_vote.items(result) == [hand_vote.Item("o1", "Mai"), hand_vote.Item("o2", "Juni")]
