"""Bench-only ASGI app: the real site plus a bare Channels echo consumer at /ws/echo/.

`daphne bench.echo:application` serves both from one process, so bench/load.py compares the
console against the cheapest possible Channels WebSocket on the same server in the same run.
Never deployed: production serves tutorial.asgi:application.
"""

from __future__ import annotations

from channels.generic.websocket import AsyncWebsocketConsumer

from tutorial.asgi import application as site

ECHO_PATH = "/ws/echo/"


class EchoConsumer(AsyncWebsocketConsumer):
    """Accepts and sends every text frame straight back: Channels' floor cost per message."""

    async def receive(self, text_data=None, bytes_data=None):
        await self.send(text_data=text_data, bytes_data=bytes_data)


echo = EchoConsumer.as_asgi()


async def application(scope, receive, send):
    if scope["type"] == "websocket" and scope.get("path") == ECHO_PATH:
        return await echo(scope, receive, send)
    return await site(scope, receive, send)
