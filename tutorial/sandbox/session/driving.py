"""Driving a session's simulated clock through the process's one scheduler (scheduler.py).

A session asks to be woken when its cluster has something due (Cluster.next_due(), jumping straight
there when it is far), every simulated second while the traffic strip is on, every couple of
seconds while a rollout or a streaming command runs (lease renewal; the clock on the page is
re-synced every CLOCK_SYNC_SECONDS and counts by itself in between), or when a coalesced push or a
save is owed. Views are rendered only when Cluster.changes moved. A sandbox with nothing to do asks
for nothing: after DORMANT_AFTER_SECONDS (FIRST_DORMANT_AFTER_SECONDS before its first message) it
is saved and its cluster dropped (only the saved snapshot stays in memory, and once that save is
written not even that: the row has it, IN_ROW); the next message (or due time) restores it and lets
the wall time missed pass, as a reconnect does.

The session (session.py) makes one Clock with the parts a tick calls, and runs its ticks under
its lock when the scheduler wakes it.
"""

from __future__ import annotations

import asyncio
import time

from tutorial.sandbox import memory
from tutorial.sandbox.persistence.lease import LeaseKeeper
from tutorial.sandbox.persistence.sandboxes import restore_cluster
from tutorial.sandbox.session.commands import Commands
from tutorial.sandbox.session.editing import Editor
from tutorial.sandbox.session.grading import GRADE_INTERVAL_SECONDS, Grader
from tutorial.sandbox.session.live import Live
from tutorial.sandbox.session.outbox import Outbox
from tutorial.sandbox.session.saving import Saver
from tutorial.sandbox.session.screen import Screen

TICK_SECONDS = 0.1  # the shortest wall time between two ticks of one sandbox
DRIVE_HORIZON_SECONDS = 1.0  # due sooner than this (wall): the session drives (clock shown, lease renewed)
DORMANT_AFTER_SECONDS = 10.0  # quiet this long (wall): saved, cluster dropped until the next message
# A console opened but not used yet (a learner reading the lesson) keeps its cluster only this long:
# a live cluster is 100-200 KB, a dormant one its snapshot, and pages are opened far more than used.
FIRST_DORMANT_AFTER_SECONDS = 2.0
MAX_TICK_WALL_SECONDS = 1.0  # a stalled event loop does not make the cluster jump ahead
VIEW_INTERVAL_SECONDS = 0.1  # live view updates are coalesced to at most 10 per second
# The Rollout panel (chart, why log, traffic) goes out with a cluster view once this long has passed
# since it was last sent, and on a tick of its own only after ROLLOUT_INTERVAL_SECONDS: in a rollout
# the views of pods becoming ready come every 0.3 s or so, and a panel throttled on its own clock
# went out as a frame between two views (a rollout of 3 replicas: 9 frames in 3 s, now 6; 4 panel
# renders, now 3).
ROLLOUT_WITH_VIEW_SECONDS = 0.5
ROLLOUT_INTERVAL_SECONDS = 1.0
CLOCK_INTERVAL_SECONDS = 1.0  # Redis unreachable: tick this often to rejoin the channel layer
# While the clock is driven the controls (clock, speed) are re-sent this often; the page counts the
# clock forward itself in between (static/js/sim-clock.js).
CLOCK_SYNC_SECONDS = 5.0
# A change the clock made (pods becoming ready, a streaming command's end) is saved this long after
# the last save, not at once: the row lags at most this much behind, and a learner typing every few
# seconds has it written by the next command's save (commands are saved at once). A restore lets
# the missed time pass from the row's saved_at, deterministically, so nothing is lost but a crash's
# last seconds of output. Before the cluster is dropped (dormancy), it is saved at once.
SAVE_INTERVAL_SECONDS = 5.0
TIME_SPENT_INTERVAL_SECONDS = 30.0  # how often time spent on exercises is written (and on leaving)
# A long simulated-time jump (settle, a dormant console's catch-up) gives the event loop to the
# other sessions this often (wall time); this session's lock stays held, so it stays consistent.
YIELD_EVERY_SECONDS = 0.005


class _InRow:
    """A dormant sandbox whose snapshot is only in its row: an idle learner keeps no 10-20 KB
    snapshot in the process; the next wake reads it back (one SELECT)."""

    def __repr__(self) -> str:
        return "IN_ROW"


IN_ROW = _InRow()


