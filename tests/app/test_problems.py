"""Problems in an agenda or a step's settings read as plain words, naming the step."""

from __future__ import annotations

import pytest
from nicegui.testing import User

from app.problems import describe, describe_all
from facilitation import agenda, context, organize
from methods.errors import InvalidContribution

DOC = {
    "title": "3. Treffen",
    "steps": [
        {"method": "fishbowl", "title": "Leitbild"},
        {"method": "consensing", "title": "Reallabore", "config": {"proposals": [], "select": 0, "farbe": "rot"}},
        {"method": "hand_vote", "title": "Termin", "config": {"options": ["Mai", "Mai"]}},
    ],
}
TITLES = [s["title"] for s in DOC["steps"]]


def problems() -> InvalidContribution:
    with pytest.raises(InvalidContribution) as info:
        agenda.parse(DOC)
    return info.value


def test_an_import_names_each_problem_in_plain_german_with_its_step() -> None:
    lines = describe_all(problems(), "de", TITLES)
    assert lines[0] == ("Punkt 1 („Leitbild“) – Methode: Die Methode „fishbowl“ gibt es hier (noch) nicht. "
                        "Möglich: Handzeichen, Systemisches Konsensieren, Wesentlichkeitsmatrix, Punktabfrage, Thementische, Aufstellung im Raum.")
    assert "Punkt 2 („Reallabore“) – Vorschläge: Bitte mindestens einen Vorschlag eintragen" in lines[1]
    assert "Punkt 2 („Reallabore“) – Anzahl auszuwählender Vorschläge: muss mindestens 1 sein." in lines
    assert "Punkt 2 („Reallabore“) – „farbe“: ist keine bekannte Einstellung dieser Methode." in lines
    assert "Punkt 3 („Termin“) – Optionen: „Mai“ steht doppelt da – bitte jede Option nur einmal." in lines
    assert not any("steps[" in line or "unknown method" in line for line in lines)


def test_english_readers_get_english() -> None:
    lines = describe_all(problems(), "en", TITLES)
    assert lines[0].startswith("Item 1 (“Leitbild”) – Method: There is no method “fishbowl” here (yet).")


def test_a_problem_without_a_text_keeps_its_sentence() -> None:
    assert describe({"field": "title", "code": "something_new", "message": "is odd"}, "de") == "Titel: is odd"


async def test_the_editor_says_what_is_wrong_in_german(user: User) -> None:
    ctx = context.current()
    created = organize.create_session(ctx, agenda.parse({"title": "T", "steps": [{"method": "hand_vote"}]}))
    await user.open(f"/s/{created.session.id}/edit?key={created.moderator_key}")
    user.find(marker="title").clear()
    await user.should_see("Bitte geben Sie einen Titel an.")  # next to the field, while typing
    user.find(marker="save-details").click()
    assert organize.get_session(ctx, created.session.id).title == "T"  # nothing stored


async def test_the_editor_refuses_duplicate_options_and_says_which(user: User) -> None:
    ctx = context.current()
    created = organize.create_session(ctx, agenda.parse({"title": "T", "steps": [{"method": "hand_vote"}]}))
    await user.open(f"/s/{created.session.id}/edit?key={created.moderator_key}")
    await user.should_see(marker="vote-options")
    user.find(marker="vote-options").clear().type("Mai\nJuni\nmai")
    user.find(marker="save-step").click()
    await user.should_see("„mai“ steht doppelt da")
    assert [o.label for o in organize.get_session(ctx, created.session.id).steps[0].config.options] == \
        ["Ja", "Nein", "Enthaltung"]  # nothing stored


async def test_adding_a_step_confirms_and_empties_the_title_field(user: User) -> None:
    ctx = context.current()
    created = organize.create_session(ctx, agenda.parse({"title": "T", "steps": []}))
    await user.open(f"/s/{created.session.id}/edit?key={created.moderator_key}")
    user.find(marker="new-step-title").type("Protokoll")
    user.find(marker="add-step").click()
    await user.should_see("Punkt hinzugefügt.")
    assert [s.title for s in organize.get_session(ctx, created.session.id).steps] == ["Protokoll"]
    field = next(iter(user.find(marker="new-step-title").elements))
    assert field.value == ""
