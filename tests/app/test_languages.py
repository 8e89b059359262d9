"""Each participant reads in their own language; the office's editor speaks the organizer's."""

from __future__ import annotations

from nicegui.testing import User

from facilitation import agenda, context, lifecycle, organize
from tests.app.phones import Phone


def english_session() -> tuple[int, str, str, int]:
    ctx = context.current()
    created = organize.create_session(ctx, agenda.parse({
        "title": "Alliance", "language": "en", "names": "none",
        "steps": [{"method": "hand_vote", "title": "Minutes", "config": {"question": "Approve the minutes?"}}]}))
    step = created.session.steps[0].id
    lifecycle.open_step(ctx, step)
    return created.session.id, created.session.join_code, created.moderator_key, step


async def test_an_english_session_offers_yes_no_abstain(user: User) -> None:
    _sid, code, _key, _step = english_session()
    await user.open(f"/j/{code}")
    phone = Phone(user)
    await phone.wait_view()
    assert [o["label"] for o in phone.shown["options"]] == ["Yes", "No", "Abstain"]
    assert phone.shown["texts"]["change_hint"].startswith("You can change your vote")
    await user.should_see("Deutsch")  # the switch offers the other language


async def test_a_participant_switches_to_german_in_an_english_session(user: User) -> None:
    _sid, code, _key, _step = english_session()
    await user.open(f"/j/{code}?lang=de")
    phone = Phone(user)
    await phone.wait_view()
    assert [o["label"] for o in phone.shown["options"]] == ["Ja", "Nein", "Enthaltung"]
    assert phone.shown["texts"]["saved"] == "Gespeichert ✓"
    await user.should_see("English")
    assert (await phone.vote("yes")) == (True, ["yes"])  # the vote is the same vote in any language


async def test_renamed_options_stay_as_written(user: User) -> None:
    ctx = context.current()
    created = organize.create_session(ctx, agenda.parse({
        "title": "T", "language": "de", "names": "none",
        "steps": [{"method": "hand_vote", "config": {"options": [{"id": "yes", "label": "Ja, gern"}, "Nein"]}}]}))
    lifecycle.open_step(ctx, created.session.steps[0].id)
    await user.open(f"/j/{created.session.join_code}?lang=en")
    phone = Phone(user)
    await phone.wait_view()
    assert [o["label"] for o in phone.shown["options"]] == ["Ja, gern", "Nein"]  # agenda text is not ours to translate


async def test_the_editor_follows_the_organizer_not_the_session(user: User) -> None:
    sid, _code, key, _step = english_session()
    await user.open(f"/s/{sid}/edit?key={key}")
    await user.should_see("Sitzung vorbereiten")
    await user.open(f"/s/{sid}/edit?key={key}&lang=en")
    await user.should_see("Prepare session")


def test_a_count_of_one_takes_the_singular() -> None:
    """"1 Karte an 4 Tischen", never "1 Karten"; a text handed to a browser component keeps the
    token for it to fill in."""
    from app.i18n import t

    assert t("theme_tables.gathered", "de", cards=1, tables=4) == "1 Karte an 4 Tischen"
    assert t("theme_tables.gathered", "de", cards=0, tables=1) == "0 Karten an 1 Tisch"
    assert t("theme_tables.gathered", "en", cards=1, tables=2) == "1 card at 2 tables"
    assert t("theme_tables.board.cards", "de") == "{n} {n|Karte|Karten}"
