"""The persistent shape of a meeting (SQLAlchemy 2.0 typed ORM).

Contributions are append-only: a changed vote is a new row and the newest row per
(participant, key, round) counts. Integrity lives in the schema (foreign keys, checks, unique
join codes and device tokens) so no code path can store a vote for a foreign session.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from sessions.states import Admission, ParticipantStatus, SessionState, StepState, check_in


class Base(DeclarativeBase):
    pass


class Setting(Base):
    """Instance-wide settings such as the hashed organizer password and retention."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class OrganizerToken(Base):
    __tablename__ = "organizer_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class Session(Base):
    __tablename__ = "sessions"
    __table_args__ = (
        CheckConstraint(check_in("state", SessionState), name="session_state"),
        CheckConstraint("names in ('none','optional','required')", name="session_names"),
        CheckConstraint(check_in("admission", Admission), name="session_admission"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    date: Mapped[str] = mapped_column(String(10), default="")
    place: Mapped[str] = mapped_column(String(200), default="")
    moderator: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(5), default="de")
    names: Mapped[str] = mapped_column(String(10), default="none")
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    moderator_key_hash: Mapped[str] = mapped_column(String(64))
    projector_key_hash: Mapped[str] = mapped_column(String(64))
    # The keys are derived from the instance's link secret, this salt and a version per role, so
    # the office can show a link again; replacing a link bumps its version (see facilitation/access).
    key_salt: Mapped[str] = mapped_column(String(32), default="", server_default="")
    moderator_key_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    projector_key_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    state: Mapped[str] = mapped_column(String(10), default=SessionState.PLANNED)
    current_step_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    timer_ends_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    timer_step_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The step the timer was set for: it is shown only while that step is on screen."""
    timer_closes_step: Mapped[bool] = mapped_column(default=False, server_default=false())
    """Close the timer's step when the time is up (cleared once done, stopped or closed otherwise)."""
    created_at: Mapped[datetime] = mapped_column(DateTime)
    started_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    admission: Mapped[str] = mapped_column(String(20), default=Admission.OPEN, server_default=Admission.OPEN)
    """Who gets in (facilitation/admission.py): the open code, the code until the first step
    opens, or printed voting cards only; anyone else waits for the moderator's OK."""
    head_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """How many people are expected in the room: the console flags more joins than that."""
    joining_closed: Mapped[bool] = mapped_column(default=False, server_default=false())
    """"Beitritt schließen": the code admits nobody new until the moderator opens it again."""

    steps: Mapped[list[Step]] = relationship(
        back_populates="session", order_by="Step.position", cascade="all, delete-orphan"
    )


class Step(Base):
    __tablename__ = "steps"
    __table_args__ = (
        CheckConstraint(check_in("state", StepState), name="step_state"),
        CheckConstraint("round >= 1", name="step_round"),
        Index("ix_steps_session", "session_id", "position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    config: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10), default=StepState.DRAFT)
    round: Mapped[int] = mapped_column(Integer, default=1)
    results_visible: Mapped[bool] = mapped_column(default=False)
    shown_detail: Mapped[str | None] = mapped_column(String(60), nullable=True, default=None)
    """What the moderator opened to discuss (one option's distribution), shown on the projector too."""
    opened_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    session: Mapped[Session] = relationship(back_populates="steps")
    rounds: Mapped[list[StepRound]] = relationship(
        order_by="StepRound.round", cascade="all, delete-orphan"
    )


class StepRound(Base):
    """One run of a step: the config it ran with and the result snapshot taken at close."""

    __tablename__ = "step_rounds"
    __table_args__ = (UniqueConstraint("step_id", "round"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    config: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    opened_at: Mapped[datetime] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Participant(Base):
    __tablename__ = "participants"
    __table_args__ = (
        UniqueConstraint("session_id", "token_hash"),
        CheckConstraint(check_in("status", ParticipantStatus), name="participant_status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str | None] = mapped_column(String(80), nullable=True)
    joined_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(10), default=ParticipantStatus.IN,
                                        server_default=ParticipantStatus.IN)
    """``in`` (counted, may contribute), ``waiting`` (joined while joining was closed, until the
    moderator's OK) or ``removed`` (by the moderator: their inputs no longer count)."""


class Contribution(Base):
    """Append-only: never updated, never deleted while the session exists."""

    __tablename__ = "contributions"
    __table_args__ = (
        CheckConstraint("round >= 1", name="contribution_round"),
        Index("ix_contrib_step_round", "step_id", "round", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(120))
    payload: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Decision(Base):
    """A moderator's command (pin, freeze, merge …), append-only like contributions: a computed
    result is never overwritten; the decision is recorded beside it, with who and when."""

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_step_round", "step_id", "round", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    command: Mapped[str] = mapped_column(String(40))
    payload: Mapped[Any] = mapped_column(JSON)
    actor: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    after: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """The step's highest contribution id when the decision was taken: what came before it."""


class VotingCard(Base):
    """A printed one-time QR code: the first phone that scans it joins, no other phone can.

    The card's secret is derived again from the instance's link secret (facilitation/cards.py),
    so the office can print the same cards again; only its hash is stored, to find the card.
    """

    __tablename__ = "voting_cards"
    __table_args__ = (UniqueConstraint("session_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participants.id", ondelete="SET NULL"), nullable=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    step_id: Mapped[int | None] = mapped_column(ForeignKey("steps.id", ondelete="CASCADE"), nullable=True)
    filename: Mapped[str] = mapped_column(String(200))
    mime: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime)
