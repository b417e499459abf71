"""The console WebSocket: transport only. Accept, authorise, limit size and rate, decode the JSON
into a typed message once (session/messages.py), hand it to the sandbox's session in this process
(session/hub.py) and send the frames the session renders. Several sockets may attach to one
session (two windows on one sandbox are both live).

Outgoing messages are HTML fragments whose top-level elements htmx swaps out of band by id.
"""

from __future__ import annotations

import time

from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.db import DatabaseError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tutorial.lessons.catalogue import get_catalogue
from tutorial.sandbox import fragments
from tutorial.sandbox.db import NoLoopConnectionSweep, console_db
from tutorial.sandbox.limits import COMMANDS_PER_SECOND, TokenBucket
from tutorial.sandbox.owners import owner_for
from tutorial.sandbox.realtime.layer import ResilientLayer
from tutorial.sandbox.services import sandbox_exercise_since, sandbox_get_or_create
from tutorial.sandbox.session.hub import hub
from tutorial.sandbox.session.messages import Refusal, parse

CLOSE_FORBIDDEN = 4003  # htmx's ws extension does not reconnect after 4xxx codes
CLOSE_NOT_FOUND = 4004


class SandboxConsumer(NoLoopConnectionSweep, ResilientLayer, AsyncWebsocketConsumer):
    read_only = False
    session = None

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
        lesson = (await sync_to_async(get_catalogue)()).get(slug)
        if lesson is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        user = self.scope.get("user")
        owner = await console_db(owner_for)(user, self.scope.get("session"), create=False)
        if owner is None:  # no session cookie: the page was never opened in this browser
            await self.close(code=CLOSE_FORBIDDEN)
            return
        sandbox = await console_db(sandbox_get_or_create)(owner=owner, user=user, lesson=lesson)
        sandbox.exercise_since = await console_db(sandbox_exercise_since)(sandbox, lesson)
        self.group = sandbox.group_name

        async def ask_holder() -> None:
            # Another process may host it: it saves and lets go (lease.py), this one opens it.
            await self._layer_call("group_send", self.group, {"type": "sandbox.takeover", "by": self.channel_name})

        await self._layer_call("group_add", self.group, self.channel_name)
        self.session = await hub().attach(sandbox, lesson, self.language, self, owner=owner, user=user,
                                          ask_holder=ask_holder)

    async def disconnect(self, code) -> None:
        self.closed = True
        if self.session is not None:
            session, self.session = self.session, None
            await hub().detach(session, self)
        if getattr(self, "group", None) is not None:
            await self._layer_call("group_discard", self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None) -> None:
        if self.session is None:
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
            return
        await self.session.handle(message, self)

    async def _say(self, reason, params=None) -> None:
        with translation.override(self.language):
            text = str(reason) % params if params else str(reason)
        await self.send(text_data=fragments.appended_entries([{"kind": "error", "text": text + "\n"}],
                                                             self.language))

    # ---------------------------------------------------------------- the session's client side
    async def deliver(self, text: str) -> None:
        if not self.closed:
            await self.send(text_data=text)

    async def end(self, code: int, text: str | None) -> None:
        if text:
            await self.deliver(fragments.appended_entries([{"kind": "info", "text": text + "\n"}], self.language))
        if self.session is not None:
            session, self.session = self.session, None
            await session.detach(self)
        self.closed = True
        await self.close(code=code)

    async def rejoin(self) -> bool:
        try:
            await self.channel_layer.group_add(self.group, self.channel_name)
        except Exception:
            return False
        return True

    async def _layer_failed(self) -> None:
        if self.session is not None:
            await self.session.layer_failed()
            if self.session.planned is None and not self.session.stopped:
                self.session._plan()  # a quiet session must still tick to rejoin once Redis is back

    # ---------------------------------------------------------------- channel-layer events
    def _speaks_for_session(self) -> bool:
        """Every socket of the session is in the group: the first one attached passes events on."""
        return self.session is not None and self.session.outbox.clients[:1] == [self]

    async def sandbox_takeover(self, event) -> None:
        if event.get("by") == self.channel_name or not self._speaks_for_session():
            return
        await self.session.takeover()

    async def sandbox_reload(self, event) -> None:
        """Someone reset or replaced the sandbox outside the session (e.g. an instructor)."""
        if self._speaks_for_session():
            try:
                await self.session.reload()
            except DatabaseError as exc:
                await self.session._database_failed(exc)
