"""File names an office can file away: what it is, the meeting's date and title, not an id.

``tagesordnung-2017-11-07-4-treffen-der-wirtschaftsallianz.json`` instead of ``agenda-2.json``;
only ASCII letters, digits and dashes, so every operating system and mail program keeps it.
"""

from __future__ import annotations

import re
import unicodedata

_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def slug(text: str, limit: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.translate(_GERMAN)).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return cleaned[:limit].rstrip("-")


def download_name(kind: str, title: str, date: str, ext: str) -> str:
    """``kind`` (e.g. "protokoll"), then the date (if any) and the title, then ``.ext``."""
    parts = [p for p in (kind, date if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date or "") else "", slug(title)) if p]
    return "-".join(parts) + "." + ext
