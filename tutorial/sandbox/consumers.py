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
twice a second, and each of its parts is sent only when its HTML differs from what was sent.

The lesson's exercises are graded after every command and, while the clock runs, at most once a
second; the exercise panel is pushed whenever what it shows changes (tutorial/progress/).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tutorial.lessons.catalogue import get_catalogue
from tutorial.sandbox import fragments
from tutorial.sandbox.cluster_view import view_of
from tutorial.progress.panel import grade_all, panel_context
from tutorial.progress.services import add_time, exercise_progress, record_grading, result_signature, reveal_hint
from tutorial.sandbox.completion import apply_completion
from tutorial.sandbox.lease import LeaseHolder
from tutorial.sandbox.limits import COMMANDS_PER_SECOND, MAX_COMMAND_CHARS, MAX_MESSAGE_BYTES, TokenBucket
from tutorial.sandbox.models import Sandbox
from tutorial.sandbox.owners import owner_for
from tutorial.sandbox.editor import MAX_EDITOR_MESSAGE_BYTES
from tutorial.sandbox.panels_consumer import EditorMixin, ReplayMixin
from tutorial.sandbox.rollout_panel import SETTLE_LIMIT_SECONDS, chosen_deployment, get_deployment, rollout_settled
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

TICK_SECONDS = 0.1  # how often wall time is turned into simulated time
MAX_TICK_WALL_SECONDS = 1.0  # a stalled event loop does not make the cluster jump ahead
VIEW_INTERVAL_SECONDS = 0.1  # live view updates are coalesced to at most 10 per second
ROLLOUT_INTERVAL_SECONDS = 0.5  # the Rollout panel (chart, why log, traffic) at most twice a second
STEPS = {1: 1.0, 10: 10.0}  # the +1 s / +10 s buttons
CLOCK_INTERVAL_SECONDS = 1.0
SAVE_INTERVAL_SECONDS = 5.0  # while the clock runs; commands are saved at once
GRADE_INTERVAL_SECONDS = 1.0  # automatic grading while the clock runs
TIME_SPENT_INTERVAL_SECONDS = 5.0  # how often time spent on exercises is written

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


