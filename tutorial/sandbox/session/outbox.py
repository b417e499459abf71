"""One WebSocket frame per thing the session handles, to every attached client.

Handling a command renders several fragments (the echoed input, the ↑/↓ history, the output, the
controls, the exercise panel…). Each frame costs the server about half a millisecond in daphne,
autobahn and Channels (bench/load.py's echo phase), more than rendering most fragments, so the
session collects the fragments of one message or clock tick and sends them together: the htmx ws
extension swaps every top-level element of a frame out of band, in order, exactly as it would
across frames. The frame goes out before any database call, so output never waits for a save.

`only(client)` sends what is rendered inside it to that client alone (the full state for a window
that just attached; the others already show it).
"""

from __future__ import annotations

import contextlib
import logging
from typing import Protocol

logger = logging.getLogger(__name__)


class Client(Protocol):
    """What the session needs of an attached client (realtime/consumer.py is the browser's)."""

    language: str
    read_only: bool

    async def deliver(self, text: str) -> None: ...  # one frame of HTML fragments

    async def end(self, code: int, text: str | None) -> None: ...  # say `text`, then close


class Outbox:
    def __init__(self) -> None:
        self.clients: list[Client] = []
        self._frames: list[str] | None = None  # None: not batching, frames go out at once
        self._target: Client | None = None

    async def send(self, text: str) -> None:
        """Queue one fragment (sent at the end of the batch), or send it now when not batching."""
        if self._frames is not None:
            self._frames.append(text)
            return
        await self._deliver(text)

    @contextlib.asynccontextmanager
    async def batched(self):
        if self._frames is not None:  # nested: the outer scope flushes
            yield
            return
        self._frames = []
        try:
            yield
        finally:
            try:
                await self.flush()
            finally:
                self._frames = None

    @contextlib.asynccontextmanager
    async def only(self, client: Client):
        """Everything sent inside goes to `client` alone, as one frame."""
        outer_frames, outer_target = self._frames, self._target
        if outer_frames:
            await self.flush()  # what was queued before is for everyone
        self._frames, self._target = [], client
        try:
            yield
        finally:
            try:
                await self.flush()
            finally:
                self._frames, self._target = outer_frames, outer_target

    async def flush(self) -> None:
        if self._frames:
            text = "".join(self._frames)
            self._frames.clear()
            await self._deliver(text)

    async def _deliver(self, text: str) -> None:
        targets = [self._target] if self._target is not None else list(self.clients)
        for client in targets:
            try:
                await client.deliver(text)
            except Exception as exc:  # a socket already gone: its disconnect detaches it
                logger.debug("Frame not delivered to %r: %s", client, exc)
