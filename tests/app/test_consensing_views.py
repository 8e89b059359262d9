"""Systemic consensing views: phone taps are stored at once, the console reveals only on demand."""

from __future__ import annotations

from typing import Any

from nicegui import ui
from nicegui.testing import User

from app.views.consensing import merge_proposals
from facilitation import agenda, context, contributions, lifecycle, live, organize, participation


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
    joined = participation.join_session(ctx, session_id)
    contributions.submit(ctx, step_id, joined.participant_id, {"ratings": ratings})
    return joined.participant_id


def console_url(created: Any) -> str:
    return f"/s/{created.session.id}/console?key={created.moderator_key}"


def toggle(phone: User, option_id: str) -> ui.toggle:
    """The one toggle of an option: the scale 0..max plus "abstain" as its last choice."""
    element = next(iter(phone.find(marker=f"rate-{option_id}").elements))
    assert isinstance(element, ui.toggle)
    return element


def tap(phone: User, option_id: str, value: int | str) -> None:
    """What a tap on one of the toggle's buttons does in the browser; a disabled toggle ignores it."""
    element = toggle(phone, option_id)
    if element.enabled:
        assert phone.client is not None
        with phone.client:
            element.set_value(value)


def text(phone: User, marker: str) -> str:
    label = next(iter(phone.find(marker=marker).elements))
    assert isinstance(label, ui.label)
    return str(label.text)


def status(phone: User, option_id: str) -> str:
    """The one status line of an option: "Widerstand: 7 · gespeichert ✓"."""
    return text(phone, f"status-{option_id}")


async def test_phone_tap_is_stored_at_once_and_progress_counts(user: User) -> None:
    ctx, created, step_id = make_session()
    lifecycle.open_step(ctx, step_id)
    await user.open(f"/j/{created.session.join_code}")
    await user.should_see("Welche Reallabore?")
    await user.should_see("0 von 3 bewertet")
    await user.should_see(marker="rate-passive")  # the passive solution is rated like a proposal
    assert list(toggle(user, "passive").options) == [*range(11), "abstain"]
    assert status(user, "p1") == "Widerstand: –"
    await user.should_not_see("gespeichert")

    tap(user, "p1", 3)
    await user.should_see("Widerstand: 3")
    await user.should_see("1 von 3 bewertet")
    assert status(user, "p1") == "Widerstand: 3 · gespeichert ✓"
    assert toggle(user, "p1").value == 3
    row = by_id(current_result(ctx, created.session.id))["p1"]
    assert (row["raters"], row["sum"]) == (1, 3)

    tap(user, "p1", 7)  # a change replaces the earlier rating
    tap(user, "p2", "abstain")
    await user.should_see("2 von 3 bewertet")
    assert status(user, "p2") == "Enthaltung · gespeichert ✓"
    rows = by_id(current_result(ctx, created.session.id))
    assert (rows["p1"]["raters"], rows["p1"]["sum"]) == (1, 7)
    assert (rows["p2"]["raters"], rows["p2"]["abstentions"]) == (0, 1)
    assert live.build_state(ctx, created.session.id).per_key == {"p1": 1, "p2": 1}

    await user.open(f"/j/{created.session.join_code}")  # the phone slept: everything is still there
    await user.should_see("Widerstand: 7")
    await user.should_see("2 von 3 bewertet")
    assert (toggle(user, "p1").value, toggle(user, "p2").value, toggle(user, "passive").value) == (
        7, "abstain", None
    )


async def test_tap_after_close_is_refused_and_nothing_stored(user: User) -> None:
    ctx, created, step_id = make_session()
    lifecycle.open_step(ctx, step_id)
    await user.open(f"/j/{created.session.join_code}")
    await user.should_see(marker="progress")  # the live view appears once the socket is connected
    await user.should_not_see(marker="closed")
    tap(user, "p1", 2)
    await user.should_see("Widerstand: 2")

    lifecycle.close_step(ctx, step_id)
    tap(user, "p1", 9)  # the phone has not heard of the close yet
    await user.should_see("ist geschlossen")
    await user.should_see("Widerstand: 2")
    await user.should_not_see("Widerstand: 9")
    assert toggle(user, "p1").value == 2  # the refused value is taken back ...
    assert sum("geschlossen" in m for m in user.notify.messages) == 1  # ... without a second submit
    await user.should_see(marker="closed")
    assert not toggle(user, "p1").enabled  # now disabled
    tap(user, "p1", 9)
    await user.should_see("Widerstand: 2")
    assert toggle(user, "p1").value == 2
    row = by_id(current_result(ctx, created.session.id))["p1"]
    assert (row["raters"], row["sum"]) == (1, 2)


