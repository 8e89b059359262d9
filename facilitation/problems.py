"""One problem in an agenda or a step's settings: where, what (a code with parameters), and the
English sentence the API has always carried.

The office reads every problem in plain words at the edge (``app/problems.py``: "Punkt 3
(„Reallabore“), Vorschläge: hat zu wenige Einträge"); scripts keep ``field`` and ``message``.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

Problem = dict[str, Any]


def problem(field: str, code: str, message: str, **params: Any) -> Problem:
    return {"field": field, "message": message, "code": code, "params": params}


def _loc(parts: tuple[Any, ...]) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def from_validation(exc: ValidationError, prefix: str) -> list[Problem]:
    """pydantic's errors as problems: the error type is the code, its context the parameters."""
    out = []
    for err in exc.errors():
        params = {k: v if isinstance(v, int | float | str) else str(v) for k, v in (err.get("ctx") or {}).items()}
        field = _loc((prefix, *err["loc"])) if err["loc"] else prefix
        out.append(problem(field, str(err["type"]), err["msg"], **params))
    return out
