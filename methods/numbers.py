"""One way to write numbers and percentages, on the projector, the phone and in the protocol.

German writes ``83,3 %`` (comma, a space before the sign), English ``83.3%``. Whole percentages
lose their decimals ("50 %", not "50,0 %"), because a room reads a projected number at a glance.
Pure functions of the value and the language, so the console and the PDF can never disagree.
"""

from __future__ import annotations

from typing import Any

MISSING = "–"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def number(value: Any, lang: str, digits: int = 1) -> str:
    """``3.25`` → ``3,3`` (de) / ``3.3`` (en) with ``digits=1``; counts (ints) as they are; a
    float keeps its digits (``4,00`` beside ``3,60`` in a column of means); not a number → ``–``."""
    if not _is_number(value):
        return MISSING
    if isinstance(value, int):
        return str(value)
    text = f"{float(value):.{digits}f}"
    return text.replace(".", ",") if lang == "de" else text


def percent(value: Any, lang: str, digits: int = 1) -> str:
    """``83.3`` → ``83,3 %`` (de) / ``83.3%`` (en); ``None`` → ``–``."""
    if not _is_number(value):
        return MISSING
    text = number(int(value) if float(value).is_integer() else value, lang, digits)
    return f"{text} %" if lang == "de" else f"{text}%"


def signed_percent(delta: Any, lang: str) -> str:
    """A change in percentage points with its sign: ``+17 %``, ``−3,5 %``, ``±0 %``."""
    if not _is_number(delta):
        return ""
    sign = "+" if delta > 0 else "−" if delta < 0 else "±"
    return sign + percent(abs(delta), lang)
