"""Theme tables through the real pages, driving the phone component's own protocol (``submit`` →
``ack``, ``command`` → ``done``, ``claim``): a phone sits down, pins a card and sees it on its
table's board; a phone at another table is sent nothing of it; the console's boards get the card;
a host link makes a host whose merge reaches every board; a guest's attempt is refused; the next
round tells a phone where to go."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import re
from typing import Any

from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction
from PIL import Image

from app.views.base import PhoneHost, PhoneView
from app.views.theme_tables import TablesBoard, boards_json
from facilitation import agenda, commands, context, lifecycle, live, organize
from facilitation import theme_tables as tables_live
from facilitation.snapshots import Created
from tests.app.boards import Held
from tests.app.phones import Phone, until

DONE = re.compile(r'^return runMethod\((\d+), "done", (.*)\)$', re.S)

AGENDA: dict[str, Any] = {
    "format": "moderationskoffer/agenda@1", "title": "Auftakt", "names": "none",
    "steps": [{"method": "theme_tables", "title": "Thementische", "config": {
        "rounds": 2, "seating": "free",
        "tables": [{"title": "Herausforderungen", "question": "Wo drückt der Schuh?",
                    "prompts": ["Flächen", "Fachkräfte"], "cards": ["Gewerbeflächen sind knapp"]},
                   {"title": "Visionen", "prompts": ["Innenstadt"]}],
    }}],
}


class TablePhone(Phone):
    """A phone that also hears the host actions' answers (``done``)."""

    def __init__(self, user: User) -> None:
        super().__init__(user)
        self.done: dict[int, bool] = {}
        client = user.client
        assert client is not None
        forward = client.outbox._emit  # noqa: SLF001

        async def capture(message: Any) -> None:
            await forward(message)
            _, kind, data = message
            match = DONE.match(data.get("code", "")) if kind == "run_javascript" else None
            if match:
                seq, ok = json.loads(match.group(2))
                self.done[seq] = ok

        client.outbox._emit = capture  # type: ignore[method-assign]  # noqa: SLF001

    async def wait_view(self) -> PhoneView:
        view = await super().wait_view()
        client = self.user.client
        assert client is not None
        self.held = Held(client, view, "board")
        return view

    @property
    def board(self) -> dict[str, Any]:
        """The board as the browser holds it (the full prop, then the deltas merged)."""
        return self.held.value

    def cards(self) -> list[str]:
        return [c["text"] for c in self.board.get("cards", [])]

    def emit(self, event: str, args: dict[str, Any]) -> None:
        view = self.shown
        UserInteraction(self.user, {self.view.host}, PhoneHost).trigger(
            event, {"step": view["step"], "round": view["round"], **args})

    async def command(self, name: str, payload: dict[str, Any]) -> bool:
        self.seq += 1
        seq = self.seq
        self.emit("command", {"seq": seq, "name": name, "payload": payload})
        for _ in range(100):
            if seq in self.done:
                return self.done[seq]
            await asyncio.sleep(0.02)
        raise AssertionError(f"no answer to command {seq}")


async def opened(user: User) -> tuple[Created, Held]:
    """The agenda's session with its theme tables open, and its console's boards as held."""
    created = organize.create_session(context.current(), agenda.parse(AGENDA))
    lifecycle.open_step(context.current(), created.session.steps[0].id)
    await user.open(f"/s/{created.session.id}/console?key={created.moderator_key}")
    await user.should_see("Tischrunde 1 von 2")
    return created, console_held(user)


def console_held(user: User) -> Held:
    """The console's boards as its browser holds them from now on."""
    boards = [e for e in user.find(TablesBoard).elements]
    assert len(boards) == 1 and user.client is not None
    return Held(user.client, boards[0], "boards")


def console_cards(console: Held, table: int) -> list[str]:
    tables = console.value.get("tables", [])
    return [c["text"] for c in tables[table]["cards"]] if tables else []


