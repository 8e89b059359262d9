"""Dot vote views: a list with + / − per item on the phone, the ranking on the console.

The phone lists the items in agenda order (never by dots: the ranking stays hidden until the
reveal) and which ids count for each; when the moderator merges two items while the vote runs,
the list comes from the live result's items (their merges, not their dots), so every phone shows
the merged card at once. The component folds a person's stored dots onto the merged card (at most
the cap, the engine's rule) and its next tap stores them there.

The console shows, before the reveal, how many people gave dots and the items with their ids
(what the moderator names in "Zusammenführen"); after it, one row per item with dots: rank,
label, a bar and the count, ties marked. Rows are updated in place; only a different number of
rows adds or removes elements.
"""

from __future__ import annotations

import json
from typing import Any

from nicegui import ui

from app.i18n import t
from app.views.base import ConsoleView, MethodViews, PhoneView, SharedByStep, step_key
from app.views.widgets import merge_options
from facilitation.snapshots import LiveState, StepInfo
from methods.dot_vote import DOTS_KEY, Config, Ranked, Result, allocation

MAX_ROWS = 10
"""Rows of the ranking on the console and projector (28 px text at 1080p): the rest is summed up
in one line, and the protocol lists every item."""

Groups = tuple[tuple[str, str, str, tuple[str, ...], int], ...]
"""The items as the phones list them: (id, label, description, ids counted on it, cards)."""


def _typed(state: LiveState) -> Result | None:
    return state.typed if isinstance(state.typed, Result) else None


def _groups_of(state: LiveState, lang: str) -> Groups | None:
    """The live items in agenda order with their merges; None when nothing was merged (then the
    config says it all and the phones share the config's view)."""
    result = _typed(state)
    step = state.step
    if result is None or step is None or not isinstance(step.config, Config):
        return None
    if all(len(r.members) <= 1 for r in result.items):
        return None
    config: Config = step.config
    originals = {c.id: [c.id, *c.merged_from] for c in config.items}
    rows = sorted(result.items, key=lambda r: r.position)
    return tuple((r.id, r.label, r.description,
                  tuple(k for m in r.members for k in originals.get(m, [m])), max(1, len(r.merged_from)))
                 for r in rows)


_GROUPS = SharedByStep(lambda state, lang: _groups_of(state, lang))
"""Computed once per delivered state (the hub hands the same object to every phone)."""


def _phone_view(source: tuple[StepInfo, str], lang: str) -> dict[str, Any]:
    step, groups_json = source
    config: Config = step.config
    groups = _decode(groups_json) if groups_json else tuple(
        (c.id, c.label, c.description, (c.id, *c.merged_from), max(1, len(c.merged_from))) for c in config.items)
    items = [{"id": i, "label": label, "description": text, "keys": list(keys), "cards": cards,
              "cards_text": t("dot_vote.cards", lang, n=cards) if cards > 1 else ""}
             for i, label, text, keys, cards in groups]
    return {
        "question": config.question or t("dot_vote.default_question", lang),
        "items": items,
        "budget": config.budget,
        "cap": config.max_per_item,
        "title": step.title,
        "lang": lang,  # long German words break at syllables, not anywhere
        "step": step.id,  # sent back with every tap: a tap on an old question is refused
        "round": step.round,
        "round_text": t("phone.round", lang, round=step.round) if step.round > 1 else "",
        # the texts that name this step's budget and cap; the others come once with the page
        "texts": {"cap_reached": t("dot_vote.cap_reached", lang, cap=config.max_per_item),
                  "left_one": t("dot_vote.left_one", lang, budget=config.budget),
                  # "{left}" stays for the component, which knows how many are left after each tap
                  "left_many": t("dot_vote.left_many", lang, left="{left}", budget=config.budget)},
    }


def _decode(groups_json: str) -> Groups:
    raw = json.loads(groups_json)
    return tuple((str(i), str(label), str(text), tuple(keys), int(cards)) for i, label, text, keys, cards in raw)


