"""/healthz: is the database reachable, does the channel layer deliver a message?"""

from __future__ import annotations

import asyncio
import logging

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 3.0


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


async def _check_channel_layer() -> str:
    layer = get_channel_layer()
    if layer is None:
        return "not configured"
    # A round trip through a fresh channel proves the layer (or Redis) both accepts and delivers.
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "health.ping"})
    message = await layer.receive(channel)
    return "ok" if message.get("type") == "health.ping" else "unexpected reply"


async def _run(check, label: str) -> str:
    try:
        return await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS)
    except Exception as exc:  # a health check reports failures, it never raises them
        logger.warning("healthz: %s check failed: %s", label, exc)
        return f"error: {type(exc).__name__}"


async def healthz(request):
    database = await _run(sync_to_async(_check_database), "database")
    channel_layer = await _run(_check_channel_layer, "channel layer")
    healthy = database == "ok" and channel_layer == "ok"
    return JsonResponse(
        {"status": "ok" if healthy else "error", "database": database, "channel_layer": channel_layer},
        status=200 if healthy else 503,
    )
