"""The live event hub: who is told when a session changes.

One interface (:class:`Hub`) with an in-process implementation. A multi-process deployment
swaps in a broker-backed hub that forwards ``publish(session_id)`` to the other processes; each
process still builds the state it hands to its own subscribers, so nothing else changes.

Bursts are coalesced: the first change after a quiet period is delivered on the next loop turn
(low latency for a single vote), later ones at most every ``interval`` seconds, so 300 votes in
a second mean ~10 deliveries rather than 300.

The hub reads the time and sets its timers through a :class:`Clock`: the event loop's in
production, a fake advanced by hand in tests, so a test states exactly when a delivery is due
instead of sleeping and hoping the timer has fired.

Inputs in motion (dots being dragged in a constellation, ``publish_motion``) change nothing
stored: a delivery caused only by them takes the last delivered state with the positions as they
are now (``restate``) instead of reading the database again, goes only to the listeners that
show motion (console and projector: ``subscribe(..., motion=...)``), never to the phones, whose
views it cannot change, and comes at most every ``motion_interval`` (10 a second planned: with
500 phones dragging the loop fires its timers late, and the console must still redraw at least 5
times a second; each such delivery costs ~1 ms, not a rebuild for every phone).

News (``publish(session_id, news)``): the inputs a commit just stored, handed on the next loop
turn to the listeners that asked for them (``subscribe(..., news=...)``: the console and
projector of a method that can show an input by itself, such as a card on a theme table) before
any state is built. A card reaches the wall at the cost of its own JSON instead of waiting for
the group's full delivery and its spacing (issue 13: p95 53 ms against a single vote's 16 ms);
the full delivery follows as always, at least ``quiet`` later, so the news leaves the server
first, and it corrects whatever a news listener showed differently.

Inputs alone (``publish(session_id, news)`` with the inputs a commit stored) change the round's
rows and tally, nothing else; every other change (a command, a join, a removal) is published
without news. A delivery with only inputs since the last full build is made by ``rebuild`` from
that state (the session and its counts are not read again); any publish without news makes the
next one a full build.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol

log = logging.getLogger(__name__)

Listener = Callable[[Any], None]
Builder = Callable[[int], Any]
Restate = Callable[[Any], Any]
"""The last delivered state with the inputs in motion as they are now (``live.with_motion``)."""
Rebuild = Callable[[int, Any], Any]
"""A fresh state from the last one when only stored inputs were published since
(``live.rebuild_state``): what only a command changes is taken from it, not read again."""


class Subscription(Protocol):
    def cancel(self) -> None: ...


FIRST, PHONES, AFTER_PHONES = 0, 1, 2
"""Subscription priorities: ``FIRST`` (console and projector: a count the moderator waits for)
is told in the flush itself, then the phones, then ``AFTER_PHONES`` (work that would make every
phone wait, such as building the console's view of a step that was just opened)."""

CHUNK = 40
"""Phones told per loop turn; between chunks the loop answers votes, pings and reconnects, so a
step change for 500 phones never freezes the room (and never drops sockets)."""


SENT_AFTER = 8
"""Loop turns between the last chunk of phones and ``AFTER_PHONES``: enough for each phone's
message to pass its outbox task, the socket.io emit and the engine.io writer (3–5 turns), so the
work after the phones really comes after the phones' messages are on the wire."""


class Clock(Protocol):
    """Time and timers for the hub's coalescing; the signature is the event loop's own."""

    def now(self) -> float: ...

    def call_later(self, delay: float, callback: Callable[..., object], *args: Any) -> object: ...


class LoopClock:
    """The real clock: ``time.monotonic`` and the running loop's ``call_later`` (the loop's
    timers run on the same monotonic clock)."""

    def now(self) -> float:
        return time.monotonic()

    def call_later(self, delay: float, callback: Callable[..., object], *args: Any) -> object:
        return asyncio.get_running_loop().call_later(delay, callback, *args)


SPACING_MIN = 0.01
"""The least time between two early (quiet) flushes of a session, however cheap they are."""
SPACING_COST = 4.0
"""Early flushes are spaced by this many times what the last delivery cost (its builder and
listeners, measured on the hub's clock), at most half an interval: the hub's own work stays
under a fifth of the loop however often single inputs arrive, and a cheap room (80 phones at
theme tables, a card every 200 ms) shows each card at once instead of holding the second of two
close cards back for half an interval."""

NEVER = float("-inf")
"""The time of a flush or publish that has not happened yet."""


NewsListener = Callable[[Sequence[Any]], bool]
"""Hears the inputs a commit stored (``snapshots.StoredInput``), before any state is built;
returns whether it showed any (only then does the full delivery wait for its message)."""


class Hub(Protocol):
    def subscribe(self, session_id: int, listener: Listener, priority: int = PHONES,
                  motion: Listener | None = None, news: NewsListener | None = None) -> Subscription: ...

    def publish(self, session_id: int, news: Sequence[Any] = ()) -> None: ...

    def publish_motion(self, session_id: int) -> None: ...


class _Handle:
    def __init__(self, hub: InProcessHub, session_id: int, listener: Listener, priority: int) -> None:
        self.hub, self.session_id, self.listener, self.priority = hub, session_id, listener, priority
        # a serial number, not id(self): a caller may drop the handle, and a later handle could
        # then get the same id() and silently replace this listener
        self.number = next(hub._serial)

    def cancel(self) -> None:
        listeners = self.hub._listeners.get(self.session_id, {})
        listeners.pop(self.number, None)
        self.hub._news.get(self.session_id, {}).pop(self.number, None)
        if not listeners:  # the room is gone: its last state (500 dots) is not kept for nobody
            self.hub._forget(self.session_id)


class InProcessHub:
    def __init__(self, builder: Builder, interval: float = 0.1, quiet: float = 0.005,
                 clock: Clock | None = None, restate: Restate | None = None,
                 motion_interval: float = 0.1, spacing_min: float = SPACING_MIN,
                 rebuild: Rebuild | None = None) -> None:
        """Without ``restate`` a motion is published like any change (a full delivery); without
        ``rebuild`` every delivery is a full build.
        ``spacing_min``: the floor of :meth:`spacing` (``interval / 2`` gives a fixed spacing)."""
        self.builder = builder
        self.restate = restate
        self.rebuild = rebuild
        self.interval = interval
        self.motion_interval = motion_interval
        self.quiet = quiet  # a burst that has gone quiet this long is shown without waiting
        self.spacing_min = spacing_min
        self.clock: Clock = clock if clock is not None else LoopClock()
        self._last_publish: dict[int, float] = {}
        self._listeners: dict[int, dict[int, tuple[int, Listener, Listener | None]]] = {}
        self._changed: set[int] = set()
        """Sessions with a change besides motion since their last full delivery."""
        self._timer: dict[int, int] = {}
        """The token of each pending session's live timer."""
        self._last: dict[int, Any] = {}
        """Each session's last fully built state (what a motion-only delivery starts from)."""
        self._structural: set[int] = set()
        """Sessions with a change besides stored inputs (a publish without news) since their last
        full build: their next delivery is built in full, not by ``rebuild``."""
        self._generation: dict[int, int] = {}
        self._serial = itertools.count()
        self._loop: asyncio.AbstractEventLoop | None = None  # the loop the live views run on
        self._pending: set[int] = set()
        self._last_flush: dict[int, float] = {}
        self._cost: dict[int, float] = {}
        """What the last full delivery of each session cost on the hub's clock (all its parts)."""
        self._news: dict[int, dict[int, NewsListener]] = {}
        """Per session, the listeners that hear stored inputs as news (by subscription number)."""
        self._news_at: dict[int, float] = {}
        """When each session's last news was handed on: its full delivery comes ``quiet`` later."""
        self._deferred: set[int] = set()
        """Sessions whose pending flush already waited for news (it waits once)."""
        self.deliveries = 0  # observable by tests and benchmarks
        self.rebuilds = 0
        """Deliveries made by ``rebuild`` (counted in ``deliveries`` too)."""
        self.motion_deliveries = 0
        """Deliveries that carried only inputs in motion (counted apart from ``deliveries``)."""

    def subscribe(self, session_id: int, listener: Listener, priority: int = PHONES,
                  motion: Listener | None = None, news: NewsListener | None = None) -> Subscription:
        """``FIRST`` (console, projector) is told first, then the phones in chunks, then
        ``AFTER_PHONES``; within a priority in the order of subscription. ``motion`` is called
        instead of ``listener`` for a delivery that only carries inputs in motion; without it
        the listener hears nothing of them. ``news`` hears the inputs each commit stored, at
        once (see the module's docstring)."""
        handle = _Handle(self, session_id, listener, priority)
        try:
            self._loop = asyncio.get_running_loop()
        except RuntimeError:
            pass
        self._listeners.setdefault(session_id, {})[handle.number] = (priority, listener, motion)
        if news is not None:
            self._news.setdefault(session_id, {})[handle.number] = news
        return handle

    def listener_count(self, session_id: int) -> int:
        return len(self._listeners.get(session_id, {}))

    def publish(self, session_id: int, news: Sequence[Any] = ()) -> None:
        """Something stored changed: everyone gets a freshly built state; ``news`` (the inputs
        just stored) reach the news listeners first."""
        if not self._listeners.get(session_id):
            return
        if not news:  # a command, a join, a removal: more than a round's rows changed
            self._structural.add(session_id)
        if news and self._news.get(session_id):
            self._tell(session_id, news)
        sooner = session_id not in self._changed  # a release amid moves: due sooner than they are
        self._changed.add(session_id)
        # only stored changes count for "the burst went quiet": the last of 500 releases shows
        # ~5 ms after it even while other dots are still being dragged
        self._last_publish[session_id] = self.clock.now()
        self._schedule(session_id, self.publish, sooner)

    def _tell(self, session_id: int, news: Sequence[Any]) -> None:
        """Hand the news on in the loop's next turn (not inside the commit that made them; from a
        worker thread, on the loop the views live on)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            owner = self._loop
            if owner is not None and owner.is_running() and not owner.is_closed():
                owner.call_soon_threadsafe(self._tell_now, session_id, news)
            else:
                self._tell_now(session_id, news)
            return
        loop.call_soon(self._tell_now, session_id, news)

    def _tell_now(self, session_id: int, news: Sequence[Any]) -> None:
        """In the turn before the flush is looked at (both were queued in this order): the flush
        waits for the news' messages only if a listener showed something (a hand vote's count
        is not news to anyone and is not held back)."""
        shown = False
        for listener in list(self._news.get(session_id, {}).values()):
            try:
                shown = listener(news) or shown
            except Exception:  # one broken client must not silence the room
                log.exception("news listener failed")
        if shown:
            self._news_at[session_id] = self.clock.now()

    def publish_motion(self, session_id: int) -> None:
        """Only inputs in motion changed (nothing stored): the listeners that show motion get
        the last state with the positions as they are now, at most every ``motion_interval``."""
        if self.restate is None:
            self.publish(session_id)
            return
        self._schedule(session_id, self.publish_motion, False)

    def _motion_only(self, session_id: int) -> bool:
        """Whether all that is pending is motion (and there is a state to show it on)."""
        return session_id not in self._changed and session_id in self._last

    def _interval(self, session_id: int) -> float:
        return self.motion_interval if self._motion_only(session_id) else self.interval

    def _forget(self, session_id: int) -> None:
        self._last.pop(session_id, None)
        self._structural.discard(session_id)
        self._cost.pop(session_id, None)
        self._changed.discard(session_id)
        self._timer.pop(session_id, None)
        self._pending.discard(session_id)
        self._news.pop(session_id, None)
        self._news_at.pop(session_id, None)
        self._deferred.discard(session_id)

    def _schedule(self, session_id: int, again: Callable[[int], None], sooner: bool) -> None:
        if not self._listeners.get(session_id):
            return
        if session_id in self._pending and not sooner:
            return  # the timer already set looks at what is pending when it fires
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            owner = self._loop
            if owner is not None and owner.is_running() and not owner.is_closed():
                # a worker thread (a sync API route, run.io_bound): the views live on the loop
                owner.call_soon_threadsafe(again, session_id)
            else:
                self._flush(session_id)
            return
        self._pending.add(session_id)
        # never flushed: -inf, so the first change is prompt whatever the clock's origin
        wait = self._last_flush.get(session_id, NEVER) + self._interval(session_id) - self.clock.now()
        # one timer per pending session: a new one (a change amid moves) retires the one set before
        token = self._timer[session_id] = self._timer.get(session_id, 0) + 1
        if wait <= 0:
            loop.call_soon(self._maybe_flush, session_id, token)
        else:
            self.clock.call_later(min(wait, self.quiet), self._maybe_flush, session_id, token)

    def _maybe_flush(self, session_id: int, token: int) -> None:
        """Flush when the burst went quiet or the interval is up, whichever comes first: the
        final count of 80 votes in 50 ms shows ~5 ms after the last one, while a steady stream
        still refreshes at most every ``interval``. Motion alone waits for its interval: where a
        drag stops matters only once the dot is let go, and that is a stored change."""
        if self._timer.get(session_id) != token or session_id not in self._pending:
            return  # retired by a sooner timer, or flushed meanwhile
        now = self.clock.now()
        last = self._last_flush.get(session_id, NEVER)
        motion_only = self._motion_only(session_id)
        interval = self._interval(session_id)
        due = last + interval
        # quiet early flushes are spaced by what the last delivery cost (SPACING_COST), at most
        # half an interval: a trickle of single votes to 500 phones gets at most 20 refreshes a
        # second, a card at an 80-phone theme table is shown at once
        quiet_since = due if motion_only else \
            max(self._last_publish.get(session_id, NEVER) + self.quiet, last + self.spacing(session_id))
        # news just handed on: their messages leave first (the build would hold them back);
        # once per flush, so a stream of news never starves the phones of their delivery
        after_news = self._news_at.get(session_id, NEVER) + self.quiet
        if now < after_news and session_id not in self._deferred:
            self._deferred.add(session_id)
            self.clock.call_later(after_news - now, self._maybe_flush, session_id, token)
        elif now >= due or now >= quiet_since:
            self._flush(session_id)
        else:
            self.clock.call_later(min(due, quiet_since) - now, self._maybe_flush, session_id, token)

    def spacing(self, session_id: int) -> float:
        """The least time between two early flushes of the session (see ``SPACING_COST``)."""
        return min(self.interval / 2, max(self.spacing_min, SPACING_COST * self._cost.get(session_id, self.interval)))

    def _flush(self, session_id: int) -> None:
        self._pending.discard(session_id)
        self._deferred.discard(session_id)
        self._last_flush[session_id] = self.clock.now()
        entries = sorted(self._listeners.get(session_id, {}).values(), key=lambda e: e[0])
        if not entries:
            self._forget(session_id)  # nobody listens: a later delivery builds anew
            return
        if self._motion_only(session_id) and self.restate is not None:
            state = self.restate(self._last[session_id])
            self._deliver_motion(state, [motion for _p, _l, motion in entries if motion is not None])
            return
        self._changed.discard(session_id)  # before building: a change meanwhile is delivered next
        started = self.clock.now()
        last = self._last.get(session_id)
        if self.rebuild is not None and last is not None and session_id not in self._structural:
            state = self.rebuild(session_id, last)
            self.rebuilds += 1
        else:
            state = self.builder(session_id)
        # after a build that succeeded: a failed one leaves the next delivery a full build
        self._structural.discard(session_id)
        self._last[session_id] = state
        self.deliveries += 1
        generation = self._generation[session_id] = self._generation.get(session_id, 0) + 1
        first = [listener for priority, listener, _m in entries if priority == FIRST]
        phones = [listener for priority, listener, _m in entries if FIRST < priority < AFTER_PHONES]
        later = [listener for priority, listener, _m in entries if priority >= AFTER_PHONES]
        if not first:  # nobody waits at the front: the first chunk of phones goes at once
            first, phones = phones[:CHUNK], phones[CHUNK:]
        self._deliver(session_id, generation, state, first)
        self._cost[session_id] = self.clock.now() - started
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._deliver(session_id, generation, state, phones + later)
            return
        if phones or later:
            loop.call_soon(self._deliver_chunks, loop, session_id, generation, state, phones, later)

    def _deliver_chunks(self, loop: asyncio.AbstractEventLoop, session_id: int, generation: int,
                        state: Any, listeners: list[Listener], later: list[Listener]) -> None:
        # one chunk per loop turn, each scheduling the next: socket I/O runs in between
        started = self.clock.now()
        self._deliver(session_id, generation, state, listeners[:CHUNK])
        self._charge(session_id, generation, started)
        if listeners[CHUNK:]:
            loop.call_soon(self._deliver_chunks, loop, session_id, generation, state, listeners[CHUNK:], later)
        elif later:
            loop.call_soon(self._after_phones, loop, session_id, generation, state, later, SENT_AFTER)

    def _after_phones(self, loop: asyncio.AbstractEventLoop, session_id: int, generation: int, state: Any,
                      listeners: list[Listener], turns: int) -> None:
        """``AFTER_PHONES`` waits ``turns`` more loop turns: a phone's message leaves through its
        client's outbox task and the socket's writer task, a few turns after the phone was told.
        Run in the last chunk's turn, the console's new view (10–40 ms of element construction)
        held back the last phones' messages by as much."""
        if turns > 0:
            loop.call_soon(self._after_phones, loop, session_id, generation, state, listeners, turns - 1)
            return
        started = self.clock.now()
        self._deliver(session_id, generation, state, listeners)
        self._charge(session_id, generation, started)

    def _charge(self, session_id: int, generation: int, started: float) -> None:
        """Add a later part of a delivery (a chunk of phones) to what it cost."""
        if self._generation.get(session_id) == generation:
            self._cost[session_id] = self._cost.get(session_id, 0.0) + self.clock.now() - started

    def _deliver_motion(self, state: Any, listeners: list[Listener]) -> None:
        """All at once, in the flush: a few screens, and under the same generation, so a full
        state still on its way to the phones in chunks is not abandoned for it."""
        self.motion_deliveries += 1
        for listener in listeners:
            try:
                listener(state)
            except Exception:  # one broken client must not silence the room
                log.exception("live listener failed")

    def _deliver(self, session_id: int, generation: int, state: Any, listeners: list[Listener]) -> None:
        if self._generation.get(session_id) != generation:
            return  # a newer state is already on its way to everyone
        for listener in listeners:
            try:
                listener(state)
            except Exception:  # one broken client must not silence the room
                log.exception("live listener failed")
