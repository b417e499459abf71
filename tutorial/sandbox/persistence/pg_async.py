"""The console's two frequent writes on PostgreSQL, awaited on the event loop itself.

Every command saves its sandbox and a driven clock renews its lease every few seconds. Done through
threads (Channels' `database_sync_to_async`), 500 learners kept eight threads busy with Django's
ORM and psycopg; the threads' share of the GIL then stalled the event loop itself by hundreds of
milliseconds at a time (bench/load.py measured the loop lag), so every console's round trip waited
on writes that were not its own. Here the two writes are one SQL statement each, sent with psycopg's
async API from a small connection pool (psycopg_pool), so a write costs the loop a few hundred
microseconds and waiting for PostgreSQL costs it nothing.

Same semantics as lease.renew and lease.save_if_holder (which stay the implementation on SQLite):
the save renews the lease and writes the sandbox in one statement, hence one transaction, and
writes nothing unless the caller holds the lease. Connection problems are raised as Django's
OperationalError, so callers handle one kind of database error.

The pool is the process's CONSOLE_DATABASE_CONNECTIONS of its connection budget (README,
Deployment: 8 + 8 = 16 per process), so it is never replaced while connections of it are out:
a wait that times out is judged busy (wait again), stuck or unreachable (ConsolePool.judge), and
at most one pool of a process has connections (tests/scaleout/test_pg_async.py).
"""

from __future__ import annotations

import asyncio
import time
import weakref

from django.conf import settings
from django.db import connections
from django.db.utils import OperationalError

try:
    import psycopg
    from psycopg.types.json import Jsonb
    from psycopg_pool import AsyncConnectionPool, PoolClosed, PoolTimeout
except ImportError:  # pragma: no cover - requirements.txt installs both
    psycopg = None

from tutorial.sandbox.models import Sandbox
from tutorial.sandbox.persistence.sandboxes import apply_fields, json_text, save_fields

LEASE_TABLE = "sandbox_lease"  # lease.TABLE (lease.py imports this module, not the other way)
JSON_FIELDS = ("snapshot", "transcript", "history", "terminals")  # jsonb columns: sent as Jsonb
# How long a caller waits in the pool's queue for a connection before the wait is judged (below).
CONNECTION_TIMEOUT_SECONDS = 3.0


class DatabaseBusy(OperationalError):
    """No console connection came free in time (BUSY_WAITS waits): PostgreSQL is slow, or the
    network to it hangs without a reset (the connections stay checked out). The save is retried;
    lease.py tells the learner it is not saved yet, as for any database error."""


# A busy pool is waited for this many times in all (2 × 3 s = 6 s) before the caller gets an error,
# counting only waits in which none of its statements ended: a pool that makes progress is served
# in turn (its queue is first come, first served), up to QUEUED_AT_MOST_SECONDS in all.
BUSY_WAITS = 2
QUEUED_AT_MOST_SECONDS = 30.0
# The health check's connection attempt (libpq's connect_timeout: whole seconds, at least 2).
PROBE_CONNECT_TIMEOUT_SECONDS = 2
# The pool's own reconnection of a lost connection gives up after this long (its delays double:
# 1, 2, 4 s...), so a pool that kept some connections starts a fresh attempt soon after an outage.
RECONNECT_TIMEOUT_SECONDS = 5.0
# Seen in pg_stat_activity.application_name (unless the database OPTIONS name the application).
APPLICATION_NAME = "console-writes"

# After a dead connection, how long the pool's fresh reconnections are given to show a live one.
REVIVE_SECONDS = 1.0

# A failed wait (or a dead connection) is judged as one of these:
BUSY = "busy"  # connections of the pool are out with statements that run, or one is alive: kept
STUCK = "stuck"  # none alive, PostgreSQL accepts a connection: the pool is replaced, run at once
UNREACHABLE = "unreachable"  # none alive and PostgreSQL does not accept a connection: replaced

_POOLS: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Task]" = weakref.WeakKeyDictionary()


def enabled() -> bool:
    return psycopg is not None and connections["default"].vendor == "postgresql"


