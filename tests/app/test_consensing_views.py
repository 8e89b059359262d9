"""Systemic consensing views: phone taps are stored at once, the console reveals only on demand."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from nicegui import ui
from nicegui.testing import User

from app.views.consensing import merge_proposals
from facilitation import agenda, context, contributions, lifecycle, live, organize
from tests.app.phones import Phone, until
from tests.factories import join


def make_session(proposals: tuple[str, ...] = ("Alpha", "Beta"), **config: Any) -> tuple[Any, Any, int]:
    ctx = context.current()
    created = organize.create_session(ctx, agenda.parse({
        "title": "Allianztreffen",
        "names": "none",
        "steps": [{
            "method": "consensing",
            "title": "Reallabore",
            "config": {"question": "Welche Reallabore?", "proposals": list(proposals), **config},
        }],
    }))
    return ctx, created, created.session.steps[0].id


def current_result(ctx: Any, session_id: int) -> dict[str, Any]:
    rounds = live.step_results(ctx, session_id)[0]["rounds"]
    result: dict[str, Any] = rounds[-1]["result"]
    return result


def by_id(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {o["id"]: o for o in result["options"]}


def rate(ctx: Any, session_id: int, ratings: dict[str, Any], step_id: int) -> int:
    """A participant who rates without a browser (quicker than another simulated phone)."""
    (participant,) = join(ctx, session_id, 1)
    contributions.submit(ctx, step_id, participant, {"ratings": ratings})
    return participant


def console_url(created: Any) -> str:
    return f"/s/{created.session.id}/console?key={created.moderator_key}"


def ranking(user: User) -> list[dict[str, Any]]:
    """The revealed ranking as shown, top to bottom: per option its id and texts."""
    box = next(iter(user.find(marker="ranking").elements))
    rows = []
    for row in box.default_slot.children:
        marks = [m for m in row._markers if m.startswith("rank-")]
        if not marks:
            continue  # the passive solution's caption
        labels = [el for el in row.descendants() if isinstance(el, ui.label)]
        rows.append({
            "id": marks[0].removeprefix("rank-"),
            "name": " ".join(str(el.text) for el in labels if "rank-name" in el._markers),
            "detail": " · ".join(str(el.text) for el in labels if "rank-detail" in el._markers),
            "value": " ".join(str(el.text) for el in labels if "rank-value" in el._markers),
        })
    return rows


def detail_open(user: User) -> bool:
    """Whether the option's distribution (a dialog) is open on that page."""
    dialog = next(iter(user.find(marker="detail").elements))
    assert isinstance(dialog, ui.dialog)
    return bool(dialog.value)


def passive_caption(user: User) -> str:
    return text(user, "passive-line")


def hint(view: dict[str, Any]) -> str:
    """The scale's explanation under the question, as consensing.js builds it from the texts
    that came with the page and the step's scale."""
    texts = view["texts"]
    return str(texts["scale_hint_hands"] if view["scale"] == 2 else texts["scale_hint"].replace("{max}", str(view["scale"])))


def text(phone: User, marker: str) -> str:
    label = next(iter(phone.find(marker=marker).elements))
    assert isinstance(label, ui.label)
    return str(label.text)


async def test_phone_tap_is_stored_at_once_and_progress_counts(user: User) -> None:
    ctx, created, step_id = make_session()
    lifecycle.open_step(ctx, step_id)
    await user.open(f"/j/{created.session.join_code}")
    phone = Phone(user)
    await phone.wait_view()
    view = phone.shown
    assert view["question"] == "Welche Reallabore?"
    # the passive solution is rated like a proposal, last; the scale is 0..10 plus "abstain"
    assert [(o["id"], o.get("passive", False)) for o in view["options"]] == [
        ("p1", False), ("p2", False), ("passive", True)]
    assert (view["scale"], view["abstain"], view["texts"]["abstain"]) == (10, "abstain", "Enthaltung")
    assert hint(view) == "0 = kein Widerstand · 10 = größter Widerstand"
    assert view["texts"]["progress"] == "{n} von {total} bewertet"
    assert view["texts"]["value"] == "Widerstand: {value}"
    assert phone.mine == {} and phone.live == {"open": True}

    assert await phone.rate("p1", 3) == (True, {"p1": 3})  # acknowledged only once stored
    row = by_id(current_result(ctx, created.session.id))["p1"]
    assert (row["raters"], row["sum"]) == (1, 3)

    assert await phone.rate("p1", 7) == (True, {"p1": 7})  # a change replaces the earlier rating
    assert await phone.rate("p2", "abstain") == (True, {"p1": 7, "p2": "abstain"})
    rows = by_id(current_result(ctx, created.session.id))
    assert (rows["p1"]["raters"], rows["p1"]["sum"]) == (1, 7)
    assert (rows["p2"]["raters"], rows["p2"]["abstentions"]) == (0, 1)
    assert live.build_state(ctx, created.session.id).per_key == {"p1": 1, "p2": 1}

    await user.open(f"/j/{created.session.join_code}")  # the phone slept: everything is still there
    again = Phone(user)
    await again.wait_view()
    assert again.mine == {"p1": 7, "p2": "abstain"}
    assert hint(again.shown) == "0 = kein Widerstand · 10 = größter Widerstand"  # texts come with the page


