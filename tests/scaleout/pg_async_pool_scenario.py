"""Run by tests/scaleout/test_pg_async.py in a process of its own (DATABASE_URL: the scale-out test
database, CONSOLE_DATABASE_CONNECTIONS: a small pool). `busy` holds every pooled connection with
slow statements while more callers wait than the pool's timeout allows; `restart` puts a cuttable
proxy in front of PostgreSQL and restarts it, then takes it away for a while; `lagging` stalls
the event loop again and again while many callers write. Prints one JSON object of facts."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import sys
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutorial.settings")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from asgiref.sync import sync_to_async  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402
from django.db.utils import OperationalError  # noqa: E402
from django.utils import timezone  # noqa: E402
from psycopg_pool import AsyncConnectionPool, PoolTimeout  # noqa: E402

from tests.scaleout.proxy import CuttableProxy  # noqa: E402
from tutorial.sandbox.models import Sandbox  # noqa: E402
from tutorial.sandbox.persistence import lease, pg_async  # noqa: E402

# One second instead of three: the same logic, a shorter test (the pool reads it when it opens).
pg_async.CONNECTION_TIMEOUT_SECONDS = 1.0
TIMEOUT = pg_async.CONNECTION_TIMEOUT_SECONDS
HOLDER = "proc-a/one"


class BackendCounter:
    """Samples this database's backends of the console pool (its application_name) every 10 ms,
    over a connection of its own that is not counted."""

    def __init__(self):
        self.peak = 0
        self.samples = 0
        self.task: asyncio.Task | None = None

    async def start(self) -> None:
        params = connections["default"].get_connection_params()
        self.conn = await psycopg.AsyncConnection.connect(
            dbname=params["dbname"], user=params.get("user"), host="127.0.0.1",
            port=int(os.environ.get("SCALEOUT_PG_PORT", "5432")), autocommit=True, application_name="pool-counter")
        self.task = asyncio.get_running_loop().create_task(self._run())

    async def count(self) -> int:
        cursor = await self.conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
            [pg_async.APPLICATION_NAME])
        return (await cursor.fetchone())[0]

    async def _run(self) -> None:
        while True:
            self.peak = max(self.peak, await self.count())
            self.samples += 1
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        self.task.cancel()
        try:
            await self.task
        except asyncio.CancelledError:
            pass
        await self.conn.close()


def make_sandbox() -> int:
    sandbox = Sandbox.objects.create(owner=f"anon:pg-pool-{os.getpid()}", lesson_slug="first-deployment",
                                     snapshot={"format": 0}, transcript=[], history=[], saved_at=timezone.now())
    lease.acquire(sandbox.pk, HOLDER, ttl=60)
    return sandbox.pk


def open_pools() -> int:
    """Pools of this process not closed (replaced pools must be closed, not left beside the new)."""
    gc.collect()
    return sum(1 for obj in gc.get_objects() if isinstance(obj, AsyncConnectionPool) and not obj.closed)


async def current_pool():
    return (await pg_async._pool()).pool


async def timed(coro) -> tuple[str, float]:
    """(outcome, seconds): "ok" / "not held" / the Django error's class and message."""
    started = time.monotonic()
    try:
        outcome = "ok" if await coro else "not held"
    except OperationalError as exc:
        outcome = f"OperationalError: {exc}"
    return outcome, round(time.monotonic() - started, 3)


async def hold_every_connection(seconds: float) -> list[asyncio.Task]:
    """As many slow statements as the pool has connections, each holding one for `seconds`."""
    loop = asyncio.get_running_loop()
    holders = [loop.create_task(pg_async._rowcount("SELECT pg_sleep(%s)", [seconds]))
               for _ in range(settings.CONSOLE_DATABASE_CONNECTIONS)]
    deadline = time.monotonic() + 5
    while (await pg_async._pool()).in_use < len(holders) and time.monotonic() < deadline:
        await asyncio.sleep(0.02)
    return holders


async def busy(pk: int) -> dict:
    facts: dict = {"max_size": settings.CONSOLE_DATABASE_CONNECTIONS, "timeout": TIMEOUT}
    await pg_async.renew(pk, HOLDER, ttl=60)
    pool = await current_pool()
    counter = BackendCounter()
    await counter.start()

    # 1. The slow statements end after 1.6 timeouts: every waiter's first wait ends in a pool
    #    timeout with all connections in use (busy), and they get a connection once these end.
    holders = await hold_every_connection(1.6 * TIMEOUT)
    waiters = [timed(pg_async.renew(pk, HOLDER, ttl=60)) for _ in range(4 * settings.CONSOLE_DATABASE_CONNECTIONS)]
    results = await asyncio.gather(*waiters)
    await asyncio.gather(*holders)
    facts["served_outcomes"] = sorted({outcome for outcome, _ in results})
    facts["served_min_seconds"] = min(seconds for _, seconds in results)
    facts["served_pool_kept"] = await current_pool() is pool

    # 2. Held for 3.5 timeouts: the waiters give up after their two waits, with a clear error.
    holders = await hold_every_connection(3.5 * TIMEOUT)
    results = await asyncio.gather(*[timed(pg_async.renew(pk, HOLDER, ttl=60)) for _ in range(6)])
    facts["refused_outcomes"] = sorted({outcome.split(":")[0] for outcome, _ in results})
    facts["refused_message"] = results[0][0]
    facts["refused_seconds"] = [min(s for _, s in results), max(s for _, s in results)]
    facts["refused_pool_kept"] = await current_pool() is pool
    await asyncio.gather(*holders)
    # Freed: the same pool answers at once.
    facts["after"] = await timed(pg_async.renew(pk, HOLDER, ttl=60))
    facts["after_pool_kept"] = await current_pool() is pool and not pool.closed

    await counter.stop()
    facts["peak_backends"] = counter.peak
    facts["samples"] = counter.samples
    facts["open_pools"] = open_pools()
    await pg_async.close_pools()
    return facts


