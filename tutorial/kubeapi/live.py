"""The learner's own kubectl against the LIVE sandbox hosted in this process (issue 16).

The request runs as a `ClusterCall` on the sandbox's session (session/messages.py), serialised
with its commands and ticks; the session then renders views, grades and saves as after a command,
so the browser's live view, chart and exercise panel follow. Where the session lives:
- here (hub.py): attach an `ApiClient` to it and call;
- in another live process (its lease): route.py asks it over the channel layer (remote.py);
- nowhere: host it here, as a browser socket would (the hub's open path, taking the lease).

The `ApiClient` stays attached while a watch is open or for API_LINGER_SECONDS after the last
request: the session counts it as busy (no dormancy), so simulated time keeps running at the
sandbox's speed while the learner's kubectl uses it.
"""
from __future__ import annotations

import asyncio
import logging
import weakref

from asgiref.sync import sync_to_async
from django.conf import settings

from simulator.rest import Response
from tutorial.admission import OCCUPANCY, RETRY_AFTER_SECONDS
from tutorial.sandbox.session.messages import ClusterCall

from .asgi import ApiRequest, status

log = logging.getLogger(__name__)

API_LINGER_SECONDS = 30.0  # a request keeps the sandbox's clock running this long
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_END = object()


def unavailable(message: str = "the sandbox is not available right now, try again", *,
                retry_after: int = 1) -> Response:
    return Response(503, {"Content-Type": "application/json", "Retry-After": str(retry_after)},
                    status(503, "ServiceUnavailable", message))


# A session opened here for the API alone counts against the process's capacity like a console
# (tutorial/admission.py): past it, kubectl is told the server is full, as a browser would be.
SERVER_FULL = "the server is full right now, so this sandbox cannot start here; try again in a few minutes"


class ApiClient:
    """The learner's kubectl as a client of the session: it renders nothing, keeps the clock
    running (session `_busy`) and leaves after a quiet while."""

    read_only = False
    keeps_clock = True  # SandboxSession._busy: no dormancy while attached

    def __init__(self, attachment: "Attachment", language: str):
        self.attachment = attachment
        self.language = language

    async def deliver(self, text: str) -> None:
        return None  # the browser's windows show what changed; kubectl reads its responses

    async def end(self, code: int, text: str | None) -> None:
        self.attachment.ended()


class Attachment:
    """This process's ApiClient on one sandbox's session: open streams and the last use."""

    def __init__(self, registry: dict, sandbox_id: int):
        self.registry = registry
        self.sandbox_id = sandbox_id
        self.session = None
        self.client = ApiClient(self, settings.LANGUAGE_CODE)
        self.streams = 0
        self.last_used = 0.0
        self.timer: asyncio.TimerHandle | None = None
        self.gone = False
        self.counted = False  # this attachment opened the session: it holds a place of OCCUPANCY

    def touch(self) -> None:
        loop = asyncio.get_running_loop()
        self.last_used = loop.time()
        if self.timer is not None:
            self.timer.cancel()
        self.timer = loop.call_later(API_LINGER_SECONDS, self._maybe_leave)

    def _maybe_leave(self) -> None:
        self.timer = None
        if self.gone or self.streams:
            return
        asyncio.get_running_loop().create_task(self.leave())

    async def leave(self) -> None:
        from tutorial.sandbox.session.hub import hub

        if self.gone:
            return
        self.ended()
        if self.session is not None:
            await hub().detach(self.session, self.client)

    def ended(self) -> None:
        """The session stopped (taken over by another process) or we left: forget it."""
        self.gone = True
        if self.counted:
            self.counted = False
            OCCUPANCY.live -= 1
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.registry.get(self.sandbox_id) is self:
            del self.registry[self.sandbox_id]


_REGISTRIES: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict]" = weakref.WeakKeyDictionary()
_OPENING: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict]" = weakref.WeakKeyDictionary()


def _registry() -> dict:
    return _REGISTRIES.setdefault(asyncio.get_running_loop(), {})


