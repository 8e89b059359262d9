"""The materiality matrix in the live state: a hidden matrix is not refitted on deliveries (nobody
sees it), and whatever is shown — the revealed live matrix, the closed round, the API's results —
is the exact fit of every stored comparison."""

from __future__ import annotations

from typing import Any

from facilitation import admission, contributions, lifecycle, live, tasks
from facilitation.context import Context
from methods import materiality
from methods.base import latest
from sessions import store
from tests.factories import create_session, join

ITEMS = ["Co-Working", "Gründerfonds", "Fachkräfteportal", "City-Hub", "Bottrop-Card", "WLAN"]
STEP: dict[str, Any] = {"method": "materiality", "title": "Matrix",
                        "config": {"items": ITEMS, "comparisons_per_axis": 4}}


def answer_all(ctx: Context, sid: int, step: int, people: list[int], rounds: int) -> int:
    """Each person answers their next pair ``rounds`` times (the first item, every third a skip)."""
    state = live.build_state(ctx, sid)
    assert state.step is not None
    given = 0
    for k in range(rounds):
        for p in people:
            task = live.next_task(ctx, state.step, p)
            if not task:
                continue
            pair = [item["id"] for item in task["pair"]]
            choice = None if (k + p) % 3 == 0 else pair[(k * p) % 2]
            contributions.submit(ctx, step, p, {"axis": task["axis"], "pair": pair, "choice": choice})
            given += 1
    return given


def exact(ctx: Context, step: int, people: int) -> dict[str, Any]:
    """The matrix fitted afresh from every stored comparison of the step's open round."""
    with ctx.db.session() as orm:
        casts = latest(store.rows(orm, step, 1))
    config = materiality.Config.model_validate(STEP["config"])
    return materiality.tally(config, casts, people).model_dump(mode="json")


def test_a_hidden_matrix_is_not_refitted_while_answers_arrive(ctx: Context) -> None:
    created = create_session(ctx, STEP)
    sid, step = created.session.id, created.session.steps[0].id
    people = join(ctx, sid, 5)
    lifecycle.open_step(ctx, step)
    given = answer_all(ctx, sid, step, people, 3)
    state = live.build_state(ctx, sid)
    # the delivery counts who answered (the console's "5 von 5") but fits nothing
    assert state.result is None and state.contributors == 5 and given == 15

    lifecycle.reveal(ctx, step)
    shown = live.build_state(ctx, sid).result
    assert shown == exact(ctx, step, 5)  # the reveal shows the exact fit at once
    assert sum(shown["comparisons"].values()) + sum(shown["skips"].values()) == 15


def test_revealed_closed_and_api_results_are_the_exact_fit_after_more_answers(ctx: Context) -> None:
    created = create_session(ctx, STEP)
    sid, step = created.session.id, created.session.steps[0].id
    people = join(ctx, sid, 4)
    lifecycle.open_step(ctx, step)
    answer_all(ctx, sid, step, people, 2)
    lifecycle.reveal(ctx, step)
    first = live.build_state(ctx, sid).result
    assert first == exact(ctx, step, 4)
    answer_all(ctx, sid, step, people, 3)  # revealed: every delivery shows every answer
    live_result = live.build_state(ctx, sid).result
    assert live_result != first and live_result == exact(ctx, step, 4)
    lifecycle.hide(ctx, step)
    answer_all(ctx, sid, step, people, 2)  # hidden again: answers arrive unseen
    assert live.build_state(ctx, sid).result is None
    api = live.step_results(ctx, sid)[0]["rounds"][0]["result"]
    assert api == exact(ctx, step, 4)  # the API's results are fitted, hidden or not
    lifecycle.close_step(ctx, step)
    closed = live.build_state(ctx, sid).result
    assert closed == exact(ctx, step, 4) and sum(closed["comparisons"].values()) + sum(closed["skips"].values()) == 28


def test_a_removed_participants_answers_count_in_no_task_model(ctx: Context) -> None:
    """The shared model for choosing pairs asks who was removed only when it is renewed, and
    then leaves their answers out (as the tally does)."""
    ctx.tasks.timer = lambda: 0.0  # fits that take no time: the rows alone say when to renew
    created = create_session(ctx, STEP)
    sid, step = created.session.id, created.session.steps[0].id
    stuffer, *others = join(ctx, sid, 3)
    lifecycle.open_step(ctx, step)
    answer_all(ctx, sid, step, [stuffer], 8)
    admission.remove(ctx, sid, stuffer)
    answer_all(ctx, sid, step, others, 2)  # enough new rows to renew the model
    shown = live.build_state(ctx, sid).step
    assert shown is not None and live.next_task(ctx, shown, others[0])  # renewed for this task
    assert ctx.tasks.models[step].rows == 12
    model = ctx.tasks.models[step].model
    counted = sum(model.answered.values()) + sum(model.skipped.values())
    assert counted == 4 and model.raters == 2  # the removed one's 8 answers are not in it


