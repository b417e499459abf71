"""The console's two frequent writes on SQLite (a command's save, a lease renewal), on the event loop.

Why: through a thread (Channels' `database_sync_to_async`) a save cost the process ~0.9 ms of CPU
per command (bench/profile_commands.py, SQLite: 0.19 ms on the event loop to hand it over and get
the answer back, 0.74 ms in the thread), while its statements alone cost ~0.13 ms: the rest was the
hand-over and the GIL passing back and forth at each sqlite3 call. Written here with the sqlite3
module on the loop's own connection, a save costs about what its statements cost. pg_async.py does
the same on PostgreSQL, for the same reason.

Never a wait on the loop:
- the connection has no busy timeout: when another connection holds the write lock (a page view's
  transaction, a grading record in the thread) BEGIN IMMEDIATE fails at once with "database is
  locked", and the caller writes through the thread as before (lease.py), which waits its turn;
- this connection never checkpoints the write-ahead log (wal_autocheckpoint=0: a checkpoint copies
  pages back into the database file and syncs it, milliseconds). Django's connections checkpoint
  as they always did when they commit, and every CHECKPOINT_EVERY saves here ask the thread for a
  PASSIVE checkpoint, which never blocks a writer.

Same semantics as lease.save_if_holder and lease.renew: the lease is renewed and the sandbox written
in one transaction, and nothing is written unless the caller holds the lease. Errors other than
"locked" are raised as Django's OperationalError, so callers handle one kind of database error.

An in-memory database (the tests' shared-cache one) cannot be opened a second time: there the thread
path stays (enabled() is False). tests/web/test_sqlite_loop.py runs this module on a database file.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
import weakref

from django.db import connection, connections
from django.db.utils import OperationalError

from tutorial.sandbox.persistence.sandboxes import apply_fields, save_fields, sqlite_update

logger = logging.getLogger(__name__)

LEASE_TABLE = "sandbox_lease"  # lease.TABLE (lease.py imports this module, not the other way)
CHECKPOINT_EVERY = 500  # saves between two checkpoints asked of the thread (~2 MB of log at 4 KB each)

_CONNECTIONS: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, sqlite3.Connection]" = weakref.WeakKeyDictionary()
_saves = 0
_checkpointing: asyncio.Task | None = None


class Busy(Exception):
    """Another connection holds the write lock right now: write through the thread instead."""


def enabled() -> bool:
    db = connections["default"]
    return db.vendor == "sqlite" and not db.is_in_memory_db()


def _connection() -> sqlite3.Connection:
    """The running loop's own connection to the database file (opened on first use)."""
    loop = asyncio.get_running_loop()
    db = _CONNECTIONS.get(loop)
    if db is None:
        db = open_connection(str(connections["default"].settings_dict["NAME"]))
        _CONNECTIONS[loop] = db
    return db


def open_connection(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA synchronous=NORMAL")  # as settings.py's init_command: WAL commits without fsync
    db.execute("PRAGMA wal_autocheckpoint=0")
    return db


def _locked(exc: sqlite3.Error) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


def _in_transaction(db: sqlite3.Connection, work) -> bool:
    """BEGIN IMMEDIATE, work(db) -> commit?, COMMIT or ROLLBACK. Another writer at any step (also
    at COMMIT, which in a rollback-journal database waits for readers): Busy; other sqlite3 errors
    as Django's OperationalError."""
    try:
        db.execute("BEGIN IMMEDIATE")
        if not work(db):
            db.execute("ROLLBACK")
            return False
        db.execute("COMMIT")
        return True
    except sqlite3.Error as exc:
        if db.in_transaction:
            try:
                db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        if _locked(exc):
            raise Busy(str(exc)) from None
        raise OperationalError(str(exc)) from exc


def save_if_holder(sandbox, holder: str, *, ttl: float, db: sqlite3.Connection | None = None,
                   **fields) -> bool:
    """lease.save_if_holder on the loop's connection: True when written, False when the lease is
    not the caller's (nothing written); raises Busy when another connection writes right now."""
    fields = save_fields(**fields)
    sql, params = sqlite_update(sandbox.pk, fields, placeholder="?")
    renewal = [time.time() + ttl, sandbox.pk, holder]

    def work(db) -> bool:
        renewed = db.execute(f"UPDATE {LEASE_TABLE} SET expires_at = ? WHERE sandbox_id = ? AND holder = ?", renewal)
        if renewed.rowcount != 1:
            return False
        db.execute(sql, params)
        return True

    saved = _in_transaction(db or _connection(), work)
    if saved:
        apply_fields(sandbox, fields)
        if db is None:
            _count_save()
    return saved


def renew(sandbox_id: int, holder: str, *, ttl: float, db: sqlite3.Connection | None = None) -> bool:
    """lease.renew on the loop's connection; raises Busy like save_if_holder."""
    return _in_transaction(db or _connection(), lambda db: db.execute(
        f"UPDATE {LEASE_TABLE} SET expires_at = ? WHERE sandbox_id = ? AND holder = ?",
        [time.time() + ttl, sandbox_id, holder]).rowcount == 1)


def _count_save() -> None:
    global _saves, _checkpointing
    _saves += 1
    if _saves % CHECKPOINT_EVERY or (_checkpointing is not None and not _checkpointing.done()):
        return
    from tutorial.sandbox.persistence.db import console_db

    _checkpointing = asyncio.get_running_loop().create_task(console_db(checkpoint)())


def checkpoint() -> None:
    """Copy the log's pages back into the database file, as far as no reader needs them (PASSIVE:
    writers go on meanwhile). On a thread: it syncs the file."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except Exception as exc:  # the next one will do
        logger.warning("SQLite checkpoint failed: %s", exc)
