"""Live state and results: the tally behind every console, projector, phone and API answer."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable
from typing import Any

from facilitation import tasks
from facilitation.context import Context
from facilitation.lifecycle import tally_round
from facilitation.snapshots import LiveState, SessionInfo, StepInfo
from facilitation.tallies import Tallied, Version
from methods.base import Decision, Engine, Stored, latest
from methods.errors import NotFound
from methods.registry import engine
from sessions import models, store
from sessions.states import ParticipantStatus, StepState


def build_state(ctx: Context, session_id: int) -> LiveState:
    with ctx.db.session() as orm:
        row = store.load_session(orm, session_id)
        if row is None:
            raise NotFound("session_not_found", session=session_id)
        info = SessionInfo.of(row, store.current_round_configs(orm, session_id))
        participants = store.participant_count(orm, session_id)
        others = store.not_counted(orm, session_id)
        waiting = frozenset(p for p, status in others.items() if status == ParticipantStatus.WAITING)
        removed = frozenset(p for p, status in others.items() if status == ParticipantStatus.REMOVED)
        step = info.current_step
        if step is None or step.state == StepState.DRAFT:
            return LiveState(info, participants, step, 0, None, waiting=waiting, removed=removed)
        rows = ctx.round_rows.read(orm, step)
        stored: dict[str, Any] | None = None
        if step.state == StepState.CLOSED:
            step_row = next(s for s in row.steps if s.id == step.id)
            stored = next((r.result for r in step_row.rounds if r.round == step.round), None)
        tallied = _tallied(ctx, orm, step, rows, participants, removed, stored)
        moving = ctx.drags.current(step.id) if step.state == StepState.OPEN else {}
        return LiveState(info, participants, step, len(tallied.contributor_ids), tallied.result,
                         tallied.per_key, tallied.contributor_ids, waiting, removed, moving, tallied.typed)


def rebuild_state(ctx: Context, previous: LiveState) -> LiveState:
    """``build_state`` for a delivery caused by stored inputs alone (the hub knows: only
    ``contributions`` publishes with news, every command publishes without): the session, its
    steps, round configs, head count and who waits or was removed are those of ``previous``, since
    only a command changes them, and each command's publish makes the next delivery a full build.
    Only the round's rows and tally are read again. A burst of 500 answers is ~8 deliveries, and
    the part it skips was ~70 % of each (load_session, the round configs and both participant
    counts: ~2.5 of ~3.5 ms). A closed round or a step without inputs open builds in full."""
    step = previous.step
    if step is None or step.state != StepState.OPEN:
        return build_state(ctx, previous.session.id)
    with ctx.db.session() as orm:
        rows = ctx.round_rows.read(orm, step)
        tallied = _tallied(ctx, orm, step, rows, previous.participants, previous.removed, None)
    return LiveState(previous.session, previous.participants, step, len(tallied.contributor_ids), tallied.result,
                     tallied.per_key, tallied.contributor_ids, previous.waiting, previous.removed,
                     ctx.drags.current(step.id), tallied.typed)


def _tallied(ctx: Context, orm: Any, step: StepInfo, rows: list[Stored], participants: int,
             removed: frozenset[int], stored: dict[str, Any] | None) -> Tallied:
    """The round's result and who gave what: a closed round's stored result, else the live tally
    — the last one again if nothing it counts changed since (a delivery for a dragged dot)."""
    method = engine(step.method)
    version: Version | None = None
    decisions: tuple[Decision, ...] = ()
    if stored is None:
        # decisions only for methods that have commands: no query per delivery otherwise
        decisions = store.round_decisions(orm, step.id, step.round) if method.commands else ()
        version = Version(step.round, step.opened_at, rows[-1].seq if rows else 0, len(rows),
                          tuple(d.seq for d in decisions), participants, removed,
                          step.results_visible or method.tally_while_hidden)
        kept = ctx.tallies.get(step.id, version)
        if kept is not None:
            return kept
        grown = _fold(ctx, method, step, rows, removed, decisions, version)
        if grown is not None:
            ctx.tallies.folded += 1
            return ctx.tallies.put(step.id, version, grown)
    key = (step.id, step.round, step.opened_at)
    tally = stored is None and (step.results_visible or method.tally_while_hidden)
    casts = store.counted(ctx.round_rows.latest(key, rows), frozenset(str(p) for p in removed)) \
        if tally or removed else []
    # a hidden result nobody shows is not tallied (Engine.tally_while_hidden); kept under its
    # own version, so the reveal tallies at once
    if removed:
        per_key, who = dict(Counter(c.key for c in casts)), frozenset(int(c.participant) for c in casts)
    else:  # kept with the round's index: no pass over thousands of casts per delivery
        per_key, who = ctx.round_rows.counts(key, rows)
    if tally and method.fold is not None:
        folded = method.fold.start(step.config, casts, decisions)
        typed = method.fold.result(step.config, folded, participants)
        tallied = Tallied(_dumped(method, folded, typed), per_key, who, typed, folded,
                          frozenset((r.participant, r.key) for r in rows))
    else:
        result: dict[str, Any] | None = stored
        if tally:
            result = method.tally(step.config, casts, participants, decisions).model_dump(mode="json")
        tallied = Tallied(result, per_key, who)
    return tallied if version is None else ctx.tallies.put(step.id, version, tallied)


def _fold(ctx: Context, method: Engine[Any, Any], step: StepInfo, rows: list[Stored], removed: frozenset[int],
          decisions: tuple[Decision, ...], version: Version) -> Tallied | None:
    """The last tally with the rows stored since added (``Engine.fold``), or None when that would
    not equal a tally from scratch: another round, decision, head count or removal; a row that
    replaces an earlier input of its (participant, key); a decision taken after one of the new
    rows. Each new card then costs its own replay, not one of every card on the boards."""
    last = ctx.tallies.last(step.id)
    if method.fold is None or last is None or last[1].folded is None or not version.tallied:
        return None
    before, kept = last
    if (before.round, before.opened_at, before.decisions, before.participants, before.removed) != \
            (version.round, version.opened_at, version.decisions, version.participants, version.removed):
        return None
    # rows come in increasing seq: the kept ones are a prefix ending in its last row, the rest
    # is new (no pass over every row per card); a row committed late under a lower id breaks the
    # prefix and the tally starts from scratch
    seen = before.rows
    if len(rows) <= seen or (seen and rows[seen - 1].seq != before.last_row):
        return None
    new = rows[seen:]
    slots = {(r.participant, r.key) for r in new}
    if len(slots) != len(new) or slots & kept.slots \
            or max((d.after for d in decisions), default=-1) >= min(r.seq for r in new):
        return None
    casts = store.counted(latest(new), frozenset(str(p) for p in removed))
    folded = method.fold.add(step.config, kept.folded, casts)
    typed = method.fold.result(step.config, folded, version.participants)
    per_key = dict(kept.per_key)
    for cast in casts:
        per_key[cast.key] = per_key.get(cast.key, 0) + 1
    return Tallied(_dumped(method, folded, typed), per_key,
                   kept.contributor_ids | {int(c.participant) for c in casts}, typed, folded, kept.slots | slots)


def _dumped(method: Engine[Any, Any], folded: Any, typed: Any) -> dict[str, Any]:
    """The folded result as JSON: by the fold's own ``dump`` where it keeps its parts' JSON."""
    assert method.fold is not None
    if method.fold.dump is not None:
        return method.fold.dump(folded, typed)
    dumped: dict[str, Any] = typed.model_dump(mode="json")
    return dumped


def move(ctx: Context, session_id: int, step_id: int, participant_id: int, payload: Any) -> None:
    """A position in motion (a dot being dragged): the room sees it on the next delivery, nothing
    is stored. The phone's view checked the payload against the step it shows."""
    if ctx.drags.move(step_id, participant_id, payload):
        ctx.hub.publish_motion(session_id)