async def test_a_step_that_opens_sends_only_the_step_and_the_texts_from_the_page_stay(user: User) -> None:
    """The phone waits, then the step opens: the patch that reaches it carries the step (question,
    options, scale) but none of the step-independent texts (scale hint, "Abstain", "Passive
    solution"), which came once with the page; the phone still shows them, and again after a reload."""
    ctx, created, step_id = make_session(
        ({"label": "Alpha", "description": "in der Innenstadt"}, "Beta"), scale_max=2)
    await user.open(f"/j/{created.session.join_code}?lang=en")
    phone = Phone(user)
    client = user.client
    assert client is not None
    sent: list[str] = []
    forward = client.outbox._emit  # noqa: SLF001 - what leaves the server for this phone

    async def capture(message: Any) -> None:
        sent.append(json.dumps(message[2], ensure_ascii=False))
        await forward(message)

    client.outbox._emit = capture  # type: ignore[method-assign]  # noqa: SLF001
    await until(lambda: phone.view.props["notice"])  # waiting for the moderator
    await asyncio.sleep(0.2)  # the page is out
    sent.clear()
    lifecycle.open_step(ctx, step_id)
    await phone.wait_view()
    view = phone.shown
    assert hint(view) == "0 = no hand · 1 = one hand · 2 = both hands (maximum resistance)"
    assert view["options"] == [{"id": "p1", "label": "Alpha", "description": "in der Innenstadt"},
                               {"id": "p2", "label": "Beta"},
                               {"id": "passive", "label": "Alles bleibt, wie es ist", "passive": True}]
    assert (view["texts"]["abstain"], view["texts"]["passive_tag"]) == ("Abstain", "Passive solution")
    wire = "".join(sent)
    assert "Alles bleibt, wie es ist" in wire  # the step arrived by patch ...
    for once in ("no hand", "Abstain", "Passive solution", "Resistance"):
        assert once not in wire  # ... without the texts of the page
    assert "mine" not in wire and phone.mine == {}  # nothing stored: the page's empty input stands

    await user.open(f"/j/{created.session.join_code}?lang=en")  # the phone slept and reloads
    again = Phone(user)
    await again.wait_view()
    assert again.shown == view


async def test_bad_taps_are_refused_with_a_message_and_nothing_stored(user: User) -> None:
    ctx, created, step_id = make_session()
    lifecycle.open_step(ctx, step_id)
    await user.open(f"/j/{created.session.join_code}")
    phone = Phone(user)
    await phone.wait_view()
    for payload in ({"ratings": {"p1": 11}}, {"ratings": {"nope": 1}}, {"ratings": "x"}, ["p1"], None):
        assert await phone.send(payload) == (False, {})
    assert len(user.notify.messages) == 5
    assert all(m and "Traceback" not in m for m in user.notify.messages)
    assert current_result(ctx, created.session.id).get("empty")


async def test_tap_after_close_is_refused_and_nothing_stored(user: User) -> None:
    ctx, created, step_id = make_session()
    lifecycle.open_step(ctx, step_id)
    await user.open(f"/j/{created.session.join_code}")
    phone = Phone(user)
    await phone.wait_view()
    assert "closed" not in phone.live
    assert await phone.rate("p1", 2) == (True, {"p1": 2})

    lifecycle.close_step(ctx, step_id)
    # the phone has not heard of the close yet: refused, the stored value comes back with the ack
    assert await phone.rate("p1", 9) == (False, {"p1": 2})
    assert sum("geschlossen" in m for m in user.notify.messages) == 1
    await until(lambda: phone.live.get("closed"))
    assert phone.live == {"open": False, "closed": True}  # the tiles are disabled, the notice shown
    row = by_id(current_result(ctx, created.session.id))["p1"]
    assert (row["raters"], row["sum"]) == (1, 2)


