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
    from psycopg_pool import AsyncConnectionPool
except ImportError:  # pragma: no cover - requirements.txt installs both
    psycopg = None

try:
    import orjson
except ImportError:  # pragma: no cover
    orjson = None

from tutorial.sandbox.models import Sandbox
from tutorial.sandbox.persistence.sandboxes import apply_fields, save_fields

LEASE_TABLE = "sandbox_lease"  # lease.TABLE (lease.py imports this module, not the other way)
JSON_FIELDS = ("snapshot", "transcript", "history", "terminals")  # jsonb columns: sent as Jsonb
# Waiting longer for a pooled connection than this is an outage: say so rather than hang.
CONNECTION_TIMEOUT_SECONDS = 3.0

_CLOSING: set[asyncio.Task] = set()
_POOLS: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Task]" = weakref.WeakKeyDictionary()


def enabled() -> bool:
    return psycopg is not None and connections["default"].vendor == "postgresql"


def _connect_kwargs() -> dict:
    """Django's own connection parameters (database, user, host, OPTIONS) for psycopg.connect."""
    params = connections["default"].get_connection_params()
    for key in ("cursor_factory", "context"):  # Django's sync cursor class and adapters
        params.pop(key, None)
    params["autocommit"] = True  # each statement is its own transaction
    return params


async def _open_pool() -> AsyncConnectionPool:
    pool = AsyncConnectionPool(kwargs=_connect_kwargs(), min_size=1,
                               max_size=settings.CONSOLE_DATABASE_CONNECTIONS, open=False,
                               timeout=CONNECTION_TIMEOUT_SECONDS, name="console-writes")
    await pool.open(wait=False)
    return pool


async def _pool() -> AsyncConnectionPool:
    """The running loop's pool (one per process in production; tests run several loops)."""
    loop = asyncio.get_running_loop()
    task = _POOLS.get(loop)
    if task is None or (task.done() and task.exception() is not None):
        task = _POOLS[loop] = loop.create_task(_open_pool())
    return await task


def _json(value) -> Jsonb:
    if orjson is not None:
        try:
            text = orjson.dumps(value).decode()
        except TypeError:  # a value orjson cannot write (a huge integer): the standard library can
            return Jsonb(value)
        return Jsonb(value, dumps=lambda _obj: text)
    return Jsonb(value)


async def _discard_pool() -> None:
    """After a connection failure: the pool's own reconnection backs off (1 s, 2 s, 4 s...), so
    when PostgreSQL is back the consoles would wait for its next attempt. A fresh pool connects on
    the next call instead."""
    task = _POOLS.pop(asyncio.get_running_loop(), None)
    if task is not None and task.done() and task.exception() is None:
        closing = asyncio.get_running_loop().create_task(task.result().close(timeout=0))
        _CLOSING.add(closing)  # the loop keeps only a weak reference to a task
        closing.add_done_callback(_CLOSING.discard)


async def _rowcount(sql: str, params: list) -> int:
    try:
        pool = await _pool()
        async with pool.connection() as conn:
            cursor = await conn.execute(sql, params)
            return cursor.rowcount
    except (psycopg.OperationalError, OSError) as exc:  # PoolTimeout included: PostgreSQL unreachable
        await _discard_pool()
        raise OperationalError(str(exc) or exc.__class__.__name__) from exc
    except psycopg.Error as exc:
        raise OperationalError(str(exc) or exc.__class__.__name__) from exc


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
        await task.result().close()
