"""One WebSocket frame per thing the console handles, instead of one per fragment.

Handling a command renders several fragments (the echoed input, the ↑/↓ history, the output, the
controls, the exercise panel…). Each frame costs the server about half a millisecond in daphne,
autobahn and Channels (bench/load.py's echo phase), more than rendering most fragments, so the
consumer collects the fragments of one message or clock tick and sends them together: the htmx ws
extension swaps every top-level element of a frame out of band, in order, exactly as it would
across frames. The frame goes out before any database call, so output never waits for a save.
"""

from __future__ import annotations

import contextlib

from tutorial.sandbox.db import console_db


class BatchedSends:
    """Mixin for an AsyncWebsocketConsumer: `async with self.batched():` collects text frames."""

    _outbox: list[str] | None = None  # None: not batching, frames go out at once

    @contextlib.asynccontextmanager
    async def batched(self):
        if self._outbox is not None:  # nested: the outer scope flushes
            yield
            return
        self._outbox = []
        try:
            yield
        finally:
            try:
                await self.flush()
            finally:
                self._outbox = None

    async def send(self, text_data=None, bytes_data=None, close=False):
        if self._outbox is not None and text_data is not None and bytes_data is None and not close:
            self._outbox.append(text_data)
            return
        await self.flush()
        await super().send(text_data=text_data, bytes_data=bytes_data, close=close)

    async def close(self, code=None, reason=None):
        await self.flush()
        await super().close(code=code, reason=reason)

    async def flush(self) -> None:
        if self._outbox:
            text = "".join(self._outbox)
            self._outbox.clear()
            await super().send(text_data=text)

    async def _db(self, func, *args, **kwargs):
        """A database call (tutorial/sandbox/db.py) after sending what is ready."""
        await self.flush()
        return await console_db(func)(*args, **kwargs)