class SandboxConsumer(EditorMixin, ReplayMixin, LeaseHolder, AsyncWebsocketConsumer):
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
        self.completion_seq = 0
        self.unsaved = False
        self.lesson = None
        self.exercise_rows = {}
        self.exercise_since = {}
        self.last_panel = None
        self.time_mark = time.monotonic()
        self.rollout_ref = None  # "namespace/name" chosen in the Rollout panel; None = the first
        self.traffic = TrafficStrip()
        self.rollout_dirty = True
        self.rollout_sent: dict[str, str] = {}

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
        owner = await database_sync_to_async(owner_for)(user, self.scope.get("session"), create=False)
        if owner is None:  # no session cookie: the page was never opened in this browser
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.sandbox = await database_sync_to_async(sandbox_get_or_create)(owner=owner, user=user, lesson=lesson)
        self.lesson = lesson
        self.sandbox.exercise_since = await database_sync_to_async(sandbox_exercise_since)(self.sandbox, lesson)
        self.exercise_rows = await database_sync_to_async(self._progress_rows)(owner, user, lesson)

        # One live consumer per sandbox: an older tab stops (without saving) when a newer opens.
        await self._layer_call("group_send",
                               self.sandbox.group_name, {"type": "sandbox.takeover", "by": self.channel_name})
        await self._layer_call("group_add", self.sandbox.group_name, self.channel_name)
        # Several server processes: the lease (lease.py) says who drives the clock. The row is read
        # again once we hold it: the previous holder saved just before letting go.
        await self._lease_take()
        fresh = await database_sync_to_async(Sandbox.objects.filter(pk=self.sandbox.pk).first)()
        if fresh is not None:
            fresh.exercise_since = self.sandbox.exercise_since
            self.sandbox = fresh

        async with self.lock:
            self._load(self.sandbox, catch_up=True)
            await self._send_full_state()
        self.ticker = asyncio.create_task(self._run_clock())

    async def disconnect(self, code) -> None:
        self.stopped = True
        if self.ticker is not None:
            self.ticker.cancel()
        if self.cluster is not None and not self.taken_over:
            async with self.lock:
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

    def _use_cluster(self, cluster) -> None:
        if self.unsubscribe is not None:
            self.unsubscribe()
        self.cluster = cluster
        self.command = None
        self.edit_token = None
        self.replay_at = None
        self.unsubscribe = cluster.subscribe(self._on_watch_event)
        self.view_dirty = True
        self.rollout_dirty = True
        self.rollout_sent = {}

    def _on_watch_event(self, event) -> None:
        self.view_dirty = True
        self.rollout_dirty = True

    # ---------------------------------------------------------------- the clock
    async def _run_clock(self) -> None:
        loop = asyncio.get_running_loop()
        last = loop.time()
        last_view = last_clock = last_save = last_grade = last_time = last_rollout = 0.0
        while not self.stopped:
            await asyncio.sleep(TICK_SECONDS)
            now = loop.time()
            elapsed, last = min(now - last, MAX_TICK_WALL_SECONDS), now
            async with self.lock:
                if self.stopped:
                    break
                try:
                    if not await self._lease_keep():
                        break
                    if not self.paused and elapsed > 0:
                        self.traffic.advance(self.cluster, elapsed * self.speed)
                        self.unsaved = True
                    await self._send_command_output()
                    if self.view_dirty and now - last_view >= VIEW_INTERVAL_SECONDS:
                        last_view = now
                        await self._send_view()
                    if ((self.rollout_dirty or self.traffic.changed)
                            and now - last_rollout >= ROLLOUT_INTERVAL_SECONDS):
                        last_rollout = now
                        await self._send_rollout()
                    if not self.paused and now - last_clock >= CLOCK_INTERVAL_SECONDS:
                        last_clock = now
                        await self._send_controls()
                    if not self.paused and now - last_grade >= GRADE_INTERVAL_SECONDS:
                        last_grade = now
                        await self._grade()
                    if self.unsaved and now - last_save >= SAVE_INTERVAL_SECONDS:
                        last_save = now
                        await self._save()
                    if now - last_time >= TIME_SPENT_INTERVAL_SECONDS:
                        last_time = now
                        await self._account_time()
                except asyncio.CancelledError:
                    raise
                except DatabaseError as exc:  # the cluster is fine: keep it, save when the database is back
                    await self._database_failed(exc)
                except Exception:
                    logger.exception("Clock tick failed in sandbox %s", self.sandbox.pk)
                    await self._recover()

    async def _recover(self) -> None:
        """Go back to the last saved snapshot after an unexpected simulator error."""
        self._use_cluster(restore_cluster(self.last_snapshot))
        await self._send_entries([{"kind": "error", "text": self._t(_(
            "Internal error in the simulator; it was reported and the sandbox went back to its last saved state.\n"))}])
        await self._send_full_state()

    # ---------------------------------------------------------------- incoming messages
    async def receive(self, text_data=None, bytes_data=None) -> None:
        if self.cluster is None or self.stopped:
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
        async with self.lock:
            try:
                await self._dispatch(message)
            except DatabaseError as exc:
                await self._database_failed(exc)
            except Exception:
                logger.exception("Message %r failed in sandbox %s", message, self.sandbox.pk)
                await self._send_error(self._t(_("Internal error; it was reported.")))

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
        history_append(self.history, line)
        await self._send_entries(entries)
        await self.send(text_data=fragments.history(self.history, self.language))
        before = self.cluster.snapshot()
        try:
            if await self._begin_edit(line):
                await self._save()
                await self._grade()
                return
            self.command = self.cluster.start(line)
            await self._send_command_output()
        except Exception:
            logger.exception("Command %r failed in sandbox %s", line, self.sandbox.pk)
            self._use_cluster(restore_cluster(before))
            await self._send_error(self._t(_(
                "Internal error while running this command; it was reported and your sandbox is unchanged.")))
        if self.command is not None:
            await self._send_controls()  # shows the Stop button
        await self._save()
        await self._grade()

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

    async def _send_command_output(self) -> None:
        was_running = self.command is not None
        entries = self._flush_command_output()
        if entries and entries[0].get("clear"):
            await self.send(text_data=fragments.cleared_output(self.language))
        elif entries:
            await self._send_entries(entries)
        if was_running and self.command is None:
            self.unsaved = True
            await self._send_controls()
            await self._grade()  # e.g. `rollout status` returned: the rollout is over

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
        sandbox = await database_sync_to_async(sandbox_reset)(self.sandbox, lesson)
        self._load(sandbox, catch_up=False)
        transcript_append(self.transcript, "info", self._t(_("The sandbox was reset.")) + "\n")
        await self._send_full_state()
        await self._save()

    # ---------------------------------------------------------------- time steps and the Rollout panel
    async def _step(self, value) -> None:
        """Let simulated time pass at once; streaming commands see every change on the way."""
        if value == "settle":
            ref = chosen_deployment(self.cluster, self.rollout_ref)
            if ref is None:
                await self._send_error(self._t(_("There is no Deployment whose rollout could settle.")))
                return
            waited = 0.0
            while waited < SETTLE_LIMIT_SECONDS and not rollout_settled(get_deployment(self.cluster, ref)):
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
        self.rollout_ref = ref
        await self._send_rollout()

    async def _choose_service(self, ref) -> None:
        if not isinstance(ref, str) or ref not in service_names(self.cluster):
            await self._send_error(self._t(_("There is no Service %(name)s.")) % {"name": str(ref)[:120]})
            return
        self.traffic.set(service=ref)
        await self._send_rollout()

    def _rollout_context(self) -> dict:
        with translation.override(self.language):
            ref = chosen_deployment(self.cluster, self.rollout_ref)
            return fragments.rollout_context(self.cluster, ref, self.traffic, self.language, at=self.replay_at)

    async def _send_rollout(self) -> None:
        """The parts of the Rollout panel whose HTML changed since they were last sent."""
        self.rollout_dirty = False
        self.traffic.changed = False
        parts = fragments.rollout_parts(self._rollout_context(), self.language)
        changed = [html for name, html in parts.items() if self.rollout_sent.get(name) != html]
        self.rollout_sent = parts
        if changed:
            await self.send(text_data="".join(changed))

    # ---------------------------------------------------------------- exercises
    @staticmethod
    def _progress_rows(owner: str, user, lesson) -> dict:
        return {
            exercise.id: exercise_progress(owner=owner, user=user, lesson_slug=lesson.slug, exercise_id=exercise.id)
            for exercise in lesson.exercises
        }

    async def _grade(self, *, clicked: str | None = None, force: bool = False) -> None:
        """Grade every exercise, record the result, and push the panel when it shows something new."""
        if self.lesson is None or not self.lesson.exercises or self.cluster is None:
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
                await database_sync_to_async(record_grading)(row, signature, clicked=is_click)
        panel = fragments.exercises(panel_context(graded, self.exercise_rows, self.language), self.language)
        if force or panel != self.last_panel:
            self.last_panel = panel
            await self.send(text_data=panel)

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
        await database_sync_to_async(reveal_hint)(row, len(exercise.hints))
        await self._grade(force=True)

    async def _account_time(self) -> None:
        """Wall time with the console open counts for the exercises not passed yet."""
        now = time.monotonic()
        elapsed, self.time_mark = now - self.time_mark, now
        if self.lesson is None or not self.exercise_rows:
            return
        await database_sync_to_async(add_time)(owner=self.sandbox.owner, lesson_slug=self.lesson.slug,
                                               exercise_ids=list(self.exercise_rows), seconds=elapsed)

    # ---------------------------------------------------------------- channel-layer events
    async def sandbox_takeover(self, event) -> None:
        if event.get("by") == self.channel_name or self.stopped:
            return
        self.taken_over = True
        self.stopped = True
        if self.ticker is not None:
            self.ticker.cancel()
        if self.cluster is not None:  # hand over: save under the lease, then let it go
            async with self.lock:
                await self._save()
            await self._lease_release()
        await self._send_entries([{"kind": "info", "text": self._t(_(
            "This sandbox was opened in another window; this console stopped. Reload the page to continue here.")) + "\n"}])
        await self.close(code=CLOSE_TAKEN_OVER)

    async def sandbox_reload(self, event) -> None:
        """Someone reset or replaced the sandbox outside this consumer (e.g. an instructor)."""
        sandbox = await database_sync_to_async(Sandbox.objects.filter(pk=self.sandbox.pk).first)()
        if sandbox is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        async with self.lock:
            self.sandbox = sandbox
            self._load(sandbox, catch_up=False)
            await self._send_full_state()

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
        # Written only while this console holds the sandbox's lease (lease.save_if_holder).
        saved = await self._lease_save(
            snapshot=snapshot,
            transcript=list(self.transcript),
            history=list(self.history),
            speed=self.speed,
            paused=self.paused,
        )
        if saved:
            self.last_snapshot = snapshot
        self.unsaved = not saved
