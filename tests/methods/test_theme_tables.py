"""Theme tables engine: config, cards, seating, the rotation plan, rounds, hosts' commands, merging."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from methods.base import Cast, Decision, Entry, Situation
from methods.errors import InvalidContribution, InvalidTransition
from methods.theme_tables import (
    ENGINE,
    MAX_CARD,
    Config,
    Result,
    board,
    fits_round,
    items,
    plan,
    rotation,
    tables_touched,
    tally,
    validate,
)


def cfg(**kw: Any) -> Config:
    base: dict[str, Any] = {
        "categories": ["Klimawandel", "Sozio-ökonomischer Wandel"],
        "tables": [
            {"title": "Herausforderungen", "question": "Wo drückt der Schuh?", "prompts": ["Flächen", "Fachkräfte"],
             "cards": ["Gewerbeflächen sind knapp"]},
            {"title": "Visionen", "prompts": ["Innenstadt"]},
            {"title": "Zusammenarbeit"},
        ],
    }
    base.update(kw)
    return Config.model_validate(base)


class Room:
    """Casts and decisions in the order they happen, as the database would number them."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.casts: dict[tuple[str, str], Cast] = {}
        self.decisions: list[Decision] = []
        self.seq = 0

    def send(self, participant: str, payload: Any) -> list[Entry]:
        entries = validate(self.config, payload)
        fits_round(self.config, entries, participant, lambda: (list(self.casts.values()), self.decisions))
        for entry in entries:
            self.seq += 1
            self.casts.pop((participant, entry.key), None)
            self.casts[(participant, entry.key)] = Cast(participant, entry.key, entry.value, self.seq)
        return entries

    def card(self, participant: str, table: str, text: str, **more: Any) -> str:
        entry = self.send(participant, {"card": {"table": table, "text": text, **more}})[0]
        return f"c{participant}-{entry.key.removeprefix('card:')}"

    def decide(self, command: str, **payload: Any) -> None:
        situation = Situation("open", 1, tuple(self.decisions), tuple(self.casts.values()))
        declared = ENGINE.command(command)
        assert declared is not None
        body = declared.payload.model_validate(payload)
        if declared.guard is not None:
            declared.guard(self.config, body, situation)
        self.decisions.append(Decision(len(self.decisions) + 1, command, body.model_dump(mode="json"), 1,
                                       after=self.seq))

    def result(self) -> Any:
        return tally(self.config, list(self.casts.values()), 20, self.decisions)


# --- config ---------------------------------------------------------------------------------------


def test_tables_get_ids_prompts_and_prefilled_cards() -> None:
    c = cfg()
    assert [t.id for t in c.tables] == ["t1", "t2", "t3"]
    assert [p.id for p in c.tables[0].prompts] == ["p1", "p2"] and c.tables[0].prompts[1].label == "Fachkräfte"
    assert [k.id for k in c.categories] == ["k1", "k2"]
    assert c.tables[0].cards[0].text == "Gewerbeflächen sind knapp"
    assert (c.rounds, c.round_minutes, c.seating, c.group_by) == (3, 20, "free", "prompt")


def test_tables_taken_from_an_earlier_steps_items_become_title_and_question() -> None:
    c = Config.model_validate({"items_from": {"step": 0}, "tables": [
        {"id": "p2", "label": "Hybride Formen des Handels", "description": "Online und Laden"}]})
    assert (c.tables[0].id, c.tables[0].title, c.tables[0].question) == ("p2", "Hybride Formen des Handels",
                                                                          "Online und Laden")
    assert Config.model_validate({"items_from": {"step": 0}}).tables == []