async def test_console_hides_values_until_reveal(user: User, create_user: Any) -> None:
    ctx, created, step_id = make_session()
    lifecycle.open_step(ctx, step_id)
    for values in ((1, 8), (2, 9)):
        phone = create_user()
        await phone.open(f"/j/{created.session.join_code}")
        await phone.should_see(marker="progress")  # the live view appears once the socket is connected
        tap(phone, "p1", values[0])
        tap(phone, "passive", values[1])
        await phone.should_see("2 von 3 bewertet")

    await user.open(console_url(created))
    await user.should_see("2 von 2 haben bewertet")
    await user.should_see("Ergebnis verdeckt")
    assert text(user, "count-p1") == "2 Bewertungen"
    assert text(user, "count-p2") == "0 Bewertungen"
    assert text(user, "count-passive") == "2 Bewertungen"
    await user.should_not_see(content="%")
    await user.should_not_see(marker="chart")
    await user.should_not_see(marker="decision")

    lifecycle.reveal(ctx, step_id)
    await user.should_see(marker="chart")
    await user.should_see("Ausgewählt: Alpha")
    await user.should_not_see(marker="counts")
    chart = next(iter(user.find(marker="chart").elements))
    assert isinstance(chart, ui.plotly)
    assert "Passivlösung" in chart.figure["layout"]["annotations"][0]["text"]
    bars = chart.figure["data"][0]
    assert bars["x"][0] == 85.0  # Alpha: mean 1.5 → 85 % acceptance, ranked first
    assert "Alpha" in chart.figure["layout"]["yaxis"]["ticktext"][0]
    assert chart.figure["layout"]["shapes"][0]["x0"] == 15.0  # the passive-solution line

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
    chart = next(iter(user.find(marker="chart").elements))
    assert isinstance(chart, ui.plotly)
    assert "Passivlösung" in chart.figure["layout"]["yaxis"]["ticktext"][0]  # ranked first
    assert "nicht besser als Passivlösung" in chart.figure["layout"]["yaxis"]["ticktext"][1]

    user.find(marker="detail-p1").click()  # three raters: the distribution may be shown
    await user.should_see("3 hohe Widerstände (≥ 7) von 3 Bewertungen")
    await user.should_see(marker="histogram")


async def test_phone_shows_result_after_reveal(user: User) -> None:
    ctx, created, step_id = make_session()
    lifecycle.open_step(ctx, step_id)
    await user.open(f"/j/{created.session.join_code}")
    await user.should_see(marker="progress")  # the live view appears once the socket is connected
    tap(user, "p2", 0)
    tap(user, "passive", 10)
    await user.should_see("2 von 3 bewertet")
    await user.should_not_see("Ergebnis")
    await user.should_not_see(marker="results")
    lifecycle.close_step(ctx, step_id)
    lifecycle.reveal(ctx, step_id)
    await user.should_see("Ergebnis")
    await user.should_see("Ausgewählt: Beta")
    await user.should_see("1. Beta — 100 % ✓")
    await user.should_see(marker="decision")
    assert not toggle(user, "p2").enabled
    # built only now, yet placed where the phone shows it first: below progress and "closed"
    results = next(iter(user.find(marker="results").elements))
    assert results.parent_slot is not None
    order = results.parent_slot.children
    index = {m: order.index(next(iter(user.find(marker=m).elements)))
             for m in ("progress", "closed", "results", "card-p1")}
    assert index["progress"] < index["closed"] < index["results"] < index["card-p1"]


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
    chart = next(iter(user.find(marker="chart").elements))
    assert isinstance(chart, ui.plotly)
    ticks = chart.figure["layout"]["yaxis"]["ticktext"]
    assert "Runde 1: 40 % (+40 %)" in next(tick for tick in ticks if "Alpha" in tick)
    assert "Runde 1: 80 % (±0 %)" in next(tick for tick in ticks if "Beta" in tick)

    rate(ctx, created.session.id, {"p1": 0}, step_id)  # a late rating updates the comparison in place
    await user.should_see("2 von 3 haben bewertet")
    assert chart.figure["layout"]["yaxis"]["ticktext"] != ticks
    assert any("Runde 1: 40 % (+50 %)" in tick for tick in chart.figure["layout"]["yaxis"]["ticktext"])


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