async def test_console_hides_values_until_reveal(user: User, create_user: Any) -> None:
    ctx, created, step_id = make_session()
    lifecycle.open_step(ctx, step_id)
    for values in ((1, 8), (2, 9)):
        browser = create_user()
        await browser.open(f"/j/{created.session.join_code}")
        phone = Phone(browser)
        await phone.wait_view()
        assert (await phone.rate("p1", values[0]))[0]
        assert (await phone.rate("passive", values[1]))[0]

    await user.open(console_url(created))
    await user.should_see("2 von 2 haben bewertet")
    await user.should_see("Ergebnis verdeckt")
    assert text(user, "count-p1") == "2 Bewertungen"
    assert text(user, "count-p2") == "0 Bewertungen"
    assert text(user, "count-passive") == "2 Bewertungen"
    await user.should_not_see(content="%")
    await user.should_not_see(marker="ranking")
    await user.should_not_see(marker="decision")

    lifecycle.reveal(ctx, step_id)
    await user.should_see(marker="ranking")
    await user.should_see("Ausgewählt: Alpha")
    await user.should_not_see(marker="counts")
    rows = ranking(user)
    # Alpha: mean 1.5 → 85 % acceptance, ranked first and selected
    assert rows[0] == {"id": "p1", "name": "Alpha", "detail": "2 Bewertungen · 0 Enthaltungen", "value": "✓ 85 %"}
    assert [r["id"] for r in rows] == ["p1", "passive", "p2"]
    assert rows[1]["value"] == "15 %" and rows[2]["value"] == "" and "keine Bewertung" in rows[2]["detail"]
    assert passive_caption(user) == "Passivlösung 15 %"  # the passive-solution line

    user.find(marker="detail-p1").click()  # only two raters: the distribution stays hidden
    await user.should_see(marker="detail-hidden")
    await user.should_not_see(marker="histogram")


async def test_nothing_beats_the_passive_solution(user: User) -> None:
    ctx, created, step_id = make_session()
    lifecycle.open_step(ctx, step_id)
    for ratings in ({"p1": 9, "p2": 7, "passive": 1}, {"p1": 10, "p2": 6, "passive": 0},
                    {"p1": 8, "p2": 8, "passive": 2}):
        rate(ctx, created.session.id, ratings, step_id)
    lifecycle.close_step(ctx, step_id)
    await user.open(console_url(created))
    await user.should_see("3 Bewertungen")
    await user.should_not_see("Kein Vorschlag ist besser als die Passivlösung.")

    lifecycle.reveal(ctx, step_id)
    await user.should_see("Kein Vorschlag ist besser als die Passivlösung.")
    rows = ranking(user)
    assert rows[0]["id"] == "passive" and "Passivlösung" in rows[0]["detail"]  # ranked first
    assert "✗ nicht besser als Passivlösung" in rows[1]["detail"]
    assert "nicht besser" not in rows[0]["detail"]

    user.find(marker="detail-p1").click()  # three raters: the distribution may be shown
    await user.should_see("3 hohe Widerstände (≥ 7) von 3 Bewertungen")
    await user.should_see(marker="histogram")


async def test_phone_shows_result_after_reveal(user: User) -> None:
    ctx, created, step_id = make_session()
    lifecycle.open_step(ctx, step_id)
    await user.open(f"/j/{created.session.join_code}")
    phone = Phone(user)
    await phone.wait_view()
    assert (await phone.rate("p2", 0))[0]
    assert (await phone.rate("passive", 10))[0]
    assert "result" not in phone.live
    lifecycle.close_step(ctx, step_id)
    lifecycle.reveal(ctx, step_id)
    await until(lambda: "result" in phone.live)
    result = phone.live["result"]
    assert result["decision"] == "Ausgewählt: Beta"
    assert result["rows"][0] == {"id": "p2", "label": "1. Beta", "frac": 1.0, "text": "100 % ✓"}
    assert result["rows"][1:] == [{"id": "passive", "label": "2. Alles bleibt, wie es ist (Passivlösung)",
                                   "frac": 0.0, "text": "0 %"}]  # unrated Alpha has no bar
    assert phone.live["open"] is False and phone.live["closed"] is True


async def test_second_round_compares_acceptance(user: User) -> None:
    ctx, created, step_id = make_session()
    lifecycle.open_step(ctx, step_id)
    rate(ctx, created.session.id, {"p1": 6, "p2": 2, "passive": 9}, step_id)
    lifecycle.close_step(ctx, step_id)
    lifecycle.open_step(ctx, step_id)  # round 2 after the discussion
    rate(ctx, created.session.id, {"p1": 2, "p2": 2, "passive": 9}, step_id)
    await user.open(console_url(created))
    await user.should_not_see("Akzeptanz Runde 1 → Runde 2")
    lifecycle.reveal(ctx, step_id)
    await user.should_see("Akzeptanz Runde 1 → Runde 2")
    rows = {r["name"]: r for r in ranking(user)}
    assert "Runde 1: 40 % (+40 %)" in rows["Alpha"]["detail"]
    assert "Runde 1: 80 % (±0 %)" in rows["Beta"]["detail"]
    assert rows["Alpha"]["value"].endswith("80 %") and rows["Beta"]["value"].endswith("80 %")

    rate(ctx, created.session.id, {"p1": 0}, step_id)  # a late rating updates the comparison in place
    await user.should_see("2 von 3 haben bewertet")
    await until(lambda: "Runde 1: 40 % (+50 %)" in {r["name"]: r for r in ranking(user)}["Alpha"]["detail"])
    assert "Runde 1: 40 % (+50 %)" in {r["name"]: r for r in ranking(user)}["Alpha"]["detail"]


