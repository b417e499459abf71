"""SandboxSession: one live sandbox in this process, and the clients attached to it.

Transport-free: clients (the browser's WebSocket consumers, realtime/consumer.py; the Kubernetes
API, kubeapi/live.py; an instructor's read-only view) attach with `attach(client)` and hand over
typed messages (`handle(message, client)`, messages.py); everything the session renders goes out
through its outbox (outbox.py) as one frame per message or tick, to every attached client.
Simulator calls are synchronous and fast, so they run on the event loop under one lock: commands,
clock ticks and resets never interleave.

The session is the lifecycle (open, attach, close, takeover, reload) and the dispatch of messages
over parts, each made here with what it needs:

    live.py      Live: the sandbox row, lesson, language, Cluster, terminals, speed (shared record)
    screen.py    Screen: console entries, controls, the live view, replay, the Rollout panel
    persistence/lease.py  LeaseKeeper: the lease, saves under it, database and Redis outages
    saving.py    Saver: the row read back and written (snapshot, transcripts, histories)
    grading.py   Grader: exercises, the exercise panel, time spent
    editing.py   Editor: the file editor and `kubectl edit`
    commands.py  Commands: the terminals' commands, Ctrl+C, Tab, the clock's speed
    driving.py   Clock: simulated time, the ticks the scheduler runs, dormancy
    rollout.py   RolloutControls: time steps, the panel's Deployment and Service, traffic, replay
"""

from __future__ import annotations

import asyncio
import logging
import uuid

from asgiref.sync import sync_to_async
from django.db import DatabaseError
from django.utils.translation import gettext_lazy as _

from tutorial.curriculum.catalogue import get_catalogue
from tutorial.sandbox.models import Sandbox
from tutorial.sandbox.persistence.db import console_db
from tutorial.sandbox.persistence.lease import LEASE_LOST, LEASE_LOST_CLOSE_CODE, PROCESS_ID, LeaseKeeper
from tutorial.sandbox.persistence.sandboxes import restore_cluster, sandbox_reset
from tutorial.sandbox.scheduler import scheduler
from tutorial.sandbox.session.commands import Commands
from tutorial.sandbox.session.driving import IN_ROW, Clock
from tutorial.sandbox.session.editing import Editor
from tutorial.sandbox.session.grading import Grader, progress_rows
from tutorial.sandbox.session.live import Live
from tutorial.sandbox.session.messages import READ_ONLY_KINDS, ClusterCall, Message
from tutorial.sandbox.session.outbox import Client, Outbox
from tutorial.sandbox.session.rollout import RolloutControls
from tutorial.sandbox.session.routes import ROUTES, ClusterCalls
from tutorial.sandbox.session.saving import Saver
from tutorial.sandbox.session.screen import Screen

logger = logging.getLogger(__name__)

CLOSE_TAKEN_OVER = 4000
CLOSE_NOT_FOUND = 4004
TAKEN_OVER = _("This sandbox was opened in another window; this console stopped. Reload the page to continue here.")
ENDED_BY_RESTORE = _("The sandbox was restored; the running command was stopped.")
READ_ONLY = _("This view is read-only.")


