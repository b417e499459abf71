"""The HTTP application for `/<prefix>/<sandbox-id>/<kubernetes path>`: bearer-token auth (no
cookies, no sessions), per-token limits, then `run_api_request(sandbox_id, ApiRequest)`.

`run_api_request` is the session layer's (the lead connects it): it runs the request against the
live sandbox (simulator `Cluster.api`) and returns a `simulator.rest.Response`; for a watch its
body is an iterator (or async iterator) of bytes that yields b"" while nothing is pending.
Every refusal is a Kubernetes `Status` body. Logs name the sandbox and path, never the token.
"""
from __future__ import annotations

import asyncio
import inspect
import json
import logging
from dataclasses import dataclass
from typing import Awaitable, Callable
from urllib.parse import parse_qs

from . import tokens as token_store
from .ratelimit import Limiter

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 512 * 1024   # above the simulator's own 256 KB cap, which answers with a Status
IDLE_POLL = 0.1               # seconds between polls of an idle stream
_QUERY_TOKENS = ("token", "access_token", "bearer", "authorization")


@dataclass(frozen=True)
class ApiRequest:
    method: str
    path: str          # the Kubernetes path, e.g. /apis/apps/v1/namespaces/default/deployments
    query: dict        # name -> [values]
    headers: dict      # lower-case names (no Cookie, no Authorization)
    body: bytes


def status(code: int, reason: str, message: str) -> bytes:
    return json.dumps({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                       "message": message, "reason": reason, "code": code}).encode()


class KubeApiApp:
    def __init__(self, run_api_request: Callable[[str, ApiRequest], Awaitable], *, prefix: str = "/k8s/",
                 authenticate: Callable[[str], Awaitable[str | None]] | None = None,
                 limiter: Limiter | None = None, max_body: int = MAX_BODY_BYTES):
        self.run_api_request = run_api_request
        self.prefix = "/" + prefix.strip("/") + "/"
        self.authenticate = authenticate or _db_authenticate
        self.limiter = limiter or Limiter()
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return
        resp = await self._handle(scope, receive, send)
        if resp is not None:
            code, headers, body = resp
            await _send(send, code, headers, body)

    async def _handle(self, scope, receive, send):
        path = scope.get("path", "")
        if not path.startswith(self.prefix):
            return 404, {}, status(404, "NotFound", "the server could not find the requested resource")
        sandbox_id, _, rest = path[len(self.prefix):].partition("/")
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        if any(k.lower() in _QUERY_TOKENS for k in query):
            return 400, {}, status(400, "BadRequest", "credentials in the query string are refused: send an "
                                                     "Authorization: Bearer header")
        headers = {}
        for k, v in scope.get("headers", []):
            name = k.decode("latin-1").lower()
            if name in ("cookie",):
                continue  # no cookie or session authentication on the API path
            headers[name] = v.decode("latin-1")
        auth = headers.pop("authorization", "")
        token = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
        owner = await self.authenticate(token) if token else None
        if not sandbox_id or owner is None or owner != sandbox_id:
            # the same answer for a wrong token and for another sandbox's id: nothing leaks
            log.info("kube API 401: sandbox=%s path=/%s", sandbox_id[:64], rest[:200])
            return 401, {"WWW-Authenticate": 'Bearer realm="rollout-lab"'}, status(401, "Unauthorized", "Unauthorized")
        key = token_store.digest(token)
        wait = self.limiter.allow(key)
        if wait:
            return 429, {"Retry-After": str(max(1, int(wait + 0.999)))}, status(
                429, "TooManyRequests", "too many requests for this sandbox's API, please slow down")
        body = await _read_body(receive, self.max_body, headers)
        if body is None:
            return 413, {}, status(413, "RequestEntityTooLarge",
                                   f"Request entity too large: limit is {self.max_body}")
        request = ApiRequest(scope.get("method", "GET"), "/" + rest, query, headers, body)
        watching = any(query.get(k, [""])[0] in ("1", "true", "True", "t") for k in ("watch", "follow"))
        if watching and not self.limiter.open_watch(key):
            return 429, {"Retry-After": "5"}, status(429, "TooManyRequests", "too many open watches for this sandbox")
        try:
            response = await self.run_api_request(sandbox_id, request)
            log.info("kube API %s %s sandbox=%s -> %s", request.method, request.path[:200], sandbox_id, response.status)
            if not getattr(response, "streaming", False):
                return response.status, response.headers, response.body
            await _stream(send, response, receive)
            return None
        finally:
            if watching:
                self.limiter.close_watch(key)


async def _db_authenticate(token: str) -> str | None:
    from asgiref.sync import sync_to_async

    return await sync_to_async(token_store.sandbox_for)(token)


async def _read_body(receive, limit: int, headers: dict) -> bytes | None:
    try:
        if int(headers.get("content-length") or 0) > limit:
            return None
    except ValueError:
        return None
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        part = message.get("body", b"")
        size += len(part)
        if size > limit:
            return None
        chunks.append(part)
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _header_list(headers: dict) -> list:
    out = []
    for k, v in headers.items():
        if k.lower() in ("content-length", "transfer-encoding"):
            continue
        for item in (v if isinstance(v, list) else [v]):
            out.append((k.lower().encode("latin-1"), str(item).encode("latin-1")))
    return out


async def _send(send, code: int, headers: dict, body: bytes) -> None:
    hl = _header_list(headers)
    if not any(k == b"content-type" for k, _ in hl):
        hl.append((b"content-type", b"application/json"))
    hl.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": code, "headers": hl})
    await send({"type": "http.response.body", "body": body})


async def _stream(send, response, receive=None) -> None:
    """Send a watch / followed log chunk by chunk until it ends or the client goes away (servers
    drop sends after a disconnect silently: without this a closed `kubectl get -w` would hold its
    watch slot and keep the sandbox busy for ever)."""
    gone = asyncio.Event()

    async def listen() -> None:
        while receive is not None:
            message = await receive()
            if message.get("type") == "http.disconnect":
                gone.set()
                return

    listener = asyncio.ensure_future(listen())
    await send({"type": "http.response.start", "status": response.status, "headers": _header_list(response.headers)})
    body = response.body
    try:
        if inspect.isasyncgen(body) or hasattr(body, "__anext__"):
            iterator = body.__aiter__()

            async def next_chunk():
                return await iterator.__anext__()
        else:
            iterator = iter(body)

            async def next_chunk():
                try:
                    return next(iterator)
                except StopIteration:
                    raise StopAsyncIteration from None
        while not gone.is_set():
            try:
                chunk = await next_chunk()
            except StopAsyncIteration:
                break
            if chunk:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            else:
                try:
                    await asyncio.wait_for(gone.wait(), IDLE_POLL)
                except asyncio.TimeoutError:
                    pass
    finally:
        listener.cancel()
        close = getattr(body, "aclose", None) or getattr(body, "close", None)
        if close is not None:
            result = close()
            if inspect.isawaitable(result):
                await result
    if not gone.is_set():
        await send({"type": "http.response.body", "body": b""})
