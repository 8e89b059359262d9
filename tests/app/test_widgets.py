"""The phone's result bars reorder in place instead of being rebuilt."""

from __future__ import annotations

from nicegui import ui
from nicegui.testing import User

from app.views.widgets import Bars


async def test_bars_move_rows_when_the_ranking_changes(user: User) -> None:
    holder: dict[str, Bars] = {}

    @ui.page("/bars-probe")
    def page() -> None:
        holder["bars"] = Bars()
        holder["bars"].set([("a", "Alpha", 0.9, "90 %"), ("b", "Beta", 0.5, "50 %")])

    await user.open("/bars-probe")
    bars = holder["bars"]
    rows_before = {rid: row[0].id for rid, row in bars.rows.items()}
    bars.set([("b", "Beta", 0.95, "95 %"), ("a", "Alpha", 0.9, "90 %")])
    assert {rid: row[0].id for rid, row in bars.rows.items()} == rows_before  # same elements
    assert [child.id for child in bars.box.default_slot.children] == [rows_before["b"], rows_before["a"]]
    await user.should_see("Beta — 95 %")
