"""A throwaway method that exists only for the tests: "Stimmungsbarometer" (pulse).

Everyone taps how they feel, 1–5; the moderator may *mark* a value with a note (a command with a
payload and a guard). It has every part a real method has — engine, phone component, console
view, board, texts, a command and tasks per participant — and lives entirely in tests/plugin,
registered only while a test runs: proof that adding a method touches no shared file.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field

from methods.base import (
    JSON,
    Cast,
    Command,
    CommandPayload,
    Decision,
    DemoStep,
    Engine,
    Entry,
    Item,
    MethodConfig,
    MethodResult,
    Outcome,
    Situation,
    Text,
    require_mapping,
)
from methods.errors import InvalidContribution, InvalidTransition

NAME = "pulse"
KEY = "mood"


class Config(MethodConfig):
    question: str = Field(default="Wie geht es Ihnen?", max_length=200)


def validate(config: Config, payload: object) -> list[Entry]:
    value = require_mapping(payload).get("mood")
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
        raise InvalidContribution("vote_choose_one")
    return [Entry(KEY, value)]


class Result(MethodResult):
    question: str = ""
    counts: list[int] = Field(default_factory=lambda: [0] * 5)
    voters: int = 0
    marked: int | None = None
    note: str = ""


def tally(config: Config, casts: Sequence[Cast], participants: int = 0,
          decisions: Sequence[Decision] = ()) -> Result:
    counts = [0] * 5
    for cast in casts:
        if cast.key == KEY and isinstance(cast.value, int):
            counts[cast.value - 1] += 1
    marks = [d for d in decisions if d.command == "mark"]
    last = marks[-1].payload if marks else {}
    value = last.get("value")
    return Result(question=config.question, counts=counts, voters=sum(counts),
                  marked=value if isinstance(value, int) else None, note=str(last.get("note", "")))


def outcome(result: Result) -> Outcome:
    if result.marked is None:
        return Outcome(None, "none")
    return Outcome(Text("pulse.marked", {"value": result.marked, "note": result.note}))


def items(result: Result) -> list[Item]:
    return [Item(f"m{i + 1}", str(i + 1)) for i, n in enumerate(result.counts) if n]


def next_task(config: Config, casts: Sequence[Cast], participant: str, seed: int) -> JSON:
    done = any(c.participant == participant for c in casts)
    return {"ask": "mood", "done": done, "seed": seed}


class Mark(CommandPayload):
    value: int = Field(ge=1, le=5)
    note: str = Field(default="", max_length=80)


def guard_mark(config: Config, payload: Mark, situation: Situation) -> None:
    if any(d.command == "mark" and d.payload.get("value") == payload.value for d in situation.decisions):
        raise InvalidTransition("command_not_now", step=0, state=situation.state)


ENGINE: Engine[Config, Result] = Engine(
    name=NAME,
    config=Config,
    result=Result,
    validate=validate,
    tally=tally,
    outcome=outcome,
    default_config={},
    demo_steps=(DemoStep(99, "Stimmung", {}),),
    items=items,
    next_task=next_task,
    commands=(Command("mark", Mark, "pulse.cmd.mark", guard_mark),),
)
