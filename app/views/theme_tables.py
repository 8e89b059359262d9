"""Theme tables views: each phone at its table, all tables side by side on the console.

The phone shows its own table only: its question and prompts, the card form, the table's cards
live, the host's summary of the round before and, on rotation, where to go. Its props are the
shared ``view`` (all tables, texts), ``mine`` (this participant's seat, round and host role,
computed from the live result) and ``board``: the JSON of the one table it sits at, built once per
delivery and table and shared by every phone at that table, so a card written at table 1 sends
nothing to the phones at tables 2 to 4. A host's phone additionally edits, merges, splits and
moves its table's cards and writes the summary (``command`` events, checked on the server by
``methods.theme_tables.may_run``).

The console is one browser-side component (``theme_tables_board.js``): all boards side by side,
cards as sticky notes grouped by prompt or category, new cards patched into place by Vue, one
table enlarged for the harvest; the moderator taps cards to merge, split, edit or move them.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import itertools
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nicegui import events, ui

from app.filenames import download_name
from app.i18n import error_text, t, translator
from app.pages.common import file_button, guarded
from app.pages.links import copy_button
from app.qr import svg_data_url
from app.runtime import runtime
from app.views.base import ConsoleView, MethodViews, PhoneView, SharedByStep, compact, step_key, texts
from app.views.theme_tables_deltas import Held, diff, held
from facilitation import commands, context, lifecycle, live, photos
from facilitation import theme_tables as tables_live
from facilitation.snapshots import LiveState, StepInfo, StoredInput
from methods.errors import InvalidContribution, KofferError
from methods.theme_tables import MAX_CARD, MAX_SUMMARY, Result, card_id, seat_of

PHONE_TEXTS = (
    "theme_tables.your_table", "theme_tables.choose", "theme_tables.choose_new", "theme_tables.change_table",
    "theme_tables.assigning", "theme_tables.go_to", "theme_tables.summary_before", "theme_tables.card_placeholder",
    "theme_tables.pin", "theme_tables.cards_none", "theme_tables.prompt_none", "theme_tables.category",
    "theme_tables.mine", "theme_tables.host_you", "theme_tables.edit", "theme_tables.save", "theme_tables.cancel",
    "theme_tables.merge", "theme_tables.merge_pick", "theme_tables.split", "theme_tables.move",
    "theme_tables.move_prompt", "theme_tables.move_table", "theme_tables.summary_write", "theme_tables.summary_save",
    "theme_tables.merged_from", "theme_tables.photo", "theme_tables.photo_saved", "theme_tables.stay",
    "theme_tables.cards_heading",
)


def _phone_view(step: StepInfo, lang: str) -> dict[str, Any]:
    config = step.config
    return {
        "title": step.title,
        "question": "",  # each table has its own: the component shows the phone's table's
        "step": step.id,
        "round": step.round,
        "round_text": "",
        "seating": config.seating,
        "max": MAX_CARD,
        "max_summary": MAX_SUMMARY,
        "tables": [{"id": tb.id, "title": tb.title, "question": tb.question,
                    "prompts": [{"id": p.id, "label": p.label} for p in tb.prompts]} for tb in config.tables],
        "categories": [{"id": c.id, "label": c.label} for c in config.categories],
    }


def _typed(state: LiveState) -> Result | None:
    return state.typed if isinstance(state.typed, Result) else None


def phone_card(card: dict[str, Any]) -> dict[str, Any]:
    """A card (from the raw result) as a phone shows it."""
    return {"id": card["id"], "text": card["text"], "prompt": card.get("prompt"), "category": card.get("category"),
            "merged": len(card.get("merged_from") or ())}


def phone_meta(table: dict[str, Any], round_: int) -> dict[str, Any]:
    """A table's summaries as its phones show them: the latest of an earlier round (what the host
    told the newcomers); the host also sees this round's summary to edit it."""
    earlier = [r for r in table["rounds"] if r["round"] < round_ and r["summary"]]
    return {"summary": earlier[-1]["summary"] if earlier else "",
            "summary_round": earlier[-1]["round"] if earlier else 0,
            "current_summary": next((r["summary"] for r in table["rounds"] if r["round"] == round_), "")}


def board_json(table: dict[str, Any], round_: int) -> dict[str, Any]:
    """One table as its phones show it (the full board: with the page, or when a delta cannot say it)."""
    return {"id": table["id"], **phone_meta(table, round_), "cards": [phone_card(c) for c in table["cards"]]}


def _raw_table(state: LiveState, table_id: str) -> dict[str, Any] | None:
    result = state.result
    if not isinstance(result, dict):
        return None
    return next((tb for tb in result.get("tables", ()) if tb.get("id") == table_id), None)


@dataclass
class TableFeed:
    """One table's cards as its phones were last sent them, shared by every phone at the table.

    ``rev`` names this state of the table (unique across feeds, so a feed made again after it was
    dropped never matches what a phone holds from the old one); ``delta`` is the JSON of the last
    change (``base`` → ``rev``), sent to each phone that holds ``base`` — its size is that of the
    change, not of the table. A phone that holds anything else (it just sat down, it missed a
    delivery) gets ``full()``."""

    state: weakref.ref[LiveState]
    """The delivery it was brought to (weakly: a feed of an ended session keeps no state alive)."""
    table: dict[str, Any]
    rev: int
    held: Held
    meta: dict[str, Any]
    base: int | None = None
    delta: str | None = None
    _full: str | None = None

    def full(self) -> str:
        if self._full is None:
            self._full = compact(board_json(self.table, self.meta["round"]))
        return self._full