class DotVotePhone(PhoneView, component="dot_vote.js"):
    """The items as a list, each with − / + and its dots; the dots left on top. ``mine`` is the
    participant's stored allocation ``{id: count}``."""

    VIEW = SharedByStep(_phone_view, lambda source: (step_key(source[0]), source[1]))
    TEXT_KEYS = ("dot_vote.left_none", "dot_vote.more", "dot_vote.less")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._groups = ""

    @classmethod
    def result_rows(cls, state: LiveState, lang: str) -> list[dict[str, Any]] | None:
        result = _typed(state)
        if result is None or result.empty:
            return None
        top = max((r.dots for r in result.items), default=0) or 1
        return [{"id": r.id, "label": f"{r.rank}. {r.label or r.id}", "frac": r.dots / top,
                 "text": dots_text(r, lang)} for r in result.items if r.dots]

    def describe(self, step: StepInfo, lang: str) -> str:
        return self.VIEW((step, self._groups), lang)

    def committed(self, step: StepInfo, mine: dict[str, Any]) -> dict[str, int]:
        return allocation(mine.get(DOTS_KEY))

    def merged(self, current: Any, payload: dict[str, Any]) -> dict[str, int]:
        return allocation(payload.get(DOTS_KEY))

    def load(self, step: StepInfo, mine: dict[str, Any], state: LiveState) -> None:
        self._groups = _GROUPS(state, self.lang)
        super().load(step, mine, state)

    def show(self, state: LiveState) -> None:
        """The moderator merged or split items: the list changes on every phone (one shared
        string; a phone whose list is unchanged compares one string and sends nothing)."""
        groups = _GROUPS(state, self.lang)
        if groups != self._groups and self.step is not None and self._props["view"]:
            self._groups = groups
            with self._props.suspend_updates():  # goes with the live props' patch below
                self._props["view"] = self.describe(self.step, self.lang)
        super().show(state)


def dots_text(row: Ranked, lang: str) -> str:
    """"12 Punkte · 5 Personen" (one: "1 Punkt · 1 Person")."""
    dots = t("dot_vote.dots_one", lang) if row.dots == 1 else t("dot_vote.dots_n", lang, n=row.dots)
    people = t("dot_vote.people_one", lang) if row.people == 1 else t("dot_vote.people_n", lang, n=row.people)
    return f"{dots} · {people}"


# --- console ----------------------------------------------------------------------------------------


class _Row:
    """One line of the ranking, made once and refilled in place."""

    def __init__(self) -> None:
        grid = ("display: grid; width: 100%; grid-template-columns: 3.2rem minmax(0, 5fr) minmax(0, 4fr);"
                " column-gap: 1rem;"
                " align-items: center; padding: 0.2rem 0; border-top: 1px solid #eeeeee")
        with ui.element("div").style(grid).mark("rank-row") as self.box:
            self.rank = ui.label("").style("font-size: 1.9rem; font-weight: 700; text-align: right").mark("rank")
            with ui.element("div").style("min-width: 0"):
                self.name = ui.label("").style("font-size: 1.9rem; line-height: 1.15; font-weight: 600;"
                                               " overflow-wrap: anywhere").mark("rank-name")
                self.sub = ui.label("").style("font-size: 1.5rem; color: #424242").mark("rank-sub")
            with ui.element("div").style("display: flex; align-items: center; gap: 0.6rem; min-width: 0"):
                self.bar = ui.element("div").style("height: 1.6rem; background: #24507A; border-radius: 0.3rem")
                self.count = ui.label("").style("font-size: 1.9rem; font-weight: 700; white-space: nowrap") \
                    .mark("rank-dots")

    def fill(self, row: Ranked, top: int, lang: str) -> None:
        self.rank.set_text(f"{row.rank}.")
        self.name.set_text(row.label or row.id)
        bits = [t("dot_vote.people_one", lang) if row.people == 1 else t("dot_vote.people_n", lang, n=row.people)]
        if row.tie:
            bits.append(t("dot_vote.tie_mark", lang))
        if len(row.merged_from) > 1:
            bits.append(t("dot_vote.cards", lang, n=len(row.merged_from)))
        self.sub.set_text(" · ".join(bits))
        self.bar.style(replace=f"height: 1.6rem; border-radius: 0.3rem; width: {max(2.0, 78 * row.dots / top):.1f}%;"
                               f" background: {'#B7791F' if row.tie else '#24507A'}")
        self.count.set_text(str(row.dots))


