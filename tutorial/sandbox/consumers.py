"""The console WebSocket: one consumer drives one learner's sandbox while the page is open.

Incoming messages are JSON (the htmx ws extension sends the console form as {"command": ...},
plus a HEADERS object we ignore); outgoing messages are HTML fragments whose top-level elements
htmx swaps out of band by id. Simulator calls are synchronous and fast, so they run on the event
loop under one lock: commands, clock ticks and resets never interleave.

Messages understood: {"command": "..."}, {"cancel": true} (Ctrl+C), {"clear": true} (Ctrl+L),
{"complete": "..."} (Tab), {"speed": 1|5|20}, {"pause": true|false}, {"reset": true},
{"check": "<exercise id>"} (the Check button), {"hint": "<exercise id>"} (reveal the next hint),
{"step": 1|10|"settle"} (let simulated time pass now; "settle" = until the selected Deployment's
rollout is over, at most 600 s), {"rollout": "<namespace>/<deployment>"} (the Rollout panel's
Deployment), {"traffic": true|false} and {"traffic_service": "<namespace>/<service>"} (the traffic
strip). The file editor panel, `kubectl edit` in it, and replay ({"file_…"}, {"edit_…"},
{"replay": …}): tutorial/sandbox/panels_consumer.py.

The Rollout panel (chart, "why" log, traffic strip) is re-rendered when the cluster changed, at most
twice a second, and each of its parts is sent only when its HTML differs from what was sent (a hash
of each part is kept, not the HTML).

The clock is driven by the process's one scheduler (scheduler.py), not by a loop per console: a
console asks to be woken when its cluster has something due (Cluster.next_due(), jumping straight
there when it is far), every simulated second while the traffic strip is on, every couple of
seconds while a rollout or a streaming command runs (lease renewal; the clock on the page is
re-synced every CLOCK_SYNC_SECONDS and counts by itself in between), or when a coalesced push or a
save is owed. Views are rendered only when Cluster.changes moved. A sandbox with nothing to do asks
for nothing: after DORMANT_AFTER_SECONDS (FIRST_DORMANT_AFTER_SECONDS before its first message) it
is saved and its cluster dropped (only the saved snapshot stays in memory); the next message (or
due time) restores it and lets the wall time missed pass, as a reconnect does.

Everything one message or tick sends goes out as one frame (outbox.py); database calls go through
`_db` (db.py), and on PostgreSQL the save and the lease renewal are awaited on the loop (pg_async.py).

The lesson's exercises are graded after every command and, while the clock runs, at most once a
second; the exercise panel is pushed whenever what it shows changes (tutorial/progress/).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time

from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tutorial.lessons.catalogue import get_catalogue
from tutorial.sandbox import fragments, memory
from tutorial.sandbox.cluster_view import view_of
from tutorial.progress.panel import grade_all, panel_context
from tutorial.progress.services import MAX_TIME_STEP_SECONDS, add_time, exercise_progress, record_grading, result_signature, reveal_hint
from tutorial.sandbox.completion import apply_completion
from tutorial.sandbox.db import NoLoopConnectionSweep
from tutorial.sandbox.lease import LeaseHolder
from tutorial.sandbox.outbox import BatchedSends
from tutorial.sandbox.limits import COMMANDS_PER_SECOND, MAX_COMMAND_CHARS, MAX_MESSAGE_BYTES, TokenBucket
from tutorial.sandbox.models import Sandbox
from tutorial.sandbox.owners import owner_for
from tutorial.sandbox.editor import MAX_EDITOR_MESSAGE_BYTES
from tutorial.sandbox.panels_consumer import EditorMixin, ReplayMixin
from tutorial.sandbox.scheduler import scheduler
from tutorial.sandbox.rollout_panel import SETTLE_LIMIT_SECONDS, RolloutChoice, chosen_deployment, rollout_settled
from tutorial.sandbox.traffic import TrafficStrip, service_names
from tutorial.sandbox.services import (
    SPEEDS,
    catch_up_seconds,
    history_append,
    restore_cluster,
    sandbox_exercise_since,
    sandbox_get_or_create,
    sandbox_reset,
    transcript_append,
)

logger = logging.getLogger(__name__)

TICK_SECONDS = 0.1  # the shortest wall time between two ticks of one sandbox
DRIVE_HORIZON_SECONDS = 1.0  # due sooner than this (wall): the console drives (clock shown, lease renewed)
DORMANT_AFTER_SECONDS = 10.0  # quiet this long (wall): saved, cluster dropped until the next message
# A console opened but not used yet (a learner reading the lesson) keeps its cluster only this long:
# a live cluster is 100-200 KB, a dormant one its snapshot, and pages are opened far more than used.
FIRST_DORMANT_AFTER_SECONDS = 2.0
MAX_TICK_WALL_SECONDS = 1.0  # a stalled event loop does not make the cluster jump ahead
VIEW_INTERVAL_SECONDS = 0.1  # live view updates are coalesced to at most 10 per second
ROLLOUT_INTERVAL_SECONDS = 0.5  # the Rollout panel (chart, why log, traffic) at most twice a second
STEPS = {1: 1.0, 10: 10.0}  # the +1 s / +10 s buttons
CLOCK_INTERVAL_SECONDS = 1.0  # Redis unreachable: tick this often to rejoin the channel layer
# While the clock is driven the controls (clock, speed) are re-sent this often; the page counts the
# clock forward itself in between (static/js/sim-clock.js), so once a second was a frame per
# console per second for nothing. The lease is renewed on its own interval (lease.py).
CLOCK_SYNC_SECONDS = 5.0
SAVE_INTERVAL_SECONDS = 5.0  # while the clock runs; commands are saved at once
GRADE_INTERVAL_SECONDS = 1.0  # automatic grading while the clock runs
TIME_SPENT_INTERVAL_SECONDS = 30.0  # how often time spent on exercises is written (and on leaving)

CLOSE_TAKEN_OVER = 4000
CLOSE_FORBIDDEN = 4003  # htmx's ws extension does not reconnect after 4xxx codes
CLOSE_NOT_FOUND = 4004


def _clean(value):
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def _without_surrogates(obj: dict) -> dict:
    return {_clean(key): _clean(value) for key, value in obj.items()}


class SandboxConsumer(NoLoopConnectionSweep, BatchedSends, EditorMixin, ReplayMixin, LeaseHolder, AsyncWebsocketConsumer):
    # ---------------------------------------------------------------- connection lifecycle
    async def connect(self) -> None:
        self.cluster = None
        self.command = None
        self.ticker: asyncio.Task | None = None
        self.unsubscribe = None
        self.stopped = False
        self.taken_over = False
        self.lock = asyncio.Lock()
        self.bucket = TokenBucket(COMMANDS_PER_SECOND, COMMANDS_PER_SECOND, time.monotonic())
        self.last_limit_warning = -1e9
        self.view_dirty = True
        self.view_tick = 0
        self.loaded = False
        self.dormant_snapshot = None  # the saved snapshot while the cluster is dropped (dormant)
        self.dormant_wake = None  # loop time a dormant sandbox has something due
        self.changes_seen = None  # Cluster.changes when the views were last marked dirty
        self.graded_changes = None  # _grade_key() at the last grading
        self.clock_at = 0.0  # loop time up to which wall time was turned into simulated time
        self.planned = None  # loop time of the tick asked from the scheduler
        self.busy_at = 0.0  # loop time the sandbox last had something to do
        self.used = False  # no message yet: see FIRST_DORMANT_AFTER_SECONDS
        self.last_view = self.last_clock = self.last_save = self.last_grade = self.last_rollout = 0.0
        self.completion_seq = 0
        self.unsaved = False
        self.lesson = None
        self.exercise_rows = {}
        self.exercise_since = {}
        self.last_panel = None
        self.time_mark = time.monotonic()
        self.rollout = RolloutChoice()  # the Rollout panel's Deployment: picked, else the rolling one
        self.traffic = TrafficStrip()
        self.rollout_dirty = True
        self.rollout_sent: dict[str, int] = {}  # part → hash of the HTML last sent

        kwargs = self.scope["url_route"]["kwargs"]
        self.language = kwargs["lang"]
        self.slug = kwargs["slug"]
        # Accept first: a refused handshake looks like 1006 to the browser and htmx would retry
        # forever; an accepted socket closed with 4xxx is final.
        await self.accept()
        if self.language not in dict(settings.LANGUAGES):
            await self.close(code=CLOSE_NOT_FOUND)
            return
        lesson = (await sync_to_async(get_catalogue)()).get(self.slug)
        if lesson is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        user = self.scope.get("user")
        owner = await self._db(owner_for, user, self.scope.get("session"), create=False)
        if owner is None:  # no session cookie: the page was never opened in this browser
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.sandbox = await self._db(sandbox_get_or_create, owner=owner, user=user, lesson=lesson)
        self.lesson = lesson
        self.sandbox.exercise_since = await self._db(sandbox_exercise_since, self.sandbox, lesson)
        self.exercise_rows = await self._db(self._progress_rows, owner, user, lesson)

        # One live consumer per sandbox: an older tab stops (without saving) when a newer opens.
        await self._layer_call("group_send",
                               self.sandbox.group_name, {"type": "sandbox.takeover", "by": self.channel_name})
        await self._layer_call("group_add", self.sandbox.group_name, self.channel_name)
        # Several server processes: the lease (lease.py) says who drives the clock. The row is read
        # again once we hold it: the previous holder saved just before letting go.
        await self._lease_take()
        fresh = await self._db(Sandbox.objects.filter(pk=self.sandbox.pk).first)
        if fresh is not None:
            fresh.exercise_since = self.sandbox.exercise_since
            self.sandbox = fresh

        async with self.lock, self.batched():
            self._load(self.sandbox, catch_up=True)
            await self._send_full_state()
            self.loaded = True
            self._plan()

    async def disconnect(self, code) -> None:
        self.stopped = True
        if self.ticker is not None:
            self.ticker.cancel()
        self._forget_clock()
        if self.loaded and not self.taken_over:
            async with self.lock, self.batched():
                self._awake()  # the clock catches up on a dormant sandbox before the last save
                if self.command is not None and not self.command.done:
                    self.command.cancel()  # closing a terminal ends its foreground command
                    self._flush_command_output()
                    self.command = None
                await self._save()
                await self._account_time()
            await self._lease_release()
        if self.unsubscribe is not None:
            self.unsubscribe()
        if getattr(self, "sandbox", None) is not None:
            await self._layer_call("group_discard", self.sandbox.group_name, self.channel_name)

    def _load(self, sandbox: Sandbox, *, catch_up: bool) -> None:
        """Restore the cluster from the sandbox row (letting missed time pass if asked)."""
        cluster = restore_cluster(sandbox.snapshot)
        self.transcript = list(sandbox.transcript or [])
        self.history = list(sandbox.history or [])
        self.saved_transcript, self.saved_history = list(self.transcript), list(self.history)  # as in the row
        self.speed = sandbox.speed if sandbox.speed in SPEEDS else SPEEDS[0]
        self.paused = sandbox.paused
        self.exercise_since = dict(sandbox.exercise_since or {})
        if catch_up:
            missed = catch_up_seconds(
                saved_at=sandbox.saved_at, now=timezone.now(), speed=self.speed, paused=self.paused
            )
            if missed > 0:
                cluster.advance(missed)
                self.unsaved = True
        self._use_cluster(cluster)
        self.last_snapshot = sandbox.snapshot
        self.clock_at = self.busy_at = asyncio.get_running_loop().time()

    def _use_cluster(self, cluster) -> None:
        self.cluster = cluster
        self.dormant_snapshot = None
        self.command = None
        self.edit_token = None
        self.replay_at = None
        self.changes_seen = self.graded_changes = None
        self.view_dirty = True
        self.rollout_dirty = True
        self.rollout_sent = {}

    def _note_changes(self) -> None:
        """Mark the views dirty when the cluster's objects changed (a counter, no watch events)."""
        changes = self.cluster.changes
        if changes != self.changes_seen:
            self.changes_seen = changes
            self.view_dirty = True
            self.rollout_dirty = True

    # ---------------------------------------------------------------- the clock (scheduler.py drives it)
    def _awake(self) -> None:
        """Bring the cluster back if it was dropped, and let the wall time since the last tick pass."""
        self.dormant_wake = None
        if self.dormant_snapshot is not None:
            # Lossless: the snapshot was saved from this very cluster just before it was dropped.
            self.cluster = restore_cluster(self.dormant_snapshot)
            self.dormant_snapshot = None
            self.changes_seen = self.cluster.changes
            self.graded_changes = self._grade_key()
        self._sync_clock(asyncio.get_running_loop().time())

    def _sync_clock(self, now: float) -> None:
        elapsed = now - self.clock_at
        if self.planned is not None and now > self.planned + MAX_TICK_WALL_SECONDS:
            # A stalled event loop does not make a driven cluster jump ahead.
            elapsed = max(0.0, self.planned - self.clock_at) + MAX_TICK_WALL_SECONDS
        self.clock_at = now
        if self.paused or elapsed <= 0:
            return
        self.traffic.advance(self.cluster, elapsed * self.speed)
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
        return (self.command is not None or self.traffic.enabled
                or (due_in is not None and due_in <= DRIVE_HORIZON_SECONDS))

    def _plan(self) -> None:
        """Ask the scheduler for the next tick this sandbox needs, or for none at all."""
        now = asyncio.get_running_loop().time()
        # Redis unreachable: tick every second so the lease renewal rejoins the group (lease.py).
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
        if driving or self.unsaved or self.view_dirty or self.command is not None:
            self.busy_at = now
        quiet = (not driving and self.command is None and self.edit_token is None
                 and not self.database_down)
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

    async def _layer_failed(self) -> None:
        await super()._layer_failed()
        if self.loaded and not self.stopped and self.planned is None:
            self._plan()  # a quiet console must still tick to rejoin once Redis is back

    def _forget_clock(self) -> None:
        self.planned = None
        try:
            scheduler().forget(self)
        except RuntimeError:  # no running loop (never scheduled)
            pass

    async def clock_tick(self) -> None:
        """One tick, run by the scheduler when this sandbox asked for it."""
        async with self.lock, self.batched():
            if self.stopped or self.cluster is None and self.dormant_snapshot is None:
                return
            now = asyncio.get_running_loop().time()
            try:
                if not await self._lease_keep():
                    return
                if self.cluster is None and (self.dormant_wake is None or now < self.dormant_wake):
                    return  # dormant, woken only to rejoin the channel layer: stay dormant
                self._awake()
                await self._tick_work(now)
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

    async def _tick_work(self, now: float) -> None:
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
        if (not driving and self.command is None and self.edit_token is None and not self.unsaved
                and not self.view_dirty and now - self.busy_at >= self._dormant_after()):
            self._go_dormant()

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
        self._use_cluster(restore_cluster(self.last_snapshot))
        await self._send_entries([{"kind": "error", "text": self._t(_(
            "Internal error in the simulator; it was reported and the sandbox went back to its last saved state.\n"))}])
        await self._send_full_state()

    # ---------------------------------------------------------------- incoming messages
    async def receive(self, text_data=None, bytes_data=None) -> None:
        if not self.loaded or self.stopped:
            return
        if not self.bucket.take(time.monotonic()):
            # Say it once per second at most: a flood must not turn into a flood of replies.
            now = time.monotonic()
            if now - self.last_limit_warning >= 1.0:
                self.last_limit_warning = now
                await self._send_error(self._t(_(
                    "Too many messages: at most %(rate)d commands per second. Slow down a little."))
                    % {"rate": int(COMMANDS_PER_SECOND)})
            return
        if text_data is None:
            await self._send_error(self._t(_("Only text messages are accepted.")))
            return
        size = len(text_data.encode("utf-8", "surrogatepass"))
        # Only the editor panel's saves may carry a whole file.
        if size > MAX_MESSAGE_BYTES and (size > MAX_EDITOR_MESSAGE_BYTES or not text_data.lstrip().startswith(
                ('{"file_save"', '{"edit_save"'))):
            await self._send_error(self._t(_("Message too large: the limit is %(size)d KB."))
                                   % {"size": MAX_MESSAGE_BYTES // 1024})
            return
        try:
            # JSON escapes can smuggle lone surrogates ("\\ud800") that no socket can send back.
            message = json.loads(text_data.encode("utf-8", "replace").decode("utf-8"),
                                 object_hook=_without_surrogates)
        except (ValueError, RecursionError):
            message = None
        if not isinstance(message, dict):
            await self._send_error(self._t(_(
                'Could not read the message: expected JSON such as {"command": "kubectl get pods"}.')))
            return
        async with self.lock, self.batched():
            if self.stopped:
                return
            try:
                if self.cluster is None and not await self._lease_keep():  # dormant: still ours?
                    return
                self._awake()
                self.busy_at = asyncio.get_running_loop().time()
                self.used = True
                await self._dispatch(message)
            except DatabaseError as exc:
                await self._database_failed(exc)
            except Exception:
                logger.exception("Message %r failed in sandbox %s", message, self.sandbox.pk)
                await self._send_error(self._t(_("Internal error; it was reported.")))
            finally:
                if not self.stopped and self.cluster is not None:
                    self._plan()

    async def _dispatch(self, message: dict) -> None:
        if "command" in message:
            command = message["command"]
            if not isinstance(command, str):
                await self._send_error(self._t(_('"command" must be text.')))
            else:
                await self._run_command(command)
        elif message.get("cancel"):
            await self._cancel()
        elif message.get("clear"):
            self.transcript = []
            await self.send(text_data=fragments.cleared_output(self.language))
            self.unsaved = True
        elif "complete" in message:
            if isinstance(message["complete"], str):
                await self._complete(message["complete"])
            else:
                await self._send_error(self._t(_('"complete" must be text.')))
        elif "speed" in message:
            await self._set_speed(message["speed"])
        elif "pause" in message:
            self.paused = message["pause"] in (True, "true", "1", 1)
            await self._send_controls()
            await self._save()
        elif message.get("reset"):
            await self._reset()
        elif "check" in message:
            await self._check(message["check"])
        elif "hint" in message:
            await self._hint(message["hint"])
        elif "step" in message:
            await self._step(message["step"])
        elif "rollout" in message:
            await self._choose_rollout(message["rollout"])
        elif "traffic" in message:
            self.traffic.set(enabled=message["traffic"] in (True, "true", "1", 1, "on"))
            await self._send_rollout()
        elif "traffic_service" in message:
            await self._choose_service(message["traffic_service"])
        elif "file_save" in message:
            await self._file_save(message["file_save"], message.get("text"))
        elif "file_open" in message:
            await self._file_open(message["file_open"])
        elif "file_new" in message:
            await self._file_new(message["file_new"])
        elif "file_delete" in message:
            await self._file_delete(message["file_delete"])
        elif "file_close" in message:
            await self._editor_open("none")
        elif "edit_save" in message:
            await self._finish_edit(message["edit_save"], message.get("text"))
        elif "edit_cancel" in message:
            await self._finish_edit(message["edit_cancel"], None)
        elif "replay" in message:
            await self._replay(message["replay"])
        else:
            await self._send_error(self._t(_(
                'Unknown message: send {"command": "..."} to run a command.')))

    # ---------------------------------------------------------------- commands
    async def _run_command(self, raw: str) -> None:
        line = raw.strip()
        if len(line) > MAX_COMMAND_CHARS:
            await self._send_error(self._t(_("Command too long: the limit is %(count)d characters."))
                                   % {"count": MAX_COMMAND_CHARS})
            return
        if self.command is not None:
            await self._send_error(self._t(_(
                "A command is still running. Press Ctrl+C to stop it first.")))
            return
        if self.edit_token is not None:
            await self._send_error(self._t(_(
                "kubectl edit is waiting in the editor panel: save or cancel it first.")))
            return
        if self.replay_at is not None:
            await self._leave_replay()
        entries = [{"kind": "input", "text": line}]
        transcript_append(self.transcript, "input", line)
        if not line:
            await self._send_entries(entries)
            return
        repeated = bool(self.history) and self.history[-1] == line  # ↑/↓ list unchanged: not re-sent
        history_append(self.history, line)
        await self._send_entries(entries)
        if not repeated:
            await self.send(text_data=fragments.history(self.history, self.language))
        # Cluster.start rolls a crashed command back itself; this is for a failure around it. The
        # last save (after the previous command, or ≤ 5 s ago) is cheaper than a snapshot per command.
        before = self.last_snapshot
        try:
            if await self._begin_edit(line):
                await self._save()
                await self._grade_soon()
                return
            self.command = self.cluster.start(line)
            await self._send_command_output(just_started=True)
        except Exception:
            logger.exception("Command %r failed in sandbox %s", line, self.sandbox.pk)
            self._use_cluster(restore_cluster(before))
            await self._send_error(self._t(_(
                "Internal error while running this command; it was reported and your sandbox is unchanged.")))
        if self.command is not None:
            await self._send_controls()  # shows the Stop button
        await self._save()
        await self._grade_soon()

    def _flush_command_output(self) -> list[dict]:
        """Collect new output of the running command; forget the command once it is done."""
        command = self.command
        if command is None:
            return []
        text = command.read()
        entries = []
        if text:
            transcript_append(self.transcript, "output", text)
            entries.append({"kind": "output", "text": text})
        if command.done:
            self.command = None
            if getattr(command, "clear_screen", False):
                self.transcript = []
                entries = [{"clear": True}]
        return entries

    async def _send_command_output(self, *, just_started: bool = False) -> None:
        """just_started: the command was started by this message; when it is over at once (most
        are), the controls never showed its Stop button and need no re-render."""
        was_running = self.command is not None
        entries = self._flush_command_output()
        if entries and entries[0].get("clear"):
            await self.send(text_data=fragments.cleared_output(self.language))
        elif entries:
            await self._send_entries(entries)
        if was_running and self.command is None:
            self.unsaved = True
            if not just_started:
                await self._send_controls()
            await self._grade_soon()  # e.g. `rollout status` returned: the rollout is over

    async def _cancel(self) -> None:
        if self.edit_token is not None:  # Ctrl+C while kubectl edit waits: as the Cancel button
            await self._finish_edit(self.edit_token, None)
            return
        if self.command is None:
            # Ctrl+C at an idle prompt: a terminal just shows ^C and a new prompt.
            transcript_append(self.transcript, "input", "^C")
            await self._send_entries([{"kind": "input", "text": "^C"}])
            return
        self.command.cancel()
        await self._send_command_output()
        if self.command is not None and not self.command.done:
            return
        self.command = None
        transcript_append(self.transcript, "output", "^C\n")
        await self._send_entries([{"kind": "output", "text": "^C\n"}])
        await self._send_controls()
        await self._save()

    async def _complete(self, text: str) -> None:
        text = text[:MAX_COMMAND_CHARS]
        try:
            candidates = list(self.cluster.complete(text))
        except Exception:
            logger.exception("Completion of %r failed in sandbox %s", text, self.sandbox.pk)
            candidates = []
        value, listing = apply_completion(text, candidates)
        if listing:
            await self._send_entries([
                {"kind": "input", "text": text},
                {"kind": "info", "text": "  ".join(listing) + "\n"},
            ])
        self.completion_seq += 1
        await self.send(text_data=fragments.completion(text, value, self.completion_seq, self.language))

    async def _set_speed(self, value) -> None:
        try:
            speed = int(value)
        except (TypeError, ValueError):
            speed = None
        if speed not in SPEEDS:
            await self._send_error(self._t(_("Speed must be one of %(speeds)s."))
                                   % {"speeds": ", ".join(f"×{s}" for s in SPEEDS)})
            return
        self.speed = speed
        self.paused = False
        await self._send_controls()
        await self._save()

    async def _reset(self) -> None:
        lesson = (await sync_to_async(get_catalogue)()).get(self.slug)
        if lesson is None:
            await self._send_error(self._t(_("This lesson no longer exists.")))
            return
        if self.command is not None:
            self.command.cancel()
        sandbox = await self._db(sandbox_reset, self.sandbox, lesson)
        self._load(sandbox, catch_up=False)
        transcript_append(self.transcript, "info", self._t(_("The sandbox was reset.")) + "\n")
        await self._send_full_state()
        await self._save()

    # ---------------------------------------------------------------- time steps and the Rollout panel
    async def _step(self, value) -> None:
        """Let simulated time pass at once; streaming commands see every change on the way."""
        if value == "settle":
            ref = self.rollout.ref(self.cluster)
            if ref is None:
                await self._send_error(self._t(_("There is no Deployment whose rollout could settle.")))
                return
            waited = 0.0
            while waited < SETTLE_LIMIT_SECONDS and not rollout_settled(self.cluster, ref):
                self.traffic.advance(self.cluster, 1.0)
                waited += 1.0
        else:
            seconds = STEPS.get(value) if isinstance(value, int) and not isinstance(value, bool) else None
            if seconds is None and isinstance(value, str) and value.isdigit():
                seconds = STEPS.get(int(value))
            if seconds is None:
                await self._send_error(self._t(_('"step" must be 1, 10 or "settle".')))
                return
            self.traffic.advance(self.cluster, seconds)
        self.unsaved = True
        await self._send_command_output()
        await self._send_view()
        await self._send_rollout()
        await self._send_controls()
        await self._grade()

    async def _choose_rollout(self, ref) -> None:
        if not isinstance(ref, str) or chosen_deployment(self.cluster, ref) != ref:
            await self._send_error(self._t(_("There is no Deployment %(name)s.")) % {"name": str(ref)[:120]})
            return
        self.rollout.pick(ref)
        await self._send_rollout()

    async def _choose_service(self, ref) -> None:
        if not isinstance(ref, str) or ref not in service_names(self.cluster):
            await self._send_error(self._t(_("There is no Service %(name)s.")) % {"name": str(ref)[:120]})
            return
        self.traffic.set(service=ref)
        await self._send_rollout()

    def _rollout_context(self) -> dict:
        with translation.override(self.language):
            ref = self.rollout.ref(self.cluster)
            return fragments.rollout_context(self.cluster, ref, self.traffic, self.language, at=self.replay_at)

    async def _send_rollout(self) -> None:
        """The parts of the Rollout panel whose HTML changed since they were last sent."""
        self.rollout_dirty = False
        self.traffic.changed = False
        parts = fragments.rollout_parts(self._rollout_context(), self.language)
        changed = [html for name, html in parts.items() if self.rollout_sent.get(name) != hash(html)]
        self.rollout_sent = {name: hash(html) for name, html in parts.items()}
        if changed:
            await self.send(text_data="".join(changed))

    # ---------------------------------------------------------------- exercises
    @staticmethod
    def _progress_rows(owner: str, user, lesson) -> dict:
        return {
            exercise.id: exercise_progress(owner=owner, user=user, lesson_slug=lesson.slug, exercise_id=exercise.id)
            for exercise in lesson.exercises
        }

    def _grade_key(self) -> tuple:
        """What grading reads (tutorial/exercises/checks.py): the objects, their timelines (both move
        only with Cluster.changes) and the command history (`used`/`not_used` checks; capped at 1000
        entries in simulator/cluster.py, so its length alone can stand still: the last entry too)."""
        history = self.cluster.history
        return (self.cluster.changes, len(history), id(history[-1]) if history else None)

    async def _grade_soon(self) -> None:
        """After a command or a step: grade only when what grading reads moved, and at most once a
        second; a grading skipped here is owed and done by the scheduler's next tick (_plan)."""
        if self.cluster is None or self._grade_key() == self.graded_changes:
            return
        if asyncio.get_running_loop().time() - self.last_grade >= GRADE_INTERVAL_SECONDS:
            await self._grade()

    async def _grade(self, *, clicked: str | None = None, force: bool = False) -> None:
        """Grade every exercise, record the result, and push the panel when it shows something new."""
        if self.cluster is None:
            return
        self.graded_changes = self._grade_key()
        self.last_grade = asyncio.get_running_loop().time()
        if self.lesson is None or not self.lesson.exercises:
            return
        graded = grade_all(self.cluster, self.lesson.exercises, self.exercise_since, self.language)
        for entry in graded:
            row = self.exercise_rows.get(entry.exercise.id)
            if entry.result is None or row is None:
                continue
            signature = result_signature(entry.exercise, entry.result, self.language)
            is_click = clicked == entry.exercise.id
            if entry.result.passed and row.passed_at is None:
                await self._account_time()  # the time up to the pass still counts
            if is_click or signature != row.last_result or (entry.result.passed and row.passed_at is None):
                await self._db(record_grading, row, signature, clicked=is_click)
        context = panel_context(graded, self.exercise_rows, self.language)
        # Compared before rendering: the panel's template costs more than the grading itself.
        key = hash(repr(context))
        if force or key != self.last_panel:
            self.last_panel = key
            await self.send(text_data=fragments.exercises(context, self.language))

    def _exercise_row(self, exercise_id):
        return self.exercise_rows.get(exercise_id) if isinstance(exercise_id, str) else None

    async def _check(self, exercise_id) -> None:
        if self._exercise_row(exercise_id) is None:
            await self._send_error(self._t(_("This lesson has no exercise %(id)s.")) % {"id": str(exercise_id)[:80]})
            return
        await self._grade(clicked=exercise_id, force=True)

    async def _hint(self, exercise_id) -> None:
        row = self._exercise_row(exercise_id)
        if row is None:
            await self._send_error(self._t(_("This lesson has no exercise %(id)s.")) % {"id": str(exercise_id)[:80]})
            return
        exercise = self.lesson.exercise(exercise_id)
        await self._db(reveal_hint, row, len(exercise.hints))
        await self._grade(force=True)

    async def _account_time(self) -> None:
        """Wall time with the console open counts for the exercises not passed yet."""
        now = time.monotonic()
        elapsed, self.time_mark = now - self.time_mark, now
        if self.lesson is None or not self.exercise_rows:
            return
        await self._db(self._add_time, elapsed)

    def _add_time(self, elapsed: float) -> None:
        # A dormant console is accounted when it wakes: the whole time, in add_time's steps.
        while elapsed > 0:
            step = min(elapsed, MAX_TIME_STEP_SECONDS)
            add_time(owner=self.sandbox.owner, lesson_slug=self.lesson.slug,
                     exercise_ids=list(self.exercise_rows), seconds=step)
            elapsed -= step

    # ---------------------------------------------------------------- channel-layer events
    async def sandbox_takeover(self, event) -> None:
        if event.get("by") == self.channel_name or self.stopped:
            return
        self.taken_over = True
        self.stopped = True
        if self.ticker is not None:
            self.ticker.cancel()
        self._forget_clock()
        if self.loaded:  # hand over: save under the lease, then let it go
            async with self.lock, self.batched():
                self._awake()
                await self._save()
            await self._lease_release()
        await self._send_entries([{"kind": "info", "text": self._t(_(
            "This sandbox was opened in another window; this console stopped. Reload the page to continue here.")) + "\n"}])
        await self.close(code=CLOSE_TAKEN_OVER)

    async def sandbox_reload(self, event) -> None:
        """Someone reset or replaced the sandbox outside this consumer (e.g. an instructor)."""
        sandbox = await self._db(Sandbox.objects.filter(pk=self.sandbox.pk).first)
        if sandbox is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        async with self.lock, self.batched():
            self.sandbox = sandbox
            self._load(sandbox, catch_up=False)
            await self._send_full_state()
            self._plan()

    # ---------------------------------------------------------------- output helpers
    def _t(self, message) -> str:
        """A lazily translated message in the console's language (consumers get no LocaleMiddleware)."""
        with translation.override(self.language):
            return str(message)

    def _context(self) -> dict:
        return fragments.console_context(
            transcript=self.transcript,
            history=self.history,
            view=view_of(self.cluster),
            clock=self.cluster.now,
            speed=self.speed,
            paused=self.paused,
            running=self.command is not None,
            tick=self.view_tick,
        )

    async def _send_full_state(self) -> None:
        self.view_tick += 1
        self.view_dirty = False
        self.changes_seen = self.cluster.changes
        await self.send(text_data=fragments.full_state(self._context(), self.language))
        await self._send_editor_files()
        await self._editor_open("none")
        await self._leave_replay()
        self.rollout_sent = {}
        await self._send_rollout()
        await self._grade(force=True)

    async def _send_view(self) -> None:
        if self.replay_at is not None:  # the replayed moment stays on screen until "Back to live"
            self.view_dirty = False
            return
        self.view_tick += 1
        self.view_dirty = False
        await self.send(text_data=fragments.cluster_view(view_of(self.cluster), self.view_tick, self.language))

    async def _send_controls(self) -> None:
        context = fragments.console_context(
            transcript=[], history=[], view=None, clock=self.cluster.now, speed=self.speed,
            paused=self.paused, running=self.command is not None or self.edit_token is not None,
            tick=self.view_tick,
        )
        await self.send(text_data=fragments.controls(context, self.language))

    async def _send_entries(self, entries: list[dict]) -> None:
        await self.send(text_data=fragments.appended_entries(entries, self.language))

    async def _send_error(self, text: str) -> None:
        """A clear message in the console; not kept in the transcript (it is about the message)."""
        await self._send_entries([{"kind": "error", "text": text + "\n"}])

    async def _save(self) -> None:
        snapshot = self.cluster.snapshot()
        # Transcript and history are written only when they differ from the last saved copies
        # (shallow copies: comparing them is cheap, the entries are mostly the same objects).
        transcript = None if self.transcript == self.saved_transcript else list(self.transcript)
        history = None if self.history == self.saved_history else list(self.history)
        # Written only while this console holds the sandbox's lease (lease.save_if_holder).
        saved = await self._lease_save(
            snapshot=snapshot,
            transcript=transcript,
            history=history,
            speed=self.speed,
            paused=self.paused,
        )
        if saved:
            self.last_snapshot = snapshot
            if transcript is not None:
                self.saved_transcript = transcript
            if history is not None:
                self.saved_history = history
        self.unsaved = not saved