def _connect_kwargs() -> dict:
    """Django's own connection parameters (database, user, host, OPTIONS) for psycopg.connect."""
    params = connections["default"].get_connection_params()
    for key in ("cursor_factory", "context"):  # Django's sync cursor class and adapters
        params.pop(key, None)
    params["autocommit"] = True  # each statement is its own transaction
    params.setdefault("application_name", APPLICATION_NAME)
    return params


class ConsolePool:
    """The loop's psycopg pool, with what its failures are judged by.

    Why judge at all: a caller that waited CONNECTION_TIMEOUT_SECONDS for a connection was once
    taken as "PostgreSQL unreachable", and the pool was replaced. Under 2,000 learners the pool was
    merely busy (all 8 connections out), so every replacement opened a new set of connections
    beside the old, still busy ones, until PostgreSQL's 100 were gone (9,834 "too many clients").
    Replacing is right only when the old pool holds no working connection: then it costs no
    connection of the budget, and a fresh pool connects at once instead of waiting out the old
    one's reconnection back-off."""

    def __init__(self, pool: AsyncConnectionPool):
        self.pool = pool
        self.in_use = 0  # connections handed out by this pool to a statement and not yet returned
        self.succeeded = 0  # statements that ran
        self.succeeded_at = float("-inf")  # loop time the last one ended
        self.verdict: str | None = None  # STUCK or UNREACHABLE once replaced
        self.probing: asyncio.Task | None = None  # the one health check of this pool at a time
        self.purging: asyncio.Task | None = None  # the one pool.check() at a time

    async def judge(self, waited_since: float = float("inf")) -> str:
        """Why a wait for a connection timed out: BUSY, STUCK or UNREACHABLE (the last two replace
        this pool). `waited_since`: loop time the caller's wait began."""
        if self.verdict is not None:  # already replaced
            return self.verdict
        if self.succeeded_at >= waited_since:
            # Statements of this pool ended while the caller waited: it works, only not fast
            # enough for every caller. Under load the event loop itself lags, and a connection
            # handed to a waiter whose task has not run yet is neither available nor in use;
            # judged by those two alone such a pool was taken for stuck and replaced, and its
            # connections, still out, went on beside the fresh pool's (29 backends of 16).
            return BUSY
        if self._alive():
            # Connections are out with statements that run (a dead connection fails its statement
            # at once and comes back), or one is idle: the pool works and PostgreSQL answers it.
            # No health check either: with all 8 out, a 9th connection would break the budget.
            return BUSY
        # Nothing of the pool is alive: its connection budget is free for the health check.
        if self.probing is None:
            self.probing = asyncio.get_running_loop().create_task(_postgres_answers())
            self.probing.add_done_callback(self._probed)
        # Shielded: one caller's cancellation must not cancel the others' health check.
        answered = await asyncio.shield(self.probing)
        if self.verdict is not None:  # another caller of the same health check decided
            return self.verdict
        if self._alive():  # the pool got a connection meanwhile (its reconnection succeeded)
            return BUSY
        self.verdict = STUCK if answered else UNREACHABLE
        await self.replace()
        return self.verdict

    async def revive(self) -> str:
        """After a statement found its connection dead (PostgreSQL restarted, or went away): BUSY
        when the pool shows a live connection again (run the statement once more), else judge().

        The idle connections are most likely dead too: pool.check() tests each and has the pool
        reconnect the dead ones at once. Their first attempts tell: one that connects means a
        restart (nothing is replaced); one that fails means PostgreSQL is away, and the health
        check confirms it without waiting a whole timeout (the pool's next attempts are a second
        away, so the check's connection does not come on top of one of theirs)."""
        failed_before = self.pool.get_stats().get("connections_errors", 0)
        succeeded_before = self.succeeded
        if self.verdict is None:
            if self.purging is None or self.purging.done():
                self.purging = asyncio.get_running_loop().create_task(self.pool.check())
            # Never cancelled: check() holds the connections it tests.
            await asyncio.wait([self.purging], timeout=CONNECTION_TIMEOUT_SECONDS)
        deadline = asyncio.get_running_loop().time() + REVIVE_SECONDS
        while self.verdict is None and asyncio.get_running_loop().time() < deadline:
            # Not `in_use`: in a restart every caller holds a dead connection for a moment.
            if self.succeeded > succeeded_before or self.pool.get_stats().get("pool_available", 0):
                return BUSY
            if self.pool.get_stats().get("connections_errors", 0) > failed_before:
                break
            await asyncio.sleep(0.02)
        return await self.judge()

    def _alive(self) -> bool:
        return bool(self.in_use or self.pool.get_stats().get("pool_available", 0))

    def _probed(self, task: asyncio.Task) -> None:
        if self.probing is task:  # the next failure, later, checks again
            self.probing = None

    async def replace(self) -> None:
        """Take this pool out of service and close it; the next call opens a fresh one. Nothing of
        it is out (or what is out is dead), so the budget holds: at most one pool has connections."""
        loop = asyncio.get_running_loop()
        task = _POOLS.get(loop)
        if task is not None and task.done() and not task.cancelled() and task.exception() is None \
                and task.result() is self:
            del _POOLS[loop]
        # Idle connections close now, waiters get PoolClosed, a connection out is closed when it
        # comes back; its workers get a second to stop (one stuck in a connection attempt is left).
        await asyncio.shield(self.pool.close(timeout=1.0))

    async def rowcount(self, sql: str, params: list, *, timeout: float) -> int:
        async with self.pool.connection(timeout=timeout) as conn:
            self.in_use += 1
            try:
                cursor = await conn.execute(sql, params)
                self.succeeded += 1
                self.succeeded_at = asyncio.get_running_loop().time()
                return cursor.rowcount
            except psycopg.OperationalError as exc:
                if conn.broken:  # the connection is gone, not the statement refused
                    raise _BrokenConnection(str(exc) or exc.__class__.__name__) from exc
                raise
            finally:
                self.in_use -= 1