class DotVoteConsole(ConsoleView):
    """Before the reveal: the items (with the ids the merge command names) and how many gave
    dots; after it: the ranking with dot counts, ties marked, updated in place."""

    def build(self) -> None:
        self.items_box = ui.element("div").classes("w-full grid gap-x-10 gap-y-1") \
            .style("grid-template-columns: repeat(2, minmax(0, 1fr))").mark("items")
        self._items_key: Any = None
        self.ranking = ui.column().classes("w-full gap-0").mark("ranking")
        self.rows: list[_Row] = []
        self.rest = ui.label("").classes("text-2xl text-gray-700").mark("rank-rest")
        self._last: Result | None = None

    def count_text(self, state: LiveState) -> str:
        result = _typed(state)
        voters = result.voters if result is not None else 0
        return t("dot_vote.voted", self.lang, n=voters, total=state.participants)

    def show(self, state: LiveState, visible: bool) -> None:
        result = _typed(state)
        self.items_box.set_visibility(not visible)
        self.ranking.set_visibility(visible)
        self.rest.set_visibility(visible)
        if result is None:
            return
        if not visible:
            self._list_items(result)
            return
        if result == self._last:
            return
        self._last = result
        ranked = [r for r in result.items if r.dots]
        shown = ranked[:MAX_ROWS]
        while len(self.rows) < len(shown):
            with self.ranking:
                self.rows.append(_Row())
        while len(self.rows) > len(shown):
            self.rows.pop().box.delete()
        top = max((r.dots for r in shown), default=0) or 1
        for line, row in zip(self.rows, shown, strict=True):
            line.fill(row, top, self.lang)
        more = len(ranked) - len(shown)
        without = len(result.items) - len(ranked)
        rest = []
        if more:
            rest.append(t("dot_vote.more_ranked", self.lang, n=more))
        if without:
            rest.append(t("dot_vote.without", self.lang, n=without))
        self.rest.set_text(" · ".join(rest))

    def _list_items(self, result: Result) -> None:
        """The items in agenda order with their ids, rebuilt only when a merge changed them."""
        key = tuple((r.id, r.label, len(r.merged_from)) for r in result.items)
        if key == self._items_key:
            return
        self._items_key = key
        self.items_box.clear()
        with self.items_box:
            for r in sorted(result.items, key=lambda r: r.position):
                with ui.row().classes("items-baseline no-wrap gap-3 min-w-0 border-b border-gray-200"):
                    if self.controls:  # the ids are for the moderator's merge form, not for the room
                        ui.label(r.id).classes("text-base text-gray-600 whitespace-nowrap").mark("item-id")
                    ui.label(r.label or r.id).classes("text-xl break-words grow min-w-0 leading-snug") \
                        .mark("item-label")
                    if len(r.merged_from) > 1:
                        ui.label(t("dot_vote.cards", self.lang, n=len(r.merged_from))) \
                            .classes("text-base text-gray-700 whitespace-nowrap")


# --- editor -----------------------------------------------------------------------------------------


