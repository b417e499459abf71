"""This process's hosted sessions: one SandboxSession per sandbox, shared by every client that
attaches to it here (two windows on one sandbox are both live), closed when the last one leaves.

Opening a sandbox that no session here hosts asks whoever hosts it elsewhere to save and let go
(`sandbox.takeover` on the sandbox's channel-layer group; lease.py waits for the release) and
then opens it here. One hub per event loop, like the scheduler (tests run several loops).
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Awaitable, Callable

from tutorial.sandbox.session.outbox import Client
from tutorial.sandbox.session.session import SandboxSession


class Hub:
    def __init__(self) -> None:
        self.sessions: dict[int, SandboxSession] = {}
        self._opening: dict[int, asyncio.Future] = {}
        self._closing: dict[int, asyncio.Future] = {}  # saving and letting go after the last client

    def hosted(self, sandbox_id: int) -> SandboxSession | None:
        session = self.sessions.get(sandbox_id)
        return session if session is not None and not session.stopped else None

    async def attach(self, sandbox, lesson, language: str, client: Client, *, owner: str, user=None,
                     ask_holder: Callable[[], Awaitable[None]] | None = None,
                     on_open: Callable[[SandboxSession], Awaitable[None]] | None = None) -> SandboxSession:
        """The sandbox's session in this process (opened first if needed: `ask_holder` first asks
        another process to let go, `on_open` lets the transport listen for it), with `client`
        attached."""
        while True:
            closing = self._closing.get(sandbox.pk)
            if closing is not None:  # reopened while the last window's session saves: wait for it
                await asyncio.shield(closing)
                continue
            session = self.hosted(sandbox.pk)
            if session is not None:
                break
            opening = self._opening.get(sandbox.pk)
            if opening is not None:  # another client of this process is opening it: wait for it
                await asyncio.shield(opening)
                continue
            future = self._opening[sandbox.pk] = asyncio.get_running_loop().create_future()
            try:
                if ask_holder is not None:
                    await ask_holder()
                session = SandboxSession(sandbox, lesson, language, owner=owner, user=user)
                await session.open()
                self.sessions[sandbox.pk] = session
                if on_open is not None:
                    await on_open(session)
            finally:
                del self._opening[sandbox.pk]
                future.set_result(None)
            break
        await session.attach(client)
        return session

    async def detach(self, session: SandboxSession, client: Client) -> None:
        if await session.detach(client):
            pk = session.sandbox.pk
            if self.sessions.get(pk) is session:
                del self.sessions[pk]
            closing = self._closing[pk] = asyncio.get_running_loop().create_future()
            try:
                await session.close()
            finally:
                if self._closing.get(pk) is closing:
                    del self._closing[pk]
                closing.set_result(None)


_HUBS: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Hub]" = weakref.WeakKeyDictionary()


def hub() -> Hub:
    loop = asyncio.get_running_loop()
    found = _HUBS.get(loop)
    if found is None:
        found = _HUBS[loop] = Hub()
    return found
