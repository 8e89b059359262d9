"""Theme tables in the room: host links (derived, checked, ended with the console link), the
tablecloth photo (rights checked before anything is stored), the printable table sheets."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.i18n import translator
from facilitation import access, commands, contributions, lifecycle, live, protocol
from facilitation import theme_tables as tables_live
from facilitation.context import Context
from facilitation.round_rows import RoundRows
from facilitation.snapshots import Created
from methods.errors import NotAllowed, NotFound
from sessions import models
from tests.sessions.test_protocol import text_of

STEP = {"method": "theme_tables", "title": "Thementische", "config": {
    "tables": [{"title": "Herausforderungen", "question": "Wo drückt der Schuh?"}, {"title": "Visionen"}]}}


@pytest.fixture
def opened(ctx: Context, make_session: Callable[..., Created]) -> tuple[Created, int]:
    created = make_session(STEP, "hand_vote", title="Auftakt")
    step = created.session.steps[0].id
    lifecycle.open_step(ctx, step)
    return created, step


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 180, 150)).save(buffer, "JPEG")
    return buffer.getvalue()


def attachments(ctx: Context) -> int:
    with ctx.db.session() as orm:
        return int(orm.execute(select(func.count()).select_from(models.Attachment)).scalar_one())


def test_host_links_are_per_table_shown_again_unchanged_and_end_with_the_console_link(
        ctx: Context, opened: tuple[Created, int], participants: Callable[[Created, int], list[int]]) -> None:
    created, step = opened
    links = tables_live.host_links(ctx, created.session.id, step)
    assert [link.table for link in links] == ["t1", "t2"] and links[0].key != links[1].key
    assert tables_live.host_links(ctx, created.session.id, step) == links  # showing never changes them
    (person,) = participants(created, 1)
    with pytest.raises(NotAllowed):
        tables_live.claim(ctx, step, person, f"t1.{links[1].key}")  # table 2's key does not open table 1
    access.rotate_keys(ctx, created.session.id)  # "Konsole-Link ersetzen"
    with pytest.raises(NotAllowed):
        tables_live.claim(ctx, step, person, links[0].claim)
    fresh = tables_live.host_links(ctx, created.session.id, step)[0]
    assert fresh.key != links[0].key
    assert tables_live.claim(ctx, step, person, fresh.claim) == "t1"
    result = live.build_state(ctx, created.session.id).result
    assert result is not None and result["tables"][0]["hosts"] == [str(person)]
    with pytest.raises(NotFound):
        tables_live.claim(ctx, created.session.steps[1].id, person, fresh.claim)  # not a theme-tables step


def test_a_tablecloth_photo_needs_the_tables_host_and_is_checked_before_it_is_stored(
        ctx: Context, opened: tuple[Created, int], participants: Callable[[Created, int], list[int]]) -> None:
    created, step = opened
    guest, host = participants(created, 2)
    tables_live.claim(ctx, step, host, tables_live.host_links(ctx, created.session.id, step)[0].claim)
    with pytest.raises(NotAllowed):
        tables_live.add_table_photo(ctx, step, "t1", "decke.jpg", photo(), participant_id=guest)
    with pytest.raises(NotAllowed):
        tables_live.add_table_photo(ctx, step, "t2", "decke.jpg", photo(), participant_id=host)
    assert attachments(ctx) == 0  # refused before anything was stored
    stored = tables_live.add_table_photo(ctx, step, "t1", "decke.jpg", photo(), participant_id=host)
    by_moderator = tables_live.add_table_photo(ctx, step, "t2", "wand.jpg", photo())
    result = live.build_state(ctx, created.session.id).result
    assert result is not None
    assert [t["photos"] for t in result["tables"]] == [[stored], [by_moderator]]
    with ctx.db.session() as orm:
        names = [a.filename for a in orm.execute(select(models.Attachment)).scalars()]
    assert names == ["Herausforderungen: decke.jpg", "Visionen: wand.jpg"]  # the protocol's caption


def test_table_sheets_have_one_page_per_table_with_its_link(ctx: Context, opened: tuple[Created, int]) -> None:
    created, step = opened
    pdf = tables_live.table_sheets_pdf(ctx, created.session.id, step, "http://koffer.test/j/ABC123",
                                       translator("de"))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()
    pages = text.split("\f")
    assert "Herausforderungen" in pages[0] and "Wo drückt der Schuh?" in pages[0]
    assert "http://koffer.test/j/ABC123?table=t1" in pages[0]
    assert "http://koffer.test/j/ABC123?table=t2" in pages[1] and "Visionen" in pages[1]
    assert created.session.join_code in pages[0]
    assert len([p for p in pages if p.strip()]) == 2


def test_the_protocols_decisions_name_cards_by_their_wording_not_their_ids(
        ctx: Context, opened: tuple[Created, int], participants: Callable[..., list[int]]) -> None:
    created, step = opened
    person = participants(created, 1)[0]
    for text in ("Gewerbeflächen sind knapp", "Es fehlen Flächen"):
        contributions.submit(ctx, step, person, {"card": {"table": "t1", "text": text}})
    cards = [c["id"] for c in live.build_state(ctx, created.session.id).result["tables"][0]["cards"]]  # type: ignore[index]
    commands.run(ctx, created.session.id, step, "merge", {"cards": cards, "text": "Flächenmangel"})
    merged = live.build_state(ctx, created.session.id).result["tables"][0]["cards"][0]["id"]  # type: ignore[index]
    commands.run(ctx, created.session.id, step, "move", {"card": merged, "table": "t2"})
    lifecycle.close_step(ctx, step)

    text = text_of(protocol.build_pdf(ctx, created.session.id, translator("de")))
    assert "„Gewerbeflächen sind knapp“; „Es fehlen Flächen“" in text
    assert "„Flächenmangel“" in text and "Tisch: Visionen" in text
    assert not any(card_id in text for card_id in [*cards, merged])


def test_live_cards_are_folded_into_the_last_tally_and_equal_a_tally_from_scratch(
        ctx: Context, opened: tuple[Created, int], participants: Callable[[Created | int, int], list[int]]) -> None:
    """Issue 13: each new card adds itself to the kept tally (no replay of every card); a merge,
    a second copy of the same card (it replaces its slot) or a removal start from scratch. Every
    live result equals the stored tally of the same inputs."""
    created, step = opened
    session_id = created.session.id
    people = participants(created, 3)
    live.build_state(ctx, session_id)
    for n in range(6):
        contributions.submit(ctx, step, people[n % 3], {"card": {"table": "t1", "text": f"Karte {n}"}})
        live.build_state(ctx, session_id)
    assert ctx.tallies.folded == 6  # each card added to the last tally
    state = live.build_state(ctx, session_id)
    assert [c["text"] for c in state.result["tables"][0]["cards"]] == [f"Karte {n}" for n in range(6)]  # type: ignore[index]

    computed = ctx.tallies.computed
    contributions.submit(ctx, step, people[0], {"card": {"table": "t1", "text": "Karte 0"}})  # the same card again
    again = live.build_state(ctx, session_id)
    assert ctx.tallies.folded == 6 and ctx.tallies.computed == computed + 1  # replaced a slot: from scratch
    assert [c["text"] for c in again.result["tables"][0]["cards"]][-1] == "Karte 0"  # type: ignore[index]
    ids = [c["id"] for c in again.result["tables"][0]["cards"]]  # type: ignore[index]
    commands.run(ctx, session_id, step, "merge", {"cards": ids[:2], "text": "Zusammen"})
    merged = live.build_state(ctx, session_id)
    contributions.submit(ctx, step, people[1], {"card": {"table": "t2", "text": "Danach"}})
    after = live.build_state(ctx, session_id)
    assert ctx.tallies.folded == 7  # the card after the merge folds again
    lifecycle.close_step(ctx, step)  # the stored snapshot: a tally from scratch of the same inputs
    closed = live.build_state(ctx, session_id)
    assert closed.result == after.result and merged.result != after.result
    assert after.typed is not None and after.typed.model_dump(mode="json") == after.result


@pytest.mark.parametrize("and_a_new_one", [False, True])
def test_a_card_committed_late_under_a_lower_id_is_tallied_from_scratch(
        ctx: Context, opened: tuple[Created, int], participants: Callable[[Created | int, int], list[int]],
        and_a_new_one: bool) -> None:
    """On a database that may commit ids out of order (``RoundRows(incremental=False)``), a row can
    appear between rows already folded: the fold takes only rows after its last one, so it must
    start from scratch then, or the late card would never show."""
    ctx.round_rows = RoundRows(incremental=False)
    created, step = opened
    people = participants(created, 2)
    for n in range(4):
        contributions.submit(ctx, step, people[n % 2], {"card": {"table": "t1", "text": f"Karte {n}"}})
    with ctx.db.session() as orm:  # the second card "not yet committed": out of the table for now
        late = orm.execute(select(models.Contribution).order_by(models.Contribution.id)).scalars().all()[1]
        held_back = {c.name: getattr(late, c.name) for c in models.Contribution.__table__.columns}
        orm.delete(late)
        orm.commit()
    live.build_state(ctx, created.session.id)
    with ctx.db.session() as orm:  # ... now committed, under its lower id
        orm.add(models.Contribution(**held_back))
        orm.commit()
    if and_a_new_one:
        contributions.submit(ctx, step, people[0], {"card": {"table": "t1", "text": "Neu"}})
    state = live.build_state(ctx, created.session.id)
    texts = [c["text"] for c in state.result["tables"][0]["cards"]]  # type: ignore[index]
    assert texts == ["Karte 0", "Karte 1", "Karte 2", "Karte 3", *(["Neu"] if and_a_new_one else [])]


def test_a_new_card_reuses_the_json_of_the_cards_before_it(
        ctx: Context, opened: tuple[Created, int], participants: Callable[[Created | int, int], list[int]]) -> None:
    """Issue 13: each card's JSON is made once (``Fold.dump``); a delivery after a new card shares
    the other cards' dicts with the one before, so its cost does not grow with the boards. The
    result still equals a dump of the typed result."""
    created, step = opened
    people = participants(created, 2)
    for n in range(3):
        contributions.submit(ctx, step, people[n % 2], {"card": {"table": "t1", "text": f"Karte {n}"}})
    before = live.build_state(ctx, created.session.id)
    contributions.submit(ctx, step, people[0], {"card": {"table": "t1", "text": "Neu"}})
    after = live.build_state(ctx, created.session.id)
    old, new = before.result["tables"][0]["cards"], after.result["tables"][0]["cards"]  # type: ignore[index]
    assert all(a is b for a, b in zip(old, new, strict=False)) and len(new) == len(old) + 1
    assert after.typed is not None and after.typed.model_dump(mode="json") == after.result