class _BrokenConnection(Exception):
    pass


async def _postgres_answers() -> bool:
    """The health check: one fresh connection, outside the pool, with a short connect timeout.
    Made only when nothing of the pool is out, so it takes a place of the budget that is free."""
    kwargs = dict(_connect_kwargs(), connect_timeout=PROBE_CONNECT_TIMEOUT_SECONDS)
    try:
        conn = await psycopg.AsyncConnection.connect(**kwargs)
    except (psycopg.Error, OSError):
        return False
    try:
        await conn.execute("SELECT 1")
        return True
    except (psycopg.Error, OSError):
        return False
    finally:
        await conn.close()


async def _open_pool() -> ConsolePool:
    pool = AsyncConnectionPool(kwargs=_connect_kwargs(), min_size=1,
                               max_size=settings.CONSOLE_DATABASE_CONNECTIONS, open=False,
                               timeout=CONNECTION_TIMEOUT_SECONDS, reconnect_timeout=RECONNECT_TIMEOUT_SECONDS,
                               name="console-writes")
    await pool.open(wait=False)
    return ConsolePool(pool)


async def _pool() -> ConsolePool:
    """The running loop's pool (one per process in production; tests run several loops)."""
    loop = asyncio.get_running_loop()
    task = _POOLS.get(loop)
    if task is None or (task.done() and task.exception() is not None):
        task = _POOLS[loop] = loop.create_task(_open_pool())
    return await task


def _json(value) -> Jsonb:
    text = json_text(value)
    return Jsonb(value, dumps=lambda _obj: text)


def _error(exc: BaseException) -> OperationalError:
    return OperationalError(str(exc) or exc.__class__.__name__)


