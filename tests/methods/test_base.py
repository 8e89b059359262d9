"""Shared engine helpers: latest-row selection and payload guards."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from methods.base import MAX_PAYLOAD_BYTES, Cast, Stored, latest, require_mapping
from methods.errors import InvalidContribution


def test_latest_keeps_newest_per_participant_and_key() -> None:
    rows = [
        Stored(1, "p1", "a", 1),
        Stored(2, "p1", "b", 2),
        Stored(3, "p2", "a", 3),
        Stored(4, "p1", "a", 4),
    ]
    assert latest(rows) == [Cast("p1", "b", 2), Cast("p2", "a", 3), Cast("p1", "a", 4)]


def test_latest_ignores_input_order() -> None:
    rows = [Stored(5, "p1", "a", "new"), Stored(2, "p1", "a", "old"), Stored(3, "p1", "a", "middle")]
    assert latest(rows) == [Cast("p1", "a", "new")]


def test_latest_of_nothing_is_empty() -> None:
    assert latest([]) == []


rows_strategy = st.lists(
    st.tuples(st.sampled_from(["p1", "p2", "p3"]), st.sampled_from(["k1", "k2"]), st.integers()),
    max_size=40,
).map(lambda items: [Stored(seq, p, k, v) for seq, (p, k, v) in enumerate(items, start=1)])


@given(rows=rows_strategy, data=st.data())
def test_latest_property_newest_per_slot_in_any_order(rows: list[Stored], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(rows))
    got = latest(shuffled)
    # the model: for each (participant, key) the row with the highest seq
    expected: dict[tuple[str, str], Stored] = {}
    for row in rows:
        expected[(row.participant, row.key)] = row  # rows are in seq order
    assert {(c.participant, c.key): c.value for c in got} == {slot: r.value for slot, r in expected.items()}
    assert len(got) == len(expected)  # one cast per slot
    # output is ordered by the seq of the kept rows, whatever the input order
    assert got == [
        Cast(r.participant, r.key, r.value) for r in sorted(expected.values(), key=lambda r: r.seq)
    ]
    assert latest(shuffled) == latest(rows)


@pytest.mark.parametrize("payload", [None, [], "text", 3, ("option", "yes")])
def test_require_mapping_rejects_non_objects(payload: object) -> None:
    with pytest.raises(InvalidContribution) as info:
        require_mapping(payload)
    assert info.value.key == "payload_not_object"


def test_require_mapping_size_limit() -> None:
    with pytest.raises(InvalidContribution) as info:
        require_mapping({"t": "x" * MAX_PAYLOAD_BYTES})
    assert info.value.key == "payload_too_large"
    assert info.value.params == {"limit": MAX_PAYLOAD_BYTES}
    assert require_mapping({"t": "x"}) == {"t": "x"}
