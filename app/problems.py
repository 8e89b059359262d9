"""Problems of an agenda or a step's settings in plain words, in the reader's language.

The facilitation layer says where (``field``, e.g. ``steps[2].config.proposals``) and what (a
``code`` with parameters); here that becomes "Punkt 3 („Reallabore“) – Vorschläge: hat zu
wenige Einträge (mindestens 1)." A problem without a text of its own keeps its English sentence,
so nothing is ever hidden.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from app.i18n import has, t
from methods.errors import KofferError

_STEP = re.compile(r"^steps\[(\d+)\]\.?(.*)$")
_INDEX = re.compile(r"^(\w+)\[(\d+)\]$")


def _field(path: str, lang: str) -> str:
    """``config.options[1].label`` → "Optionen › Nr. 2 › Beschriftung" (names we know, else as is)."""
    words: list[str] = []
    for part in [p for p in path.split(".") if p and p != "config"]:
        match = _INDEX.match(part)
        name, index = (match.group(1), int(match.group(2))) if match else (part, None)
        words.append(t(f"problem.field.{name}", lang) if has(f"problem.field.{name}") else f"„{name}“")
        if index is not None:
            words.append(t("problem.number", lang, n=index + 1))
    return " › ".join(words)


def _what(problem: Mapping[str, Any], lang: str) -> str:
    code = str(problem.get("code") or "")
    params = dict(problem.get("params") or {})
    if code == "unknown_method":
        known = [t(f"method.{m}", lang) for m in params.get("known", []) if has(f"method.{m}")]
        params["known"] = ", ".join(known)
    if code and has(f"problem.{code}"):
        return t(f"problem.{code}", lang, **params)
    return str(problem.get("message") or "")


def describe(problem: Mapping[str, Any], lang: str, titles: Sequence[str] = ()) -> str:
    """One problem as a sentence: where (the step by number and title), which setting, what."""
    field = str(problem.get("field") or "")
    where: list[str] = []
    match = _STEP.match(field)
    if match:
        n, rest = int(match.group(1)), match.group(2)
        title = titles[n] if n < len(titles) and titles[n] else ""
        where.append(t("problem.at_step_title", lang, n=n + 1, title=title) if title
                     else t("problem.at_step", lang, n=n + 1))
        field = rest
    if field:
        where.append(_field(field, lang))
    what = _what(problem, lang)
    return f"{' – '.join(where)}: {what}" if where else what


def describe_all(exc: KofferError, lang: str, titles: Sequence[str] = ()) -> list[str]:
    return [describe(p, lang, titles) for p in exc.params.get("problems", []) if isinstance(p, Mapping)]