async def test_phones_sit_write_and_see_their_table_live_and_the_console_gets_every_card(
        user: User, create_user: Any) -> None:
    ctx = context.current()
    created, console = await opened(user)
    session_id, step_id = created.session.id, created.session.steps[0].id

    phones = []
    for _ in range(2):
        other = create_user()
        await other.open(f"/j/{created.session.join_code}")
        phone = TablePhone(other)
        await phone.wait_view()
        phones.append(phone)
    first, second = phones
    assert [t["title"] for t in first.shown["tables"]] == ["Herausforderungen", "Visionen"]
    assert first.mine["choose"] is True and first.mine["table"] is None
    assert first.board == {}  # no table yet, no cards sent

    ok, mine = await first.send({"seat": {"table": "t1"}})
    assert ok is True and mine["table"] == "t1" and mine["choose"] is False
    ok, _ = await second.send({"seat": {"table": "t2"}})
    assert ok is True
    await until(lambda: first.cards() == ["Gewerbeflächen sind knapp"])
    assert first.cards() == ["Gewerbeflächen sind knapp"]
    await until(lambda: second.board.get("id") == "t2")
    sizes_of_second = list(second.held.sizes)

    ok, _ = await first.send({"card": {"table": "t1", "text": "   "}})
    assert ok is False  # refused with a message; nothing stored
    ok, _ = await first.send({"card": {"table": "t1", "text": "Fachkräfte fehlen", "prompt": "p2"}})
    assert ok is True
    await until(lambda: "Fachkräfte fehlen" in first.cards())
    assert first.cards() == ["Gewerbeflächen sind knapp", "Fachkräfte fehlen"]
    assert second.held.sizes == sizes_of_second  # another table's card sends it nothing
    await until(lambda: "Fachkräfte fehlen" in console_cards(console, 0))
    assert console_cards(console, 0) == ["Gewerbeflächen sind knapp", "Fachkräfte fehlen"]
    assert console.value["tables"][0]["seated"] == 1
    # the count says what the room wrote: the prepared card is on the board, but no one here wrote
    # it ("2 Karten von 1 Person" read as if somebody had written two)
    await user.should_see("1 Karte von 1 Person ")

    # a guest cannot change cards: the command is refused and nothing is decided
    card_id = first.board["cards"][1]["id"]
    assert await first.command("edit", {"card": card_id, "text": "anders"}) is False
    assert first.cards()[1] == "Fachkräfte fehlen"

    # the host link: the second phone becomes host of table 1 and merges the two cards
    link = next(x for x in tables_live.host_links(ctx, session_id, step_id) if x.table == "t1")
    second.emit("claim", {"host": link.claim})
    await until(lambda: second.mine.get("host") == "t1")
    assert second.mine["table"] == "t1"  # a host sits at their table
    await until(lambda: len(second.cards()) == 2)
    ids = [c["id"] for c in second.board["cards"]]
    assert await second.command("merge", {"cards": ids}) is True
    await until(lambda: len(first.cards()) == 1)
    assert first.board["cards"][0]["merged"] == 2
    await until(lambda: len(console_cards(console, 0)) == 1)
    assert console.value["tables"][0]["cards"][0]["merged"] == ["Gewerbeflächen sind knapp",
                                                                      "Fachkräfte fehlen"]
    assert await second.command("summary", {"table": "t1", "text": "Flächen und Fachkräfte"}) is True

    # the host's tablecloth photo, made smaller by the phone and checked again on the server
    picture = io.BytesIO()
    Image.new("RGB", (120, 90), (210, 190, 160)).save(picture, "JPEG")
    second.seq += 1
    second.emit("photo", {"seq": second.seq, "table": "t1",
                          "data": "data:image/jpeg;base64," + base64.b64encode(picture.getvalue()).decode()})
    await until(lambda: second.seq in second.done, 5)
    assert second.done[second.seq] is True
    second.seq += 1
    second.emit("photo", {"seq": second.seq, "table": "t1", "data": "data:image/jpeg;base64,bm90IGFuIGltYWdl"})
    await until(lambda: second.seq in second.done, 5)
    assert second.done[second.seq] is False  # not an image: refused, nothing linked
    assert len(live.build_state(ctx, session_id).result["tables"][0]["photos"]) == 1  # type: ignore[index]

    # the next round: the guest is asked for a new table and reads the host's summary there —
    # in what its browser was sent, not only on the server (the new seat and round came alone,
    # with no other prop of the phone changed, and were held back: the phone stayed in round 1)
    assert first.user.client is not None
    browser_mine = Held(first.user.client, first.view, "mine")
    commands.run(ctx, session_id, step_id, "next_round", {})
    await until(lambda: browser_mine.value.get("round") == 2)
    assert browser_mine.value["choose"] is True
    await until(lambda: first.mine.get("round") == 2)
    assert first.mine["choose"] is True and first.mine["table"] == "t1"
    await user.should_see("Tischrunde 2 von 2")
    ok, _ = await first.send({"seat": {"table": "t1"}})
    assert ok is True
    await until(lambda: first.board.get("summary") == "Flächen und Fachkräfte")
    assert first.mine["choose"] is False