SHARED = ("typed", "outcome", "step_signature")
"""What a state works out once (``cached_property``) from its stored part, which motion leaves as it is."""


def with_motion(ctx: Context, state: LiveState) -> LiveState:
    """``state`` (the last one delivered) with the inputs in motion as they are now: a delivery
    caused only by dragged dots changes nothing stored, so it reads no table and tallies nothing,
    and the parsed result it shares with ``state`` is not parsed again for 500 dots."""
    step = state.step
    moved = dataclasses.replace(state, moving=ctx.drags.current(step.id) if step and step.state == StepState.OPEN
                                else {})
    for name in SHARED:
        if name in state.__dict__:
            moved.__dict__[name] = state.__dict__[name]
    return moved


def next_task(ctx: Context, step: StepInfo, participant_id: int) -> Any:
    """What one participant should do next, for a method that hands out tasks (e.g. the next pair
    to compare); None for the others (:func:`next_tasks` without the task after it)."""
    return next_tasks(ctx, step, participant_id, ahead=0)[0]


def next_tasks(ctx: Context, step: StepInfo, participant_id: int, ahead: int = 1) -> list[Any]:
    """The participant's next task, then up to ``ahead`` tasks after it for a method that can
    ``assume`` a task answered (materiality: the phone holds the pair after the one on screen and
    shows it the moment a pair is tapped); ``[None]`` when there is none. A task handed out
    before and still unanswered comes first, in the order handed: it is what the phone shows or
    holds. The seed is the step and round; a method with a shared task model gets the round's
    kept one (facilitation/tasks.py), and every task is remembered as handed to this participant.
    The round's rows come without a query when this process committed every row since it last
    read them (``RoundRows.current``: the ack of each answer in a burst); who was removed is read
    only when the shared model is renewed."""
    method = engine(step.method)
    if method.next_task is None or step.state != "open":
        return [None]
    kept = ctx.round_rows.current(step)
    if kept is not None:
        found = _tasks(ctx, method, step, participant_id, kept, lambda: _removed(ctx, step.id), ahead)
    else:
        with ctx.db.read_connection() as conn:
            rows = ctx.round_rows.read(conn, step)
            found = _tasks(ctx, method, step, participant_id, rows, lambda: store.removed_of_step(conn, step.id), ahead)
    for task in found:
        ctx.tasks.hand(step.id, step.round, str(participant_id), task)
    return found


