"""The agenda file (``moderationskoffer/agenda@1``): the stable contract with the office.

Validation collects *every* problem with a path that names the field
(``steps[2].config.options: List should have at least 2 items``), because an office that
prepared an agenda the evening before wants one list of fixes, not one error per upload.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from facilitation import items
from facilitation.problems import Problem, from_validation, problem
from methods import registry
from methods.errors import InvalidContribution, TooLarge
from sessions.states import Admission

FORMAT = "moderationskoffer/agenda@1"
MAX_AGENDA_BYTES = 512 * 1024
NAMES_POLICIES = ("none", "optional", "required")
ADMISSION_LEVELS = tuple(a.value for a in Admission)
MAX_HEAD_COUNT = 5000
LANGUAGES = ("de", "en")
MAX_STEPS = 60


@dataclass(frozen=True)
class StepSpec:
    method: str
    title: str
    config: dict[str, Any]


@dataclass(frozen=True)
class AgendaSpec:
    title: str
    date: str = ""
    place: str = ""
    moderator: str = ""
    language: str = "de"
    names: str = "none"
    steps: tuple[StepSpec, ...] = ()
    admission: str = Admission.OPEN
    """Who gets in: ``open`` (the code), ``closed_after_start`` (the code until the first step
    opens, then the moderator's OK) or ``cards`` (printed voting cards only)."""
    head_count: int | None = None
    """How many people are expected in the room (the console flags more joins)."""




def config_problems(method: str, config: Any, prefix: str) -> list[Problem]:
    """Problems of one step config, each with a field path and a message."""
    if method not in registry.names():
        known = ", ".join(sorted(registry.names()))
        parent = prefix.rsplit(".", 1)[0] if "." in prefix else ""  # "steps[2].config" -> "steps[2]"
        field = f"{parent}.method" if parent else "method"
        return [problem(field, "unknown_method", f"unknown method {method!r} (known: {known})",
                        method=method, known=list(registry.names()))]
    if not isinstance(config, dict):
        return [problem(prefix, "not_object", "must be an object")]
    try:
        registry.engine(method).parse_config(config)
    except ValidationError as exc:
        return from_validation(exc, prefix)
    return []


def _text(data: dict[str, Any], key: str, problems: list[Problem], limit: int, required: bool = False) -> str:
    raw = data.get(key, "")
    if raw is None:
        raw = ""
    if not isinstance(raw, str):
        problems.append(problem(key, "not_text", "must be text"))
        return ""
    text = raw.strip()
    if required and not text:
        problems.append(problem(key, "missing", "is required"))
    if len(text) > limit:
        problems.append(problem(key, "string_too_long", f"at most {limit} characters", max_length=limit))
    return text


def parse(data: Any) -> AgendaSpec:
    """Validate an agenda document; raises InvalidContribution('agenda_invalid', problems=[...])."""
    if not isinstance(data, dict):
        raise InvalidContribution("agenda_invalid", problems=[problem("", "not_agenda", "must be a JSON object")])
    problems: list[Problem] = []
    fmt = data.get("format", FORMAT)
    if fmt != FORMAT:
        problems.append(problem("format", "not_agenda", f"must be {FORMAT!r}"))
    title = _text(data, "title", problems, 300, required=True)
    date = _text(data, "date", problems, 10)
    if date and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        problems.append(problem("date", "bad_date", "must be YYYY-MM-DD"))
    place = _text(data, "place", problems, 200)
    moderator = _text(data, "moderator", problems, 200)
    language = data.get("language", "de")
    if language not in LANGUAGES:
        problems.append(problem("language", "one_of", f"must be one of {', '.join(LANGUAGES)}",
                                choices=", ".join(LANGUAGES)))
    names = data.get("names", "none")
    if names not in NAMES_POLICIES:
        problems.append(problem("names", "one_of", f"must be one of {', '.join(NAMES_POLICIES)}",
                                choices=", ".join(NAMES_POLICIES)))
    admission = data.get("admission", Admission.OPEN)
    if admission not in ADMISSION_LEVELS:
        problems.append(problem("admission", "one_of", f"must be one of {', '.join(ADMISSION_LEVELS)}",
                                choices=", ".join(ADMISSION_LEVELS)))
    head_count = data.get("head_count")
    if head_count is not None and (isinstance(head_count, bool) or not isinstance(head_count, int)
                                   or not 1 <= head_count <= MAX_HEAD_COUNT):
        problems.append(problem("head_count", "head_count", f"must be a whole number from 1 to {MAX_HEAD_COUNT}",
                                max=MAX_HEAD_COUNT))
    raw_steps = data.get("steps", [])
    steps: list[StepSpec] = []
    if not isinstance(raw_steps, list):
        problems.append(problem("steps", "not_list", "must be a list"))
        raw_steps = []
    if len(raw_steps) > MAX_STEPS:
        problems.append(problem("steps", "too_many_steps", f"at most {MAX_STEPS} steps", max_length=MAX_STEPS))
    for i, raw in enumerate(raw_steps):
        where = f"steps[{i}]"
        if not isinstance(raw, dict):
            problems.append(problem(where, "not_object", "must be an object"))
            continue
        method = raw.get("method")
        if not isinstance(method, str):
            problems.append(problem(f"{where}.method", "missing", "is required"))
            continue
        step_title = raw.get("title") or ""
        if not isinstance(step_title, str) or len(step_title) > 300:
            problems.append(problem(f"{where}.title", "string_too_long", "must be text of at most 300 characters",
                                    max_length=300))
            step_title = ""
        config = raw.get("config", {})
        if config is None:
            config = {}
        problems.extend(config_problems(method, config, f"{where}.config"))
        steps.append(StepSpec(method=method, title=step_title.strip() or method, config=config if isinstance(config, dict) else {}))
    if not problems:  # references between steps, once every step is known to be well-formed
        problems.extend(items.problems([(s.method, s.config) for s in steps]))
    if problems:
        raise InvalidContribution("agenda_invalid", problems=problems)
    return AgendaSpec(
        title=title, date=date, place=place, moderator=moderator,
        language=str(language), names=str(names), steps=tuple(steps),
        admission=str(admission), head_count=head_count,
    )


def loads(text: str | bytes) -> AgendaSpec:
    if len(text) > MAX_AGENDA_BYTES:
        raise TooLarge("payload_too_large", limit=MAX_AGENDA_BYTES)
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidContribution("agenda_invalid", problems=[problem("", "bad_json", f"not valid JSON: {exc}")]) from None
    return parse(data)


def document(
    *, title: str, date: str, place: str, moderator: str, language: str, names: str, steps: list[StepSpec],
    admission: str = Admission.OPEN, head_count: int | None = None,
) -> dict[str, Any]:
    doc: dict[str, Any] = {"format": FORMAT, "title": title, "date": date, "place": place}
    if moderator:
        doc["moderator"] = moderator
    doc.update({"language": language, "names": names})
    if admission != Admission.OPEN:  # the default stays out: older agenda files read the same
        doc["admission"] = str(admission)
    if head_count:
        doc["head_count"] = head_count
    doc["steps"] = [{"method": s.method, "title": s.title, "config": s.config} for s in steps]
    return doc