async def restart(pk: int) -> dict:
    facts: dict = {"max_size": settings.CONSOLE_DATABASE_CONNECTIONS, "timeout": TIMEOUT}
    proxy = CuttableProxy(("127.0.0.1", int(connections["default"].settings_dict["PORT"] or 5432)))
    connections["default"].settings_dict.update(HOST="127.0.0.1", PORT=str(proxy.port))
    await pg_async.close_pools()
    counter = BackendCounter()
    await counter.start()

    # The pool grows to all its connections (slow statements side by side), then they go idle.
    holders = await hold_every_connection(0.3)
    await asyncio.gather(*holders)
    facts["grown_backends"] = await counter.count()
    pool = await current_pool()

    # 1. PostgreSQL restarts: every pooled connection is dead, the server answers again at once.
    proxy.cut()
    proxy.restore()
    outcomes = []
    deadline = time.monotonic() + 4 * TIMEOUT
    while time.monotonic() < deadline:
        outcome, seconds = await timed(pg_async.renew(pk, HOLDER, ttl=60))
        outcomes.append(outcome.split(":")[0])
        if outcome == "ok":
            break
    facts["restart_outcomes"] = outcomes
    facts["restart_dead_returned"] = pool.get_stats().get("returns_bad", 0)  # a statement met a dead one
    facts["restart_pool_kept"] = await current_pool() is pool
    await asyncio.sleep(0.5)  # the pool's replacements of its dead connections connect
    facts["restart_backends"] = await counter.count()
    facts["restart_open_pools"] = open_pools()

    # 2. PostgreSQL away (connections refused): a clean error within the timeout and a probe, and
    #    the pool is replaced: the old one is closed, never kept beside the new.
    pool = await current_pool()
    proxy.cut()
    facts["down"] = [await timed(pg_async.renew(pk, HOLDER, ttl=60)) for _ in range(3)]
    facts["down_old_pool_closed"] = pool.closed
    facts["down_open_pools"] = open_pools()

    # 3. Back: the next call works, on one pool.
    proxy.restore()
    facts["back"] = await timed(pg_async.renew(pk, HOLDER, ttl=60))
    facts["back_open_pools"] = open_pools()

    # 4. A pool opened during an outage backs off between its connection attempts (1, 2, 4, 8 s
    #    with a long reconnect timeout), and so does its growth (one attempt at a time): PostgreSQL
    #    is back at 3.5 s, before their attempts at ~7 s.
    #    The caller's wait times out, the health check connects: the pool is stuck, not busy; it
    #    is replaced and the statement runs on the fresh pool within the same call.
    await pg_async.close_pools()
    proxy.cut()
    pg_async.RECONNECT_TIMEOUT_SECONDS = 60.0
    stuck = await pg_async._pool()
    pg_async.RECONNECT_TIMEOUT_SECONDS = 5.0
    try:  # a caller's wait (not judged) starts the pool's growth: its attempt backs off too
        await stuck.pool.getconn(timeout=0.2)
    except PoolTimeout:
        pass
    await asyncio.sleep(3.5)  # attempts at ~0, ~1 and ~3 s fail; the next is at ~7 s
    proxy.restore()
    facts["stuck"] = await timed(pg_async.renew(pk, HOLDER, ttl=60))
    facts["stuck_verdict"] = stuck.verdict
    facts["stuck_closed"] = stuck.pool.closed
    facts["stuck_open_pools"] = open_pools()
    await counter.stop()
    facts["peak_backends"] = counter.peak
    await pg_async.close_pools()
    proxy.close()
    return facts


async def lagging(pk: int) -> dict:
    """The event loop stalls (a server at full load) longer than a wait for a connection, again
    and again, while many callers write. On resuming, the waits time out in the same turn in
    which statements ended and their connections were handed to waiters whose tasks have not run
    yet: neither available nor in use. Judged by those alone the pool was stuck and replaced, and
    its connections, still out, went on beside the fresh pool's."""
    facts: dict = {"max_size": settings.CONSOLE_DATABASE_CONNECTIONS, "timeout": TIMEOUT}
    await pg_async.renew(pk, HOLDER, ttl=60)
    console_pool = await pg_async._pool()
    counter = BackendCounter()
    await counter.start()
    running = True

    async def stall_now_and_then():
        while running:
            await asyncio.sleep(0.3)
            time.sleep(1.6 * TIMEOUT)  # the whole loop: every pending wait outlives its timeout

    async def caller() -> list[str]:
        outcomes = []
        for _ in range(6):  # statements of 50 ms: a queue of ~0.4 s for the pool's connections
            outcome, _seconds = await timed(pg_async._rowcount("SELECT pg_sleep(%s)", [0.05]))
            outcomes.append(outcome.split(" (")[0])
        return outcomes

    staller = asyncio.get_running_loop().create_task(stall_now_and_then())
    results = await asyncio.gather(*[caller() for _ in range(8 * settings.CONSOLE_DATABASE_CONNECTIONS)])
    running = False
    await staller
    facts["outcomes"] = sorted({outcome for outcomes in results for outcome in outcomes})
    facts["calls"] = sum(len(outcomes) for outcomes in results)
    facts["pool_kept"] = await pg_async._pool() is console_pool and console_pool.verdict is None
    await counter.stop()
    facts["peak_backends"] = counter.peak
    facts["open_pools"] = open_pools()
    await pg_async.close_pools()
    return facts


async def main(which: str) -> dict:
    pk = await sync_to_async(make_sandbox)()
    return await {"busy": busy, "restart": restart, "lagging": lagging}[which](pk)


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(sys.argv[1]))))
