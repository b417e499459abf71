"""Sessions across processes, over the channel layer (channels-redis with several processes).

The lease (lease.py) decides which process HOSTS a sandbox's session. The host listens on the
sandbox's group (`sandbox.<pk>`), whatever its windows do: one channel of the process is in the
group of every sandbox it hosts (`ProcessListener`), and every event names its sandbox ("sandbox"). A socket that reaches another process attaches to the host as a remote client instead of
taking the sandbox away: it forwards its typed messages to the group and relays the frames the
host renders for it (`RemoteClient` on the host side; realtime/consumer.py on the other).

Events on the group: sandbox.remote.attach {client, language, read_only}, sandbox.remote.message {client,
message, seq} (acknowledged with sandbox.remote.ack {seq} once handled and saved: a socket keeps
what its host did not acknowledge, and runs it itself if that host died), sandbox.remote.detach {client}, sandbox.remote.ping {client} (answered with
sandbox.remote.pong: a quiet host does not renew its lease, so the lease alone cannot say it
lives); sandbox.remote.api {reply, request} and sandbox.remote.api.close {reply} (the learner's
own kubectl, answered on `reply`: tutorial/kubeapi/remote.py); sandbox.takeover {by} (a process that must host: the
host saves and lets go) and sandbox.reload (the sandbox was replaced, e.g. an instructor's reset).
To one remote socket: sandbox.remote.frame {text}, sandbox.remote.end {code, text},
sandbox.remote.ack {seq} and sandbox.remote.pong.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import weakref

from tutorial.sandbox.realtime.layer import LAYER_RETRY_SECONDS
from tutorial.sandbox.session.messages import Message

# Event kinds that other apps serve on a hosted session's group (the Kubernetes API of a sandbox,
# tutorial/kubeapi/remote.py, registers its relayed requests at start-up): they register here so
# that the session layer does not import the apps built on it.
EVENT_HANDLERS: dict = {}


def serve_events(kind: str, handler) -> None:
    """`handler(layer, session, event)` answers `kind` events for the session hosted here."""
    EVENT_HANDLERS[kind] = handler

logger = logging.getLogger(__name__)


def message_event(client: str, message: Message, sandbox_id: int, seq: int) -> dict:
    return {"type": "sandbox.remote.message", "sandbox": sandbox_id, "client": client, "seq": seq,
            "message": dataclasses.asdict(message)}


class RemoteClient:
    """A socket of another process, attached to a session hosted here."""

    def __init__(self, layer, channel: str, language: str, on_gone, *, read_only: bool = False):
        self.layer = layer
        self.channel = channel
        self.language = language
        self.read_only = read_only
        self._on_gone = on_gone

    async def deliver(self, text: str) -> None:
        try:
            await self.layer.send(self.channel, {"type": "sandbox.remote.frame", "text": text})
        except Exception as exc:  # ChannelFull: nobody reads it any more (its process died)
            logger.info("Remote client %s dropped: %s", self.channel, exc)
            self._on_gone(self)

    async def end(self, code: int, text: str | None) -> None:
        try:
            await self.layer.send(self.channel, {"type": "sandbox.remote.end", "code": code, "text": text})
        except Exception:
            pass


class HostListener:
    """A hosted session's side of the sandbox's group: its remote clients and the events for it.
    The process has one channel and one receive loop for all of them (ProcessListener): a task
    per hosted session cost ~5 KB per idle learner."""

    def __init__(self, layer, session, hub):
        self.layer = layer
        self.session = session
        self.hub = hub
        self.group = session.sandbox.group_name
        self.remotes: dict[str, RemoteClient] = {}
        self.turn = asyncio.Lock()  # the session's events are handled one at a time, in order
        self._pending: set[asyncio.Task] = set()

    async def start(self) -> None:
        self.process = process_listener(self.layer)
        await self.process.add(self)
        self.session.on_close.append(self.stop)
        self.session.on_rejoin.append(self.rejoin)

    async def rejoin(self) -> bool:
        return await self.process.join(self.group)

    async def stop(self) -> None:
        """The session closed or stopped (its remote clients were told by the session itself)."""
        self.remotes.clear()
        await self.process.remove(self)

    async def handle(self, event: dict) -> None:
        async with self.turn:
            if not self.session.stopped:
                await self._handle(event)

    async def _handle(self, event: dict) -> None:
        kind = event.get("type")
        if kind == "sandbox.remote.attach":
            client = RemoteClient(self.layer, event["client"], event.get("language") or self.session.language,
                                  self._gone, read_only=bool(event.get("read_only")))
            self.remotes[client.channel] = client
            await self.session.attach(client)
        elif kind == "sandbox.remote.message":
            client = self.remotes.get(event.get("client"))
            if client is not None:
                await self.session.handle(Message(**event["message"]), client)  # returns once saved
                try:
                    await self.layer.send(client.channel, {"type": "sandbox.remote.ack", "seq": event.get("seq")})
                except Exception:
                    self._gone(client)
        elif kind == "sandbox.remote.detach":
            client = self.remotes.pop(event.get("client"), None)
            if client is not None:
                await self.hub.detach(self.session, client)
        elif kind == "sandbox.remote.ping":  # a remote socket checks that its host lives
            client = self.remotes.get(event.get("client"))
            if client is not None:
                try:
                    await self.layer.send(client.channel, {"type": "sandbox.remote.pong"})
                except Exception:
                    self._gone(client)
        elif kind in EVENT_HANDLERS:  # e.g. the learner's own kubectl, reaching another process
            EVENT_HANDLERS[kind](self.layer, self.session, event)
        elif kind == "sandbox.takeover":
            await self.session.takeover()
        elif kind == "sandbox.reload":
            await self.session.reload()

    def _gone(self, client: RemoteClient) -> None:
        if self.remotes.pop(client.channel, None) is not None:
            task = asyncio.get_running_loop().create_task(self.hub.detach(self.session, client))
            self._pending.add(task)
            task.add_done_callback(self._pending.discard)


class ProcessListener:
    """One channel of this process in the group of every sandbox it hosts; events carry the
    sandbox's id ("sandbox") and go to its HostListener, each in a task of its own (one session
    waiting on the database never holds up another's)."""

    def __init__(self, layer):
        self.layer = layer
        self.channel: str | None = None
        self.hosts: dict[int, HostListener] = {}
        self.task: asyncio.Task | None = None
        self._pending: set[asyncio.Task] = set()

    async def add(self, host: HostListener) -> None:
        if self.channel is None:
            self.channel = await self.layer.new_channel()  # the process's own prefix: one receive loop
        self.hosts[host.session.sandbox.pk] = host
        if not await self.join(host.group):  # Redis down: the lease renewals rejoin (session.on_rejoin)
            await host.session.layer_failed()
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._run(), name="sandbox-host-listener")

    async def join(self, group: str) -> bool:
        try:
            await self.layer.group_add(group, self.channel)
        except Exception as exc:
            logger.warning("Host listener not in group %s: %s", group, exc)
            return False
        return True

    async def remove(self, host: HostListener) -> None:
        pk = host.session.sandbox.pk
        if self.hosts.get(pk) is host:
            del self.hosts[pk]
            try:
                await self.layer.group_discard(host.group, self.channel)
            except Exception:
                pass

    async def _run(self) -> None:
        attempt = 0
        while True:
            try:
                event = await self.layer.receive(self.channel)
                attempt = 0
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Redis down: wait and retry
                logger.warning("Host listener receive failed (%s); retrying", exc)
                for host in list(self.hosts.values()):
                    await host.session.layer_failed()
                await asyncio.sleep(LAYER_RETRY_SECONDS[min(attempt, len(LAYER_RETRY_SECONDS) - 1)])
                attempt += 1
                continue
            host = self.hosts.get(event.get("sandbox"))
            if host is not None:
                task = asyncio.get_running_loop().create_task(self._deliver(host, event))
                self._pending.add(task)
                task.add_done_callback(self._pending.discard)

    async def _deliver(self, host: HostListener, event: dict) -> None:
        try:
            await host.handle(event)
        except Exception:
            logger.exception("Host listener event %r failed", event.get("type"))


_LISTENERS: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict]" = weakref.WeakKeyDictionary()


def process_listener(layer) -> ProcessListener:
    """The running loop's listener on `layer` (one per process in production)."""
    per_loop = _LISTENERS.setdefault(asyncio.get_running_loop(), {})
    found = per_loop.get(id(layer))
    if found is None or found.layer is not layer:
        found = per_loop[id(layer)] = ProcessListener(layer)
    return found


def event(kind: str, sandbox_id: int, **fields) -> dict:
    """A group event for the session hosting `sandbox_id`."""
    return {"type": kind, "sandbox": sandbox_id, **fields}
