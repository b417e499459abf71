"""What the session's clients see, drawn from the live sandbox: console entries, the clock
controls, the live cluster view (or a replayed moment of it) and the Rollout panel.

The view and the Rollout panel are redrawn only when the cluster's objects changed (a counter,
Cluster.changes, no watch events); each part of the Rollout panel is sent only when its HTML
differs from what was sent last (a hash per part is kept, not the HTML).

Only what some window shows is drawn: each browser says which of PANELS it shows ({"showing": […]},
static/js/console.js: the why-log and traffic tabs are hidden behind the chart's, a phone shows one
pane, a page in a background tab shows nothing; a window of another process says it through the
sandbox's group like any message). A client that never said (an instructor's view, a page loaded
before this) shows everything. A panel shown again is drawn at once if it missed a change.
"""

from __future__ import annotations

import asyncio

from tutorial.sandbox.panels import fragments
from tutorial.sandbox.panels.cluster_view import build_cluster_view, view_of
from tutorial.sandbox.panels.rollout_panel import RolloutChoice
from tutorial.sandbox.session.live import Live
from tutorial.sandbox.session.outbox import Outbox
from tutorial.sandbox.session.state import console_state, controls_state, rollout_state
from tutorial.sandbox.session.terminals import Terminal

PANELS = frozenset({"cluster", *fragments.PANEL_PARTS})  # cluster view, chart, why, traffic