def _removed(ctx: Context, step_id: int) -> frozenset[str]:
    with ctx.db.read_connection() as conn:
        return store.removed_of_step(conn, step_id)


def _tasks(ctx: Context, method: Engine[Any, Any], step: StepInfo, participant_id: int, rows: list[Stored],
           removed: Callable[[], frozenset[str]], ahead: int) -> list[Any]:
    """The tasks from the round's ``rows`` (see :func:`next_tasks`); ``removed`` reads the removed
    participants (their answers count in no model), asked only when needed."""
    assert method.next_task is not None
    participant = str(participant_id)
    seed = tasks.seed(step.id, step.round)
    if method.task_model is None or method.task_for is None:
        gone = removed()
        return [method.next_task(step.config, latest([r for r in rows if r.participant not in gone]),
                                 participant, seed)]
    key = (step.id, step.round, step.opened_at)
    model = ctx.tasks.model(method, step.config, key, rows, removed, lambda: ctx.round_rows.latest(key, rows))
    own = tasks.own_of(ctx.round_rows, method, step.config, key, rows, participant)
    assume = method.assume
    if assume is None:
        return [method.task_for(step.config, model, own, participant, seed)]
    found: list[Any] = []
    # first the tasks handed before and still open (the phone shows or holds them), in the order
    # handed, each assumed answered for the next: one ``assume`` per remembered task
    for handed in ctx.tasks.handed_to(step.id, step.round, participant):
        if len(found) > ahead:
            return found
        after = assume(step.config, own, handed)
        if after is not None:
            found.append(handed)
            own = after
    while len(found) <= ahead:  # then new ones
        task = method.task_for(step.config, model, own, participant, seed)
        found.append(task)
        if task is None or len(found) > ahead:
            break
        after = assume(step.config, own, task)
        if after is None:
            break
        own = after
    return found


def decision_json(row: models.Decision) -> dict[str, Any]:
    """A moderator decision as the API, the export and the protocol show it."""
    return {"command": row.command, "payload": row.payload, "actor": row.actor,
            "at": row.created_at.isoformat(timespec="seconds")}


def _named(method: Engine[Any, Any], config: dict[str, Any], result: dict[str, Any],
           names: dict[str, str]) -> dict[str, Any]:
    """A result as it leaves the app, with the names its method shows where the step allows them.
    Names are added here, at the edge, and never stored in the round's snapshot: the method's
    tally stays pure and a closed round's result holds pseudonyms only."""
    assert method.with_names is not None
    named = method.with_names(method.parse_config(config), method.load_result(result), names)
    dumped: dict[str, Any] = named.model_dump(mode="json")
    return dumped


def step_results(ctx: Context, session_id: int) -> list[dict[str, Any]]:
    """Every step with every round's result (snapshot if closed, live tally if open)."""
    with ctx.db.session() as orm:
        row = store.load_session(orm, session_id)
        if row is None:
            raise NotFound("session_not_found", session=session_id)
        participants = store.participant_count(orm, session_id)
        removed = store.removed_ids(orm, session_id)
        names: dict[str, str] | None = None  # read once, only if a step may show names
        out: list[dict[str, Any]] = []
        for step in row.steps:
            method = engine(step.method)
            rounds = []
            decided = store.decisions(orm, step.id)
            for r in step.rounds:
                result = r.result
                if result is None:
                    result = tally_round(orm, step, r.round, r.config)
                if method.with_names is not None and row.names != "none":
                    if names is None:
                        names = store.participant_names(orm, session_id)
                    result = _named(method, r.config, result, names)
                rounds.append({
                    "round": r.round,
                    "decisions": [decision_json(d) for d in decided if d.round == r.round],
                    "config": r.config,
                    "opened_at": r.opened_at.isoformat(timespec="seconds"),
                    "closed_at": r.closed_at.isoformat(timespec="seconds") if r.closed_at else None,
                    "contributors": len({c.participant for c in store.counted(
                        latest(store.rows(orm, step.id, r.round)), removed)}),
                    "result": result,
                })
            out.append({"id": step.id, "position": step.position, "method": step.method,
                        "title": step.title, "state": step.state, "rounds": rounds,
                        "participants": participants})
        return out
