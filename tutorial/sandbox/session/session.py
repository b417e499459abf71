"""SandboxSession: one live sandbox in this process, and the clients attached to it.

Transport-free: clients (the browser's WebSocket consumers, realtime/consumer.py; later the
Kubernetes API and an instructor's view) attach with `attach(client)` and hand over typed messages
(`handle(message, client)`, messages.py); everything the session renders goes out through its
outbox (outbox.py) as one frame per message or tick, to every attached client. Simulator calls
are synchronous and fast, so they run on the event loop under one lock: commands, clock ticks and
resets never interleave.

The session owns the Cluster and its terminals (terminals.py: per-terminal running command,
transcript and history; simulated time is shared), the clock (driving.py, through the process
scheduler), saving under the lease (persistence/lease.py LeaseHolder), grading (grading.py), the Rollout panel
(rollout.py), the file editor, `kubectl edit` and replay (editing.py). The process's hub
(hub.py) creates one session per sandbox, and closes it when its last client leaves.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid

from asgiref.sync import sync_to_async
from django.db import DatabaseError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tutorial.curriculum.catalogue import get_catalogue
from tutorial.sandbox.panels.cluster_view import view_of
from tutorial.sandbox.models import Sandbox
from tutorial.sandbox.panels import fragments
from tutorial.sandbox.panels.traffic import TrafficStrip
from tutorial.sandbox.persistence.db import console_db
from tutorial.sandbox.persistence.lease import PROCESS_ID, LeaseHolder
from tutorial.sandbox.panels.rollout_panel import RolloutChoice
from tutorial.sandbox.persistence.sandboxes import sandbox_reset
from tutorial.sandbox.session.commands import TerminalCommands
from tutorial.sandbox.session.driving import ClockDriving
from tutorial.sandbox.session.editing import EditorMixin, ReplayMixin
from tutorial.sandbox.session.grading import Grading, progress_rows
from tutorial.sandbox.session.messages import READ_ONLY_KINDS, ClusterCall, Message
from tutorial.sandbox.session.outbox import Client, Outbox
from tutorial.sandbox.session.rollout import RolloutPanel
from tutorial.sandbox.session.saving import Saving
from tutorial.sandbox.session.state import console_state, controls_state
from tutorial.sandbox.session.terminals import Terminal, Terminals

logger = logging.getLogger(__name__)

CLOSE_TAKEN_OVER = 4000
CLOSE_NOT_FOUND = 4004
TAKEN_OVER = _("This sandbox was opened in another window; this console stopped. Reload the page to continue here.")
ENDED_BY_RESTORE = _("The sandbox was restored; the running command was stopped.")


class SandboxSession(Saving, TerminalCommands, EditorMixin, ReplayMixin, RolloutPanel, Grading, ClockDriving, LeaseHolder):
    def __init__(self, sandbox: Sandbox, lesson, language: str, *, owner: str, user=None):
        self.sandbox = sandbox
        self.lesson = lesson
        self.language = language
        self.owner = owner
        self.user = user
        self.holder_id = f"{PROCESS_ID}/session-{sandbox.pk}-{uuid.uuid4().hex[:8]}"
        self.outbox = Outbox()
        self.lock = asyncio.Lock()
        self.cluster = None
        self.terminals = Terminals(Terminal("1"))
        self.stopped = False
        self.taken_over = False
        self.loaded = False
        self.view_dirty = True
        self.view_tick = 0
        self.dormant_snapshot = None  # the saved snapshot while the cluster is dropped (dormant)
        self.dormant_wake = None  # loop time a dormant sandbox has something due
        self.changes_seen = None  # Cluster.changes when the views were last marked dirty
        self.graded_changes = None  # _grade_key() at the last grading
        self.clock_at = 0.0  # loop time up to which wall time was turned into simulated time
        self.planned = None  # loop time of the tick asked from the scheduler
        self.busy_at = 0.0  # loop time the sandbox last had something to do
        self.used = False  # no message yet: see driving.FIRST_DORMANT_AFTER_SECONDS
        self.last_view = self.last_clock = self.last_save = self.last_grade = self.last_rollout = 0.0
        self.unsaved = False
        self.exercise_rows = {}
        self.exercise_since = {}
        self.last_panel = None
        self.time_mark = time.monotonic()
        self.rollout = RolloutChoice()  # the Rollout panel's Deployment: picked, else the rolling one
        self.traffic = TrafficStrip()
        self.rollout_dirty = True
        self.rollout_sent: dict[str, int] = {}  # part → hash of the HTML last sent
        self.edit_token = None  # the `kubectl edit` waiting for the editor panel (editing.py)
        self.edit_process = None
        self.edit_terminal = None
        self.saved_rows = ([], [], {})  # transcript, history, other terminals as last written
        # The transport's hooks (realtime/bridge.py HostListener): called when the session closes
        # or stops, and to rejoin the channel layer after an outage.
        self.on_close: list = []
        self.on_rejoin: list = []
        self.asking: Client | None = None  # the client whose message is being handled
        self.learner_there = False  # a writable client was attached since time spent was last counted

    # ---------------------------------------------------------------- lifecycle
    async def open(self) -> None:
        """Take the lease (the previous holder, asked by the hub, saves and lets go), read the row
        it saved, restore the cluster and let the wall time missed pass."""
        self.exercise_rows = await self._db(progress_rows, self.owner, self.user, self.lesson)
        self.user = None  # only the progress rows needed it
        await self._lease_take()
        fresh = await self._db(Sandbox.objects.filter(pk=self.sandbox.pk).first)
        if fresh is not None:
            fresh.exercise_since = self.sandbox.exercise_since
            self.sandbox = fresh
        self._load(self.sandbox, catch_up=True)
        await self._advance(self.catch_up_owed)  # the missed wall time, in slices (driving.py)
        self.loaded = True

    async def attach(self, client: Client) -> None:
        """A client joins: it gets the whole state; a new language is the session's from now on."""
        async with self.lock:
            self.outbox.clients.append(client)
            self.learner_there = self.learner_there or not client.read_only
            if client.language != self.language:
                self.language = client.language
                self.last_panel = None
            await self._awake()
            async with self.outbox.only(client):
                await self._send_full_state(client)
            self._plan()

    async def detach(self, client: Client) -> bool:
        """A client left; True when it was the last (the hub then closes the session)."""
        if client in self.outbox.clients:
            self.outbox.clients.remove(client)
        return not self.outbox.clients

    async def close(self) -> None:
        """The last client left: end the running commands, save, let the lease go."""
        was_stopped, self.stopped = self.stopped, True
        self._forget_clock()
        if self.loaded and not self.taken_over and not was_stopped:
            async with self.lock, self.outbox.batched():
                await self._awake()  # the clock catches up on a dormant sandbox before the last save
                for terminal in self.terminals.running():
                    terminal.command.cancel()  # closing the terminals ends their foreground commands
                    self._flush_command_output(terminal)
                    terminal.command = None
                await self._save()
                await self._account_time()
            await self._saves_written()  # before letting the lease go
            await self._lease_release()
        await self._closed()

    async def _closed(self) -> None:
        hooks, self.on_close = self.on_close, []
        for hook in hooks:
            try:
                await hook()
            except Exception:
                logger.exception("Close hook of sandbox %s failed", self.sandbox.pk)

    async def _stop(self, text, code: int) -> None:
        """Stop driving (another process has the sandbox now), say why, close every client."""
        if self.stopped:
            return
        self.stopped = True
        self._forget_clock()
        with translation.override(self.language):
            message = str(text)
        for client in list(self.outbox.clients):
            try:
                await client.end(code, message)
            except Exception:  # already gone
                pass
        await self._closed()

    async def takeover(self) -> None:
        """Another process opens this sandbox and asks for it: save under the lease, let it go."""
        if self.stopped:
            return
        if self.loaded:
            async with self.lock, self.outbox.batched():
                await self._awake()
                await self._save()
            await self._saves_written()
            await self._lease_release()
        self.taken_over = True
        await self._stop(TAKEN_OVER, CLOSE_TAKEN_OVER)

    async def reload(self) -> None:
        """Someone reset or replaced the sandbox outside this session (e.g. an instructor)."""
        await self._saves_written()  # a save in flight must not land after the row read here
        sandbox = await self._db(Sandbox.objects.filter(pk=self.sandbox.pk).first)
        if sandbox is None:
            await self._stop(_("This sandbox no longer exists."), CLOSE_NOT_FOUND)
            return
        rows = await self._db(progress_rows, self.owner, None, self.lesson) if self.lesson else {}
        async with self.lock, self.outbox.batched():
            self.sandbox = sandbox
            self.exercise_rows = rows  # a reset forgot the Check marks (progress.services.forget_checks)
            ended = self._end_commands()
            self._load(sandbox, catch_up=False)  # the terminals as saved, their commands ended
            self._say_ended(ended)
            await self._send_full_state()
            self._plan()

    async def _rejoin_clients(self) -> bool:
        """After a channel-layer outage: the transport joins the sandbox's group again."""
        rejoined = False
        for rejoin in list(self.on_rejoin):
            if await rejoin():
                rejoined = True
        return rejoined or not self.on_rejoin

    def _use_cluster(self, cluster) -> None:
        self.cluster = cluster
        self.dormant_snapshot = None
        for terminal in self.terminals:
            terminal.command = None
        self.edit_token = self.edit_process = None
        self.edit_terminal = None
        self.replay_at = None
        self.changes_seen = self.graded_changes = None
        self.view_dirty = True
        self.rollout_dirty = True
        self.rollout_sent = {}

    def _end_commands(self) -> list[str]:
        """A restore replaces the cluster: each terminal's running command ends, and says so.
        Returns the ids of the terminals whose command ended."""
        ended = []
        for terminal in self.terminals.running():
            terminal.command.cancel()
            terminal.command = None
            ended.append(terminal.id)
            self._say_ended([terminal.id])
        self.edit_token = self.edit_process = None
        return ended

    def _say_ended(self, terminal_ids: list[str]) -> None:
        for terminal_id in terminal_ids:
            self.terminals.get(terminal_id).note("info", self._t(ENDED_BY_RESTORE) + "\n")

    # ---------------------------------------------------------------- incoming messages
    async def handle(self, message: Message | ClusterCall, client: Client | None = None):
        """Handle one typed message from `client` (None: the session's own caller, e.g. tests).
        Returns once its save is written; the lock was released before (saving.py)."""
        try:
            return await self._handle(message, client)
        finally:
            await self._saves_written()

    async def _handle(self, message: Message | ClusterCall, client: Client | None):
        if not self.loaded or self.stopped:
            return None
        if client is not None and client.read_only and message.kind not in READ_ONLY_KINDS \
                and not (isinstance(message, ClusterCall) and message.read_only):
            async with self.outbox.only(client):  # the learner's own windows are not told
                await self._send_error(self._t(_("This view is read-only.")))
            return None
        async with self.lock, self.outbox.batched():
            if self.stopped:
                return None
            try:
                if self.cluster is None and not await self._lease_keep():  # dormant: still ours?
                    return None
                await self._awake()
                self.busy_at = asyncio.get_running_loop().time()
                self.used = True
                self.asking = client
                return await self._dispatch(message)
            except DatabaseError as exc:
                await self._database_failed(exc)
            except Exception:
                logger.exception("Message %r failed in sandbox %s", message, self.sandbox.pk)
                await self._send_error(self._t(_("Internal error; it was reported.")))
            finally:
                self.asking = None
                if not self.stopped and self.cluster is not None:
                    self._plan()
        return None

    async def _dispatch(self, message):
        kind, value = message.kind, getattr(message, "value", None)
        if kind == "call":
            return await self._call(message)
        terminal = self.terminals.get(message.terminal)
        if kind == "command":
            await self._run_command(message.line, terminal)
        elif kind == "cancel":
            await self._cancel(terminal)
        elif kind == "clear":
            terminal.transcript = []
            await self.send(fragments.cleared_output(self.language, terminal.suffix))
            self.unsaved = True
        elif kind == "complete":
            await self._complete(value, terminal)
        elif kind == "speed":
            await self._set_speed(value)
        elif kind == "pause":
            self.paused = value in (True, "true", "1", 1)
            await self._send_controls()
            await self._save()
        elif kind == "reset":
            await self._reset()
        elif kind == "check":
            await self._check(value)
        elif kind == "hint":
            await self._hint(value)
        elif kind == "solution":
            await self._solution(value)
        elif kind == "step":
            await self._step(value)
        elif kind == "rollout":
            await self._choose_rollout(value)
        elif kind == "traffic":
            await self._set_traffic(value)
        elif kind == "traffic_service":
            await self._choose_service(value)
        elif kind == "file_save":
            await self._file_save(value, message.text)
        elif kind == "file_open":
            await self._file_open(value)
        elif kind == "file_new":
            await self._file_new(value)
        elif kind == "file_delete":
            await self._file_delete(value)
        elif kind == "file_close":
            await self._editor_open("none")
        elif kind == "edit_save":
            await self._finish_edit(value, message.text)
        elif kind == "edit_cancel":
            await self._finish_edit(value, None)
        elif kind == "replay":
            await self._replay(value)
        return None

    async def _call(self, call: ClusterCall):
        """Run a client's function on the cluster (the Kubernetes API plugs in here)."""
        seen = len(self.cluster.history)
        result = call.function(self.cluster)
        # The learner's own kubectl (its Kubectl-Command header, simulator/rest/history.py):
        # terminal 1's transcript shows the command it ran.
        for entry in self.cluster.history[seen:]:
            if entry.get("source") == "kubectl-api":
                text = self._t(_("(from your kubectl)")) + " " + entry.get("line", "") + "\n"
                self.terminals.first.note("info", text)
                await self._send_entries([{"kind": "info", "text": text}])
                self.unsaved = True
        if not call.read_only:
            self.unsaved = True
            await self._send_command_output()
            await self._save()
            await self._grade_soon()
        return result

    def _busy(self) -> bool:
        """Also busy (never dormant) while the learner's own kubectl is attached (kubeapi/live.py:
        a watch open or a request in the last 30 s), so simulated time runs for it."""
        return super()._busy() or any(getattr(client, "keeps_clock", False) for client in self.outbox.clients)

    async def _reset(self) -> None:
        lesson = (await sync_to_async(get_catalogue)()).get(self.lesson.slug)
        if lesson is None:
            await self._send_error(self._t(_("This lesson no longer exists.")))
            return
        for terminal in self.terminals.running():
            terminal.command.cancel()
        sandbox = await self._db(sandbox_reset, self.sandbox, lesson)
        self.exercise_rows = await self._db(progress_rows, self.owner, None, self.lesson)  # checks forgotten
        self._load(sandbox, catch_up=False)
        self.terminals.first.note("info", self._t(_("The sandbox was reset.")) + "\n")
        await self._send_full_state()
        await self._save()

    # ---------------------------------------------------------------- output
    async def send(self, text_data: str) -> None:
        await self.outbox.send(text_data)

    async def _db(self, func, *args, **kwargs):
        """A database call (tutorial/sandbox/persistence/db.py) after sending what is ready."""
        await self.outbox.flush()
        return await console_db(func)(*args, **kwargs)

    def _t(self, message) -> str:
        """A lazily translated message in the session's language (no LocaleMiddleware here)."""
        with translation.override(self.language):
            return str(message)

    def _editing(self) -> Terminal | None:
        """The terminal kubectl edit waits in (its Stop and Ctrl+C cancel the edit), if any."""
        return (self.edit_terminal or self.terminals.first) if self.edit_token is not None else None

    def state_context(self) -> dict:
        """The console's whole state, as the lesson page renders it first (state.py: one place)."""
        return console_state(self.cluster, self.terminals, speed=self.speed, paused=self.paused,
                             tick=self.view_tick, editing=self._editing())

    async def _send_full_state(self, client: Client | None = None) -> None:
        self.view_tick += 1
        self.view_dirty = False
        self.changes_seen = self.cluster.changes
        await self.send(fragments.full_state(self.state_context(), self.language))
        for terminal in self.terminals:
            if terminal.id != "1":  # the page shows terminal N > 1 under ids suffixed "-N"
                await self.send(fragments.terminal_state(terminal.transcript, terminal.history, self.language,
                                                         terminal.suffix))
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
        await self.send(fragments.cluster_view(view_of(self.cluster), self.view_tick, self.language))

    async def _send_controls(self) -> None:
        context = controls_state(self.cluster, self.terminals, speed=self.speed, paused=self.paused,
                                 tick=self.view_tick, editing=self._editing())
        await self.send(fragments.controls(context, self.language))

    async def _send_entries(self, entries: list[dict], terminal: Terminal | None = None) -> None:
        suffix = "" if terminal is None else terminal.suffix
        await self.send(fragments.appended_entries(entries, self.language, suffix))

    async def _send_error(self, text: str, terminal: Terminal | None = None) -> None:
        """A clear message in the console; not kept in the transcript (it is about the message)."""
        await self._send_entries([{"kind": "error", "text": text + "\n"}], terminal)
