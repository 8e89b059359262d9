"""The agenda file: every problem listed with its field path, and a lossless round trip."""

from __future__ import annotations

import copy
import json

import pytest

from facilitation import agenda, organize
from facilitation.context import Context
from methods.errors import InvalidContribution, TooLarge

# Modelled on a real meeting of a regional business alliance (Wirtschaftsallianz).
ALLIANCE = {
    "format": "moderationskoffer/agenda@1",
    "title": "4. Treffen der Wirtschaftsallianz Bottrop",
    "date": "2017-11-07",
    "place": "Bottrop, Kulturzentrum August Everding",
    "moderator": "Dr. Anna Beispiel (extern)",
    "language": "de",
    "names": "optional",
    "steps": [
        {
            "method": "hand_vote",
            "title": "Genehmigung des Protokolls",
            "config": {"question": "Ist das Protokoll des 3. Treffens genehmigt?"},
        },
        {
            "method": "hand_vote",
            "title": "Schwerpunkte 2018",
            "config": {
                "question": "Welche Themen sollen 2018 Schwerpunkt sein?",
                "options": [
                    "Fachkräfte sichern",
                    "Energieeffizienz im Gewerbe",
                    "Innenstadt beleben",
                    {"id": "mobil", "label": "Mobilität", "description": "Pendeln, Logistik, ÖPNV"},
                ],
                "multiple": True,
                "max_choices": 2,
            },
        },
        {
            "method": "consensing",
            "title": "Welche Reallabore starten wir?",
            "config": {
                "question": "Wie groß ist Ihr Widerstand?",
                "proposals": [
                    "Wasserstoff-Hub",
                    "Gewerbegebiet Klimaschutz",
                    "Kreislaufwirtschaft Bau",
                    "Digitale Innenstadt",
                ],
                "passive_solution": "Keine neuen Reallabore",
                "select": 2,
            },
        },
        {
            "method": "hand_vote",
            "title": "Nächster Termin",
            "config": {"question": "Wann treffen wir uns wieder?", "options": ["Januar", "Februar", "März"]},
        },
    ],
}


def problems_of(doc: object) -> list[dict[str, str]]:
    with pytest.raises(InvalidContribution) as info:
        agenda.parse(doc)
    assert info.value.key == "agenda_invalid"
    return info.value.params["problems"]


def fields(doc: object) -> list[str]:
    return [p["field"] for p in problems_of(doc)]


def test_realistic_agenda_parses() -> None:
    spec = agenda.parse(ALLIANCE)
    assert spec.title == "4. Treffen der Wirtschaftsallianz Bottrop"
    assert (spec.date, spec.place, spec.language, spec.names) == (
        "2017-11-07",
        ALLIANCE["place"],
        "de",
        "optional",
    )
    assert [s.method for s in spec.steps] == ["hand_vote", "hand_vote", "consensing", "hand_vote"]
    assert spec.steps[0].config == ALLIANCE["steps"][0]["config"]


def test_round_trip_through_a_session(ctx: Context) -> None:
    created = organize.create_session(ctx, agenda.parse(copy.deepcopy(ALLIANCE)))
    doc = organize.agenda_document(ctx, created.session.id)
    assert doc == ALLIANCE
    assert json.loads(json.dumps(doc)) == ALLIANCE  # it is the file format, so it must survive JSON
    again = organize.create_session(ctx, agenda.loads(json.dumps(doc)))
    assert organize.agenda_document(ctx, again.session.id) == ALLIANCE


def test_minimal_agenda_gets_defaults() -> None:
    spec = agenda.parse({"title": "  Kurz  ", "steps": [{"method": "hand_vote"}]})
    assert spec.title == "Kurz"
    assert (spec.date, spec.place, spec.language, spec.names) == ("", "", "de", "none")
    assert spec.steps[0].title == "hand_vote" and spec.steps[0].config == {}


