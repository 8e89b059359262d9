"""The theme-tables console for the moderator: choosing a table's host among the people at that
table, and no "Aufdecken"/"Verbergen" where the boards are the open work surface."""

from __future__ import annotations

from typing import Any

from nicegui.testing import User

from facilitation import context, contributions, lifecycle, live, participation
from tests.factories import create_session

TABLES: dict[str, Any] = {"method": "theme_tables", "title": "Thementische", "config": {
    "rounds": 2, "tables": [{"title": "Herausforderungen", "prompts": ["Flächen"]}, {"title": "Visionen"}]}}


def hosts(session_id: int) -> list[list[str]]:
    result: Any = live.build_state(context.current(), session_id).result
    return [tb["hosts"] for tb in result["tables"]]


async def test_the_moderator_chooses_a_host_among_the_people_at_the_table(user: User) -> None:
    ctx = context.current()
    created = create_session(ctx, TABLES, names="optional")
    session_id, step_id = created.session.id, created.session.steps[0].id
    anna = participation.join_session(ctx, session_id, name="Anna").participant_id
    unnamed = participation.join_session(ctx, session_id).participant_id
    elsewhere = participation.join_session(ctx, session_id, name="Bernd").participant_id
    lifecycle.open_step(ctx, step_id)
    for person, table in ((anna, "t1"), (unnamed, "t1"), (elsewhere, "t2")):
        contributions.submit(ctx, step_id, person, {"seat": {"table": table}})
    await user.open(f"/s/{session_id}/console?key={created.moderator_key}")
    await user.should_see("Tischrunde 1 von 2")

    user.find(marker="tables-choose-host").click()
    await user.should_see(marker="choose-host-dialog")
    # table 1 lists the two people sitting there: a name where given, else the pseudonym
    await user.should_see("Anna", marker=f"choose-host-t1-{anna}")
    await user.should_see("TN 2", marker=f"choose-host-t1-{unnamed}")
    await user.should_not_see(marker=f"choose-host-t1-{elsewhere}")  # sits at table 2
    await user.should_see("Bernd", marker=f"choose-host-t2-{elsewhere}")
    assert hosts(session_id) == [[], []]

    user.find(marker=f"choose-host-t1-{unnamed}").click()
    await user.should_see("TN 2 ist jetzt Gastgeber:in von „Herausforderungen“.")
    assert hosts(session_id) == [[str(unnamed)], []]
    user.find(marker="tables-choose-host").click()  # the list says who hosts now
    await user.should_see("TN 2 (Gastgeber:in)", marker=f"choose-host-t1-{unnamed}")


async def test_nobody_at_a_table_says_so(user: User) -> None:
    ctx = context.current()
    created = create_session(ctx, TABLES)
    lifecycle.open_step(ctx, created.session.steps[0].id)
    await user.open(f"/s/{created.session.id}/console?key={created.moderator_key}")
    user.find(marker="tables-choose-host").click()
    await user.should_see("Noch niemand an diesem Tisch.", marker="choose-host-none-t1")
    await user.should_see(marker="choose-host-none-t2")


async def test_theme_tables_offer_no_reveal_and_no_hide_a_hand_vote_does(user: User) -> None:
    ctx = context.current()
    created = create_session(ctx, TABLES, {"method": "hand_vote", "config": {"question": "Weiter so?"}})
    session_id = created.session.id
    tables_step, vote_step = (s.id for s in created.session.steps)
    lifecycle.open_step(ctx, tables_step)
    await user.open(f"/s/{session_id}/console?key={created.moderator_key}")
    await user.should_see("Tischrunde 1 von 2")
    await user.should_not_see(marker="reveal")
    await user.should_not_see(marker="hide")
    lifecycle.close_step(ctx, tables_step)
    await user.should_see(marker="open")  # the console followed the close ("Erneut öffnen")
    await user.should_not_see(marker="reveal")
    await user.should_not_see(marker="hide")

    lifecycle.open_step(ctx, vote_step)  # the same console with a method that reveals
    lifecycle.close_step(ctx, vote_step)
    await user.should_see(marker="reveal")