async def test_a_new_card_costs_the_console_and_the_tables_phones_the_same_whatever_is_on_the_boards(
        user: User, create_user: Any) -> None:
    """Issue 13: each delivery used to send every card again (the console all boards, each phone
    its whole table). Now it sends the change: the message for the 61st card is no larger than
    for the 2nd, and what the browsers hold is still every card, in order."""
    created, console = await opened(user)
    other = create_user()
    await other.open(f"/j/{created.session.join_code}")
    phone = TablePhone(other)
    await phone.wait_view()
    assert (await phone.send({"seat": {"table": "t1"}}))[0] is True
    await until(lambda: len(phone.cards()) == 1)

    async def pin(n: int) -> tuple[int, int]:
        """Pins card ``n`` (texts of one length) and returns the bytes console and phone were sent for it."""
        console_before, phone_before = len(console.sizes), len(phone.held.sizes)
        assert (await phone.send({"card": {"table": "t1", "text": f"Karte Nummer {n:03d}", "prompt": "p1"}}))[0]
        await until(lambda: f"Karte Nummer {n:03d}" in console_cards(console, 0)
                    and f"Karte Nummer {n:03d}" in phone.cards())
        return sum(console.sizes[console_before:]), sum(phone.held.sizes[phone_before:])

    early = await pin(1)
    for n in range(2, 61):
        await pin(n)
    late = await pin(61)
    assert 0 < late[0] <= early[0] + 20 and 0 < late[1] <= early[1] + 20, (early, late)
    expected = ["Gewerbeflächen sind knapp"] + [f"Karte Nummer {n:03d}" for n in range(1, 62)]
    assert console_cards(console, 0) == expected and phone.cards() == expected
    full = len(json.dumps(console.value))
    assert late[0] * 20 < full  # the whole boards would be twenty times more


async def test_a_card_reaches_the_console_before_any_state_is_built_and_is_sent_once(
        user: User, create_user: Any) -> None:
    """Issue 13: a card waited for the room's full delivery (the build of the whole state, and
    the hub's spacing after the card before it): p95 53 ms against a single vote's 16 ms. Now the
    commit's news put it on the console's board before any state is built; the delivery that
    follows finds it held and sends nothing more for it; and whatever arrives in whatever order,
    the boards the browser holds are the state's boards."""
    ctx = context.current()
    created, console = await opened(user)
    session_id = created.session.id
    phones = []
    for table in ("t1", "t1", "t2"):
        other = create_user()
        await other.open(f"/j/{created.session.join_code}")
        phone = TablePhone(other)
        await phone.wait_view()
        assert (await phone.send({"seat": {"table": table}}))[0] is True
        phones.append(phone)
    await until(lambda: [t["seated"] for t in console.value["tables"]] == [2, 1])
    await asyncio.sleep(0.3)  # the room is quiet

    enqueued: list[tuple[int, str]] = []  # (full deliveries so far, the message) for each message to the console
    assert user.client is not None
    outbox = user.client.outbox
    forward = outbox.enqueue_message

    def spy(kind: str, data: Any, target: Any) -> None:
        enqueued.append((ctx.hub.deliveries, json.dumps(data, ensure_ascii=False)))
        forward(kind, data, target)

    outbox.enqueue_message = spy  # type: ignore[method-assign]
    before = ctx.hub.deliveries
    assert (await phones[0].send({"card": {"table": "t1", "text": "Fachkräfte fehlen", "prompt": "p2"}}))[0]
    await until(lambda: ctx.hub.deliveries > before and "Fachkräfte fehlen" in console_cards(console, 0))
    await asyncio.sleep(0.3)  # the delivery after it, and any later one
    carrying = [deliveries for deliveries, message in enqueued if "Fachkräfte fehlen" in message]
    assert carrying == [before], enqueued  # told before any state was built, and only once
    assert console_cards(console, 0) == ["Gewerbeflächen sind knapp", "Fachkräfte fehlen"]

    # three phones at once, one of them sending the same card again (one card, moved to the end)
    async def write(phone: TablePhone, table: str, texts: list[str]) -> None:
        for text in texts:
            assert (await phone.send({"card": {"table": table, "text": text, "prompt": "p2" if table == "t1" else None}}))[0]

    await asyncio.gather(write(phones[0], "t1", ["Mieten steigen", "Fachkräfte fehlen"]),
                         write(phones[1], "t1", ["Zu wenig Kitas", "Leerstand"]),
                         write(phones[2], "t2", ["Grüne Innenstadt", "Mehr Radwege"]))
    await asyncio.sleep(0.3)
    state = live.build_state(ctx, session_id)
    assert state.result is not None
    assert console.value == boards_json(state.result)
    assert sorted(console_cards(console, 0)) == sorted(
        ["Gewerbeflächen sind knapp", "Fachkräfte fehlen", "Mieten steigen", "Zu wenig Kitas", "Leerstand"])