def test_every_problem_is_listed_with_its_field_path() -> None:
    doc = {
        "format": "moderationskoffer/agenda@2",
        "title": "",
        "date": "7.11.2017",
        "language": "fr",
        "names": "alle",
        "steps": [
            {"method": "world_cafe", "title": "Tischrunde", "config": {}},
            {"method": "hand_vote", "title": "Frage", "config": {"options": ["nur eine"]}},
            {"method": "hand_vote", "config": {"options": ["A", "B"], "max_choices": 1}},
            {
                "method": "consensing",
                "config": {"proposals": ["X"], "select": 1, "scale_max": 5, "farbe": "rot"},
            },
            "kein Objekt",
            {"title": "ohne Methode"},
            {"method": "hand_vote", "title": 42},
            {"method": "hand_vote", "config": ["keine", "Zuordnung"]},
        ],
    }
    got = problems_of(doc)
    assert all(set(p) == {"field", "message", "code", "params"} and p["message"] and p["code"] for p in got)
    assert [p["field"] for p in got] == [
        "format",
        "title",
        "date",
        "language",
        "names",
        "steps[0].method",
        "steps[1].config.options",
        "steps[2].config.max_choices",
        "steps[3].config.scale_max",
        "steps[3].config.farbe",
        "steps[4]",
        "steps[5].method",
        "steps[6].title",
        "steps[7].config",
    ]
    by_field = {p["field"]: p["message"] for p in got}
    assert "world_cafe" in by_field["steps[0].method"] and "hand_vote" in by_field["steps[0].method"]
    assert by_field["date"] == "must be YYYY-MM-DD"
    assert "at least 2" in by_field["steps[1].config.options"]
    assert "multiple" in by_field["steps[2].config.max_choices"]


def test_nested_option_problems_name_the_item() -> None:
    doc = {
        "title": "T",
        "steps": [
            {"method": "hand_vote", "config": {"options": ["A", {"id": "b b", "label": ""}]}},
        ],
    }
    assert sorted(fields(doc)) == ["steps[0].config.options[1].id", "steps[0].config.options[1].label"]


def test_duplicate_option_ids_are_reported() -> None:
    doc = {
        "title": "T",
        "steps": [
            {
                "method": "hand_vote",
                "config": {"options": [{"id": "a", "label": "A"}, {"id": "a", "label": "B"}]},
            },
        ],
    }
    [problem] = problems_of(doc)
    assert problem["field"] == "steps[0].config.options"
    assert "duplicate option id 'a'" in problem["message"]


@pytest.mark.parametrize("date", ["2017-11-7", "07.11.2017", "2017/11/07", "heute"])
def test_bad_dates(date: str) -> None:
    assert fields({"title": "T", "date": date}) == ["date"]


def test_not_an_object() -> None:
    assert fields(["title"]) == [""]
    assert fields({"title": "T", "steps": {"method": "hand_vote"}}) == ["steps"]
    assert fields({"title": 5}) == ["title"]


def test_too_many_steps() -> None:
    doc = {"title": "T", "steps": [{"method": "hand_vote"}] * (agenda.MAX_STEPS + 1)}
    assert fields(doc) == ["steps"]


def test_loads_rejects_broken_json_and_huge_files() -> None:
    with pytest.raises(InvalidContribution) as info:
        agenda.loads('{"title": "T",')
    assert info.value.key == "agenda_invalid"
    assert info.value.params["problems"][0]["message"].startswith("not valid JSON")
    with pytest.raises(TooLarge):
        agenda.loads(" " * (agenda.MAX_AGENDA_BYTES + 1))


def test_unknown_method_in_add_step(ctx: Context) -> None:
    created = organize.create_session(ctx, agenda.parse({"title": "T"}))
    with pytest.raises(InvalidContribution) as info:
        organize.add_step(ctx, created.session.id, "world_cafe", "Tische", {})
    assert info.value.key == "config_invalid"
    assert info.value.params["problems"][0]["field"] == "method"