async def _rowcount(sql: str, params: list) -> int:
    """Run one statement on a pooled connection. Both statements of this module are idempotent
    (they set the same values again), so running one again after a dead connection is safe.

    - a wait timed out while the pool is busy: wait again; after BUSY_WAITS waits in which no
      statement of the pool ended, an OperationalError that says so; the pool stays (its
      connections are the process's budget);
    - a wait timed out with nothing out: the health check decides; PostgreSQL answers: the pool
      was stuck, it is replaced and the statement runs at once on the fresh one; it does not:
      the pool is replaced and the caller gets an OperationalError (the callers treat it as the
      database being down for now: the work is kept and saved later);
    - the connection was dead: the pool's idle ones are checked and reconnected (ConsolePool.
      revive); a live one again (a restart): once more; none: judged as a timed-out wait.
    """
    loop = asyncio.get_running_loop()
    started = waited_since = loop.time()
    wait_ends = waited_since + CONNECTION_TIMEOUT_SECONDS  # this wait's end, kept across a replacement
    busy_waits = 0
    again = True  # one more attempt after a stuck pool or a dead connection
    while True:
        console_pool = await _pool()
        try:
            return await console_pool.rowcount(sql, params, timeout=max(0.05, wait_ends - loop.time()))
        except PoolClosed as exc:
            # Replaced while this call waited in its queue: the rest of the wait is on the fresh
            # pool (all waiters failing at the same instant is no outage of their own).
            if console_pool.verdict is not None and loop.time() < wait_ends:
                continue
            raise OperationalError(f"PostgreSQL unreachable: {exc}") from exc
        except PoolTimeout as exc:
            verdict = await console_pool.judge(waited_since)
            if verdict == BUSY:
                # Progress (a statement ended during this wait): the event loop or the queue is
                # slow, not PostgreSQL; only waits without any count toward the error.
                busy_waits = 0 if console_pool.succeeded_at >= waited_since else busy_waits + 1
                if busy_waits < BUSY_WAITS and loop.time() - started < QUEUED_AT_MOST_SECONDS:
                    waited_since = loop.time()
                    wait_ends = waited_since + CONNECTION_TIMEOUT_SECONDS
                    continue
                if busy_waits < BUSY_WAITS:
                    raise DatabaseBusy(f"PostgreSQL is busy: no console connection came free in "
                                       f"{QUEUED_AT_MOST_SECONDS:g} s") from exc
                waited = busy_waits * CONNECTION_TIMEOUT_SECONDS
                raise DatabaseBusy(f"PostgreSQL is busy: no console connection came free in {waited:g} s "
                                   f"({console_pool.pool.max_size} in the pool)") from exc
            if verdict == STUCK and again:
                again = False
                wait_ends = loop.time() + CONNECTION_TIMEOUT_SECONDS
                continue
            raise OperationalError(f"PostgreSQL unreachable: {exc}") from exc
        except _BrokenConnection as exc:
            verdict = await console_pool.revive()
            if verdict == UNREACHABLE:
                raise OperationalError(f"PostgreSQL unreachable: {exc}") from exc
            if not again:
                raise _error(exc) from exc
            again = False
            wait_ends = loop.time() + CONNECTION_TIMEOUT_SECONDS
        except (psycopg.OperationalError, OSError) as exc:
            raise _error(exc) from exc
        except psycopg.Error as exc:
            raise _error(exc) from exc


async def renew(sandbox_id: int, holder: str, *, ttl: float) -> bool:
    """lease.renew, awaited."""
    now = time.time()
    count = await _rowcount(f"UPDATE {LEASE_TABLE} SET expires_at = %s WHERE sandbox_id = %s AND holder = %s",
                            [now + ttl, sandbox_id, holder])
    return count == 1


async def save_if_holder(sandbox: Sandbox, holder: str, *, ttl: float, snapshot: dict,
                         transcript: list | None, history: list | None, speed: float, paused: bool,
                         terminals: dict | None = None) -> bool:
    """lease.save_if_holder (with sandboxes.sandbox_save's fields), as one statement: the lease
    UPDATE locks its row until the statement commits, as the transaction there does."""
    fields = save_fields(snapshot=snapshot, transcript=transcript, history=history, speed=speed, paused=paused,
                         terminals=terminals)
    values = [_json(value) if name in JSON_FIELDS else value for name, value in fields.items()]
    meta = Sandbox._meta
    assignments = ", ".join(f"{meta.get_field(name).column} = %s" for name in fields)
    sql = (f"WITH lease AS (UPDATE {LEASE_TABLE} SET expires_at = %s WHERE sandbox_id = %s AND holder = %s "
           f"RETURNING sandbox_id), "
           f"saved AS (UPDATE {meta.db_table} SET {assignments} "
           f"WHERE {meta.pk.column} IN (SELECT sandbox_id FROM lease) RETURNING 1) "
           f"SELECT sandbox_id FROM lease")
    params = [time.time() + ttl, sandbox.pk, holder, *values]
    held = await _rowcount(sql, params) == 1
    if held:
        apply_fields(sandbox, fields)
    return held


async def close_pools() -> None:
    """Close the running loop's pool (tests, shutdown)."""
    task = _POOLS.pop(asyncio.get_running_loop(), None)
    if task is not None and task.done() and task.exception() is None:
        await task.result().pool.close()
