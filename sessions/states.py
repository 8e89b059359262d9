"""The named states of a step and a session, defined once.

They are ``StrEnum``s: a member *is* its string, so the database keeps storing exactly
``draft``/``open``/``closed`` and ``planned``/``live``/``ended`` (existing databases keep working),
rows read back as plain strings compare equal to the members, JSON output stays the same, and
``f"step.{state}"`` formats as the value (translation keys keep working).
"""

from __future__ import annotations

from enum import StrEnum


class StepState(StrEnum):
    """draft → open → closed; opening a closed step starts its next round."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class SessionState(StrEnum):
    """planned → live (first step opened) → ended (reopening goes back to live)."""

    PLANNED = "planned"
    LIVE = "live"
    ENDED = "ended"


class Admission(StrEnum):
    """How people get into a session (the session's choice, in the editor and the agenda file)."""

    OPEN = "open"
    """The projected code admits every phone (until the moderator closes joining)."""
    CLOSED_AFTER_START = "closed_after_start"
    """The code admits until the first step opens; after that, only with the moderator's OK."""
    CARDS = "cards"
    """Only printed voting cards admit, one phone per card; the code only asks for an OK."""


class ParticipantStatus(StrEnum):
    """in (counted) · waiting (for the moderator's OK) · removed (by the moderator)."""

    IN = "in"
    WAITING = "waiting"
    REMOVED = "removed"


PARTICIPANT_REMOVED = "participant_removed"
"""The moderator decision recorded in every round a removed participant had input in (not a
method's own command: engines never see it, the protocol lists it)."""


def check_in(column: str, states: type[StrEnum]) -> str:
    """The CHECK constraint text, e.g. ``state in ('draft','open','closed')``."""
    return f"{column} in ({','.join(repr(s.value) for s in states)})"