class SandboxSession:
    def __init__(self, sandbox: Sandbox, lesson, language: str, *, owner: str, user=None):
        self.user = user  # only for the first progress rows (open)
        self.holder_id = f"{PROCESS_ID}/session-{sandbox.pk}-{uuid.uuid4().hex[:8]}"
        self.lock = asyncio.Lock()
        self.outbox = Outbox()
        self.live = live = Live(sandbox, lesson, language, owner)
        self.screen = screen = Screen(live, self.outbox)
        self.lease = LeaseKeeper(sandbox.pk, self.holder_id, say=self.screen.say, lost=self._lease_lost,
                                 rejoin=self._rejoin_clients, flush=self.outbox.flush)
        self.saver = Saver(live, self.lease)
        self.grader = Grader(live, screen, self._db, self.outbox)
        self.editor = Editor(live, screen, self.saver, self.grader)
        self.commands = Commands(live, screen, self.saver, self.grader, self.editor, restore=self._restore)
        self.clock = Clock(live, screen=screen, saver=self.saver, grader=self.grader, editor=self.editor,
                           commands=self.commands, lease=self.lease, outbox=self.outbox)
        self.rollout = RolloutControls(live, screen, self.clock, self.commands, self.grader)
        self.calls = ClusterCalls(live, screen, self.commands, self.saver, self.grader)
        self.taken_over = False
        self.loaded = False
        # The transport's hooks (realtime/bridge.py HostListener): called when the session closes
        # or stops, and to rejoin the channel layer after an outage.
        self.on_close: list = []
        self.on_rejoin: list = []

    # What other layers read (the transport, the Kubernetes API, tests).
    sandbox = property(lambda self: self.live.sandbox)
    lesson = property(lambda self: self.live.lesson)
    owner = property(lambda self: self.live.owner)
    language = property(lambda self: self.live.language)
    cluster = property(lambda self: self.live.cluster)
    terminals = property(lambda self: self.live.terminals)
    stopped = property(lambda self: self.live.stopped)

    def due(self) -> float | None:
        """Loop time of the next tick this session asked for (None: nothing planned)."""
        return self.clock.planned

    planned = property(due)

    # ---------------------------------------------------------------- lifecycle
    async def open(self) -> None:
        """Take the lease (the previous holder, asked by the hub, saves and lets go), read the row
        it saved, restore the cluster and let the wall time missed pass."""
        live = self.live
        # One trip to the database thread when the lease is free (the usual case): each trip
        # waits in the thread's queue under load, and a new learner's first command waits for it.
        self.grader.rows, fresh = await self._db(self._open_rows)
        self.user = None  # only the progress rows needed it
        if fresh is False:  # another holder: it is asked to let go (the hub did), wait for it
            await self.lease.take()
            fresh = await self._db(Sandbox.objects.filter(pk=live.sandbox.pk).first)
        if fresh is not None:
            fresh.exercise_since = live.sandbox.exercise_since
        owed = self._load(fresh or live.sandbox, catch_up=True)
        await self.clock.advance(owed)  # the missed wall time, in slices (driving.py)
        self.loaded = True

    def _open_rows(self):
        """(progress rows, the sandbox row as saved once the lease is ours, or False when another
        holder has the lease)."""
        rows = progress_rows(self.live.owner, self.user, self.live.lesson)
        if not self.lease.take_now():
            return rows, False
        return rows, Sandbox.objects.filter(pk=self.live.sandbox.pk).first()

    async def attach(self, client: Client) -> None:
        """A client joins: it gets the whole state; a new language is the session's from now on."""
        async with self.lock:
            self.outbox.clients.append(client)
            self.grader.learner_there = self.grader.learner_there or not client.read_only
            if client.language != self.live.language:
                self.live.language = client.language
                self.grader.last_panel = None
            await self.clock.awake()
            async with self.outbox.only(client):
                await self._send_full_state()
            self._plan()

    async def detach(self, client: Client) -> bool:
        """A client left; True when it was the last (the hub then closes the session)."""
        if client in self.outbox.clients:
            self.outbox.clients.remove(client)
        return not self.outbox.clients

    async def close(self) -> None:
        """The last client left: end the running commands, save, let the lease go."""
        was_stopped, self.live.stopped = self.live.stopped, True
        self._forget_clock()
        if self.loaded and not self.taken_over and not was_stopped:
            async with self.lock, self.outbox.batched():
                if self.clock.dormant_snapshot is not IN_ROW:  # else the row is the whole state
                    await self.clock.awake()  # the clock catches up on a dormant sandbox before the last save
                    for terminal in self.live.terminals.running():
                        terminal.command.cancel()  # closing the terminals ends their foreground commands
                        self.commands.flush(terminal)
                        terminal.command = None
                    await self.saver.save()
                await self.grader.account_time()
            await self.saver.written()  # before letting the lease go
            await self.lease.release()
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
        if self.live.stopped:
            return
        self.live.stopped = True
        self._forget_clock()
        message = self.live.t(text)
        for client in list(self.outbox.clients):
            try:
                await client.end(code, message)
            except Exception:  # already gone
                pass
        await self._closed()

    async def takeover(self) -> None:
        """Another process opens this sandbox and asks for it: save under the lease, let it go."""
        if self.live.stopped:
            return
        if self.loaded:
            async with self.lock, self.outbox.batched():
                if self.clock.dormant_snapshot is not IN_ROW:  # else the row is the whole state
                    await self.clock.awake()
                    await self.saver.save()
            await self.saver.written()
            await self.lease.release()
        self.taken_over = True
        await self._stop(TAKEN_OVER, CLOSE_TAKEN_OVER)

    async def _lease_lost(self) -> None:
        """Another process holds the lease: stop driving without saving, say so, close the clients."""
        if not self.live.stopped:
            self.taken_over = True  # closing must not save over the new holder's work
            await self._stop(LEASE_LOST, LEASE_LOST_CLOSE_CODE)

    async def reload(self) -> None:
        """Someone reset or replaced the sandbox outside this session (e.g. an instructor)."""
        await self.saver.written()  # a save in flight must not land after the row read here
        sandbox = await self._db(Sandbox.objects.filter(pk=self.sandbox.pk).first)
        if sandbox is None:
            await self._stop(_("This sandbox no longer exists."), CLOSE_NOT_FOUND)
            return
        rows = await self._db(progress_rows, self.owner, None, self.lesson) if self.lesson else {}
        async with self.lock, self.outbox.batched():
            self.grader.rows = rows  # a reset forgot the Check marks (progress.services.forget_checks)
            ended = self._end_commands()
            self._load(sandbox, catch_up=False)  # the terminals as saved, their commands ended
            self._say_ended(ended)
            await self._send_full_state()
            self._plan()

    async def layer_failed(self) -> None:
        """A client's channel-layer call or receive failed (Redis down); said while it drives."""
        await self.lease.layer_failed(say=self.live.cluster is not None and not self.live.stopped)
        if self.clock.planned is None and not self.live.stopped:
            self._plan()  # a quiet session must still tick to rejoin once Redis is back

    async def _rejoin_clients(self) -> bool:
        """After a channel-layer outage: the transport joins the sandbox's group again."""
        rejoined = False
        for rejoin in list(self.on_rejoin):
            if await rejoin():
                rejoined = True
        return rejoined or not self.on_rejoin

    # ---------------------------------------------------------------- the cluster
    def _load(self, sandbox: Sandbox, *, catch_up: bool) -> float:
        """The row's cluster in place of the current one; returns the simulated seconds owed."""
        cluster, owed = self.saver.load(sandbox, catch_up=catch_up)
        self.grader.since = dict(sandbox.exercise_since or {})
        self._use_cluster(cluster)
        return owed

    def _use_cluster(self, cluster) -> None:
        self.live.cluster = cluster
        for terminal in self.live.terminals:
            terminal.command = None
        self.editor.forget()
        self.screen.forget()
        self.grader.forget()
        self.clock.started()

    def _restore(self, snapshot: dict) -> None:
        """Back to `snapshot` (the last save) after a failure around a command."""
        self._end_commands()
        self._use_cluster(restore_cluster(snapshot))

    def _end_commands(self) -> list[str]:
        """A restore replaces the cluster: each terminal's running command ends, and says so.
        Returns the ids of the terminals whose command ended."""
        ended = []
        for terminal in self.live.terminals.running():
            terminal.command.cancel()
            terminal.command = None
            ended.append(terminal.id)
            self._say_ended([terminal.id])
        self.editor.forget()
        return ended

    def _say_ended(self, terminal_ids: list[str]) -> None:
        for terminal_id in terminal_ids:
            self.live.terminals.get(terminal_id).note("info", self.live.t(ENDED_BY_RESTORE) + "\n")

    async def _recover(self) -> None:
        """Go back to the last saved snapshot after an unexpected simulator error."""
        self._restore(self.saver.last_snapshot)
        await self.screen.entries([{"kind": "error", "text": self.live.t(_(
            "Internal error in the simulator; it was reported and the sandbox went back to its last saved state.\n"))}])
        await self._send_full_state()

    # ---------------------------------------------------------------- the clock
    def _plan(self) -> None:
        """Ask the process's scheduler for the next tick this sandbox needs, or for none."""
        when = self.clock.plan()
        if when is None:
            self._forget_clock()
        else:
            scheduler().wake_at(self, when)

    def _forget_clock(self) -> None:
        self.clock.planned = None
        try:
            scheduler().forget(self)
        except RuntimeError:  # no running loop (never scheduled)
            pass

    async def clock_tick(self) -> None:
        """One tick, run by the scheduler when this sandbox asked for it."""
        clock = self.clock
        if self.live.stopped or self.live.cluster is None and clock.dormant_snapshot is None:
            return
        # The renewal (a database call every RENEW_INTERVAL_SECONDS) outside the lock: no client's
        # message waits for it. It reads and writes only the lease's own fields.
        if not await self.lease.keep():
            return
        async with self.lock, self.outbox.batched():
            if self.live.stopped or self.live.cluster is None and clock.dormant_snapshot is None:
                return
            now = asyncio.get_running_loop().time()
            try:
                if clock.dormant and (clock.dormant_wake is None or now < clock.dormant_wake):
                    return  # dormant, woken only to rejoin the channel layer: stay dormant
                await clock.awake()
                await clock.tick(now)
            except asyncio.CancelledError:
                raise
            except DatabaseError as exc:  # the cluster is fine: keep it, save when the database is back
                await self.lease.database_failed(exc)
            except Exception:
                logger.exception("Clock tick failed in sandbox %s", self.sandbox.pk)
                await self._recover()
            finally:
                clock.planned = None
                if not self.live.stopped:
                    self._plan()

    async def tick(self, now: float) -> None:
        """A tick at loop time `now` (clock_tick without the scheduler, lease and lock)."""
        await self.clock.tick(now)

    # ---------------------------------------------------------------- incoming messages
    async def handle(self, message: Message | ClusterCall, client: Client | None = None, *,
                     saved: bool = True):
        """Handle one typed message from `client` (None: the session's own caller, e.g. tests).
        Returns once its save is written (saving.py), unless `saved` is False: the browser's
        socket goes on meanwhile (saves are written in order, coalesce, and a failed one is
        retried and said). Remote windows (acked once saved) and the Kubernetes API wait."""
        try:
            return await self._handle(message, client)
        finally:
            if saved:
                await self.saver.written()

    async def _handle(self, message: Message | ClusterCall, client: Client | None):
        if not self.loaded or self.live.stopped:
            return None
        if client is not None and client.read_only and message.kind not in READ_ONLY_KINDS \
                and not (isinstance(message, ClusterCall) and message.read_only):
            async with self.outbox.only(client):  # the learner's own windows are not told
                await self.screen.error(self.live.t(READ_ONLY))
            return None
        async with self.lock, self.outbox.batched():
            if self.live.stopped:
                return None
            try:
                # What a window shows: no wake unless a panel shown again missed a change (then
                # drawn at once, routes.py); not the learner's action either (no "busy", "used").
                showing = message.kind == "showing"
                if showing and (client is None or not self.screen.set_showing(client, message.value)):
                    return None
                if self.live.cluster is None and not await self.lease.keep():  # dormant: still ours?
                    return None
                await self.clock.awake()
                if not showing:
                    self.clock.busy_at = asyncio.get_running_loop().time()
                    self.live.used = True
                if isinstance(message, ClusterCall):
                    return await self.calls.run(message)
                route = ROUTES.get(message.kind)
                if route is not None:
                    await route(self, message, client)
            except DatabaseError as exc:
                await self.lease.database_failed(exc)
            except Exception:
                logger.exception("Message %r failed in sandbox %s", message, self.sandbox.pk)
                await self.screen.error(self.live.t(_("Internal error; it was reported.")))
            finally:
                if not self.live.stopped and self.live.cluster is not None:
                    self._plan()
        return None

    async def reset(self) -> None:
        """The lesson's sandbox as new (its set-up run again), the Check marks forgotten."""
        lesson = (await sync_to_async(get_catalogue)()).get(self.lesson.slug)
        if lesson is None:
            await self.screen.error(self.live.t(_("This lesson no longer exists.")))
            return
        for terminal in self.live.terminals.running():
            terminal.command.cancel()
        sandbox = await self._db(sandbox_reset, self.sandbox, lesson)
        self.grader.rows = await self._db(progress_rows, self.owner, None, self.lesson)  # checks forgotten
        self._load(sandbox, catch_up=False)
        self.live.terminals.first.note("info", self.live.t(_("The sandbox was reset.")) + "\n")
        await self._send_full_state()
        await self.saver.save()

    # ---------------------------------------------------------------- output
    async def _db(self, func, *args, **kwargs):
        """A database call (tutorial/sandbox/persistence/db.py) after sending what is ready."""
        await self.outbox.flush()
        return await console_db(func)(*args, **kwargs)

    async def _send_full_state(self) -> None:
        """Everything a newly attached client (or every client after a reset) is shown."""
        await self.screen.console()
        await self.editor.send_files()
        await self.editor.show("none")
        await self.screen.back_to_live()
        self.screen.rollout_sent = {}
        await self.screen.rollout_panel()
        await self.grader.grade(force=True)