def test_the_next_pair_from_the_kept_answered_pairs_is_the_one_from_all_own_answers(ctx: Context) -> None:
    """Facilitation keeps each participant's answered pairs and extends them by each new answer
    (``Engine.own_state``): every next pair, also after changed answers and a new round, is the
    one ``task_for`` gives from all of the participant's stored answers, and nobody gets a pair twice."""
    created = create_session(ctx, STEP, title="T")
    sid, step = created.session.id, created.session.steps[0].id
    people = join(ctx, sid, 3)
    for _round in range(2):
        lifecycle.open_step(ctx, step)
        state = live.build_state(ctx, sid)
        assert state.step is not None
        key = (step, state.step.round, state.step.opened_at)
        given: dict[int, list[tuple[str, frozenset[str]]]] = {p: [] for p in people}
        for k in range(12):
            for p in people:
                task = live.next_task(ctx, state.step, p)
                with ctx.db.read_connection() as conn:
                    rows = store.rows(conn, step, state.step.round)
                own = [c for c in latest(rows) if c.participant == str(p)]
                model = ctx.tasks.models[step].model
                assert task == materiality.task_for(state.step.config, model, own, str(p),
                                                    tasks.seed(step, state.step.round))
                if not task:
                    continue
                pair = [item["id"] for item in task["pair"]]
                assert (task["axis"], frozenset(pair)) not in given[p]
                given[p].append((task["axis"], frozenset(pair)))
                contributions.submit(ctx, step, p, {"axis": task["axis"], "pair": pair, "choice": pair[k % 2]})
                if k % 4 == 3:  # a changed answer to the pair before: the same pair, nothing new
                    contributions.submit(ctx, step, p, {"axis": task["axis"], "pair": pair[::-1], "choice": None})
        assert all(len(g) == 8 for g in given.values())  # 4 per axis, then done
        assert ctx.round_rows._latest[step].key == key and ctx.round_rows._latest[step].states  # noqa: SLF001
        lifecycle.close_step(ctx, step)


def test_the_pair_held_ahead_is_the_next_pair_once_the_one_on_screen_is_answered(ctx: Context) -> None:
    """``next_tasks`` hands the pair after the one on screen too (the phone shows it the moment a
    pair is tapped). Once the pair on screen is answered, that held pair is the next one — also
    when the shared model was renewed in between and would now choose another — and it is
    admitted; a task handed and still unanswered is handed again (the API's ``next`` names the
    pair the phone shows). Nobody gets a pair twice, and the last pair has nothing after it."""
    ctx.tasks.timer = lambda: 0.0  # fits that take no time: the rows alone say when to renew
    created = create_session(ctx, STEP)
    sid, step = created.session.id, created.session.steps[0].id
    me, *others = join(ctx, sid, 4)
    lifecycle.open_step(ctx, step)
    shown = live.build_state(ctx, sid).step
    assert shown is not None
    # a pair handed out earlier and unanswered comes first, although the model now prefers another
    first = live.next_task(ctx, shown, me)
    model = ctx.tasks.models[step].model
    config = shown.config
    ranked = materiality.candidates(config, model, {"x": set(), "y": set()}, first["axis"], str(me), 0)
    i, j = ranked[-1]
    odd = {**first, "pair": [{"id": config.items[i].id}, {"id": config.items[j].id}]}
    assert odd["pair"] != first["pair"]
    ctx.tasks.handed.clear()
    ctx.tasks.hand(step, shown.round, str(me), odd)
    assert live.next_task(ctx, shown, me) == odd
    seen: list[tuple[str, frozenset[str]]] = []
    held: Any = None
    builds = ctx.tasks.builds
    while True:
        now, *ahead = live.next_tasks(ctx, shown, me)
        assert live.next_task(ctx, shown, me) == now  # the same pair again while unanswered
        if held is not None:
            assert now == held
        if now is None:
            break
        assert len(ahead) == 1
        pair = [item["id"] for item in now["pair"]]
        seen.append((now["axis"], frozenset(pair)))
        held = ahead[0]
        contributions.submit(ctx, step, me, {"axis": now["axis"], "pair": pair, "choice": pair[0]})
        answer_all(ctx, sid, step, others, 1)  # the others' answers renew the shared model
    assert len(seen) == len(set(seen)) == 8 and held is None
    assert ctx.tasks.builds > builds + 2  # the model was renewed while pairs were held
