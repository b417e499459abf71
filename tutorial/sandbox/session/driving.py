"""Driving a session's simulated clock through the process's one scheduler (scheduler.py).

A session asks to be woken when its cluster has something due (Cluster.next_due(), jumping straight
there when it is far), every simulated second while the traffic strip is on, every couple of
seconds while a rollout or a streaming command runs (lease renewal; the clock on the page is
re-synced every CLOCK_SYNC_SECONDS and counts by itself in between), or when a coalesced push or a
save is owed. Views are rendered only when Cluster.changes moved. A sandbox with nothing to do asks
for nothing: after DORMANT_AFTER_SECONDS (FIRST_DORMANT_AFTER_SECONDS before its first message) it
is saved and its cluster dropped (only the saved snapshot stays in memory); the next message (or
due time) restores it and lets the wall time missed pass, as a reconnect does.

Mixed into SandboxSession (session.py), whose state it reads and whose senders it calls.
"""

from __future__ import annotations

import asyncio
import logging
import time

from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _

from tutorial.sandbox import memory
from tutorial.sandbox.scheduler import scheduler
from tutorial.sandbox.persistence.sandboxes import restore_cluster

logger = logging.getLogger(__name__)

TICK_SECONDS = 0.1  # the shortest wall time between two ticks of one sandbox
DRIVE_HORIZON_SECONDS = 1.0  # due sooner than this (wall): the session drives (clock shown, lease renewed)
DORMANT_AFTER_SECONDS = 10.0  # quiet this long (wall): saved, cluster dropped until the next message
# A console opened but not used yet (a learner reading the lesson) keeps its cluster only this long:
# a live cluster is 100-200 KB, a dormant one its snapshot, and pages are opened far more than used.
FIRST_DORMANT_AFTER_SECONDS = 2.0
MAX_TICK_WALL_SECONDS = 1.0  # a stalled event loop does not make the cluster jump ahead
VIEW_INTERVAL_SECONDS = 0.1  # live view updates are coalesced to at most 10 per second
ROLLOUT_INTERVAL_SECONDS = 0.5  # the Rollout panel (chart, why log, traffic) at most twice a second
CLOCK_INTERVAL_SECONDS = 1.0  # Redis unreachable: tick this often to rejoin the channel layer
# While the clock is driven the controls (clock, speed) are re-sent this often; the page counts the
# clock forward itself in between (static/js/sim-clock.js).
CLOCK_SYNC_SECONDS = 5.0
SAVE_INTERVAL_SECONDS = 5.0  # while the clock runs; commands are saved at once
GRADE_INTERVAL_SECONDS = 1.0  # automatic grading while the clock runs
TIME_SPENT_INTERVAL_SECONDS = 30.0  # how often time spent on exercises is written (and on leaving)
# A long simulated-time jump (settle, a dormant console's catch-up) gives the event loop to the
# other sessions this often (wall time); this session's lock stays held, so it stays consistent.
YIELD_EVERY_SECONDS = 0.005


