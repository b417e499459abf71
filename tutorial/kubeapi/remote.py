"""An API request for a sandbox hosted by another live process, relayed over the channel layer.

The asking process sends `sandbox.remote.api` {reply, request} to the sandbox's group; the host's
HostListener (tutorial/sandbox/realtime/bridge.py) runs it on its session (`serve`, here) and
answers on `reply`: `sandbox.remote.api.response` {status, headers, body, more}, then for a
stream (watch, `logs -f`) `sandbox.remote.api.chunk` {body, end} chunk by chunk, an empty chunk
every HEARTBEAT_SECONDS while idle. The asker sends `sandbox.remote.api.close` {reply} when its
client went away; a host silent for SILENCE_SECONDS is taken for dead (the stream ends).
"""
from __future__ import annotations

import asyncio
import logging

from simulator.rest import Response

log = logging.getLogger(__name__)

ANSWER_SECONDS = 5.0      # the host answers a request by then, or it is taken for dead (live.py)
HEARTBEAT_SECONDS = 10.0  # an idle stream says it lives this often
SILENCE_SECONDS = 3 * HEARTBEAT_SECONDS
NO_ANSWER = Response(503, {}, b"")  # ask_host's answer when the host never answered (live.py decides)
IDLE_POLL = 0.1


def _request_fields(request) -> dict:
    return {"method": request.method, "path": request.path, "query": request.query,
            "headers": request.headers, "body": request.body}


async def ask_host(sandbox_id: int, request) -> Response:
    """Run `request` on the session another process hosts (asking side)."""
    from channels.layers import get_channel_layer

    from tutorial.sandbox.realtime.bridge import event

    from .live import unavailable

    layer = get_channel_layer()
    if layer is None:
        return unavailable()
    try:
        reply = await layer.new_channel("kubeapi.")
        await layer.group_send(f"sandbox.{sandbox_id}", event("sandbox.remote.api", sandbox_id, reply=reply,
                                                              request=_request_fields(request)))
        answer = await asyncio.wait_for(layer.receive(reply), ANSWER_SECONDS)
    except asyncio.TimeoutError:
        return NO_ANSWER
    except Exception as exc:  # the channel layer (Redis) is down
        log.warning("kube API relay for sandbox %s failed: %s", sandbox_id, exc)
        return unavailable()
    if answer.get("type") != "sandbox.remote.api.response":
        return unavailable()
    body = answer.get("body") or b""
    if answer.get("more"):
        body = _chunks(layer, sandbox_id, reply)
    return Response(int(answer.get("status") or 500), dict(answer.get("headers") or {}), body)


async def _chunks(layer, sandbox_id: int, reply: str):
    from tutorial.sandbox.realtime.bridge import event

    try:
        while True:
            try:
                message = await asyncio.wait_for(layer.receive(reply), SILENCE_SECONDS)
            except asyncio.TimeoutError:
                return  # the host died: kubectl's watch ends and it may retry
            if message.get("body"):
                yield message["body"]
            if message.get("end"):
                return
    finally:
        try:
            await layer.group_send(f"sandbox.{sandbox_id}", event("sandbox.remote.api.close", sandbox_id, reply=reply))
        except Exception:
            pass


# ---------------------------------------------------------------- the host's side
_STREAMS: dict[str, asyncio.Task] = {}


def serve(layer, session, event: dict) -> None:
    """bridge.HostListener: answer a relayed request in a task of its own (a stream lasts)."""
    reply = event.get("reply")
    if not isinstance(reply, str) or not isinstance(event.get("request"), dict):
        return
    task = asyncio.get_running_loop().create_task(_serve(layer, session, reply, event["request"]))
    _STREAMS[reply] = task
    task.add_done_callback(lambda _t: _STREAMS.pop(reply, None))


def close(event: dict) -> None:
    task = _STREAMS.get(event.get("reply"))
    if task is not None:
        task.cancel()


async def _serve(layer, session, reply: str, fields: dict) -> None:
    from .asgi import ApiRequest, status
    from .live import attachment_for, run_on_session

    try:
        request = ApiRequest(str(fields.get("method") or "GET"), str(fields.get("path") or "/"),
                             dict(fields.get("query") or {}), dict(fields.get("headers") or {}),
                             bytes(fields.get("body") or b""))
        attachment = await attachment_for(session)
        response = await run_on_session(attachment, request)
        if not response.streaming:
            await layer.send(reply, {"type": "sandbox.remote.api.response", "status": response.status,
                                     "headers": response.headers, "body": bytes(response.body), "more": False})
            return
        await layer.send(reply, {"type": "sandbox.remote.api.response", "status": response.status,
                                 "headers": response.headers, "body": b"", "more": True})
        await _relay_stream(layer, reply, response.body)
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("Relayed kube API request failed in sandbox %s", session.sandbox.pk)
        try:
            await layer.send(reply, {"type": "sandbox.remote.api.response", "status": 500, "headers": {},
                                     "body": status(500, "InternalError", "internal error; it was reported"),
                                     "more": False})
        except Exception:
            pass


async def _relay_stream(layer, reply: str, body) -> None:
    loop = asyncio.get_running_loop()
    said = loop.time()
    try:
        async for chunk in body:
            now = loop.time()
            if chunk or now - said >= HEARTBEAT_SECONDS:
                await layer.send(reply, {"type": "sandbox.remote.api.chunk", "body": chunk, "end": False})
                said = now
            if not chunk:
                await asyncio.sleep(IDLE_POLL)
        await layer.send(reply, {"type": "sandbox.remote.api.chunk", "body": b"", "end": True})
    finally:
        await body.aclose()
