"""Database calls of the console sessions and sockets, off the event loop.

Channels' `database_sync_to_async` is thread-sensitive by default: every call of every console in
the process queues for one shared thread, behind page views and connects. On PostgreSQL the
console's calls run on a small pool of their own instead (CONSOLE_DATABASE_THREADS, each thread
with its own persistent connection). The two frequent ones, a command's save and the lease
renewal, do not use threads at all (pg_async.py: the threads' share of the GIL stalled the event
loop); what is left here is rarer (connect, grading records, time spent, reset, lease take-over).
One console awaits its calls one at a time under its lock, so its writes keep their order. SQLite
serialises writers anyway (and its shared in-memory test database would answer "table is
locked"), so there the calls stay on Channels' one thread.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

from channels.consumer import get_handler_name
from channels.db import DatabaseSyncToAsync
from django.conf import settings
from django.db import connections


@lru_cache(maxsize=1)
def _pool() -> ThreadPoolExecutor | None:
    if connections["default"].vendor != "postgresql":
        return None
    return ThreadPoolExecutor(max_workers=settings.CONSOLE_DATABASE_THREADS, thread_name_prefix="console-db")


def console_db(func):
    """`database_sync_to_async(func)`, on the console pool where there is one."""
    pool = _pool()
    if pool is None:
        return DatabaseSyncToAsync(func)
    return DatabaseSyncToAsync(func, thread_sensitive=False, executor=pool)


class NoLoopConnectionSweep:
    """Consumer mixin: dispatch without Channels' `aclose_old_connections()` before every message.

    Channels (consumer.py AsyncConsumer.dispatch) sweeps old connections before each handler, through
    `sync_to_async`, i.e. a hop to the process's one thread-sensitive thread for every command, clock
    message and group message: under load, commands queued there behind page views and connects.
    The console touches the database only through `console_db`, whose threads sweep their own
    connections before and after each call (DatabaseSyncToAsync), so the extra hop sweeps nothing.
    """

    async def dispatch(self, message):
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)