class Screen:
    def __init__(self, live: Live, outbox: Outbox):
        self.live = live
        self.outbox = outbox
        self.view_tick = 0  # the view's sequence number: the page drops a stale one
        self.view_dirty = True
        self.rollout_dirty = True
        self.changes_seen = None  # Cluster.changes when the views were last marked dirty
        self.rollout_sent: dict[str, int] = {}  # part → hash of the HTML last sent
        self.replay_at: float | None = None  # the simulated moment the view shows; None: live
        self.rollout = RolloutChoice()  # the Rollout panel's Deployment: picked, else the rolling one
        self.controls_at = float("-inf")  # loop time the controls (clock, speed) were last sent

    # ---------------------------------------------------------------- plain output
    async def send(self, text: str) -> None:
        await self.outbox.send(text)

    async def entries(self, entries: list[dict], terminal: Terminal | None = None) -> None:
        suffix = "" if terminal is None else terminal.suffix
        await self.send(fragments.appended_entries(entries, self.live.language, suffix))

    async def error(self, text: str, terminal: Terminal | None = None) -> None:
        """A clear message in the console; not kept in the transcript (it is about the message)."""
        await self.entries([{"kind": "error", "text": text + "\n"}], terminal)

    async def say(self, message, kind: str = "info") -> None:
        """A message of the session itself (database or Redis down and back) in terminal 1."""
        try:
            await self.entries([{"kind": kind, "text": self.live.t(message) + "\n"}])
        except Exception:  # the sockets are already gone
            pass

    async def controls(self) -> None:
        live = self.live
        self.controls_at = asyncio.get_running_loop().time()
        context = controls_state(live.cluster, live.terminals, speed=live.speed, paused=live.paused,
                                 tick=self.view_tick, editing=live.editing)
        await self.send(fragments.controls(context, live.language))

    # ---------------------------------------------------------------- the whole console
    def console_context(self) -> dict:
        """The console's whole state, as the lesson page renders it first (state.py: one place)."""
        live = self.live
        return console_state(live.cluster, live.terminals, speed=live.speed, paused=live.paused,
                             tick=self.view_tick, editing=live.editing)

    async def console(self) -> None:
        """The console, every terminal and the live view, as after a page load."""
        live = self.live
        self.view_tick += 1
        self.view_dirty = False
        self.changes_seen = live.cluster.changes
        self.controls_at = asyncio.get_running_loop().time()
        await self.send(fragments.full_state(self.console_context(), live.language))
        for terminal in live.terminals:
            if terminal.id != "1":  # the page shows terminal N > 1 under ids suffixed "-N"
                await self.send(fragments.terminal_state(terminal.transcript, terminal.history, live.language,
                                                         terminal.suffix))

    def forget(self) -> None:
        """The cluster was replaced (restored, reset) or dropped: everything is drawn anew."""
        self.changes_seen = None
        self.replay_at = None
        self.view_dirty = self.rollout_dirty = True
        self.rollout_sent = {}

    # ---------------------------------------------------------------- what windows show
    def shown(self) -> frozenset:
        """The panels at least one attached window shows (all of them when nobody said)."""
        shown = frozenset()
        for client in self.outbox.clients:
            showing = getattr(client, "showing", None)
            if showing is None:
                return PANELS
            shown |= showing
        return shown if self.outbox.clients else PANELS

    def set_showing(self, client, names: list) -> bool:
        """`client` now shows `names` (unknown ones ignored). True when a panel shown now and not
        before missed a change: it has to be drawn (draw_shown, with the cluster awake)."""
        before = self.shown()
        client.showing = PANELS.intersection(names)
        new = self.shown() - before
        tabs = new - {"cluster"}
        return ("cluster" in new and self.view_dirty) or bool(tabs) and (
            self.rollout_dirty or self.live.traffic.changed
            or any(part not in self.rollout_sent for panel in tabs for part in fragments.PANEL_PARTS[panel]))

    async def draw_shown(self) -> None:
        self.note_changes()
        if self.view_dirty:
            await self.view()
        await self.rollout_panel()

    def view_owed(self) -> bool:
        return self.view_dirty and "cluster" in self.shown()

    def rollout_owed(self) -> bool:
        return ((self.rollout_dirty or self.live.traffic.changed)
                and not self.shown().isdisjoint(fragments.PANEL_PARTS))

    # ---------------------------------------------------------------- the live view
    def note_changes(self) -> None:
        """Mark the views dirty when the cluster's objects changed."""
        changes = self.live.cluster.changes
        if changes != self.changes_seen:
            self.changes_seen = changes
            self.view_dirty = self.rollout_dirty = True

    async def view(self) -> None:
        if self.replay_at is not None:  # the replayed moment stays on screen until "Back to live"
            self.view_dirty = False
            return
        if "cluster" not in self.shown():  # stays dirty: drawn when a window shows it (draw_shown)
            return
        self.view_tick += 1
        self.view_dirty = False
        await self.send(fragments.cluster_view(view_of(self.live.cluster), self.view_tick, self.live.language))

    async def show_moment(self, at: float) -> None:
        """Replay: the view and the Rollout panel as they were at simulated time `at`."""
        self.replay_at = at
        self.view_tick += 1
        self.view_dirty = False
        objects = self.live.cluster.view_at(at)
        view = build_cluster_view(objects["deployments"], objects["replicasets"], objects["pods"])
        # not the slider itself: the learner may still be dragging it
        await self.send(fragments.cluster_view(view, self.view_tick, self.live.language,
                                               replay_clock=fragments.format_clock(at)))
        self.rollout_sent = {}
        await self.rollout_panel()

    async def back_to_live(self) -> None:
        was = self.replay_at is not None
        self.replay_at = None
        await self.send(fragments.replay_bar(at=None, now=self.live.cluster.now, language=self.live.language))
        if was:
            self.rollout_sent = {}
            await self.view()
            await self.rollout_panel()

    # ---------------------------------------------------------------- the Rollout panel
    async def rollout_panel(self) -> None:
        """The parts of the Rollout panel whose HTML changed since they were last sent."""
        live = self.live
        self.rollout_dirty = False
        live.traffic.changed = False
        shown = self.shown()
        names = [name for panel, names in fragments.PANEL_PARTS.items() if panel in shown for name in names]
        if not names:  # no window shows any of it
            self.rollout_sent = {}
            return
        context = rollout_state(live.cluster, self.rollout, live.traffic, live.language, at=self.replay_at,
                                why="why" in shown)
        parts = fragments.rollout_parts(context, live.language, names)
        changed = [html for name, html in parts.items() if self.rollout_sent.get(name) != hash(html)]
        # a hidden part is forgotten: it may have changed, and is sent when shown (set_showing)
        self.rollout_sent = {name: hash(html) for name, html in parts.items()}
        if changed:
            await self.send("".join(changed))
