"""The console WebSocket: transport only. Accept, authorise, limit size and rate, decode the JSON
into a typed message once (session/messages.py), hand it to the sandbox's session and send the
frames the session renders. Several sockets may attach to one session (two windows on one sandbox
are both live).

The session lives in the process that holds the sandbox's lease. Here (session/hub.py), the socket
attaches to it directly; in another live process, it attaches there as a remote client through the
channel layer (bridge.py) and relays the frames; when that host dies (its lease expires) or does
not answer, this process hosts the session, restored from the last save.
"""

from __future__ import annotations

import asyncio
import time

from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.db import DatabaseError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tutorial.curriculum.catalogue import get_catalogue, recent_catalogue
from tutorial.learners import owner_for
from tutorial.sandbox.limits import COMMANDS_PER_SECOND, TokenBucket
from tutorial.sandbox.panels import fragments
from tutorial.sandbox.persistence import lease
from tutorial.sandbox.persistence.db import NoLoopConnectionSweep, console_db
from tutorial.sandbox.persistence.sandboxes import sandbox_exercise_since, sandbox_get_or_create
from tutorial.sandbox.realtime.bridge import HostListener, event, message_event
from tutorial.sandbox.realtime.layer import ResilientLayer
from tutorial.sandbox.session.hub import hub
from tutorial.sandbox.session.messages import Refusal, parse

CLOSE_FORBIDDEN = 4003  # htmx's ws extension does not reconnect after 4xxx codes
CLOSE_NOT_FOUND = 4004
REMOTE_ANSWER_SECONDS = lease.HANDOFF_SECONDS  # a host that does not answer by then is taken over
HOST_CHECK_SECONDS = lease.RENEW_INTERVAL_SECONDS  # how often a remote socket checks its host lives


class SandboxRef:
    """What a socket attached to a session still needs of its sandbox row: the id."""

    __slots__ = ("pk",)

    def __init__(self, pk: int):
        self.pk = pk


def held_elsewhere(sandbox_id: int, *, live: bool) -> bool:
    """Another process holds the lease (`live`: and it has not expired). A quiet host does not
    renew it, so an expired lease may still have a living host: ask it first (bridge.py)."""
    current = lease.current(sandbox_id)
    return (current is not None and not current.holder.startswith(lease.PROCESS_ID + "/")
            and (not live or current.expires_at > time.time()))


def hosted_elsewhere(sandbox_id: int) -> bool:
    return held_elsewhere(sandbox_id, live=True)


def find_sandbox(user, session, lesson) -> tuple[str | None, object | None, bool]:
    """(owner, the learner's sandbox of the lesson, whether another process holds its lease), in
    one trip to the database thread: under load each trip waits in its queue, and a new learner's
    first command waits for all of them."""
    owner = owner_for(user, session, create=False)
    if owner is None:  # no session cookie: the page was never opened in this browser
        return None, None, False
    sandbox = sandbox_get_or_create(owner=owner, user=user, lesson=lesson)
    sandbox.exercise_since = sandbox_exercise_since(sandbox, lesson)
    return owner, sandbox, held_elsewhere(sandbox.pk, live=False)