class Clock:
    def __init__(self, live: Live, *, screen: Screen, saver: Saver, grader: Grader, editor: Editor,
                 commands: Commands, lease: LeaseKeeper, outbox: Outbox):
        self.live = live
        self.screen, self.saver, self.grader, self.editor = screen, saver, grader, editor
        self.commands, self.lease, self.outbox = commands, lease, outbox
        self.clock_at = 0.0  # loop time up to which wall time was turned into simulated time
        self.planned: float | None = None  # loop time of the tick asked from the scheduler
        self.busy_at = 0.0  # loop time the sandbox last had something to do
        # The saved snapshot while the cluster is dropped; IN_ROW once that save is written.
        self.dormant_snapshot: dict | _InRow | None = None
        saver.on_written = self.shed
        self.dormant_wake: float | None = None  # loop time a dormant sandbox has something due
        self.last_view = self.last_rollout = 0.0

    def started(self) -> None:
        """A cluster was loaded: wall time counts from now."""
        self.clock_at = self.busy_at = asyncio.get_running_loop().time()
        self.dormant_snapshot = None

    @property
    def dormant(self) -> bool:
        return self.live.cluster is None and self.dormant_snapshot is not None

    async def awake(self) -> None:
        """Bring the cluster back if it was dropped, and let the wall time since the last tick pass."""
        live = self.live
        self.dormant_wake = None
        if self.dormant_snapshot is IN_ROW:
            self.dormant_snapshot = await self.saver.read_back()  # DatabaseError: stays IN_ROW
        if self.dormant_snapshot is not None:
            # Lossless: the snapshot was saved from this very cluster just before it was dropped.
            live.cluster = restore_cluster(self.dormant_snapshot)
            self.dormant_snapshot = None
            self.screen.changes_seen = live.cluster.changes
            self.grader.mark_graded()
        await self.sync(asyncio.get_running_loop().time())

    async def sync(self, now: float) -> None:
        elapsed = now - self.clock_at
        if self.planned is not None and now > self.planned + MAX_TICK_WALL_SECONDS:
            # A stalled event loop does not make a driven cluster jump ahead.
            elapsed = max(0.0, self.planned - self.clock_at) + MAX_TICK_WALL_SECONDS
        self.clock_at = now
        if self.live.paused or elapsed <= 0:
            return
        await self.advance(elapsed * self.live.speed)

    async def advance(self, seconds: float) -> None:
        """Let `seconds` of simulated time pass (traffic strip included), in slices: every
        YIELD_EVERY_SECONDS of wall time the other sessions get the event loop."""
        live = self.live
        if seconds <= 0:
            return
        changes = live.cluster.changes
        mark = time.perf_counter()
        for _ in live.traffic.advance_steps(live.cluster, seconds):
            if time.perf_counter() - mark >= YIELD_EVERY_SECONDS:
                await asyncio.sleep(0)
                mark = time.perf_counter()
        # Only the clock moved: no save owed (a restore lets the same time pass from the saved
        # row's saved_at, deterministically). Before the cluster is dropped, tick() saves it.
        if live.cluster.changes != changes or live.traffic.enabled or live.terminals.running():
            live.unsaved = True

    def due_in(self) -> float | None:
        """Wall seconds until the cluster has something due (None: nothing ever, or paused)."""
        live = self.live
        if live.paused:
            return None
        due = live.cluster.next_due()
        if live.traffic.enabled:  # one request every whole simulated second
            second = int(live.cluster.now) + 1.0
            due = second if due is None else min(due, second)
        return None if due is None else max(0.0, due - live.cluster.now) / live.speed

    def driving(self, due_in: float | None) -> bool:
        """Something visible happens soon: show the clock every second and hold the lease."""
        live = self.live
        if live.paused:
            return False
        return (live.terminals.running() != [] or live.traffic.enabled
                or (due_in is not None and due_in <= DRIVE_HORIZON_SECONDS))

    def busy(self) -> bool:
        """A command runs, kubectl edit waits, or the learner's own kubectl is attached
        (kubeapi/live.py: a watch open or a request in the last 30 s): never dormant."""
        return (bool(self.live.terminals.running()) or self.editor.token is not None
                or any(getattr(client, "keeps_clock", False) for client in self.outbox.clients))

    def plan(self) -> float | None:
        """Loop time of the next tick this sandbox needs (None: none at all)."""
        live = self.live
        now = asyncio.get_running_loop().time()
        # Redis unreachable: tick every second so the lease renewal rejoins the group.
        layer = now + CLOCK_INTERVAL_SECONDS if self.lease.layer_down else None
        if live.stopped or live.cluster is None:
            wake = min([t for t in (self.dormant_wake, layer) if t is not None], default=None)
            self.planned = None if live.stopped else wake
            return self.planned
        self.screen.note_changes()
        due_in = self.due_in()
        driving = self.driving(due_in)
        wakes = [] if layer is None else [layer]
        if due_in is not None:
            wakes.append(now + due_in)
        if driving:
            wakes.append(min(self.screen.controls_at + CLOCK_SYNC_SECONDS, self.lease.due()))
        if self.screen.view_owed():
            wakes.append(self.last_view + VIEW_INTERVAL_SECONDS)
        if self.screen.rollout_owed():
            wakes.append(self.last_rollout + ROLLOUT_INTERVAL_SECONDS)
        if self.grader.owed():
            wakes.append(self.grader.last_grade + GRADE_INTERVAL_SECONDS)
        if live.unsaved:  # 5 s after the last save (or retried as often while the database is down)
            wakes.append(self.saver.prepared_at + SAVE_INTERVAL_SECONDS)
        if driving or self.screen.view_owed() or live.terminals.running():
            self.busy_at = now
        if not driving and not self.busy() and not self.lease.database_down:
            # Nothing soon: after a while drop the cluster (save first) and wait for a message or
            # for the far due time.
            wakes.append(self.busy_at + self.dormant_after())
        self.planned = max(min(wakes), now + TICK_SECONDS) if wakes else None
        return self.planned

    async def tick(self, now: float) -> None:
        """What a tick at loop time `now` does: output of running commands, coalesced views,
        grading, saving, time spent, dormancy."""
        live, screen = self.live, self.screen
        await self.commands.send_output()
        screen.note_changes()
        due_in = self.due_in()
        driving = self.driving(due_in)
        viewed = screen.view_owed() and now - self.last_view >= VIEW_INTERVAL_SECONDS
        if viewed:
            self.last_view = now
            await screen.view()
        since = now - self.last_rollout
        if screen.rollout_owed() and (
                since >= ROLLOUT_INTERVAL_SECONDS or viewed and since >= ROLLOUT_WITH_VIEW_SECONDS):
            self.last_rollout = now
            await screen.rollout_panel()
        if driving and now - screen.controls_at >= CLOCK_SYNC_SECONDS:  # not just sent with a command
            await screen.controls()
        if self.grader.owed() and now - self.grader.last_grade >= GRADE_INTERVAL_SECONDS:
            await self.grader.grade()
        if live.unsaved and now - self.saver.prepared_at >= SAVE_INTERVAL_SECONDS:
            await self.saver.save()
        if now - self.grader.time_mark >= TIME_SPENT_INTERVAL_SECONDS:  # both time.monotonic()
            await self.grader.account_time()
        if (not driving and not self.busy() and not self.lease.database_down
                and not screen.view_owed() and now - self.busy_at >= self.dormant_after()):
            if live.unsaved or not self.saver.moment_saved():
                await self.saver.save()  # the cluster is dropped to its snapshot: of this very moment
            self.go_dormant()

    def dormant_after(self) -> float:
        return DORMANT_AFTER_SECONDS if self.live.used else min(FIRST_DORMANT_AFTER_SECONDS, DORMANT_AFTER_SECONDS)

    def go_dormant(self) -> None:
        """Keep only the saved snapshot (a few KB) instead of the live cluster (a few hundred)."""
        live = self.live
        due_in = self.due_in()
        self.dormant_wake = None if due_in is None else asyncio.get_running_loop().time() + due_in
        self.dormant_snapshot = self.saver.last_snapshot
        live.cluster.close()  # freed now, not at the next full garbage collection
        live.cluster = None
        self.screen.changes_seen = None
        self.screen.rollout_sent = {}
        self.shed()  # at once if the save is written, else when it is (Saver.on_written)
        memory.trim_soon()

    def shed(self) -> None:
        """A dormant sandbox whose snapshot is written lets it go: the row has it."""
        if self.dormant and self.dormant_snapshot is not IN_ROW and self.saver.in_row() \
                and self.dormant_snapshot is self.saver.last_snapshot:
            self.dormant_snapshot = IN_ROW
            self.saver.forget_snapshot()
