"""Fallback for a method without a protocol board: the raw result, key by key, as text."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from sessions.protocol import parts, style
from sessions.protocol.data import RoundData, Translate

MAX_VALUE_CHARS = 600


def _text(value: Any) -> str:
    if isinstance(value, str):
        text = value
    else:
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            text = repr(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def transcription(round: RoundData, t: Translate) -> list[Flowable]:
    result = round.result if isinstance(round.result, Mapping) else {}
    if not result:
        return [style.para(t("pdf.no_result"), "small")]
    rows: list[list[Any]] = [[t("pdf.col_field"), t("pdf.col_value")]]
    for key, value in result.items():
        rows.append([parts.cell(key), parts.cell(_text(value))])
    return [style.para(t("pdf.raw_result_note"), "small"),
            parts.grid(rows, [45 * mm, parts.FULL_WIDTH - 45 * mm])]


def decision(round: RoundData, t: Translate) -> str | None:
    return None
