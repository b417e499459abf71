"""Faults: the database briefly unreachable, Redis restarted, while a learner works.

Redis is restarted for real (the machine's own start command, tests/scaleout/services.py) and is
always running again afterwards; the database outage is a cut TCP proxy in front of PostgreSQL.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request

import pytest

from tests.scaleout import services
from tests.scaleout.client import Console, session_cookie
from tests.scaleout.conftest import database_rows
from tests.scaleout.proxy import CuttableProxy

SLUG = "first-deployment"


def health(server) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(server.http + "/healthz", timeout=10) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def proxied_server(scaleout_env, tmp_path):
    proxy = CuttableProxy(("127.0.0.1", 5432))
    env = dict(scaleout_env)
    env["DATABASE_URL"] = env["DATABASE_URL"].replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
    server = services.Server(env).start(tmp_path)
    try:
        yield server, proxy
    finally:
        proxy.restore()
        server.stop()
        proxy.close()


def test_database_outage_keeps_the_work_and_saves_it_when_back(proxied_server, scaleout_env):
    server, proxy = proxied_server

    async def scenario():
        cookie = session_cookie(server.http, "en", SLUG)
        console = await Console.open(server.ws, server.http, cookie, "en", SLUG)
        await console.command("kubectl create -f kubia-deployment.yaml")
        await console.wait_for("deployment.apps/kubia created")

        proxy.cut()
        status, body = await asyncio.to_thread(health, server)
        assert status == 503 and body["database"].startswith("error")
        mark = len(console.received)
        await console.command("kubectl scale deployment kubia --replicas=2")
        # The command ran (the cluster lives in the process); the learner is told it is not saved yet.
        await console.wait_for("deployment.apps/kubia scaled", since=mark)
        await console.wait_for("The database cannot be reached right now", since=mark)
        assert "Traceback" not in console.text() and "Internal error" not in console.text()
        await asyncio.sleep(1.5)  # the clock keeps running through the outage
        await console.command("kubectl get deployments")
        await console.wait_for(r"kubia\s+\d/2", since=mark)

        proxy.restore()
        await console.wait_for("The database is back; your work was saved.", timeout=15, since=mark)
        history = database_rows(scaleout_env,
                                "SELECT history FROM sandbox_sandbox ORDER BY created_at DESC LIMIT 1")[0][0]
        assert history[-2:] == ["kubectl scale deployment kubia --replicas=2", "kubectl get deployments"]
        status, _ = await asyncio.to_thread(health, server)
        assert status == 200
        await console.close()

    asyncio.run(scenario())


def test_redis_restart_degrades_with_a_message_and_recovers(servers, scaleout_env):
    a, b = servers

    async def scenario():
        cookie = session_cookie(a.http, "en", SLUG)
        console = await Console.open(a.ws, a.http, cookie, "en", SLUG)
        await console.command("kubectl create -f kubia-deployment.yaml")
        await console.wait_for("deployment.apps/kubia created")
        mark = len(console.received)
        try:
            await asyncio.to_thread(services.restart_redis)
        finally:
            services.ensure_redis()
        await console.wait_for("Live messages between servers \\(Redis\\) are unavailable", timeout=15, since=mark)
        await console.wait_for("Live messages between servers work again", timeout=20, since=mark)
        # The console kept its socket and its cluster all along.
        await console.command("kubectl get deployments")
        await console.wait_for(r"kubia\s+\d/6", since=mark)
        status, body = await asyncio.to_thread(health, a)
        assert status == 200, body
        # Cross-process messages work again: a newer window on B attaches to this session at once.
        started = time.monotonic()
        newer = await Console.open(b.ws, b.http, cookie, "en", SLUG)
        await newer.wait_for(r"\$ kubectl get deployments")
        assert time.monotonic() - started < 1.9
        mark = len(console.received)
        await newer.command("kubectl get deploy kubia -o name")
        await console.wait_for("deployment.apps/kubia", since=mark)
        await newer.close()

    asyncio.run(scenario())


def test_without_redis_messages_the_lease_still_stops_the_older_console(servers, scaleout_env):
    """If the takeover message cannot arrive, the new console takes the lease after the handoff
    wait and the old one stops at its next renewal: never two consoles driving one sandbox."""
    a, b = servers

    async def scenario():
        cookie = session_cookie(a.http, "en", SLUG)
        old = await Console.open(a.ws, a.http, cookie, "en", SLUG)
        await old.command("kubectl create -f kubia-deployment.yaml")
        await old.wait_for("deployment.apps/kubia created")
        # Forget the group membership as a restarted Redis would (only our own test database).
        services.redis_flush_db()
        newer = await Console.open(b.ws, b.http, cookie, "en", SLUG)
        await newer.wait_for(r"\$ kubectl create -f kubia-deployment.yaml")
        await old.wait_for("now driven by another window or server", timeout=10)
        assert await old.wait_closed() == 4000
        await newer.command("kubectl get deployments")
        await newer.wait_for(r"kubia\s+\d/6")
        await newer.close()

    asyncio.run(scenario())