class ClockDriving:
    def _note_changes(self) -> None:
        """Mark the views dirty when the cluster's objects changed (a counter, no watch events)."""
        changes = self.cluster.changes
        if changes != self.changes_seen:
            self.changes_seen = changes
            self.view_dirty = True
            self.rollout_dirty = True

    async def _awake(self) -> None:
        """Bring the cluster back if it was dropped, and let the wall time since the last tick pass."""
        self.dormant_wake = None
        if self.dormant_snapshot is not None:
            # Lossless: the snapshot was saved from this very cluster just before it was dropped.
            self.cluster = restore_cluster(self.dormant_snapshot)
            self.dormant_snapshot = None
            self.changes_seen = self.cluster.changes
            self.graded_changes = self._grade_key()
        await self._sync_clock(asyncio.get_running_loop().time())

    async def _sync_clock(self, now: float) -> None:
        elapsed = now - self.clock_at
        if self.planned is not None and now > self.planned + MAX_TICK_WALL_SECONDS:
            # A stalled event loop does not make a driven cluster jump ahead.
            elapsed = max(0.0, self.planned - self.clock_at) + MAX_TICK_WALL_SECONDS
        self.clock_at = now
        if self.paused or elapsed <= 0:
            return
        await self._advance(elapsed * self.speed)

    async def _advance(self, seconds: float) -> None:
        """Let `seconds` of simulated time pass (traffic strip included), in slices: every
        YIELD_EVERY_SECONDS of wall time the other sessions get the event loop."""
        if seconds <= 0:
            return
        changes = self.cluster.changes
        mark = time.perf_counter()
        for _ in self.traffic.advance_steps(self.cluster, seconds):
            if time.perf_counter() - mark >= YIELD_EVERY_SECONDS:
                await asyncio.sleep(0)
                mark = time.perf_counter()
        # Only the clock moved: no save owed (a restore lets the same time pass from the saved
        # row's saved_at, deterministically). Before the cluster is dropped, tick() saves it.
        if self.cluster.changes != changes or self.traffic.enabled or self.terminals.running():
            self.unsaved = True

    def _due_in(self) -> float | None:
        """Wall seconds until the cluster has something due (None: nothing ever, or paused)."""
        if self.paused:
            return None
        due = self.cluster.next_due()
        if self.traffic.enabled:  # one request every whole simulated second
            second = int(self.cluster.now) + 1.0
            due = second if due is None else min(due, second)
        return None if due is None else max(0.0, due - self.cluster.now) / self.speed

    def _driving(self, due_in: float | None) -> bool:
        """Something visible happens soon: show the clock every second and hold the lease."""
        if self.paused:
            return False
        return (self.terminals.running() != [] or self.traffic.enabled
                or (due_in is not None and due_in <= DRIVE_HORIZON_SECONDS))

    def _busy(self) -> bool:
        return bool(self.terminals.running()) or self.edit_token is not None

    def _plan(self) -> None:
        """Ask the scheduler for the next tick this sandbox needs, or for none at all."""
        now = asyncio.get_running_loop().time()
        # Redis unreachable: tick every second so the lease renewal rejoins the group.
        layer = now + CLOCK_INTERVAL_SECONDS if self.layer_down else None
        if self.stopped or self.cluster is None:
            wake = min([t for t in (self.dormant_wake, layer) if t is not None], default=None)
            if not self.stopped and wake is not None:
                self.planned = wake
                scheduler().wake_at(self, wake)
            else:
                self._forget_clock()
            return
        self._note_changes()
        due_in = self._due_in()
        driving = self._driving(due_in)
        running = bool(self.terminals.running())
        wakes = [] if layer is None else [layer]
        if due_in is not None:
            wakes.append(now + due_in)
        if driving:
            wakes.append(min(self.last_clock + CLOCK_SYNC_SECONDS, self.lease_due()))
        if self.view_dirty:
            wakes.append(self.last_view + VIEW_INTERVAL_SECONDS)
        if self.rollout_dirty or self.traffic.changed:
            wakes.append(self.last_rollout + ROLLOUT_INTERVAL_SECONDS)
        if self._grade_key() != self.graded_changes:
            wakes.append(self.last_grade + GRADE_INTERVAL_SECONDS)
        if self.unsaved:  # saved at once when the clock goes quiet, else every 5 s (or retried)
            wakes.append(self.last_save + SAVE_INTERVAL_SECONDS if driving or self.database_down else now)
        if driving or self.unsaved or self.view_dirty or running:
            self.busy_at = now
        quiet = not driving and not self._busy() and not self.database_down
        if quiet:
            # Nothing soon: after a while drop the cluster (save first) and wait for a message or
            # for the far due time.
            wakes.append(self.busy_at + self._dormant_after())
        if not wakes:
            self._forget_clock()
            return
        when = max(min(wakes), now + TICK_SECONDS)
        self.planned = when
        scheduler().wake_at(self, when)

    def _forget_clock(self) -> None:
        self.planned = None
        try:
            scheduler().forget(self)
        except RuntimeError:  # no running loop (never scheduled)
            pass

    async def clock_tick(self) -> None:
        """One tick, run by the scheduler when this sandbox asked for it."""
        if self.stopped or self.cluster is None and self.dormant_snapshot is None:
            return
        # The renewal (a database call every RENEW_INTERVAL_SECONDS) outside the lock: no client's
        # message waits for it. It reads and writes only the lease's own fields.
        if not await self._lease_keep():
            return
        async with self.lock, self.outbox.batched():
            if self.stopped or self.cluster is None and self.dormant_snapshot is None:
                return
            now = asyncio.get_running_loop().time()
            try:
                if self.cluster is None and (self.dormant_wake is None or now < self.dormant_wake):
                    return  # dormant, woken only to rejoin the channel layer: stay dormant
                await self._awake()
                await self.tick(now)
            except asyncio.CancelledError:
                raise
            except DatabaseError as exc:  # the cluster is fine: keep it, save when the database is back
                await self._database_failed(exc)
            except Exception:
                logger.exception("Clock tick failed in sandbox %s", self.sandbox.pk)
                await self._recover()
            finally:
                self.planned = None
                if not self.stopped:
                    self._plan()

    async def tick(self, now: float) -> None:
        """What a tick at loop time `now` does: output of running commands, coalesced views,
        grading, saving, time spent, dormancy."""
        await self._send_command_output()
        self._note_changes()
        due_in = self._due_in()
        driving = self._driving(due_in)
        if self.view_dirty and now - self.last_view >= VIEW_INTERVAL_SECONDS:
            self.last_view = now
            await self._send_view()
        if (self.rollout_dirty or self.traffic.changed) and now - self.last_rollout >= ROLLOUT_INTERVAL_SECONDS:
            self.last_rollout = now
            await self._send_rollout()
        if driving and now - self.last_clock >= CLOCK_SYNC_SECONDS:
            self.last_clock = now
            await self._send_controls()
        if self._grade_key() != self.graded_changes and now - self.last_grade >= GRADE_INTERVAL_SECONDS:
            await self._grade()
        if self.unsaved and (now - self.last_save >= SAVE_INTERVAL_SECONDS
                             or not (driving or self.database_down)):
            self.last_save = now
            await self._save()  # also before the clock goes quiet: the saved row is the whole state
        if now - self.time_mark >= TIME_SPENT_INTERVAL_SECONDS:
            await self._account_time()
        if (not driving and not self._busy() and not self.unsaved
                and not self.view_dirty and now - self.busy_at >= self._dormant_after()):
            if self.cluster.now != self.last_snapshot.get("now"):
                await self._save()  # the cluster is dropped to its snapshot: of this very moment
            self._go_dormant()

    def due(self) -> float | None:
        """Loop time of the next tick this session asked for (None: nothing planned)."""
        return self.planned

    def _dormant_after(self) -> float:
        return DORMANT_AFTER_SECONDS if self.used else min(FIRST_DORMANT_AFTER_SECONDS, DORMANT_AFTER_SECONDS)

    def _go_dormant(self) -> None:
        """Keep only the saved snapshot (a few KB) instead of the live cluster (a few hundred)."""
        due_in = self._due_in()
        self.dormant_wake = None if due_in is None else asyncio.get_running_loop().time() + due_in
        self.dormant_snapshot = self.last_snapshot
        self.cluster.close()  # freed now, not at the next full garbage collection
        self.cluster = None
        self.changes_seen = None
        self.rollout_sent = {}
        memory.trim_soon()

    async def _recover(self) -> None:
        """Go back to the last saved snapshot after an unexpected simulator error."""
        self._end_commands()
        self._use_cluster(restore_cluster(self.last_snapshot))
        await self._send_entries([{"kind": "error", "text": self._t(_(
            "Internal error in the simulator; it was reported and the sandbox went back to its last saved state.\n"))}])
        await self._send_full_state()
