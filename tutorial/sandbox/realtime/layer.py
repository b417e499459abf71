"""A console socket that survives a channel-layer (Redis) outage instead of closing.

Channels' AsyncConsumer.__call__ sets `self.channel_receive` to the layer's receive and lets any
exception from it end the consumer (channels/consumer.py). With channels-redis a Redis restart
would then close every console; wrapped, the console waits and carries on, and tells its session
(which says so to the learner and rejoins the group once Redis is back).
"""

from __future__ import annotations

import asyncio
import logging

logger = logging.getLogger(__name__)

LAYER_RETRY_SECONDS = (0.5, 1.0, 2.0, 5.0)  # back-off while the channel layer is unreachable


class ResilientLayer:
    """Mixin for an AsyncConsumer; `_layer_failed()` is the consumer's hook (a no-op here)."""

    @property
    def channel_receive(self):
        return self._resilient_channel_receive

    @channel_receive.setter
    def channel_receive(self, receive) -> None:
        self._raw_channel_receive = receive

    async def _resilient_channel_receive(self):
        attempt = 0
        while True:
            try:
                message = await self._raw_channel_receive()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # ConnectionError, redis errors, OSError...
                logger.warning("Channel layer receive failed (%s); retrying", exc)
                await self._layer_failed()
                await asyncio.sleep(LAYER_RETRY_SECONDS[min(attempt, len(LAYER_RETRY_SECONDS) - 1)])
                attempt += 1
                continue
            return message

    async def _layer_failed(self) -> None:
        pass

    async def _layer_call(self, method: str, *args) -> bool:
        """group_send / group_add / group_discard that degrade instead of failing the console."""
        try:
            await getattr(self.channel_layer, method)(*args)
        except Exception as exc:
            logger.warning("Channel layer %s failed: %s", method, exc)
            await self._layer_failed()
            return False
        return True