async def attached(pk: int, *, ask_others: bool = True):
    """This process's attachment to the sandbox's session (opened here when nobody hosts it);
    None when another process holds its lease (a quiet host lets its lease expire but still
    answers: ask it first, like realtime/consumer.py); a Response when it cannot be had."""
    from tutorial.sandbox.session.hub import hub

    registry = _registry()
    found = registry.get(pk)
    if found is not None and not found.gone and found.session is not None and not found.session.stopped:
        return found
    opening = _OPENING.setdefault(asyncio.get_running_loop(), {})
    if pk in opening:  # a parallel request of the same kubectl is opening it: wait for that
        await asyncio.shield(opening[pk])
        return await attached(pk, ask_others=ask_others)
    future = opening[pk] = asyncio.get_running_loop().create_future()
    try:
        session = hub().hosted(pk)
        if session is None:
            from tutorial.sandbox.persistence.db import console_db
            from tutorial.sandbox.realtime.consumer import held_elsewhere

            if ask_others and await console_db(held_elsewhere)(pk, live=False):
                return None
        if session is not None:
            return await attachment_for(session)
        if OCCUPANCY.full():
            OCCUPANCY.refused += 1
            return unavailable(SERVER_FULL, retry_after=RETRY_AFTER_SECONDS)
        attachment = Attachment(registry, pk)
        OCCUPANCY.live += 1  # counted before the first await, as admission.py does
        attachment.counted = True
        try:
            attachment.session = await _open(pk, attachment.client)
        except BaseException:
            attachment.ended()
            raise
        if isinstance(attachment.session, Response):
            attachment.ended()
            return attachment.session
        registry[pk] = attachment
        attachment.touch()
        return attachment
    finally:
        del opening[pk]
        future.set_result(None)


async def attachment_for(session) -> Attachment:
    """This process's ApiClient on a session hosted here (attached first if needed); also the
    host's side of a relayed request (remote.py)."""
    registry = _registry()
    pk = session.sandbox.pk
    found = registry.get(pk)
    if found is not None and not found.gone and found.session is session:
        found.touch()
        return found
    if found is not None:
        found.ended()
    attachment = Attachment(registry, pk)
    attachment.session = session
    attachment.client.language = session.language  # kubectl never changes the windows' language
    registry[pk] = attachment
    await session.attach(attachment.client)
    attachment.touch()
    return attachment


async def _open(pk: int, client: ApiClient):
    """Host the sandbox here, as a browser socket does (realtime/consumer.py `_host`)."""
    from channels.layers import get_channel_layer

    from tutorial.curriculum.catalogue import get_catalogue
    from tutorial.sandbox.models import Sandbox
    from tutorial.sandbox.persistence.db import console_db
    from tutorial.sandbox.persistence.sandboxes import sandbox_exercise_since
    from tutorial.sandbox.realtime.bridge import HostListener, event
    from tutorial.sandbox.session.hub import hub

    sandbox = await console_db(Sandbox.objects.filter(pk=pk).first)()
    lesson = sandbox and (await sync_to_async(get_catalogue)()).get(sandbox.lesson_slug)
    if sandbox is None or lesson is None:
        return Response(404, {"Content-Type": "application/json"}, status(404, "NotFound", "no such sandbox"))
    sandbox.exercise_since = await console_db(sandbox_exercise_since)(sandbox, lesson)
    layer = get_channel_layer()

    async def ask_holder() -> None:
        if layer is not None:
            try:
                await layer.group_send(sandbox.group_name, event("sandbox.takeover", pk, by="kubeapi"))
            except Exception as exc:  # Redis down: the lease decides alone
                log.warning("kube API: no takeover message for sandbox %s: %s", pk, exc)

    async def listen(session) -> None:
        if layer is not None:
            await HostListener(layer, session, hub()).start()

    return await hub().attach(sandbox, lesson, client.language, client, owner=sandbox.owner,
                              ask_holder=ask_holder, on_open=listen)


async def run_on_session(attachment: Attachment, request: ApiRequest) -> Response:
    """One request as a ClusterCall; a streaming body is read chunk by chunk under the lock."""
    session = attachment.session
    attachment.touch()

    def call(cluster):
        return cluster, cluster.api(request.method, request.path, query=request.query,
                                    headers=request.headers, body=request.body)

    read_only = request.method.upper() in READ_METHODS
    result = await session.handle(ClusterCall(call, read_only=read_only), attachment.client)
    if result is None:
        return unavailable()
    cluster, response = result
    if not response.streaming:
        return response
    return Response(response.status, response.headers, _relay(attachment, cluster, response.body))


async def _relay(attachment: Attachment, cluster, body):
    """A watch / `logs -f` body, read under the session's lock between its other work; ends when
    the session stops or its cluster is replaced (reset, restore). Reads do not go through
    `handle`: that would re-plan the session's next tick at every poll and starve its clock (the
    ticks let the time pass that produces the events)."""
    session = attachment.session
    iterator = iter(body)
    attachment.streams += 1
    try:
        while not attachment.gone:
            async with session.lock:
                try:
                    chunk = _END if session.stopped or session.cluster is not cluster else next(iterator, _END)
                except Exception:  # a simulator bug ends this stream only, never the session
                    log.exception("kube API stream failed in sandbox %s", attachment.sandbox_id)
                    chunk = _END
            if chunk is _END:
                return
            yield chunk
    finally:
        attachment.streams -= 1
        close = getattr(body, "close", None)
        if close is not None:
            close()
        if not attachment.gone:
            attachment.touch()
