"""Fuzzing the JSON API with generated payloads: never a 500, invalid input never stored."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nicegui.testing import User
from sqlalchemy import func, select

from facilitation import agenda, context, lifecycle, organize
from sessions import models

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=20,
)
payloads = st.one_of(
    json_values,
    st.fixed_dictionaries({"option": json_values}),
    st.fixed_dictionaries({"option": st.sampled_from(["yes", "no", "abstain", "maybe", "YES"])}),
    st.fixed_dictionaries({"options": st.lists(json_values, max_size=4)}),
    st.fixed_dictionaries({"ratings": st.dictionaries(st.sampled_from(["p1", "p2", "passive", "x", ""]),
                                                      json_values, max_size=4)}),
    st.fixed_dictionaries({"ratings": st.dictionaries(st.sampled_from(["p1", "p2", "passive"]),
                                                      st.integers(-2, 12) | st.just("abstain"), max_size=3)}),
)
raw_bodies = st.one_of(st.binary(max_size=200), payloads.map(lambda p: json.dumps(p).encode()))

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def stored() -> int:
    with context.current().db.session() as orm:
        return orm.execute(select(func.count()).select_from(models.Contribution)).scalar_one()


def valid_vote(method: str, body: Any) -> bool:
    if method == "hand_vote":
        return isinstance(body, dict) and set(body) == {"option"} and body["option"] in ("yes", "no", "abstain")
    if not (isinstance(body, dict) and set(body) == {"ratings"} and isinstance(body["ratings"], dict)):
        return False
    ratings = body["ratings"]
    return bool(ratings) and all(
        k in ("p1", "p2", "passive") and (v == "abstain" or (type(v) is int and 0 <= v <= 10))
        for k, v in ratings.items())


async def test_fuzz_contributions(user: User) -> None:
    ctx = context.current()
    created = organize.create_session(ctx, agenda.parse({"title": "Fuzz", "steps": [
        {"method": "hand_vote"}, {"method": "consensing", "config": {"proposals": ["A", "B"]}}]}))
    steps = [(s.id, s.method) for s in created.session.steps]
    for sid, _ in steps:
        lifecycle.open_step(ctx, sid)
    client = user.http_client
    token = (await client.post("/api/v1/join", json={"code": created.session.join_code})).json()["participant_token"]
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    seen: list[tuple[int, bytes]] = []

    @SETTINGS
    @given(body=raw_bodies, which=st.sampled_from([0, 1]))
    def collect(body: bytes, which: int) -> None:
        seen.append((which, body))

    collect()
    for which, body in seen:
        step_id, method = steps[which]
        before = stored()
        r = await client.post(f"/api/v1/steps/{step_id}/contributions", content=body, headers=headers)
        assert r.status_code < 500, (body, r.text)
        try:
            parsed = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            parsed = object()
        if r.status_code == 201:
            assert valid_vote(method, parsed), body
            assert stored() > before
        else:
            assert r.json()["error"], r.text
            assert stored() == before, (body, r.text)


async def test_fuzz_join_and_agenda(user: User) -> None:
    client = user.http_client
    bodies: list[bytes] = []

    @SETTINGS
    @given(body=raw_bodies)
    def collect(body: bytes) -> None:
        bodies.append(body)

    collect()
    for body in bodies:
        r = await client.post("/api/v1/join", content=body, headers={"Content-Type": "application/json"})
        assert r.status_code < 500, (body, r.text)
        assert r.status_code != 200 or json.loads(body).get("code")
    with context.current().db.session() as orm:
        assert orm.execute(select(func.count()).select_from(models.Participant)).scalar_one() == 0


async def test_fuzz_agenda_files(user: User, monkeypatch) -> None:
    monkeypatch.setenv("KOFFER_ADMIN_PASSWORD", "pw")
    from facilitation import access

    access.ensure_admin_password(context.current())
    client = user.http_client
    token = (await client.post("/api/v1/login", json={"password": "pw"})).json()["token"]
    docs: list[Any] = []
    step = st.fixed_dictionaries({"method": st.sampled_from(["hand_vote", "consensing", "nope", ""]),
                                  "config": json_values, "title": json_values})

    @SETTINGS
    @given(doc=st.one_of(json_values, st.fixed_dictionaries(
        {"title": json_values, "steps": st.lists(step, max_size=3)},
        optional={"date": json_values, "names": json_values, "language": json_values})))
    def collect(doc: Any) -> None:
        docs.append(doc)

    collect()
    for doc in docs:
        r = await client.post("/api/v1/sessions", json=doc, headers={"Authorization": f"Bearer {token}"})
        assert r.status_code in (201, 422), (doc, r.text)
