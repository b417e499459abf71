"""The class dashboard's WebSocket: /ws/classes/<lang>/<id>/.

Only an instructor teaching the class may connect (checked at connect and again at every
update, so a removed co-instructor stops receiving). The consumer joins the class's channel-layer
group; tutorial/classroom/live.py sends "class.changed" there whenever a learner's progress is
written, from any server process. Updates are coalesced: one re-render per UPDATE_DELAY.
"""

from __future__ import annotations

import asyncio

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from tutorial.classroom.access import teaching_classroom
from tutorial.classroom.results import class_results

CLOSE_FORBIDDEN = 4003  # htmx's ws extension does not reconnect after 4xxx codes
CLOSE_NOT_FOUND = 4004
UPDATE_DELAY = 0.3


def render_live_parts(user, pk, language: str) -> str | None:
    """The summary and the grid as out-of-band fragments; None when `user` may not see the class."""
    classroom = teaching_classroom(user, pk)
    if classroom is None:
        return None
    context = {"classroom": classroom, "results": class_results(classroom), "oob": True}
    with translation.override(language):
        return (render_to_string("classroom/_summary.html", context)
                + render_to_string("classroom/_grid.html", context))


class ClassroomConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        self.group = None
        self.pending: asyncio.Task | None = None
        kwargs = self.scope["url_route"]["kwargs"]
        self.language = kwargs["lang"]
        self.pk = kwargs["pk"]
        # Accept, then close with 4xxx: a refused handshake would make htmx retry forever.
        await self.accept()
        if self.language not in dict(settings.LANGUAGES):
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.user = self.scope.get("user")
        parts = await database_sync_to_async(render_live_parts)(self.user, self.pk, self.language)
        if parts is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.group = f"classroom.{int(self.pk)}"
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.send(text_data=parts)

    async def disconnect(self, code) -> None:
        if self.pending is not None:
            self.pending.cancel()
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None) -> None:
        """The dashboard only listens; anything it is sent is ignored."""

    async def class_changed(self, event) -> None:
        if self.pending is None or self.pending.done():
            self.pending = asyncio.create_task(self._update_soon())

    async def _update_soon(self) -> None:
        await asyncio.sleep(UPDATE_DELAY)
        parts = await database_sync_to_async(render_live_parts)(self.user, self.pk, self.language)
        if parts is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.send(text_data=parts)