@pytest.mark.parametrize(("config", "error"), [
    ({"tables": []}, "tables_missing"),
    ({"tables": ["A", "a "]}, "duplicate_label"),
    ({"tables": [{"id": "x", "title": "A"}, {"id": "x", "title": "B"}]}, "duplicate_table"),
    ({"tables": [{"title": "A", "prompts": ["P"], "cards": [{"text": "k", "prompt": "p9"}]}]}, "card_prompt_unknown"),
    ({"tables": [{"title": "A", "cards": [{"text": "k", "category": "k1"}]}]}, "card_category_unknown"),
    ({"categories": [{"id": "t1", "label": "Klima"}], "tables": ["A"]}, "table_category_clash"),
    ({"tables": ["A"], "seating": "anywhere"}, "literal_error"),
    ({"tables": ["A"], "rounds": 0}, "greater_than_equal"),
])
def test_config_problems_name_their_reason(config: dict[str, Any], error: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Config.model_validate(config)
    assert error in {e["type"] for e in caught.value.errors()}


# --- cards ----------------------------------------------------------------------------------------


def test_a_card_is_stored_with_its_table_prompt_and_category() -> None:
    (entry,) = validate(cfg(), {"card": {"table": "t1", "text": "  Fachkräfte fehlen ", "prompt": "p2",
                                         "category": "k1"}})
    assert entry.key.startswith("card:")
    assert entry.value == {"table": "t1", "text": "Fachkräfte fehlen", "prompt": "p2", "category": "k1"}


@pytest.mark.parametrize(("text", "error"), [("", "card_empty"), ("   \n ", "card_empty"), (None, "card_empty"),
                                             (7, "card_empty"), ("x" * (MAX_CARD + 1), "card_too_long")])
def test_empty_and_over_long_cards_are_refused(text: Any, error: str) -> None:
    with pytest.raises(InvalidContribution) as caught:
        validate(cfg(), {"card": {"table": "t1", "text": text}})
    assert caught.value.key == error
    assert validate(cfg(), {"card": {"table": "t1", "text": "x" * MAX_CARD}})  # 280 is fine


@pytest.mark.parametrize(("card", "error"), [
    ({"table": "t9", "text": "a"}, "unknown_table"),
    ({"text": "a"}, "unknown_table"),
    ({"table": "t2", "text": "a", "prompt": "p2"}, "unknown_prompt"),  # t2 has only one prompt
    ({"table": "t1", "text": "a", "category": "k7"}, "unknown_category"),
])
def test_a_card_must_name_a_known_table_prompt_and_category(card: dict[str, Any], error: str) -> None:
    with pytest.raises(InvalidContribution) as caught:
        validate(cfg(), {"card": card})
    assert caught.value.key == error


def test_the_same_card_sent_twice_is_one_card_but_two_people_make_two() -> None:
    room = Room(cfg())
    first = room.card("1", "t1", "Mehr Grün")
    again = room.card("1", "t1", "Mehr Grün")
    other = room.card("2", "t1", "Mehr Grün")
    assert first == again != other
    result = room.result()
    assert [c.text for c in result.tables[0].cards] == ["Gewerbeflächen sind knapp", "Mehr Grün", "Mehr Grün"]
    assert (result.cards, result.written, result.writers) == (3, 2, 2)


def test_cards_carry_author_pseudonyms_and_the_round_they_were_written_in() -> None:
    room = Room(cfg())
    room.send("41", {"seat": {"table": "t2"}})
    room.card("17", "t1", "eins")
    room.decide("next_round")
    room.card("41", "t2", "zwei")
    result = room.result()
    cards = {c.text: c for t in result.tables for c in t.cards}
    assert (cards["eins"].author, cards["eins"].round) == ("TN 2", 1)  # 41 took part first (its seat)
    assert (cards["zwei"].author, cards["zwei"].round) == ("TN 1", 2)
    assert cards["Gewerbeflächen sind knapp"].prefilled and cards["Gewerbeflächen sind knapp"].author is None
    assert [(r.round, r.cards) for r in result.tables[1].rounds] == [(1, 0), (2, 1)]
    assert result.round == 2


def test_a_card_stored_before_the_next_round_keeps_its_round_even_when_read_later() -> None:
    """``Decision.after``: a card committed before "next round" stays in round 1 whatever order the
    rows are handed in."""
    c = cfg()
    (entry,) = validate(c, {"card": {"table": "t1", "text": "früh"}})
    (late,) = validate(c, {"card": {"table": "t1", "text": "spät"}})
    casts = [Cast("2", late.key, late.value, 9), Cast("1", entry.key, entry.value, 4)]
    result = tally(c, casts, 2, [Decision(1, "next_round", {}, 1, after=4)])
    assert {x.text: x.round for x in result.tables[0].cards if not x.prefilled} == {"früh": 1, "spät": 2}


# --- seating --------------------------------------------------------------------------------------


def test_free_seating_lets_a_card_go_to_any_table_and_asks_for_a_new_table_next_round() -> None:
    room = Room(cfg())
    room.send("1", {"seat": {"table": "t1"}})
    room.card("1", "t3", "anderswo")  # free: any table
    assert room.result().seats == {"1": "t1"} and room.result().chosen == {"1": 1}
    room.decide("next_round")
    result = room.result()
    assert result.seats == {"1": "t1"} and result.chosen == {"1": 1} and result.round == 2  # asked anew
    assert result.previous == {"1": "t1"}


def test_table_qr_cards_only_to_the_participants_table_of_the_round() -> None:
    room = Room(cfg(seating="table_qr"))
    with pytest.raises(InvalidContribution) as caught:
        room.card("1", "t1", "noch ohne Tisch")
    assert caught.value.key == "card_no_seat"
    room.send("1", {"seat": {"table": "t2"}})
    with pytest.raises(InvalidContribution) as caught:
        room.card("1", "t1", "falscher Tisch")
    assert (caught.value.key, caught.value.params["table"]) == ("card_other_table", "Visionen")
    room.card("1", "t2", "richtig")
    room.decide("assign", participant="1", table="t3", role="guest")  # the moderator moves them
    with pytest.raises(InvalidContribution):
        room.card("1", "t2", "nicht mehr mein Tisch")
    room.card("1", "t3", "jetzt hier")
    assert [c.text for c in room.result().tables[2].cards] == ["jetzt hier"]


def test_round_robin_checks_in_once_and_seats_by_the_plan() -> None:
    room = Room(cfg(seating="round_robin"))
    for person in ("10", "11", "12", "13"):
        room.send(person, {"seat": {}})
    with pytest.raises(InvalidContribution) as caught:
        room.send("10", {"seat": {}})
    assert caught.value.key == "seat_checked_in"
    with pytest.raises(InvalidContribution) as caught:
        validate(room.config, {"seat": {"table": "t1"}})
    assert caught.value.key == "seat_assigned"
    assert room.result().seats == {"10": "t1", "11": "t2", "12": "t3", "13": "t1"}
    with pytest.raises(InvalidContribution):
        room.card("11", "t1", "nicht mein Tisch")
    room.card("11", "t2", "mein Tisch")
    room.decide("next_round")
    seats = room.result().seats
    assert seats == {"10": "t2", "11": "t3", "12": "t1", "13": "t3"}
    assert room.result().previous == {"10": "t1", "11": "t2", "12": "t3", "13": "t1"}


def test_hosts_stay_at_their_table_and_are_left_out_of_the_plan() -> None:
    room = Room(cfg(seating="round_robin"))
    room.decide("assign", participant="99", table="t2", role="host")
    for person in ("1", "2", "3"):
        room.send(person, {"seat": {}})
    room.card("99", "t2", "vom Gastgeber")
    for _ in range(2):
        room.decide("next_round")
        result = room.result()
        assert result.seats["99"] == "t2"
        assert result.tables[1].hosts == ["99"]
        assert sorted(Counter(t for p, t in result.seats.items() if p != "99").values()) == [1, 1, 1]
    with pytest.raises(InvalidTransition):
        room.decide("next_round")  # three rounds configured


# --- the rotation plan ----------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(guests=st.integers(0, 200), tables=st.integers(1, 12), rnd=st.integers(1, 20))
def test_every_round_keeps_table_sizes_within_one(guests: int, tables: int, rnd: int) -> None:
    sizes = Counter(rotation(i, tables, rnd) for i in range(guests))
    counts = [sizes.get(t, 0) for t in range(tables)]
    assert max(counts) - min(counts) <= 1
    assert all(0 <= t < tables for t in sizes)


@settings(max_examples=300, deadline=None)
@given(guests=st.integers(1, 120), tables=st.integers(1, 12), rounds=st.integers(1, 12))
def test_each_guest_sees_as_many_different_tables_as_possible(guests: int, tables: int, rounds: int) -> None:
    for visits in plan(guests, tables, rounds):
        assert len(set(visits)) == min(rounds, tables)


@settings(max_examples=200, deadline=None)
@given(guests=st.integers(1, 120), tables=st.integers(3, 12))
def test_people_who_start_together_are_split_up(guests: int, tables: int) -> None:
    """Guests starting at the same table in different blocks (up to T−1 of them) move by different
    steps: in every later round of the first cycle they sit at different tables."""
    rows = plan(guests, tables, tables)
    for start in range(tables):
        together = [rows[i] for i in range(start, min(guests, start + tables * (tables - 1)), tables)]
        for rnd in range(1, tables):
            places = [visits[rnd] for visits in together]
            assert len(set(places)) == len(places)


@settings(max_examples=200, deadline=None)
@given(guests=st.integers(0, 100), tables=st.integers(1, 10), rounds=st.integers(1, 8))
def test_a_latecomer_moves_nobody(guests: int, tables: int, rounds: int) -> None:
    assert plan(guests + 1, tables, rounds)[:guests] == plan(guests, tables, rounds)


# --- hosts' and the moderator's commands ----------------------------------------------------------


def test_merge_keeps_the_originals_and_split_brings_them_back() -> None:
    room = Room(cfg())
    a = room.card("1", "t1", "Fachkräftemangel", prompt="p2", category="k2")
    b = room.card("2", "t1", "Zu wenig Fachkräfte")
    before = room.result().tables[0].cards
    room.decide("merge", cards=[a, b], text="Fachkräfte fehlen")
    merged = room.result().tables[0].cards
    assert [c.text for c in merged] == ["Gewerbeflächen sind knapp", "Fachkräfte fehlen"]
    card = merged[1]
    assert (card.id, card.prompt, card.category, card.author) == ("m1", "p2", "k2", None)
    assert [(o.id, o.text, o.author) for o in card.merged_from] == [(a, "Fachkräftemangel", "TN 1"),
                                                                    (b, "Zu wenig Fachkräfte", "TN 2")]
    assert room.result().cards == 2 and room.result().written == 2
    room.decide("split", card="m1")
    assert room.result().tables[0].cards == before


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_any_merges_split_again_restore_the_board(data: st.DataObject) -> None:
    room = Room(cfg())
    for n in range(data.draw(st.integers(2, 8))):
        room.card(str(n % 3 + 1), data.draw(st.sampled_from(["t1", "t2"])), f"Karte {n}")
    original = room.result().model_dump()
    for _ in range(data.draw(st.integers(1, 4))):
        ids = [c.id for t in room.result().tables for c in t.cards]
        if len(ids) < 2:
            break
        chosen = data.draw(st.lists(st.sampled_from(ids), min_size=2, max_size=4, unique=True))
        room.decide("merge", cards=chosen)
        result = room.result()
        assert sum(len(t.cards) for t in result.tables) == len(ids) - len(chosen) + 1
    while True:
        merged = [c.id for t in room.result().tables for c in t.cards if c.merged_from]
        if not merged:
            break
        room.decide("split", card=data.draw(st.sampled_from(merged)))
    restored = room.result().model_dump()
    assert restored["tables"] == original["tables"]


def test_edit_keeps_the_written_text_and_move_follows_the_new_tables_prompts() -> None:
    room = Room(cfg())
    card = room.card("1", "t1", "Flächn", prompt="p1")
    room.decide("edit", card=card, text="Flächen")
    room.decide("edit", card=card, text="Flächen fehlen")
    moved = room.result().tables[0].cards[1]
    assert (moved.text, moved.edited_from) == ("Flächen fehlen", "Flächn")
    room.decide("move", card=card, table="t2")
    assert room.result().tables[1].cards[0].prompt is None  # p1 of t1 means nothing at t2
    room.decide("move", card=card, prompt="p1", category="k1")
    assert (room.result().tables[1].cards[0].prompt, room.result().tables[1].cards[0].category) == ("p1", "k1")
    room.decide("move", card=card, category="")
    assert room.result().tables[1].cards[0].category is None


def test_summaries_belong_to_their_table_and_round() -> None:
    room = Room(cfg())
    room.decide("summary", table="t1", text="Runde 1: Flächen")
    room.decide("next_round")
    room.decide("summary", table="t1", text="Runde 2: Fachkräfte")
    room.decide("summary", table="t1", text="Runde 2: Fachkräfte und Ausbildung")
    rounds = room.result().tables[0].rounds
    assert [(r.round, r.summary) for r in rounds] == [(1, "Runde 1: Flächen"), (2, "Runde 2: Fachkräfte und Ausbildung")]


@pytest.mark.parametrize(("command", "payload", "error"), [
    ("edit", {"card": "c9-nope", "text": "x"}, "card_unknown"),
    ("edit", {"card": "t1-f1", "text": "  "}, "card_empty"),
    ("edit", {"card": "t1-f1", "text": "x" * 281}, "card_too_long"),
    ("merge", {"cards": ["t1-f1", "t1-f1"]}, "merge_twice"),
    ("merge", {"cards": ["t1-f1", "c9-nope"]}, "card_unknown"),
    ("split", {"card": "t1-f1"}, "card_not_merged"),
    ("move", {"card": "t1-f1", "table": "t9"}, "unknown_table"),
    ("move", {"card": "t1-f1", "table": "t2", "prompt": "p2"}, "unknown_prompt"),
    ("move", {"card": "t1-f1", "category": "k9"}, "unknown_category"),
    ("summary", {"table": "t9", "text": "x"}, "unknown_table"),
])
def test_commands_that_do_not_fit_are_refused_with_a_reason(command: str, payload: dict[str, Any], error: str) -> None:
    room = Room(cfg())
    with pytest.raises(InvalidContribution) as caught:
        room.decide(command, **payload)
    assert caught.value.key == error


def test_next_round_is_refused_after_the_last_round() -> None:
    room = Room(cfg(rounds=2))
    room.decide("next_round")
    with pytest.raises(InvalidTransition) as caught:
        room.decide("next_round")
    assert caught.value.key == "tables_last_round"
    assert room.result().round == 2


def test_a_host_touches_only_the_tables_the_command_changes() -> None:
    room = Room(cfg())
    a = room.card("1", "t1", "eins")
    b = room.card("1", "t2", "zwei")
    state = board(room.config, list(room.casts.values()), room.decisions)
    assert tables_touched(room.config, state, "merge", {"cards": [a, b]}) == {"t1", "t2"}
    assert tables_touched(room.config, state, "move", {"card": a, "table": "t3"}) == {"t1"}
    assert tables_touched(room.config, state, "summary", {"table": "t3"}) == {"t3"}
    assert tables_touched(room.config, state, "edit", {"card": "nope"}) == {"?"}
    assert tables_touched(room.config, state, "next_round", {}) == {"*"}


# --- result and later steps -----------------------------------------------------------------------


def test_later_steps_get_the_cards_after_merging_by_table_and_category() -> None:
    room = Room(cfg())
    a = room.card("1", "t1", "Fachkräftemangel", prompt="p2", category="k2")
    b = room.card("2", "t1", "Zu wenig Azubis", category="k2")
    room.card("3", "t2", "Grüne Innenstadt", prompt="p1", category="k1")
    room.decide("merge", cards=[a, b], text="Fachkräfte fehlen")
    offered = items(room.result())
    assert [(i.id, i.label, i.description, i.groups, i.merged_from) for i in offered] == [
        ("t1-f1", "Gewerbeflächen sind knapp", "Herausforderungen", ("t1",), ()),
        ("m1", "Fachkräfte fehlen", "Herausforderungen · Fachkräfte", ("t1", "k2"), (a, b)),
        (offered[2].id, "Grüne Innenstadt", "Visionen · Innenstadt", ("t2", "k1"), ()),
    ]
    room.decide("merge", cards=["m1", "t1-f1"])  # a merged card merged again names every card in it
    assert items(room.result())[0].merged_from == ("m1", a, b, "t1-f1")


def test_empty_result_and_outcome() -> None:
    c = cfg()
    result = tally(c, [], 0)
    assert result.empty and result.cards == 1  # the pre-filled card
    assert ENGINE.outcome(tally(Config.model_validate({"tables": ["A"]}), [], 0)).decision is None
    gathered = ENGINE.outcome(result).decision
    assert gathered is not None and gathered.key == "theme_tables.gathered"
    assert ENGINE.load_result(result.model_dump(mode="json")) == result


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_the_seats_follow_from_the_seats_and_decisions_alone(data: st.DataObject) -> None:
    """The seating rule on the commit path replays only the seats and the decisions (issue 13: not
    every card for each new one); whatever the cards, merges, hosts, moves and rounds, the seats,
    the check-in order and the round are those of the whole replay."""
    room = Room(cfg(seating=data.draw(st.sampled_from(["table_qr", "round_robin"])), rounds=3))
    people = [str(n) for n in range(1, 7)]
    for _ in range(data.draw(st.integers(1, 14))):
        person = data.draw(st.sampled_from(people))
        step = data.draw(st.sampled_from(["seat", "card", "host", "guest", "round", "merge"]))
        try:
            if step == "seat":
                room.send(person, {"seat": {"table": data.draw(st.sampled_from(["t1", "t2", "t3"]))}})
            elif step == "card":
                mine = board(room.config, list(room.casts.values()), room.decisions).table_of(person)
                room.card(person, mine or "t1", f"Karte {room.seq}")
            elif step in ("host", "guest"):
                room.decide("assign", participant=person, table=data.draw(st.sampled_from(["t1", "t2", "t3"])),
                            role=step)
            elif step == "round":
                room.decide("next_round")
            else:
                ids = [c.id for t in room.result().tables for c in t.cards if not c.prefilled]
                if len(ids) >= 2:
                    room.decide("merge", cards=ids[:2])
        except (InvalidContribution, InvalidTransition):
            pass  # refused: nothing stored
    casts = list(room.casts.values())
    whole = board(room.config, casts, room.decisions)
    seats = board(room.config, [c for c in casts if c.key == "seat"], room.decisions)
    assert (seats.seats(), seats.checked_in, seats.round, seats.hosts) == \
        (whole.seats(), whole.checked_in, whole.round, whole.hosts)


# --- the tally as a fold ------------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_a_fold_of_later_cards_and_seats_equals_the_tally_from_scratch(data: st.DataObject) -> None:
    """Issue 13: a live round adds the rows stored since the last delivery instead of replaying
    every card (``Engine.fold``). Whatever came before — cards, seats, merges, edits, a next
    round — adding later inputs in new slots gives the very result a tally from scratch gives."""
    room = Room(cfg(rounds=3))
    people = [str(n) for n in range(1, 6)]
    for n in range(data.draw(st.integers(0, 6))):
        room.card(data.draw(st.sampled_from(people)), data.draw(st.sampled_from(["t1", "t2", "t3"])), f"Karte {n}")
    ids = [c.id for t in room.result().tables for c in t.cards if not c.prefilled]
    if ids and data.draw(st.booleans()):
        room.decide("edit", card=ids[-1], text="Anders")
    if len(ids) >= 2 and data.draw(st.booleans()):
        room.decide("merge", cards=ids[:2], text="Zusammen")
    if data.draw(st.booleans()):
        room.decide("next_round")
    start = ENGINE.fold
    assert start is not None
    folded = start.start(room.config, list(room.casts.values()), room.decisions)
    assert start.result(room.config, folded, 20) == room.result()
    for n in range(data.draw(st.integers(1, 8))):
        before = set(room.casts)
        if data.draw(st.booleans()):
            room.card(data.draw(st.sampled_from([*people, "9"])), data.draw(st.sampled_from(["t1", "t2"])),
                      f"Später {n}")
        else:  # someone sits down for the first time (a re-seat replaces a slot: that is no fold)
            person = f"s{n}"
            room.send(person, {"seat": {"table": data.draw(st.sampled_from(["t1", "t2", "t3"]))}})
        added = [c for slot, c in room.casts.items() if slot not in before]
        folded = start.add(room.config, folded, added)
        assert start.result(room.config, folded, 20) == room.result()
        assert_dump(start, room.config, folded, room.result())


def assert_dump(fold: Any, config: Config, folded: Any, expected: Result) -> None:
    """The fold's JSON (each card dumped once, then reused) is ``model_dump`` of its result,
    keys in the same order, whatever cards it reused."""
    assert fold.dump is not None
    assert json.dumps(fold.dump(folded, fold.result(config, folded, 20))) == \
        json.dumps(expected.model_dump(mode="json"))


def test_a_fold_leaves_the_state_it_started_from_as_it_was() -> None:
    room = Room(cfg())
    room.card("1", "t1", "Erste")
    fold = ENGINE.fold
    assert fold is not None
    first = fold.start(room.config, list(room.casts.values()), room.decisions)
    shown = fold.result(room.config, first, 20)
    room.card("2", "t1", "Zweite")
    fold.add(room.config, first, [list(room.casts.values())[-1]])
    assert fold.result(room.config, first, 20) == shown  # two deliveries may fold from one state
