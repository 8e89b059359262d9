"""The index of the newest rows that a delivery and a phone's next task read instead of passing
over every row of the round: always what ``latest`` over the same rows gives."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from facilitation import tasks
from facilitation.round_rows import RoundRows
from methods.base import Stored, latest

KEY = (1, 1, None)

row_specs = st.lists(st.tuples(st.sampled_from("123"), st.sampled_from(["k1", "k2", "k3"]), st.integers(0, 9)),
                     max_size=40)


def stored(specs: list[tuple[str, str, int]], start: int = 1) -> list[Stored]:
    return [Stored(start + n, participant, key, value) for n, (participant, key, value) in enumerate(specs)]


@settings(max_examples=150, deadline=None)
@given(row_specs, st.lists(st.integers(0, 40), max_size=6), st.sets(st.sampled_from("123"), max_size=1))
def test_the_index_equals_latest_however_the_rows_arrive(specs: list[tuple[str, str, int]], cuts: list[int],
                                                         removed: set[str]) -> None:
    rows, index = stored(specs), RoundRows(incremental=True)
    for cut in [*sorted(cuts), len(rows)]:
        seen = rows[:cut]
        assert index.latest(KEY, seen) == latest(seen)
        assert [c.seq for c in index.latest(KEY, seen)] == [c.seq for c in latest(seen)]
        for participant in "123":
            assert index.own(KEY, seen, participant) == tasks.own(seen, participant)
        per_key, who = index.counts(KEY, seen)
        assert per_key == dict(Counter(c.key for c in latest(seen)))
        assert who == frozenset(int(c.participant) for c in latest(seen))
        # a list without a removed participant's rows is not mistaken for the whole round
        without = [r for r in seen if r.participant not in removed]
        assert index.latest(KEY, without) == latest(without)
    # another round (or a reused step id) starts afresh, even with the same row ids
    other = stored(list(reversed(specs)))
    assert index.latest((1, 2, None), other) == latest(other)


def test_a_changed_answer_replaces_the_earlier_one_and_moves_to_the_end() -> None:
    index = RoundRows(incremental=True)
    first = stored([("1", "k1", 1), ("2", "k1", 2)])
    assert [c.value for c in index.latest(KEY, first)] == [1, 2]
    more = first + stored([("1", "k1", 3)], start=3)
    assert [(c.participant, c.value) for c in index.latest(KEY, more)] == [("2", 2), ("1", 3)]
    assert [c.value for c in index.own(KEY, more, "1")] == [3]
    assert index.counts(KEY, more) == ({"k1": 2}, frozenset({1, 2}))  # a change is no new input