class SandboxConsumer(NoLoopConnectionSweep, ResilientLayer, AsyncWebsocketConsumer):
    read_only = False
    session = None  # the session hosted in this process, when attached to it
    remote = False  # attached to a session hosted by another process
    watchdog: asyncio.Task | None = None

    async def connect(self) -> None:
        self.bucket = TokenBucket(COMMANDS_PER_SECOND, COMMANDS_PER_SECOND, time.monotonic())
        self.last_limit_warning = -1e9
        self.closed = False
        kwargs = self.scope["url_route"]["kwargs"]
        self.language, slug = kwargs["lang"], kwargs["slug"]
        # Accept first: a refused handshake looks like 1006 to the browser and htmx would retry
        # forever; an accepted socket closed with 4xxx is final.
        await self.accept()
        if self.language not in dict(settings.LANGUAGES):
            await self.close(code=CLOSE_NOT_FOUND)
            return
        catalogue = recent_catalogue() or await sync_to_async(get_catalogue)()
        self.lesson = catalogue.get(slug)
        if self.lesson is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        found = await self._find_sandbox()
        if found is None:
            return
        self.sandbox, elsewhere = found
        self.group = self.sandbox.group_name
        if hub().hosted(self.sandbox.pk) is None and elsewhere:
            await self._attach_remote()
        else:
            await self._host()

    async def _find_sandbox(self):
        """(the learner's own sandbox of the lesson, made on the first visit; whether another
        process holds its lease), or None when the socket was closed."""
        self.user = self.scope.get("user")
        self.owner, sandbox, elsewhere = await console_db(find_sandbox)(self.user, self.scope.get("session"),
                                                                        self.lesson)
        if sandbox is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return None
        return sandbox, elsewhere

    async def _host(self) -> None:
        """Attach to the session in this process, opening it here if needed."""
        layer = self.channel_layer

        async def ask_holder() -> None:
            # Another process may host it: it saves and lets go (lease.py), this one opens it.
            await self._layer_call("group_send", self.group, event("sandbox.takeover", self.sandbox.pk, by=self.channel_name))

        async def listen(session) -> None:
            if layer is not None:
                await HostListener(layer, session, hub()).start()

        self.remote = False
        self.session = await hub().attach(self.sandbox, self.lesson, self.language, self, owner=self.owner,
                                          user=self.user, ask_holder=ask_holder, on_open=listen)
        # The session holds the row (snapshot, transcripts: kilobytes): an idle socket keeps none.
        self.sandbox = SandboxRef(self.sandbox.pk)

    # ---------------------------------------------------------------- remote: the host is elsewhere
    async def _attach_remote(self) -> None:
        self.remote = True
        self.answered = False
        # Messages sent to the host and not acknowledged yet (seq → Message): if the host dies
        # before handling them, this socket runs them itself once it hosts the session.
        self.unacknowledged: dict[int, object] = {}
        self.seq = 0
        await self._layer_call("group_send", self.group, event("sandbox.remote.attach", self.sandbox.pk,
                                                               client=self.channel_name, language=self.language,
                                                               read_only=self.read_only))
        self.watchdog = asyncio.get_running_loop().create_task(self._watch_host())

    async def _watch_host(self) -> None:
        """Host it here when the host never answered, or later when it stops answering pings and
        its lease has expired (SIGKILL). A quiet host lets its lease expire (dormant sessions do
        not renew it) but still answers pings: it keeps the session."""
        try:
            await asyncio.sleep(REMOTE_ANSWER_SECONDS)
            while self.remote and not self.closed and self.answered:
                self.pong = False
                await self._layer_call("group_send", self.group, event("sandbox.remote.ping", self.sandbox.pk,
                                                                       client=self.channel_name))
                await asyncio.sleep(HOST_CHECK_SECONDS)
                if not self.pong and not await console_db(hosted_elsewhere)(self.sandbox.pk):
                    break
            if self.remote and not self.closed:
                await self._layer_call("group_send", self.group, event("sandbox.remote.detach", self.sandbox.pk,
                                                                       client=self.channel_name))
                await self._host()
                await self._run_unacknowledged()
        except asyncio.CancelledError:
            raise
        except DatabaseError:  # the database is down: the host (if alive) carries on
            pass

    async def _run_unacknowledged(self) -> None:
        """The messages a dead host never acknowledged, in the order they were typed. One it handled
        but died before acknowledging (after its save) runs twice: rare, and said by the command."""
        pending, self.unacknowledged = self.unacknowledged, {}
        for seq in sorted(pending):
            if self.session is None or self.closed:
                break
            await self.session.handle(pending[seq], self)

    async def sandbox_remote_pong(self, event) -> None:
        self.pong = True

    async def sandbox_remote_ack(self, event) -> None:
        getattr(self, "unacknowledged", {}).pop(event.get("seq"), None)

    async def sandbox_remote_frame(self, event) -> None:
        self.answered = True
        if self.remote and not self.closed:
            await self.deliver(event["text"])

    async def sandbox_remote_end(self, event) -> None:
        if self.remote and not self.closed:
            await self.end(event.get("code") or 4000, event.get("text"))

    # ---------------------------------------------------------------- both
    async def disconnect(self, code) -> None:
        self.closed = True
        if self.watchdog is not None and self.watchdog is not asyncio.current_task():
            self.watchdog.cancel()
        if self.remote:
            await self._layer_call("group_send", self.group, event("sandbox.remote.detach", self.sandbox.pk,
                                                                   client=self.channel_name))
        if self.session is not None:
            session, self.session = self.session, None
            await hub().detach(session, self)

    async def receive(self, text_data=None, bytes_data=None) -> None:
        if self.session is None and not self.remote:
            return
        if not self.bucket.take(time.monotonic()):
            # Say it once per second at most: a flood must not turn into a flood of replies.
            now = time.monotonic()
            if now - self.last_limit_warning >= 1.0:
                self.last_limit_warning = now
                await self._say(_("Too many messages: at most %(rate)d commands per second. Slow down a little."),
                                {"rate": int(COMMANDS_PER_SECOND)})
            return
        message = parse(text_data)
        if isinstance(message, Refusal):
            await self._say(message.reason, message.params)
        elif self.remote:
            self.seq += 1
            self.unacknowledged[self.seq] = message
            await self._layer_call("group_send", self.group,
                                   message_event(self.channel_name, message, self.sandbox.pk, self.seq))
        else:
            await self.session.handle(message, self, saved=False)

    async def _say(self, reason, params=None) -> None:
        with translation.override(self.language):
            text = str(reason) % params if params else str(reason)
        await self.send(text_data=fragments.appended_entries([{"kind": "error", "text": text + "\n"}],
                                                             self.language))

    # ---------------------------------------------------------------- the session's client side
    async def deliver(self, text: str) -> None:
        text = self.for_page(text)
        if text and not self.closed:
            await self.send(text_data=text)

    def for_page(self, text: str) -> str:
        """What of a frame this socket's page can show (all of it: the lesson page is the console)."""
        return text

    async def end(self, code: int, text: str | None) -> None:
        """The session stopped (another process hosts the sandbox now): say why and close."""
        if text:
            await self.deliver(fragments.appended_entries([{"kind": "info", "text": text + "\n"}], self.language))
        self.remote = False
        if self.session is not None:  # the stopped session leaves the hub with its last socket
            session, self.session = self.session, None
            await hub().detach(session, self)
        self.closed = True
        await self.close(code=code)

    async def _layer_failed(self) -> None:
        session = self.session
        if session is not None:
            await session.layer_failed()
