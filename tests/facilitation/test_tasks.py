"""The shared task model of an open round is renewed as answers accumulate, not on every one."""

from __future__ import annotations

from typing import Any

from facilitation.tasks import REFRESH_MIN, RENEW_SPACING, TaskModels
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
    method, models = counting_engine(calls), TaskModels(lambda: 0.0)  # fits that cost nothing: the rows decide
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
    for k in range(7):
        models.hand(1, 1, "p1", {"n": k})
    models.hand(1, 1, "p1", None)
    assert models.handed_to(1, 1, "p1") == ({"n": 2}, {"n": 3}, {"n": 4}, {"n": 5}, {"n": 6})
    assert models.handed_to(1, 1, "p2") == ()
    models.model(method, None, (1, 2, None), rows(1))  # the next round: the old tasks go
    assert models.handed_to(1, 1, "p1") == ()


def test_a_burst_does_not_renew_the_model_again_before_its_cost_is_spaced_out() -> None:
    """Issue 11: 500 answers in half a second renewed a model of ~1,800 answers three times (7 ms
    each). A renewal now waits ``RENEW_SPACING`` times the last one's cost: a fit of 7 ms at most
    every 0.7 s, while a cheap early fit (0.1 ms) may follow the next answers within 10 ms."""
    now = [0.0]
    costs = iter([0.0001, 0.007, 0.007, 0.007])

    def model(config: Any, casts: Any) -> int:
        now[0] += next(costs)  # the fit's own time
        return len(casts)

    method = counting_engine([])
    method = Engine(**{**method.__dict__, "task_model": model})
    models = TaskModels(lambda: now[0])
    key = (1, 1, None)
    assert models.model(method, None, key, rows(1)) == 1  # cost 0.1 ms
    now[0] += 0.011  # 11 ms later: past 100 × 0.1 ms
    assert models.model(method, None, key, rows(1800)) == 1800  # cost 7 ms
    now[0] += 0.3  # 0.3 s later, 500 answers more: behind by far more than a tenth, but too soon
    assert models.model(method, None, key, rows(2300)) == 1800
    now[0] += RENEW_SPACING * 0.007 - 0.3  # 0.7 s after the last renewal: due
    assert models.model(method, None, key, rows(2300)) == 2300
    assert models.builds == 3