FEEDS_KEPT = 64
REVISIONS = itertools.count(1)
"""(step, table) feeds kept (a server runs a few sessions with a few tables each)."""


class TablesPhone(PhoneView, component="theme_tables.js", dependencies=["theme_tables_deltas.js"]):
    """My table, its question and prompts, the card form, the table's cards; hosts' tools."""

    VIEW = SharedByStep(_phone_view, step_key)
    TEXT_KEYS = PHONE_TEXTS
    EXTRA_PROPS = ("board",)
    EVENTS = ("submit", "command", "claim", "photo")
    LIVE_MINE = True  # a new round, an assigned table or host role come from others' actions
    _feeds: dict[tuple[int, str], TableFeed] = {}
    """Per (step, table): what its phones were last sent (shared by all phones at the table)."""

    @classmethod
    def phone_texts(cls, lang: str) -> dict[str, str]:
        return {**texts(lang, *cls.TEXT_KEYS),
                "round_of": t("theme_tables.round_of", lang, round="{round}", rounds="{rounds}")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._holds: tuple[tuple[int, str], int] | None = None
        """The (step, table) feed and its revision this phone's browser holds."""
        self.on("command", self._on_command)
        self.on("claim", self._on_claim)
        self.on("photo", self._on_photo)

    def describe(self, step: StepInfo, lang: str) -> str:
        return self.VIEW(step, lang)

    def committed(self, step: StepInfo, mine: dict[str, Any]) -> dict[str, Any]:
        return {"participant": str(self.participant)}

    def merged(self, current: Any, payload: dict[str, Any]) -> dict[str, Any]:
        """A seat is known the moment it is committed (the ack says it before the next delivery)."""
        mine = dict(current or {})
        seat = payload.get("seat")
        if isinstance(seat, dict) and isinstance(seat.get("table"), str):
            mine.update({"table": seat["table"], "choose": False, "moved": False})
        return mine

    def _live(self, state: LiveState) -> dict[str, Any]:
        live_props = super()._live(state)
        mine = self._me(state)
        self.mine = mine
        live_props["mine"] = compact(mine)
        table = mine.get("table")
        raw = _raw_table(state, table) if isinstance(table, str) and state.step is not None else None
        if raw is None or state.step is None:
            live_props["board"] = ""
            self._holds = None
            return live_props
        key = (state.step.id, raw["id"])
        feed = self._feed(state, key, raw)
        full_pending = self.is_deleted or self.id in self.client.outbox.updates
        if self._holds == (key, feed.rev) and not full_pending:
            pass  # a card at another table: this phone is sent nothing
        elif self._holds == (key, feed.base) and feed.delta is not None and not full_pending:
            self._calls.append(f'runMethod({self.id},"apply",[{feed.delta}])')
        else:
            live_props["board"] = feed.full()
        self._holds = (key, feed.rev)
        return live_props

    def _me(self, state: LiveState) -> dict[str, Any]:
        """This phone's seat, round and role (``seat_of``: the tables are in ``view``, the cards
        in ``board``); cheap, since every phone computes it on every delivery."""
        me = str(self.participant)
        result = _typed(state)
        return {"participant": me, **(seat_of(result, me) if result is not None else {})}

    @classmethod
    def _feed(cls, state: LiveState, key: tuple[int, str], table: dict[str, Any]) -> TableFeed:
        """The table's feed brought to ``state``: once per delivery and table, whatever the phones."""
        feed = cls._feeds.get(key)
        if feed is not None and feed.state() is state:
            return feed
        result = state.result or {}
        meta = {**phone_meta(table, int(result.get("round", 1))), "round": int(result.get("round", 1))}
        cards = held(table["cards"])
        if feed is None:
            feed = TableFeed(weakref.ref(state), table, next(REVISIONS), cards, meta)
        else:
            change = {k: v for k, v in meta.items() if feed.meta.get(k) != v and k != "round"}
            cards_delta = diff(feed.held, cards, phone_card)
            if cards_delta == {} and not change and meta == feed.meta:
                feed.state, feed.table = weakref.ref(state), table  # nothing this table's phones show changed
                return feed
            entry: dict[str, Any] = {"id": table["id"], **change}
            if cards_delta is None:
                entry["all"] = [phone_card(c) for c in table["cards"]]
            elif cards_delta:
                entry["cards"] = cards_delta
            feed = TableFeed(weakref.ref(state), table, next(REVISIONS), cards, meta, feed.rev, compact(entry))
        cls._feeds.pop(key, None)  # re-inserted: the dict's order is the age
        cls._feeds[key] = feed
        while len(cls._feeds) > FEEDS_KEPT:
            del cls._feeds[next(iter(cls._feeds))]
        return feed

    # --- a host's actions -------------------------------------------------------------------
    def _reply(self, seq: int, ok: bool) -> None:
        code = f'return runMethod({self.id}, "done", {compact([seq, ok])})'
        self.client.outbox.enqueue_message("run_javascript", {"code": code}, self.client.id)

    def _shown(self, args: dict[str, Any]) -> StepInfo | None:
        step = self.step
        if step is None or (args.get("step"), args.get("round")) != (step.id, step.round):
            ui.notify(t("phone.stale", self.lang), type="warning", position="top")
            return None
        return step

    def _refused(self, exc: KofferError) -> None:
        ui.notify(error_text(exc, self.lang), type="negative", position="top", multi_line=True)

    def _on_command(self, e: events.GenericEventArguments) -> None:
        args = e.args if isinstance(e.args, dict) else {}
        seq, name, payload = args.get("seq"), args.get("name"), args.get("payload")
        if not isinstance(seq, int) or not isinstance(name, str) or self.participant is None:
            return
        step = self._shown(args)
        if step is None:
            self._reply(seq, False)
            return
        try:
            tables_live.host_command(context.current(), step.id, self.participant, name, payload)
        except KofferError as exc:
            self._refused(exc)
            self._reply(seq, False)
            return
        self._reply(seq, True)

    def _on_claim(self, e: events.GenericEventArguments) -> None:
        args = e.args if isinstance(e.args, dict) else {}
        host = args.get("host")
        step = self._shown(args)
        if step is None or not isinstance(host, str) or self.participant is None:
            return
        try:
            table = tables_live.claim(context.current(), step.id, self.participant, host[:120])
        except KofferError as exc:
            self._refused(exc)
            return
        if table is not None:
            title = next((tb.title for tb in step.config.tables if tb.id == table), table)
            ui.notify(t("theme_tables.host_welcome", self.lang, table=title), type="positive", position="top")

    async def _on_photo(self, e: events.GenericEventArguments) -> None:
        """The host's photo of the tablecloth: downscaled in the browser (a socket message stays
        under 1 MB), checked and re-encoded on the server like every upload."""
        args = e.args if isinstance(e.args, dict) else {}
        seq, data = args.get("seq"), args.get("data")
        step = self._shown(args)
        if not isinstance(seq, int) or step is None or self.participant is None:
            return
        try:
            if not isinstance(data, str) or "," not in data:
                raise InvalidContribution("photo_bad_type")
            raw = base64.b64decode(data.split(",", 1)[1], validate=True)
            table = str(args.get("table", ""))
            await asyncio.to_thread(tables_live.add_table_photo, context.current(), step.id, table,
                                    "foto.jpg", raw, self.participant)
        except (binascii.Error, ValueError):
            self._refused(InvalidContribution("photo_bad_type"))
            self._reply(seq, False)
            return
        except KofferError as exc:
            self._refused(exc)
            self._reply(seq, False)
            return
        ui.notify(t("theme_tables.photo_saved", self.lang), type="positive", position="top")
        self._reply(seq, True)


# --- console ----------------------------------------------------------------------------------------


class TablesBoard(ui.element, component="theme_tables_board.js", dependencies=["theme_tables_deltas.js"]):
    """All tables as pinboards (one element; Vue patches new cards into place)."""

    def __init__(self, view: str, controls: bool) -> None:
        super().__init__()
        with self._props.suspend_updates():
            self._props.update({"view": view, "boards": "", "controls": controls})


def _console_view(step: StepInfo, lang: str) -> dict[str, Any]:
    config = step.config
    return {
        "step": step.id,
        "group_by": config.group_by,
        "categories": [{"id": c.id, "label": c.label} for c in config.categories],
        "tables": [{"id": tb.id, "title": tb.title,
                    "prompts": [{"id": p.id, "label": p.label} for p in tb.prompts]} for tb in config.tables],
        "texts": {key.split(".", 1)[1]: t(key, lang) for key in (
            "theme_tables.board.cards", "theme_tables.board.people", "theme_tables.board.host",
            "theme_tables.board.no_prompt", "theme_tables.board.no_category", "theme_tables.board.empty",
            "theme_tables.board.selected", "theme_tables.merge", "theme_tables.split", "theme_tables.edit",
            "theme_tables.move", "theme_tables.cancel", "theme_tables.save", "theme_tables.board.enlarge",
            "theme_tables.board.overview", "theme_tables.board.by_prompt", "theme_tables.board.by_category",
            "theme_tables.move_table", "theme_tables.move_prompt", "theme_tables.category",
            "theme_tables.merged_from", "theme_tables.board.summary", "theme_tables.board.edited")},
    }


CONSOLE_VIEW = SharedByStep(_console_view, step_key)


def console_card(card: dict[str, Any]) -> dict[str, Any]:
    """A card (from the raw result) as the console shows it, originals of a merged card included."""
    return {"id": card["id"], "text": card["text"], "prompt": card.get("prompt"), "category": card.get("category"),
            "edited": card.get("edited_from") is not None, "merged": [o["text"] for o in card.get("merged_from") or ()]}


def console_meta(table: dict[str, Any]) -> dict[str, Any]:
    return {"seated": table["seated"], "hosts": len(table["hosts"]),
            "summary": next((r["summary"] for r in reversed(table["rounds"]) if r["summary"]), "")}


def boards_json(result: dict[str, Any]) -> dict[str, Any]:
    """Every table with its cards for the console (the full boards: with the page)."""
    return {"round": result["round"], "focus": result.get("focus"),
            "tables": [{"id": tb["id"], "cards": [console_card(c) for c in tb["cards"]], **console_meta(tb)}
                       for tb in result["tables"]]}


class TablesConsole(ConsoleView):
    """The boards (always shown: they are the work surface, not a hidden result), the round,
    and for the moderator the round timer and the hosts' links."""

    wide = True

    def build(self) -> None:
        lang = self.lang
        self.hidden.set_visibility(False)
        with ui.row().classes("w-full items-center gap-x-6"):
            self.round = ui.label("").classes("text-2xl font-semibold text-primary").mark("tables-round")
            if self.controls:
                minutes = self.step.config.round_minutes
                ui.button(t("theme_tables.timer", lang, minutes=minutes), icon="timer",
                          on_click=lambda: self._round_timer(minutes)).props("outline").mark("tables-timer")
                ui.button(t("theme_tables.host_links", lang), icon="key", on_click=self._host_links) \
                    .props("outline").mark("tables-host-links")
                ui.button(t("theme_tables.choose_host", lang), icon="person_pin", on_click=self._choose_host) \
                    .props("outline").mark("tables-choose-host")
                ui.button(t("theme_tables.photo_table", lang), icon="photo_camera", on_click=self._photo) \
                    .props("outline").mark("tables-photo")
                ui.button(t("theme_tables.sheets", lang), icon="print", on_click=self._sheets) \
                    .props("outline").mark("tables-sheets")
        self.board = TablesBoard(CONSOLE_VIEW(self.step, lang), self.controls).classes("w-full").mark("tables-board")
        self.board.on("command", self._command)
        self._tables: dict[str, tuple[Held, dict[str, Any]]] | None = None
        """Per table, the cards and counts the board's browser holds (None: nothing sent yet)."""
        self._told: dict[str, tuple[str, dict[str, Any]]] = {}
        """Cards put on the board from news since the last delivery: id → (table, as shown)."""
        self._top: dict[str, Any] = {}
        self.session_id: int | None = None

    def count_text(self, state: LiveState) -> str:
        result = _typed(state)
        if result is None:
            return ""
        # what the room wrote (prepared cards are on the boards, but nobody here wrote them)
        return t("theme_tables.count", self.lang, cards=result.written, writers=result.writers, total=state.participants)

    def update(self, state: LiveState) -> None:
        super().update(state)
        self.hidden.set_visibility(False)  # the boards are the work surface: never "verdeckt"

    def show(self, state: LiveState, visible: bool) -> None:
        self.session_id = state.session.id
        result = _typed(state)
        if result is None:
            return
        self.round.set_text(t("theme_tables.round_of", self.lang, round=result.round, rounds=result.rounds))
        raw: dict[str, Any] = state.result or {}
        tables = {tb["id"]: (held(tb["cards"]), console_meta(tb)) for tb in raw.get("tables", ())}
        top = {"round": raw.get("round"), "focus": raw.get("focus")}
        board = self.board
        self._reconcile(tables)
        if self._tables is None or board.is_deleted or board.id in board.client.outbox.updates:
            # the page (or a full update of the board on its way): every card, in the props
            board.props["boards"] = compact(boards_json(raw))
            board.update()
        else:
            delta = self._delta(tables, top)
            if delta:  # the change only: its size does not grow with the cards already there
                code = f'return runMethod({board.id}, "apply", {compact([delta])})'
                board.client.outbox.enqueue_message("run_javascript", {"code": code}, board.client.id)
        self._tables, self._top = tables, top

    def news(self, inputs: Sequence[StoredInput]) -> bool:
        """Cards just stored go onto their boards at once, as a delta of those cards: no state is
        built, so a card reaches the wall as fast as a vote's count (issue 13). The boards' counts
        of cards follow from the cards; the room's count line comes with the next delivery, which
        finds these cards held (:meth:`_reconcile`) and sends nothing more for them."""
        board = self.board
        if self._tables is None or board.is_deleted or board.id in board.client.outbox.updates:
            return False  # the full boards are on their way with the next delivery
        puts: dict[str, list[list[Any]]] = {}
        for item in inputs:
            made = card_id(str(item.participant_id), item.key) if item.step_id == self.step.id else None
            value = item.value if isinstance(item.value, dict) else {}
            table = value.get("table")
            if made is None or not isinstance(table, str) or table not in self._tables:
                continue
            cards = self._tables[table][0]
            if any(held_id == made for held_id, _ in cards):
                continue  # a delivery showed it already (or the same card sent again: it corrects the order)
            raw = {"id": made, "text": value.get("text", ""), "prompt": value.get("prompt"),
                   "category": value.get("category")}
            shown = console_card(raw)
            puts.setdefault(table, []).append([len(cards), shown])
            cards.append((made, raw))
            self._told[made] = (table, shown)
        if not puts:
            return False
        delta = {"tables": [{"id": table, "cards": {"remove": [], "put": put}} for table, put in puts.items()]}
        code = f'return runMethod({board.id}, "apply", {compact([delta])})'
        board.client.outbox.enqueue_message("run_javascript", {"code": code}, board.client.id)
        return True

    def _reconcile(self, tables: dict[str, tuple[Held, dict[str, Any]]]) -> None:
        """Hold each card told as news as the delivery has it, where it looks the same on the
        board: the delta then sees it unchanged (by pointer, like every other card held) instead
        of sending it again; one that differs is corrected by the delta."""
        told, self._told = self._told, {}
        if not told or self._tables is None:
            return
        by_id: dict[str, dict[str, Any]] = {}
        for made, (table, shown) in told.items():
            now = tables.get(table)
            if now is None:
                continue
            if table not in by_id:
                by_id[table] = dict(now[0])
            raw = by_id[table].get(made)
            if raw is None or console_card(raw) != shown:
                continue
            cards = self._tables[table][0]
            for k in range(len(cards) - 1, -1, -1):  # a card told as news is near the end
                if cards[k][0] == made:
                    cards[k] = (made, raw)
                    break

    def _delta(self, tables: dict[str, tuple[Held, dict[str, Any]]], top: dict[str, Any]) -> dict[str, Any]:
        """What changed since the last delivery, table by table (see app/views/theme_tables_deltas.py)."""
        before = self._tables or {}
        out: dict[str, Any] = {k: v for k, v in top.items() if self._top.get(k) != v}
        changed = []
        for table_id, (cards, meta) in tables.items():
            old_cards, old_meta = before.get(table_id, ([], {}))
            entry: dict[str, Any] = {k: v for k, v in meta.items() if old_meta.get(k) != v}
            cards_delta = diff(old_cards, cards, console_card)
            if cards_delta is None:
                entry["all"] = [console_card(c) for _, c in cards]
            elif cards_delta:
                entry["cards"] = cards_delta
            if entry:
                changed.append({"id": table_id, **entry})
        if changed:
            out["tables"] = changed
        return out

    # --- the moderator's actions ------------------------------------------------------------
    def _command(self, e: events.GenericEventArguments) -> None:
        args = e.args if isinstance(e.args, dict) else {}
        name, payload = args.get("name"), args.get("payload")
        if not self.controls or self.session_id is None or not isinstance(name, str):
            return
        session_id = self.session_id
        guarded(self.lang, lambda: commands.run(context.current(), session_id, self.step.id, name, payload))

    def _round_timer(self, minutes: int) -> None:
        if self.session_id is not None:
            session_id = self.session_id
            guarded(self.lang, lambda: lifecycle.set_timer(context.current(), session_id, minutes * 60))

    def _host_links(self) -> None:
        """The hosts' links, each with a copy button and (on request) its QR code: this dialog is
        the moderator's, and a host link must never be on the wall, hence the warning."""
        if self.session_id is None:
            return
        ctx, lang = context.current(), self.lang
        links = tables_live.host_links(ctx, self.session_id, self.step.id)
        code = live.build_state(ctx, self.session_id).session.join_code
        with ui.dialog(value=True) as dialog, ui.card().classes("gap-2").style("width: 46rem; max-width: 95vw") \
                .mark("host-links-dialog"):
            ui.label(t("theme_tables.host_links", lang)).classes("text-2xl font-semibold")
            ui.label(t("theme_tables.host_links_hint", lang)).classes("text-base text-red-800")
            for link in links:
                url = f"{runtime.join_url(code)}?host={link.claim}"
                ui.label(link.title).classes("text-lg font-semibold mt-2")
                with ui.row().classes("w-full items-center no-wrap gap-2"):
                    ui.label(url).classes("font-mono break-all grow text-sm").mark(f"host-link-{link.table}")
                    copy_button(url, lang, f"copy-host-{link.table}")
                    qr = ui.image(svg_data_url(url)).style("width: 9rem; height: 9rem").mark(f"host-qr-{link.table}")
                    qr.set_visibility(False)
                    ui.button(icon="qr_code", on_click=lambda q=qr: q.set_visibility(not q.visible)) \
                        .props(f'flat round aria-label="{t("theme_tables.show_qr", lang)}"') \
                        .mark(f"host-show-qr-{link.table}")
            ui.button(t("links.close", lang), on_click=dialog.close).props("flat").classes("self-end")

    def _choose_host(self) -> None:
        """Per table the people sitting there this round; a tap makes one the table's host (the
        moderator's ``assign``), for rooms where hosts are picked on the spot, not by a link."""
        if self.session_id is None:
            return
        ctx, lang, session_id = context.current(), self.lang, self.session_id
        people = guarded(lang, lambda: tables_live.table_people(ctx, session_id, self.step.id))
        if people is None:
            return
        with ui.dialog(value=True) as dialog, ui.card().classes("gap-2").style("width: 40rem; max-width: 95vw") \
                .mark("choose-host-dialog"):
            ui.label(t("theme_tables.choose_host", lang)).classes("text-2xl font-semibold")
            ui.label(t("theme_tables.choose_host_hint", lang)).classes("text-base text-gray-700")

            def assign(table: str, title: str, person: tables_live.Person) -> None:
                payload = {"participant": person.participant, "table": table, "role": "host"}
                done = guarded(lang, lambda: commands.run(ctx, session_id, self.step.id, "assign", payload))
                if done is not None:
                    ui.notify(t("theme_tables.host_set", lang, name=person.label, table=title), type="positive")
                    dialog.close()

            for table in self.step.config.tables:
                ui.label(table.title).classes("text-lg font-semibold mt-2")
                seated = people.get(table.id, [])
                if not seated:
                    ui.label(t("theme_tables.nobody_seated", lang)).classes("text-base text-gray-600") \
                        .mark(f"choose-host-none-{table.id}")
                with ui.row().classes("w-full gap-2"):
                    for person in seated:
                        label = person.label + (f" ({t('theme_tables.is_host', lang)})" if person.host else "")
                        ui.button(label, on_click=lambda tb=table, p=person: assign(tb.id, tb.title, p)) \
                            .props("outline no-caps").style("min-height: 44px") \
                            .mark(f"choose-host-{table.id}-{person.participant}")
            ui.button(t("links.close", lang), on_click=dialog.close).props("flat").classes("self-end")

    def _sheets(self) -> None:
        """The tables' QR sheets to print and put on the tables (no secret on them)."""
        if self.session_id is None:
            return
        ctx = context.current()
        code = live.build_state(ctx, self.session_id).session.join_code
        pdf = guarded(self.lang, lambda: tables_live.table_sheets_pdf(
            ctx, self.session_id or 0, self.step.id, runtime.join_url(code), translator(self.lang)))
        if pdf is not None:
            ui.download.content(pdf, download_name(t("theme_tables.sheets_file", self.lang), self.step.title, "", "pdf"),
                                "application/pdf")

    def _photo(self) -> None:
        """A photo of one table's tablecloth, taken on the laptop or handed over by a host."""
        if self.session_id is None:
            return
        lang = self.lang
        tables = {tb.id: tb.title for tb in self.step.config.tables}
        with ui.dialog(value=True) as dialog, ui.card().classes("gap-3"):
            ui.label(t("theme_tables.photo_table", lang)).classes("text-xl font-semibold")
            pick = ui.select(tables, value=next(iter(tables), None), label=t("theme_tables.move_table", lang)) \
                .classes("w-full").mark("photo-table")

            async def upload(event: events.UploadEventArguments) -> None:
                raw = await event.file.read()
                try:
                    await asyncio.to_thread(tables_live.add_table_photo, context.current(), self.step.id,
                                            str(pick.value), event.file.name, raw)
                except KofferError as exc:
                    ui.notify(error_text(exc, lang), type="negative", position="top")
                    return
                ui.notify(t("console.photo_saved", lang), type="positive")
                dialog.close()

            file_button(t("console.photo_pick", lang), "photo_camera", "image/jpeg,image/png,image/webp",
                        photos.MAX_BYTES, upload, "tables-photo-upload")


VIEWS = MethodViews(phone=TablesPhone, console=TablesConsole)

TEXTS: dict[str, dict[str, str]] = {
    "method.theme_tables": {"de": "Thementische", "en": "Theme tables"},
    # the phone
    "theme_tables.your_table": {"de": "Ihr Tisch", "en": "Your table"},
    "theme_tables.choose": {"de": "An welchem Tisch sitzen Sie?", "en": "Which table are you at?"},
    "theme_tables.choose_new": {"de": "Neue Runde: Wählen Sie einen neuen Tisch.",
                                "en": "New round: choose a new table."},
    "theme_tables.stay": {"de": "(bisher)", "en": "(so far)"},
    "theme_tables.change_table": {"de": "Tisch wechseln", "en": "Change table"},
    "theme_tables.assigning": {"de": "Ihr Tisch wird zugeteilt …", "en": "Your table is being assigned …"},
    "theme_tables.go_to": {"de": "Neue Runde – bitte wechseln Sie an:", "en": "New round – please move to:"},
    "theme_tables.round_of": {"de": "Tischrunde {round} von {rounds}", "en": "Table round {round} of {rounds}"},
    "theme_tables.summary_before": {"de": "Was die Runde vorher gesagt hat (Gastgeber:in)",
                                    "en": "What the previous round said (host)"},
    "theme_tables.card_placeholder": {"de": "Ihr Gedanke auf einer Karte …", "en": "Your thought on a card …"},
    "theme_tables.pin": {"de": "Karte anheften", "en": "Pin the card"},
    "theme_tables.cards_heading": {"de": "Karten an diesem Tisch", "en": "Cards at this table"},
    "theme_tables.cards_none": {"de": "Noch keine Karten – schreiben Sie die erste!",
                                "en": "No cards yet – write the first one!"},
    "theme_tables.prompt_none": {"de": "Allgemein", "en": "General"},
    "theme_tables.category": {"de": "Kategorie", "en": "Category"},
    "theme_tables.mine": {"de": "Ihre Karte", "en": "Your card"},
    "theme_tables.host_you": {"de": "Sie sind Gastgeber:in dieses Tisches", "en": "You host this table"},
    "theme_tables.host_welcome": {"de": "Sie sind jetzt Gastgeber:in: {table}", "en": "You now host: {table}"},
    "theme_tables.edit": {"de": "Bearbeiten", "en": "Edit"},
    "theme_tables.save": {"de": "Speichern", "en": "Save"},
    "theme_tables.cancel": {"de": "Abbrechen", "en": "Cancel"},
    "theme_tables.merge": {"de": "Zusammenfassen", "en": "Merge"},
    "theme_tables.merge_pick": {"de": "Karten antippen, die zusammengehören", "en": "Tap the cards that belong together"},
    "theme_tables.split": {"de": "Trennen", "en": "Split"},
    "theme_tables.move": {"de": "Verschieben", "en": "Move"},
    "theme_tables.move_prompt": {"de": "Zum Aspekt", "en": "To the prompt"},
    "theme_tables.move_table": {"de": "An den Tisch", "en": "To the table"},
    "theme_tables.merged_from": {"de": "aus {n} Karten", "en": "from {n} cards"},
    "theme_tables.summary_write": {"de": "Zusammenfassung dieser Runde für die nächste Gruppe",
                                   "en": "Summary of this round for the next group"},
    "theme_tables.summary_save": {"de": "Zusammenfassung speichern", "en": "Save the summary"},
    "theme_tables.photo": {"de": "Foto der Tischdecke", "en": "Photo of the tablecloth"},
    "theme_tables.photo_saved": {"de": "Foto gespeichert ✓", "en": "Photo saved ✓"},
    # the console
    "theme_tables.count": {"de": "{cards} {cards|Karte|Karten} von {writers} {writers|Person|Personen} · {total} im Raum",
                           "en": "{cards} {cards|card|cards} by {writers} {writers|person|people} · {total} in the room"},
    "theme_tables.timer": {"de": "Rundenzeit {minutes} min", "en": "Round time {minutes} min"},
    "theme_tables.host_links": {"de": "Gastgeber-Links", "en": "Host links"},
    "theme_tables.choose_host": {"de": "Gastgeber wählen", "en": "Choose hosts"},
    "theme_tables.choose_host_hint": {
        "de": "Tippen Sie auf eine Person an ihrem Tisch, um sie zur Gastgeber:in dieses Tisches zu machen.",
        "en": "Tap a person at their table to make them that table's host."},
    "theme_tables.nobody_seated": {"de": "Noch niemand an diesem Tisch.", "en": "Nobody at this table yet."},
    "theme_tables.is_host": {"de": "Gastgeber:in", "en": "host"},
    "theme_tables.host_set": {"de": "{name} ist jetzt Gastgeber:in von „{table}“.",
                              "en": "{name} now hosts “{table}”."},
    "theme_tables.host_links_hint": {
        "de": "Nur für die Gastgeber:innen – nicht auf dem Beamer zeigen: wer den Link hat, darf die Karten "
              "des Tisches bearbeiten. „Konsole-Link ersetzen“ macht alle Gastgeber-Links ungültig.",
        "en": "For the hosts only – do not show on the projector: whoever has the link may edit the table's "
              "cards. Replacing the console link ends every host link."},
    "theme_tables.show_qr": {"de": "QR-Code zeigen", "en": "Show QR code"},
    "theme_tables.photo_table": {"de": "Foto eines Tisches", "en": "Photo of a table"},
    "theme_tables.sheets": {"de": "Tischkarten (PDF)", "en": "Table sheets (PDF)"},
    "theme_tables.sheets_file": {"de": "Tischkarten", "en": "Table sheets"},
    "theme_tables.board.cards": {"de": "{n} {n|Karte|Karten}", "en": "{n} {n|card|cards}"},
    "theme_tables.board.people": {"de": "{n} am Tisch", "en": "{n} at the table"},
    "theme_tables.board.host": {"de": "mit Gastgeber:in", "en": "hosted"},
    "theme_tables.board.no_prompt": {"de": "Weitere Gedanken", "en": "Further thoughts"},
    "theme_tables.board.no_category": {"de": "Ohne Kategorie", "en": "No category"},
    "theme_tables.board.empty": {"de": "noch leer", "en": "still empty"},
    "theme_tables.board.selected": {"de": "{n} ausgewählt", "en": "{n} selected"},
    "theme_tables.board.enlarge": {"de": "Vergrößern", "en": "Enlarge"},
    "theme_tables.board.overview": {"de": "Alle Tische", "en": "All tables"},
    "theme_tables.board.by_prompt": {"de": "nach Aspekt", "en": "by prompt"},
    "theme_tables.board.by_category": {"de": "nach Kategorie", "en": "by category"},
    "theme_tables.board.summary": {"de": "Zusammenfassung", "en": "Summary"},
    "theme_tables.board.edited": {"de": "bearbeitet", "en": "edited"},
    # commands (console buttons, the protocol's list of decisions)
    "theme_tables.cmd.next_round": {"de": "Nächste Runde", "en": "Next round"},
    "theme_tables.cmd.assign": {"de": "Tisch zuweisen", "en": "Assign a table"},
    "theme_tables.cmd.assign.participant": {"de": "Person", "en": "Person"},
    "theme_tables.cmd.assign.table": {"de": "Tisch", "en": "Table"},
    "theme_tables.cmd.assign.role": {"de": "Rolle", "en": "Role"},
    "theme_tables.cmd.summary": {"de": "Zusammenfassung", "en": "Summary"},
    "theme_tables.cmd.summary.table": {"de": "Tisch", "en": "Table"},
    "theme_tables.cmd.summary.text": {"de": "Text", "en": "Text"},
    "theme_tables.cmd.edit": {"de": "Karte bearbeitet", "en": "Card edited"},
    "theme_tables.cmd.edit.card": {"de": "Karte", "en": "Card"},
    "theme_tables.cmd.edit.text": {"de": "Text", "en": "Text"},
    "theme_tables.cmd.move": {"de": "Karte verschoben", "en": "Card moved"},
    "theme_tables.cmd.move.card": {"de": "Karte", "en": "Card"},
    "theme_tables.cmd.move.table": {"de": "Tisch", "en": "Table"},
    "theme_tables.cmd.move.prompt": {"de": "Aspekt", "en": "Prompt"},
    "theme_tables.cmd.move.category": {"de": "Kategorie", "en": "Category"},
    "theme_tables.cmd.merge": {"de": "Karten zusammengefasst", "en": "Cards merged"},
    "theme_tables.cmd.merge.cards": {"de": "Karten", "en": "Cards"},
    "theme_tables.cmd.merge.text": {"de": "Text", "en": "Text"},
    "theme_tables.cmd.split": {"de": "Karte getrennt", "en": "Card split"},
    "theme_tables.cmd.split.card": {"de": "Karte", "en": "Card"},
    "theme_tables.cmd.photo": {"de": "Foto zugeordnet", "en": "Photo linked"},
    "theme_tables.cmd.photo.table": {"de": "Tisch", "en": "Table"},
    "theme_tables.cmd.photo.photo": {"de": "Foto", "en": "Photo"},
    "theme_tables.cmd.focus": {"de": "Tisch vergrößert", "en": "Table enlarged"},
    "theme_tables.cmd.focus.table": {"de": "Tisch", "en": "Table"},
    # the outcome
    "theme_tables.gathered": {"de": "{cards} {cards|Karte|Karten} an {tables} {tables|Tisch|Tischen}",
                              "en": "{cards} {cards|card|cards} at {tables} {tables|table|tables}"},
    # refusals (``err.`` + the key methods/theme_tables.py raises)
    "err.card_missing": {"de": "Bitte schreiben Sie eine Karte.", "en": "Please write a card."},
    "err.card_or_seat": {"de": "Bitte entweder eine Karte oder einen Tisch senden.",
                         "en": "Please send either a card or a table."},
    "err.card_empty": {"de": "Die Karte ist leer.", "en": "The card is empty."},
    "err.card_too_long": {"de": "Die Karte ist zu lang ({length} Zeichen, höchstens {max}).",
                          "en": "The card is too long ({length} characters, at most {max})."},
    "err.unknown_table": {"de": "Diesen Tisch gibt es nicht: {table}", "en": "There is no such table: {table}"},
    "err.unknown_prompt": {"de": "Diesen Aspekt gibt es an diesem Tisch nicht: {value}",
                           "en": "This table has no such prompt: {value}"},
    "err.unknown_category": {"de": "Diese Kategorie gibt es nicht: {value}", "en": "There is no such category: {value}"},
    "err.seat_invalid": {"de": "Bitte wählen Sie einen Tisch.", "en": "Please choose a table."},
    "err.seat_assigned": {"de": "Die Tische werden zugeteilt – Sie müssen keinen wählen.",
                          "en": "Tables are assigned – you need not choose one."},
    "err.seat_checked_in": {"de": "Sie sind schon angemeldet; Ihr Tisch steht fest.",
                            "en": "You are already checked in; your table is set."},
    "err.card_no_seat": {"de": "Bitte setzen Sie sich zuerst an einen Tisch (QR-Code auf dem Tisch scannen).",
                         "en": "Please sit down at a table first (scan the QR code on the table)."},
    "err.card_other_table": {"de": "Karten gehen an Ihren Tisch dieser Runde: {table}.",
                             "en": "Cards go to your table of this round: {table}."},
    "err.card_unknown": {"de": "Diese Karte gibt es nicht (mehr): {card}", "en": "This card does not exist (any more): {card}"},
    "err.merge_twice": {"de": "Eine Karte lässt sich nicht mit sich selbst zusammenfassen.",
                        "en": "A card cannot be merged with itself."},
    "err.card_not_merged": {"de": "Diese Karte ist nicht zusammengefasst.", "en": "This card is not a merged card."},
    "err.tables_last_round": {"de": "Das war die letzte Runde ({rounds}).", "en": "That was the last round ({rounds})."},
    "err.tables_not_host": {"de": "Nur Gastgeber:innen und die Moderation dürfen Karten bearbeiten.",
                            "en": "Only hosts and the moderator may change cards."},
    "err.tables_not_your_table": {"de": "Sie sind nicht Gastgeber:in dieses Tisches.",
                                  "en": "You do not host this table."},
    "err.host_link_wrong": {"de": "Dieser Gastgeber-Link gilt nicht (mehr).", "en": "This host link is not valid (any more)."},
}
