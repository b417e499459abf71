"""A watch ends when its client goes away (tutorial/kubeapi/asgi.py `_stream` listens for
http.disconnect): the body is closed and the token's watch slot is free again."""
from __future__ import annotations

import asyncio

from simulator.rest import Response
from tutorial.kubeapi.asgi import KubeApiApp
from tutorial.kubeapi.ratelimit import Limiter
from tutorial.kubeapi.tokens import digest

TOKEN = "rl_" + "w" * 43


def test_a_closed_watch_stops_its_stream_and_frees_its_slot():
    closed = []

    async def endless():
        try:
            while True:
                yield b""
        finally:
            closed.append(True)

    async def run_api_request(sandbox_id, request):
        return Response(200, {"Content-Type": "application/json"}, endless())

    async def authenticate(token):
        return "5" if token == TOKEN else None

    limiter = Limiter(max_watches=1)
    app = KubeApiApp(run_api_request, authenticate=authenticate, limiter=limiter)

    async def scenario():
        leave = asyncio.Event()
        sent = []
        first = True

        async def receive():
            nonlocal first
            if first:
                first = False
                return {"type": "http.request", "body": b"", "more_body": False}
            await leave.wait()
            return {"type": "http.disconnect"}

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "GET", "path": "/k8s/5/api/v1/pods", "query_string": b"watch=true",
                 "headers": [(b"authorization", f"Bearer {TOKEN}".encode())]}
        task = asyncio.ensure_future(app(scope, receive, send))
        await asyncio.sleep(0.3)
        assert not task.done() and sent[0]["status"] == 200
        leave.set()
        await asyncio.wait_for(task, 2)
        assert closed == [True]
        assert limiter.open_watch(digest(TOKEN))  # the one watch slot is free again

    asyncio.run(scenario())
