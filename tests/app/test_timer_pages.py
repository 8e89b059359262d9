"""The timer through the real pages (User fixture): set from the console's timer menu, shown on
the projector and the phones only while its step is on screen, and optionally closing the step.

The countdown itself ticks in the browser from ``data-deadline`` and switches to ``data-timeup``
at zero; what the server hands every page is those two attributes, checked here. What the
browser draws from them ("Zeit ist um" in the over-colour) is checked in tests/e2e.
"""

from __future__ import annotations

from datetime import UTC

from nicegui import ui
from nicegui.testing import User

from facilitation import context, lifecycle, live, organize
from tests.app.phones import Phone, until
from tests.factories import create_session

STEPS = (
    {"method": "hand_vote", "title": "Protokoll", "config": {"question": "Einverstanden mit dem Protokoll?"}},
    {"method": "hand_vote", "title": "Termin", "config": {"question": "Wann?", "options": ["Januar", "Februar"]}},
)


def timer_label(user: User) -> ui.label:
    [label] = user.find(marker="timer").elements
    assert isinstance(label, ui.label)
    return label


def deadline(user: User) -> int:
    return int(timer_label(user).props.get("data-deadline", 0))


async def test_a_timer_shows_on_its_step_only(user: User, create_user) -> None:
    ctx = context.current()
    created = create_session(ctx, *STEPS)
    sid, code = created.session.id, created.session.join_code
    await user.open(f"/s/{sid}/console?key={created.moderator_key}")
    projector = create_user()
    await projector.open(f"/s/{sid}/screen?key={created.projector_key}")
    phone = create_user()
    await phone.open(f"/j/{code}")
    user.find(marker="open").click()
    await Phone(phone).wait_view()

    user.find(marker="timer-1").click()  # "1 min" in the console's timer menu
    timer = live.build_state(ctx, sid).session.timer
    assert timer is not None and not timer.closes_step
    expected = int(timer.ends_at.replace(tzinfo=UTC).timestamp() * 1000)
    await until(lambda: deadline(phone) == expected)
    for page in (user, projector, phone):
        assert deadline(page) == expected
        assert timer_label(page).props["data-timeup"] == "Zeit ist um"  # what it says at zero
    assert "title" not in timer_label(user).props  # no "closes" hint: it only counts down

    user.find(marker="next").click()  # on to the next step: its phones show no timer
    user.find(marker="next-keep-open").click()  # (the console asks first: the vote is still open)
    await until(lambda: deadline(phone) == 0)
    for page in (user, projector, phone):
        assert deadline(page) == 0
    user.find(marker="prev").click()  # and back: the first step's timer is gone for good
    await until(lambda: live.build_state(ctx, sid).session.current_step_id == created.session.steps[0].id)
    assert deadline(user) == 0 and deadline(phone) == 0


async def test_the_moderator_lets_the_step_close_itself(user: User, create_user) -> None:
    ctx = context.current()
    created = create_session(ctx, *STEPS)
    sid = created.session.id
    await user.open(f"/s/{sid}/console?key={created.moderator_key}")
    user.find(marker="open").click()
    user.find(marker="timer-closes").click()  # "Schritt bei Ablauf schließen"
    user.find(marker="timer-5").click()
    timer = live.build_state(ctx, sid).session.timer
    assert timer is not None and timer.closes_step
    assert ctx.timers.armed(sid)
    await until(lambda: "title" in timer_label(user).props)
    assert timer_label(user).props["title"] == "Der Schritt schließt bei Ablauf"

    user.find(marker="timer-stop").click()
    assert live.build_state(ctx, sid).session.timer is None
    assert not ctx.timers.armed(sid)
    await until(lambda: deadline(user) == 0)
    assert "title" not in timer_label(user).props


async def test_closing_at_zero_reaches_the_phones(user: User, create_user) -> None:
    """On the server's own loop: a one-second timer closes the step, the phone is told."""
    ctx = context.current()
    created = create_session(ctx, *STEPS)
    sid, first = created.session.id, created.session.steps[0].id
    await user.open(f"/s/{sid}/console?key={created.moderator_key}")
    phone = create_user()
    await phone.open(f"/j/{created.session.join_code}")
    lifecycle.open_step(ctx, first)
    view = Phone(phone)
    await view.wait_view()
    assert await view.vote("yes") == (True, ["yes"])
    lifecycle.set_timer(ctx, sid, 1, close_step=True)
    await until(lambda: view.live.get("closed"), seconds=3)
    assert view.live.get("closed")
    step = organize.get_session(ctx, sid).step(first)
    assert step is not None and step.state == "closed"
    [results] = [s for s in live.step_results(ctx, sid) if s["id"] == first]
    assert [o["count"] for o in results["rounds"][0]["result"]["options"]] == [1, 0, 0]
    await user.should_see("Geschlossen")
    assert deadline(phone) > 0  # the run-out timer still says "Zeit ist um" beside "closed"


async def test_a_draft_step_cannot_close_itself(user: User) -> None:
    ctx = context.current()
    created = create_session(ctx, *STEPS)
    await user.open(f"/s/{created.session.id}/console?key={created.moderator_key}")
    user.find(marker="timer-closes").click()
    user.find(marker="timer-1").click()
    await user.should_see("nur ein offener Punkt kann bei Ablauf schließen")
    assert live.build_state(ctx, created.session.id).session.timer is None
