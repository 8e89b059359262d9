"""Joining by code from a phone: normalisation, names policy, device tokens, the guessing limit."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from facilitation import access, agenda, lifecycle, organize, participation
from facilitation.context import Context
from facilitation.ratelimit import FailureLimiter
from facilitation.snapshots import Created
from methods.errors import InvalidContribution, InvalidTransition, NotAllowed, NotFound, RateLimited
from sessions import models


def make(ctx: Context, names: str = "none") -> Created:
    doc = {"title": "Treffen", "names": names, "steps": [{"method": "hand_vote", "title": "Frage"}]}
    return organize.create_session(ctx, agenda.parse(doc))


def participant_rows(ctx: Context) -> int:
    with ctx.db.session() as orm:
        return int(orm.execute(select(func.count()).select_from(models.Participant)).scalar_one())


def unused_code(code: str) -> str:
    """A well-formed code that differs from ``code``."""
    return ("A" if code[0] != "A" else "B") + code[1:]


def test_join_by_code(ctx: Context) -> None:
    created = make(ctx)
    joined = participation.join(ctx, created.session.join_code)
    assert joined.session_id == created.session.id
    assert joined.token and joined.name is None
    assert participant_rows(ctx) == 1


def test_join_codes_are_six_unambiguous_characters(ctx: Context) -> None:
    codes = {make(ctx).session.join_code for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert len(code) == 6
        assert not set(code) & set("0O1IL")


def test_code_normalisation(ctx: Context) -> None:
    created = make(ctx)
    code = created.session.join_code
    for typed in (
        code.lower(),
        f" {code[:3]} {code[3:]} ",
        f"{code[:3]}-{code[3:]}",
        f"{code[:3].lower()} - {code[3:]}\n",
    ):
        assert participation.find_session_id(ctx, typed) == created.session.id, typed


def test_unknown_code_is_not_found(ctx: Context) -> None:
    created = make(ctx)
    with pytest.raises(NotFound) as info:
        participation.join(ctx, unused_code(created.session.join_code))
    assert info.value.key == "unknown_join_code"
    with pytest.raises(InvalidContribution) as empty:  # nothing typed: asked for, not "unknown code „“"
        participation.join(ctx, "   ")
    assert empty.value.key == "join_code_missing"
    assert participant_rows(ctx) == 0


def test_failed_codes_are_rate_limited_per_address(ctx: Context) -> None:
    created = make(ctx)
    code = created.session.join_code
    wrong = unused_code(code)
    for _ in range(ctx.join_limiter.limit):
        with pytest.raises(NotFound):
            participation.join(ctx, wrong, address="10.0.0.66")
    # the guesser's typing is now stopped, even with the right code (no oracle) ...
    with pytest.raises(RateLimited) as info:
        participation.join(ctx, code, address="10.0.0.66")
    assert info.value.key == "too_many_codes"
    assert info.value.http_status == 429
    # ... while the phone next to it (another address) gets in
    assert participation.join(ctx, code, address="10.0.0.7").session_id == created.session.id
    # ... and so does everyone behind the guesser's router who scans the QR code (its proof)
    proof = access.join_proof(ctx, code)
    assert participation.join(ctx, code, address="10.0.0.66", proof=proof).status == "in"
    with pytest.raises(RateLimited):  # a proof that does not belong to the code is a guess
        participation.join(ctx, wrong, address="10.0.0.66", proof=proof)
    assert participant_rows(ctx) == 2


def test_successful_joins_do_not_count_against_the_limit(ctx: Context) -> None:
    created = make(ctx)
    for _ in range(30):  # eighty phones behind one venue router must all get in
        participation.join(ctx, created.session.join_code, address="192.168.0.1")
    assert participant_rows(ctx) == 30


def test_failure_limiter_window_expires() -> None:
    now = [0.0]
    limiter = FailureLimiter(limit=3, window=60.0, clock=lambda: now[0])
    for _ in range(3):
        limiter.fail("a")
    with pytest.raises(RateLimited):
        limiter.check("a")
    limiter.check("b")
    now[0] = 61.0
    limiter.check("a")  # the old failures have left the window


def test_names_policy_none_drops_the_name(ctx: Context) -> None:
    created = make(ctx, names="none")
    assert participation.join(ctx, created.session.join_code, name="Erika Muster").name is None


def test_names_policy_optional(ctx: Context) -> None:
    code = make(ctx, names="optional").session.join_code
    assert participation.join(ctx, code).name is None
    assert participation.join(ctx, code, name="   ").name is None
    assert participation.join(ctx, code, name="  Erika   Muster ").name == "Erika Muster"
    assert participation.join(ctx, code, name="x" * 200).name == "x" * participation.MAX_NAME


def test_names_policy_required(ctx: Context) -> None:
    code = make(ctx, names="required").session.join_code
    for missing in (None, "", "   "):
        with pytest.raises(InvalidContribution) as info:
            participation.join(ctx, code, name=missing)
        assert info.value.key == "name_required"
    assert participant_rows(ctx) == 0
    assert participation.join(ctx, code, name="Max Mustermann").name == "Max Mustermann"
    assert participant_rows(ctx) == 1


def test_same_device_token_is_the_same_participant(ctx: Context) -> None:
    created = make(ctx, names="optional")
    code = created.session.join_code
    first = participation.join(ctx, code, token="device-abc")
    again = participation.join(ctx, code, token="device-abc", name="Erika")
    other = participation.join(ctx, code, token="device-xyz")
    assert again.participant_id == first.participant_id
    assert again.name == "Erika"
    assert other.participant_id != first.participant_id
    assert participant_rows(ctx) == 2
    resumed = participation.resume(ctx, created.session.id, "device-abc")
    assert resumed is not None and resumed.participant_id == first.participant_id
    assert participation.resume(ctx, created.session.id, "unknown-device") is None
    assert participation.resume(ctx, created.session.id, None) is None


def test_participant_token_identifies_the_participant(ctx: Context) -> None:
    created = make(ctx)
    joined = participation.join(ctx, created.session.join_code)
    found = participation.participant_for_token(ctx, joined.token)
    assert (found.session_id, found.participant_id) == (created.session.id, joined.participant_id)
    for bad in (None, "", "not-a-token"):
        with pytest.raises(NotAllowed):
            participation.participant_for_token(ctx, bad)


def test_ended_session_refuses_joins(ctx: Context) -> None:
    created = make(ctx)
    lifecycle.end_session(ctx, created.session.id)
    with pytest.raises(InvalidTransition) as info:
        participation.join(ctx, created.session.join_code)
    assert info.value.key == "session_ended"
    assert participant_rows(ctx) == 0


def test_join_session_unknown_session(ctx: Context) -> None:
    with pytest.raises(NotFound):
        participation.join_session(ctx, 999)


def test_failure_limiter_forgets_stale_addresses_under_a_spray() -> None:
    """Regression: the memory bound kept every address with an old failure, so it never shrank."""
    now = [0.0]
    limiter = FailureLimiter(limit=10, window=60.0, clock=lambda: now[0])
    for i in range(10_050):
        limiter.fail(f"2001:db8::{i:x}")
    now[0] = 120.0  # all of those failures have left the window
    limiter.fail("198.51.100.1")
    limiter.fail("198.51.100.2")
    assert len(limiter._failures) <= 2
    limiter.check("2001:db8::1")  # and nobody is still blocked by them
