"""The shared task model of an open round is renewed as answers accumulate, not on every one."""

from __future__ import annotations

from typing import Any

from facilitation.tasks import REFRESH_MIN, TaskModels
from methods.base import Engine, Stored


def counting_engine(calls: list[int]) -> Engine[Any, Any]:
    def model(config: Any, casts: Any) -> int:
        calls.append(len(casts))
        return len(casts)

    return Engine(name="t", config=object, result=object, validate=lambda c, p: [],  # type: ignore[arg-type]
                  tally=lambda *a: None, outcome=lambda r: None, default_config={},  # type: ignore[arg-type, return-value]
                  task_model=model)


def rows(n: int) -> list[Stored]:
    return [Stored(k, f"p{k}", f"k{k}", 1) for k in range(1, n + 1)]


def test_model_renewed_after_a_tenth_more_rows_and_for_another_round() -> None:
    calls: list[int] = []
    method, models = counting_engine(calls), TaskModels()
    key = (1, 1, None)
    assert models.model(method, None, key, rows(0)) == 0
    assert models.model(method, None, key, rows(REFRESH_MIN - 1)) == 0  # a few answers: kept
    assert models.model(method, None, key, rows(REFRESH_MIN)) == REFRESH_MIN
    assert models.model(method, None, key, rows(1000)) == 1000
    assert models.model(method, None, key, rows(1099)) == 1000  # less than a tenth more: kept
    assert models.model(method, None, key, rows(1100)) == 1100
    assert models.model(method, None, (1, 2, None), rows(1100)) == 1100 and len(calls) == 5  # new round: new
    assert models.builds == 5


def test_handed_tasks_are_remembered_per_round_and_forgotten_with_it() -> None:
    calls: list[int] = []
    method, models = counting_engine(calls), TaskModels()
    models.model(method, None, (1, 1, None), rows(1))
    for k in range(5):
        models.hand(1, 1, "p1", {"n": k})
    models.hand(1, 1, "p1", None)
    assert models.handed_to(1, 1, "p1") == ({"n": 2}, {"n": 3}, {"n": 4})
    assert models.handed_to(1, 1, "p2") == ()
    models.model(method, None, (1, 2, None), rows(1))  # the next round: the old tasks go
    assert models.handed_to(1, 1, "p1") == ()