def edit_config(raw_config: dict[str, Any], lang: str) -> Any:
    """A form for a dot vote (question, items one per line, dots per person, at most per item);
    items taken from an earlier step are set in the editor's shared "Einträge aus" choice."""
    raw = dict(raw_config or {})
    current = raw.get("items") or []
    labels = [str(o.get("label", o.get("title", ""))) if isinstance(o, dict) else str(o) for o in current]
    with ui.column().classes("w-full gap-2"):
        question = ui.input(t("dot_vote.edit.question", lang), value=raw.get("question", "")) \
            .props("outlined dense").classes("w-full").mark("dot-question")
        area = ui.textarea(t("dot_vote.edit.items", lang), value="\n".join(labels)) \
            .props("outlined autogrow").classes("w-full").mark("dot-items")
        with ui.row().classes("items-center gap-4"):
            dots = ui.number(t("dot_vote.edit.dots", lang), value=raw.get("dots"), min=1, max=50, step=1,
                             precision=0).props("outlined dense clearable").classes("w-64").mark("dot-dots")
            cap = ui.number(t("dot_vote.edit.max_per_item", lang), value=raw.get("max_per_item", 3), min=1, max=10,
                            step=1, precision=0).props("outlined dense").classes("w-64").mark("dot-cap")

    def get() -> dict[str, Any]:
        lines = [line.strip() for line in (area.value or "").splitlines() if line.strip()]
        config: dict[str, Any] = {"question": (question.value or "").strip()}
        if raw.get("items_from"):
            config["items_from"] = raw["items_from"]
        if lines:
            config["items"] = merge_options(current, lines, "i")
        elif not raw.get("items_from"):
            raise ValueError(t("dot_vote.edit.err_items", lang))
        if dots.value:
            config["dots"] = int(dots.value)
        config["max_per_item"] = int(cap.value or 3)
        return config

    return get


VIEWS = MethodViews(phone=DotVotePhone, console=DotVoteConsole, editor=edit_config)

