"""A method is a plug-in: a throwaway method living only in tests/plugin gets a phone view, a
console view, a PDF board, a command and texts — registered for the test, no shared file touched.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from nicegui.testing import User

from app import i18n
from facilitation import agenda, commands, context, lifecycle, live, organize
from methods import registry
from tests.app.phones import Phone, until
from tests.app.test_api import api, assert_error, bearer, create, login  # noqa: F401  (api is a fixture)

PLUGIN = registry.Registration("pulse", engine="tests.plugin.engine", views="tests.plugin.views",
                               board="tests.plugin.board")
AGENDA: dict[str, Any] = {
    "format": "moderationskoffer/agenda@1", "title": "Plug-in", "names": "none",
    "steps": [{"method": "pulse", "title": "Stimmung", "config": {"question": "Wie geht es Ihnen?"}}],
}


@pytest.fixture(autouse=True)
def pulse() -> Iterator[None]:
    registry.register(PLUGIN)
    yield
    registry.unregister("pulse")


def test_the_registration_is_all_it_takes() -> None:
    assert "pulse" in registry.names()
    assert i18n.t("method.pulse", "de") == "Stimmungsbarometer"  # its texts are merged
    assert "pulse" not in registry.METHODS  # the shared list is untouched


def test_without_registration_the_method_is_unknown() -> None:
    registry.unregister("pulse")
    with pytest.raises(Exception) as info:
        agenda.parse(AGENDA)
    assert "unknown method 'pulse'" in str(info.value.params["problems"])  # type: ignore[attr-defined]
    registry.register(PLUGIN)


async def test_phone_console_and_command_of_a_plugged_in_method(user: User, create_user: Any) -> None:
    ctx = context.current()
    created = organize.create_session(ctx, agenda.parse(AGENDA))
    step_id = created.session.steps[0].id
    lifecycle.open_step(ctx, step_id)

    phone_user = create_user()
    await phone_user.open(f"/j/{created.session.join_code}")
    phone = Phone(phone_user)
    await phone.wait_view()
    assert phone.shown["question"] == "Wie geht es Ihnen?"
    assert await phone.send({"mood": 4}) == (True, 4)  # saved only after the commit
    assert (await phone.send({"mood": 9}))[0] is False  # its own validation refuses

    await user.open(f"/s/{created.session.id}/console?key={created.moderator_key}")
    await user.should_see("Punkt 1 von 1 · Stimmungsbarometer")
    await user.should_see("1 von 1 haben abgestimmt")  # the shared console header counts for it
    user.find(marker="command-mark").click()  # the button comes from the command's declaration
    await user.should_see("Stufe markieren")
    user.find(marker="command-field-value").type("4")
    user.find(marker="command-field-note").type("passt")
    user.find(marker="command-submit").click()
    lifecycle.reveal(ctx, step_id)
    await user.should_see("Markiert: Stufe 4 – passt")  # the outcome of the tally with the decision
    await user.should_see("1:0 2:0 3:0 4:1 5:0")  # the method's own console view
    await until(lambda: "result" in phone.live)
    assert phone.live["result"]["decision"] == "Markiert: Stufe 4 – passt"  # the same sentence on the phone

    # the decision is recorded, not the result overwritten
    steps = live.step_results(ctx, created.session.id)
    assert [(d["command"], d["payload"], d["actor"]) for d in steps[0]["rounds"][0]["decisions"]] == [
        ("mark", {"value": 4, "note": "passt"}, "moderator")]
    assert steps[0]["rounds"][0]["result"]["counts"] == [0, 0, 0, 1, 0]
    # the guard: marking the same level twice is refused and stores nothing
    with pytest.raises(Exception):  # noqa: B017 - the guard's own error type is the method's business
        commands.run(ctx, created.session.id, step_id, "mark", {"value": 4})
    assert len(live.step_results(ctx, created.session.id)[0]["rounds"][0]["decisions"]) == 1


async def test_command_api_task_and_protocol(api: httpx.AsyncClient) -> None:
    created = await create(api, AGENDA)
    sid, step_id = created["id"], created["steps"][0]["id"]
    url = f"/api/v1/sessions/{sid}/steps/{step_id}/commands/mark"
    moderator = bearer(created["moderator_key"])

    assert_error(await api.post(url, json={"value": 3}), 401, "login_required")
    assert_error(await api.post(url, json={"value": 3}, headers=bearer("falsch")), 403, "wrong_key")
    assert_error(await api.post(url, json={"value": 3}, headers=moderator), 409, "command_not_now")  # draft
    await api.post(f"/api/v1/sessions/{sid}/steps/{step_id}/open", headers=moderator)
    assert_error(await api.post(url.replace("/mark", "/melt"), json={}, headers=moderator), 404, "unknown_command")
    body = assert_error(await api.post(url, json={"value": 9}, headers=moderator), 422, "command_invalid")
    assert body["detail"]["problems"][0]["field"] == "value"
    assert_error(await api.post(url, json={"value": 2, "colour": "red"}, headers=moderator), 422, "command_invalid")

    joined = await api.post("/api/v1/join", json={"code": created["join_code"]})
    person = bearer(joined.json()["participant_token"])
    task = (await api.get(f"/api/v1/sessions/{sid}/current", headers=person)).json()["step"]["task"]
    assert task["next"] == {"ask": "mood", "done": False, "seed": step_id * 1009 + 1}
    assert (await api.post(f"/api/v1/steps/{step_id}/contributions", json={"mood": 2}, headers=person)).status_code == 201
    task = (await api.get(f"/api/v1/sessions/{sid}/current", headers=person)).json()["step"]["task"]
    assert task["next"]["done"] is True  # the task follows what this participant has done

    done = await api.post(url, json={"value": 2, "note": "Mitte"}, headers=await login(api))
    assert done.status_code == 200, done.text
    assert done.json()["payload"] == {"value": 2, "note": "Mitte"}
    await api.post(f"/api/v1/sessions/{sid}/steps/{step_id}/close", headers=moderator)
    results = (await api.get(f"/api/v1/sessions/{sid}/results", headers=moderator)).json()
    rnd = results["steps"][0]["rounds"][0]
    assert rnd["outcome"] == {"decision": "Markiert: Stufe 2 – Mitte", "tone": "good", "notes": []}
    assert rnd["decisions"][0]["actor"] == "organizer"

    pdf = await api.get(f"/api/v1/sessions/{sid}/protocol.pdf", headers=moderator)
    assert pdf.status_code == 200
    text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf.content,
                                   capture_output=True, check=True).stdout.decode().split())
    assert "Stimmungsbild mit 1 Stimmen" in text  # its board
    assert "1: 0 · 2: 1 · 3: 0" in text  # its transcription
    assert "Markiert: Stufe 2 – Mitte" in text  # the outcome as the decision
    assert "Entscheidungen der Moderation" in text and "Stufe markieren" in text and "Notiz: Mitte" in text
