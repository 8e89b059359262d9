"""No secret in a log line: keys and card tokens are blanked in every record before it is written.

The pages take keys out of the address on the first load (app/pages/keys.py), but a URL is still
logged now and then — NiceGUI logs the full address of every 404 (``…/console?key=… not found``),
and a mistyped link is exactly what produces one. So the process's record factory rewrites each
log record's message and arguments: ``key=…``/``token=…`` query values and the secret of a voting
card's path (``/k/…``) become ``***``, whichever library logs them and whatever handler writes
them (uvicorn sets up its handlers after we start, a filter on a handler would be lost).
"""

from __future__ import annotations

import logging
import re
from typing import Any

SECRET = re.compile(r"(?P<lead>[?&;](?:key|token|card)=|/k/)(?P<secret>[^&\s\"'<>#]+)")
_installed = False


def redact(text: str) -> str:
    return SECRET.sub(lambda m: f"{m.group('lead')}***", text)


def _clean(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


def install() -> None:
    """Wrap the log record factory once per process."""
    global _installed
    if _installed:
        return
    _installed = True
    make = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_clean(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _clean(v) for k, v in record.args.items()}
        return record

    logging.setLogRecordFactory(factory)