TEXTS: dict[str, dict[str, str]] = {
    "method.dot_vote": {"de": "Punktabfrage", "en": "Dot vote"},
    # the phone
    "dot_vote.default_question": {"de": "Verteilen Sie Ihre Punkte auf die Themen, die Ihnen am wichtigsten sind.",
                                  "en": "Give your dots to the items that matter most to you."},
    "dot_vote.left_many": {"de": "Noch {left} von {budget} Punkten", "en": "{left} of {budget} dots left"},
    "dot_vote.left_one": {"de": "Noch 1 von {budget} Punkten", "en": "1 of {budget} dots left"},
    "dot_vote.left_none": {"de": "Alle Punkte verteilt", "en": "All dots given"},
    "dot_vote.cap_reached": {"de": "höchstens {cap} pro Thema", "en": "at most {cap} per item"},
    "dot_vote.more": {"de": "Punkt dazu", "en": "add a dot"},
    "dot_vote.less": {"de": "Punkt weg", "en": "remove a dot"},
    "dot_vote.cards": {"de": "aus {n} Karten", "en": "from {n} cards"},
    # the console
    "dot_vote.voted": {"de": "{n} von {total} haben Punkte vergeben", "en": "{n} of {total} have given dots"},
    "dot_vote.dots_one": {"de": "1 Punkt", "en": "1 dot"},
    "dot_vote.dots_n": {"de": "{n} Punkte", "en": "{n} dots"},
    "dot_vote.people_one": {"de": "1 Person", "en": "1 person"},
    "dot_vote.people_n": {"de": "{n} Personen", "en": "{n} people"},
    "dot_vote.tie_mark": {"de": "Gleichstand", "en": "tie"},
    "dot_vote.more_ranked": {"de": "… und {n} weitere mit Punkten (siehe Protokoll)",
                             "en": "… and {n} more with dots (see the protocol)"},
    "dot_vote.without": {"de": "{n} ohne Punkte", "en": "{n} without dots"},
    "dot_vote.cmd.merge": {"de": "Zusammenführen", "en": "Merge"},
    "dot_vote.cmd.merge.item": {"de": "Karte (Kennung), die aufgeht in …", "en": "Card (id) that goes into …"},
    "dot_vote.cmd.merge.into": {"de": "… dieser Karte (Kennung)", "en": "… this card (id)"},
    "dot_vote.cmd.merge.label": {"de": "Neuer Titel (leer: bleibt)", "en": "New title (empty: unchanged)"},
    "dot_vote.cmd.split": {"de": "Wieder trennen", "en": "Split again"},
    "dot_vote.cmd.split.item": {"de": "Karte (Kennung), die wieder eigenständig wird",
                                "en": "Card (id) that stands on its own again"},
    # the editor
    "dot_vote.edit.question": {"de": "Frage", "en": "Question"},
    "dot_vote.edit.items": {"de": "Themen (eines pro Zeile)", "en": "Items (one per line)"},
    "dot_vote.edit.dots": {"de": "Punkte pro Person (leer: ⌈Themen/3⌉)", "en": "Dots per person (empty: ⌈items/3⌉)"},
    "dot_vote.edit.max_per_item": {"de": "Höchstens Punkte pro Thema", "en": "At most dots per item"},
    "dot_vote.edit.err_items": {"de": "Bitte mindestens zwei Themen angeben oder sie aus einem früheren Punkt übernehmen.",
                                "en": "Please give at least two items or take them from an earlier step."},
    # the outcome's sentences (methods/dot_vote.py says which), on console, phone and in the PDF
    "dot_vote.empty": {"de": "Noch keine Punkte vergeben.", "en": "No dots given yet."},
    "dot_vote.leader": {"de": "Meiste Punkte: {label} ({dots})", "en": "Most dots: {label} ({dots})"},
    "dot_vote.tie": {"de": "Gleichstand vorne: {labels} (je {dots} Punkte)",
                     "en": "Tie for first: {labels} ({dots} dots each)"},
    "dot_vote.tie_one": {"de": "Gleichstand vorne: {labels} (je 1 Punkt)", "en": "Tie for first: {labels} (1 dot each)"},
    "dot_vote.tie_short": {"de": "Gleichstand: {n} Themen mit je {dots} Punkten",
                           "en": "Tie: {n} items with {dots} dots each"},
    "dot_vote.tie_short_one": {"de": "Gleichstand: {n} Themen mit je 1 Punkt", "en": "Tie: {n} items with 1 dot each"},
    "dot_vote.issue_tie": {"de": "Gleichstand auf Platz 1 – die Gruppe entscheidet, was vorgeht",
                           "en": "Tie for first place – the group decides what comes first"},
    # refusals (``err.`` + the key methods/dot_vote.py raises)
    "err.dots_missing": {"de": "Bitte verteilen Sie Ihre Punkte auf die Themen.",
                         "en": "Please give your dots to the items."},
    "err.dots_not_count": {"de": "Punkte sind ganze Zahlen ab 0 (bei {item}).",
                           "en": "Dots are whole numbers from 0 (at {item})."},
    "err.unknown_item": {"de": "Dieses Thema gibt es hier nicht: {item}", "en": "There is no such item here: {item}"},
    "err.dots_over_budget": {"de": "Zu viele Punkte: {given} vergeben, Sie haben {budget}.",
                             "en": "Too many dots: {given} given, you have {budget}."},
    "err.dots_over_cap": {"de": "Höchstens {cap} Punkte auf ein Thema („{item}“).",
                          "en": "At most {cap} dots on one item (“{item}”)."},
    "err.merge_not_an_item": {"de": "„{item}“ ist keine eigene Karte (mehr).",
                              "en": "“{item}” is not a card of its own (any more)."},
    "err.merge_same_item": {"de": "Eine Karte lässt sich nicht mit sich selbst zusammenführen.",
                            "en": "A card cannot be merged with itself."},
    "err.split_not_merged": {"de": "„{item}“ wurde in keine andere Karte übernommen.",
                             "en": "“{item}” was not merged into another card."},
}