async def test_editor_keeps_ids_of_unchanged_proposals(user: User) -> None:
    ctx, created, step_id = make_session(("Alpha", "Beta"))
    await user.open(f"/s/{created.session.id}/edit?key={created.moderator_key}")
    await user.should_see(marker="cons-proposals")
    user.find(marker="cons-proposals").clear().type("Gamma\nAlpha")
    user.find(marker="cons-select").clear().type("2")
    user.find(marker="save-step").click()
    await user.should_see("Gespeichert")
    config = organize.get_session(ctx, created.session.id).steps[0].raw_config
    gamma, alpha = config["proposals"]
    assert alpha == {"id": "p1", "label": "Alpha"}
    assert gamma["label"] == "Gamma" and gamma["id"] not in {"p1", "p2"}
    assert config["select"] == 2
    assert config["passive_solution"] == "Alles bleibt, wie es ist"


async def test_editor_rejects_bad_numbers(user: User) -> None:
    ctx, created, step_id = make_session(("Alpha", "Beta"))
    await user.open(f"/s/{created.session.id}/edit?key={created.moderator_key}")
    user.find(marker="cons-select").clear().type("5")
    user.find(marker="save-step").click()
    await user.should_see("zwischen 1 und 2")
    assert organize.get_session(ctx, created.session.id).steps[0].raw_config.get("select", 1) == 1


def test_merge_proposals_keeps_descriptions_and_never_reuses_ids() -> None:
    raw = [{"id": "a", "label": "Alpha", "description": "lang"}, "Beta", {"id": "p3", "label": "Gamma"}]
    merged = merge_proposals(raw, ["Alpha", "Delta", "Gamma"])
    assert merged[0] == {"id": "a", "label": "Alpha", "description": "lang"}
    assert merged[2] == {"id": "p3", "label": "Gamma"}
    assert merged[1]["label"] == "Delta" and merged[1]["id"] not in {"a", "p2", "p3"}


def test_a_removed_proposals_id_is_not_given_to_a_new_one() -> None:
    """Round 1 had A (p1) and B (p2); B is removed and saved, then E is added: E must not be p2."""
    after_removal = merge_proposals([{"id": "p1", "label": "A"}, {"id": "p2", "label": "B"}], ["A"])
    with_new = merge_proposals(after_removal, ["A", "E"])
    assert with_new[1]["label"] == "E" and with_new[1]["id"] != "p2"


async def test_the_projector_follows_the_distribution_the_moderator_opens(user: User, create_user: Any) -> None:
    """Exploring resistance happens on the beamer too: the detail is live state, not a laptop dialog."""
    ctx, created, step_id = make_session()
    lifecycle.open_step(ctx, step_id)
    for ratings in ({"p1": 9, "p2": 1, "passive": 5}, {"p1": 8, "p2": 0, "passive": 5},
                    {"p1": 2, "p2": 3, "passive": 6}):
        rate(ctx, created.session.id, ratings, step_id)
    lifecycle.reveal(ctx, step_id)
    await user.open(console_url(created))
    projector = create_user()
    await projector.open(f"/s/{created.session.id}/screen?key={created.projector_key}")
    await projector.should_see(marker="ranking")
    await projector.should_not_see(marker="details")  # no control that does nothing on the projector
    assert not detail_open(projector)

    user.find(marker="detail-p1").click()
    await user.should_see("2 hohe Widerstände (≥ 7) von 3 Bewertungen")
    await until(lambda: detail_open(projector))
    assert detail_open(projector)
    await projector.should_see("2 hohe Widerstände (≥ 7) von 3 Bewertungen")
    assert text(projector, "detail-title") == "Alpha"
    await projector.should_see(marker="histogram")
    await projector.should_not_see(marker="detail-close")  # only the moderator goes back
    assert live.build_state(ctx, created.session.id).step.shown_detail == "p1"

    await user.should_see("Zurück zur Rangfolge")
    user.find(marker="detail-close").click()
    await until(lambda: not detail_open(projector))
    assert not detail_open(projector)
    assert not detail_open(user)
    assert live.build_state(ctx, created.session.id).step.shown_detail is None

    user.find(marker="rank-p2").click()  # a click on an option's row opens its distribution, too
    await projector.should_see("0 hohe Widerstände (≥ 7) von 3 Bewertungen")
    lifecycle.hide(ctx, step_id)  # hiding the result takes its detail off the projector as well
    await until(lambda: not detail_open(projector))
    assert not detail_open(projector)
    await projector.should_not_see(marker="ranking")
