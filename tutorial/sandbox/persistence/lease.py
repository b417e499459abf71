"""Who drives a sandbox's clock: a database lease, so that with several server processes only one
console at a time advances and saves a given sandbox.

A lease is one row of the `sandbox_lease` table (migration 0003): the sandbox id, the holder (one
console connection in one process) and the wall time at which it expires. The holder renews it
while it drives the clock; a holder that dies (SIGKILL, lost machine) stops renewing, and its lease
expires. Saves go through `save_if_holder`, which renews the lease and writes the sandbox in one
transaction: on PostgreSQL the renewing UPDATE locks the lease row until commit, so a console that
takes the lease over afterwards always reads the last save of the previous holder, and a holder
that lost its lease never overwrites the new holder's work.

Taking over (a newer window, or the learner's reconnect after a server died) first asks the holder
through the channel layer to save and let go (`sandbox.takeover`), waits up to HANDOFF_SECONDS for
the release, then takes the lease anyway: the old holder is dead, stuck or unreachable (Redis down)
and stops at its next renewal.

The table is plain SQL rather than a model: nothing but this module reads it, and it keeps the
sandbox models untouched. Times are `time.time()` of the server processes (keep hosts NTP-synced).

The second half is `LeaseKeeper`, the part of a sandbox session (session/session.py) that holds
the lease; the consumer's side of a channel-layer outage is realtime/layer.py.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass
from typing import Awaitable, Callable

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils.translation import gettext_lazy as _

from tutorial.sandbox.persistence import pg_async, sqlite_loop
from tutorial.sandbox.persistence.db import console_db

logger = logging.getLogger(__name__)

TABLE = pg_async.LEASE_TABLE
LEASE_TTL_SECONDS = 6.0  # a dead holder's sandbox is free again after this long
RENEW_INTERVAL_SECONDS = 2.0  # a third of the TTL: a slow tick or two never loses the lease
HANDOFF_SECONDS = 2.0  # how long a new console waits for the old holder to save and let go
HANDOFF_POLL_SECONDS = 0.1

# One id per server process: the holder names say which process drives what (and tests read it).
PROCESS_ID = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class Lease:
    sandbox_id: int
    holder: str
    expires_at: float
    acquired: bool  # True when the caller is now the holder


# ------------------------------------------------------------------------------ database side
def acquire(sandbox_id: int, holder: str, *, ttl: float = LEASE_TTL_SECONDS, steal: bool = False,
            now: float | None = None) -> Lease:
    """Take the lease when it is free, expired, already ours, or when `steal` is set."""
    now = time.time() if now is None else now
    expires = now + ttl
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET holder = %s, expires_at = %s "
            "WHERE sandbox_id = %s AND (holder = %s OR expires_at < %s OR %s)",
            [holder, expires, sandbox_id, holder, now, bool(steal)],
        )
        if cursor.rowcount == 1:
            return Lease(sandbox_id, holder, expires, True)
        try:
            with transaction.atomic():  # a savepoint: PostgreSQL aborts the transaction otherwise
                cursor.execute(f"INSERT INTO {TABLE} (sandbox_id, holder, expires_at) VALUES (%s, %s, %s)",
                               [sandbox_id, holder, expires])
            return Lease(sandbox_id, holder, expires, True)
        except IntegrityError:  # someone holds it (or inserted it just now)
            pass
        cursor.execute(f"SELECT holder, expires_at FROM {TABLE} WHERE sandbox_id = %s", [sandbox_id])
        row = cursor.fetchone()
    if row is None:  # released between our statements: try once more
        return acquire(sandbox_id, holder, ttl=ttl, steal=steal, now=now)
    return Lease(sandbox_id, row[0], float(row[1]), row[0] == holder)


def renew(sandbox_id: int, holder: str, *, ttl: float = LEASE_TTL_SECONDS, now: float | None = None) -> bool:
    """Extend our lease; False when another holder has it (or nobody: it was released).
    An expired lease that nobody took is still ours: a slow database must not stop a console."""
    now = time.time() if now is None else now
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET expires_at = %s WHERE sandbox_id = %s AND holder = %s",
                       [now + ttl, sandbox_id, holder])
        return cursor.rowcount == 1


def release(sandbox_id: int, holder: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE sandbox_id = %s AND holder = %s", [sandbox_id, holder])
        return cursor.rowcount == 1


def current(sandbox_id: int) -> Lease | None:
    """The lease as stored (holder and expiry), or None."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT holder, expires_at FROM {TABLE} WHERE sandbox_id = %s", [sandbox_id])
        row = cursor.fetchone()
    return None if row is None else Lease(sandbox_id, row[0], float(row[1]), False)


def save_if_holder(sandbox, holder: str, *, ttl: float = LEASE_TTL_SECONDS, **fields) -> bool:
    """Renew the lease and save the sandbox in one transaction; nothing is written without it."""
    from tutorial.sandbox.persistence.sandboxes import sandbox_save

    with transaction.atomic():
        if not renew(sandbox.pk, holder, ttl=ttl):
            return False
        sandbox_save(sandbox, **fields)
    return True


# ------------------------------------------------------------------------------ the session's side
DATABASE_DOWN = _("The database cannot be reached right now. Your work stays in this window and is "
                  "saved as soon as the database is back.")
DATABASE_BACK = _("The database is back; your work was saved.")
LEASE_LOST = _("This sandbox is now driven by another window or server; this console stopped. "
               "Reload the page to continue here.")
LAYER_DOWN = _("Live messages between servers (Redis) are unavailable right now; this console "
               "keeps working and catches up when they are back.")
LAYER_BACK = _("Live messages between servers work again.")
LEASE_LOST_CLOSE_CODE = 4000  # same as a takeover: htmx's ws extension does not reconnect


class LeaseKeeper:
    """A session's hold on its sandbox (session/session.py makes one): take the lease when the
    session opens, keep it while driving, save only while holding it, and live through a database
    or channel-layer outage with a clear message. One session per sandbox per process holds it,
    whatever the number of clients attached.

    Given when made: how to say something to the clients (`say(message, kind)`), what to do once
    another process took the lease (`lost()`), how the transport joins the channel layer again
    after an outage (`rejoin()`, True when it did) and how to send the frames that are ready
    before a database call (`flush()`)."""

    def __init__(self, sandbox_id: int, holder: str, *, say: Callable[..., Awaitable[None]],
                 lost: Callable[[], Awaitable[None]], rejoin: Callable[[], Awaitable[bool]],
                 flush: Callable[[], Awaitable[None]]):
        self.sandbox_id = sandbox_id
        self.holder = holder
        self._say, self._lost, self._rejoin, self._flush = say, lost, rejoin, flush
        self.renewed_at = 0.0  # loop time of the last renewal (or save, which renews)
        self.database_down = False
        self.layer_down = False

    async def _db(self, func, *args, **kwargs):
        await self._flush()
        return await console_db(func)(*args, **kwargs)

    # ---------------------------------------------------------------- the lease
    async def take(self) -> None:
        """Wait for the previous holder to save and let go (HANDOFF_SECONDS at most), then take it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + HANDOFF_SECONDS
        while True:
            steal = loop.time() >= deadline
            lease = await self._db(acquire, self.sandbox_id, self.holder, steal=steal)
            if lease.acquired:
                if steal:
                    logger.info("Sandbox %s: took the lease from an unresponsive holder", self.sandbox_id)
                self.renewed_at = loop.time()
                return
            await asyncio.sleep(HANDOFF_POLL_SECONDS)

    def take_now(self) -> bool:
        """The lease if it is free (a database call: run it off the event loop); True when ours.
        `renewed_at` is set by the caller's loop time (this may run in a thread)."""
        taken = acquire(self.sandbox_id, self.holder).acquired
        if taken:
            self.renewed_at = time.monotonic()  # the event loop's clock (asyncio uses monotonic)
        return taken

    def due(self) -> float:
        """Loop time at which the lease should be renewed next."""
        return self.renewed_at + RENEW_INTERVAL_SECONDS

    async def keep(self) -> bool:
        """Renew now and then while driving; False (and the session stops) once it was taken."""
        loop = asyncio.get_running_loop()
        if loop.time() - self.renewed_at < RENEW_INTERVAL_SECONDS:
            return True
        if self.layer_down:
            await self._layer_rejoin()
        try:
            if pg_async.enabled():
                await self._flush()
                held = await pg_async.renew(self.sandbox_id, self.holder, ttl=LEASE_TTL_SECONDS)
            else:
                held = self._renew_on_loop()
                if held is None:
                    held = await self._db(renew, self.sandbox_id, self.holder)
        except DatabaseError as exc:
            await self.database_failed(exc)
            return True  # nobody else can take it while the database is down either
        self.renewed_at = loop.time()
        if not held:
            await self._lease_lost()
        return held

    async def save(self, sandbox, *, flush: bool = True, announce: bool = True, **fields) -> bool:
        """save_if_holder for the session's saves: True when written. flush=False: the caller
        runs beside the session's handlers (saving.Saver's writer) and leaves their frames alone.
        announce=False: the caller says when the database is back (announce_back), once its
        newest save is written."""
        try:
            if flush:
                await self._flush()
            if pg_async.enabled():  # on the event loop, not a thread (pg_async.py says why)
                saved = await pg_async.save_if_holder(sandbox, self.holder, ttl=LEASE_TTL_SECONDS, **fields)
            else:
                saved = None
                if sqlite_loop.enabled():  # on the loop too, unless another connection writes now
                    try:
                        saved = sqlite_loop.save_if_holder(sandbox, self.holder, ttl=LEASE_TTL_SECONDS, **fields)
                    except sqlite_loop.Busy:
                        pass
                if saved is None:
                    saved = await console_db(save_if_holder)(sandbox, self.holder, **fields)
        except DatabaseError as exc:
            await self.database_failed(exc)
            return False
        self.renewed_at = asyncio.get_running_loop().time()
        if announce:
            await self.announce_back()
        if not saved:
            await self._lease_lost()
        return saved

    def _renew_on_loop(self) -> bool | None:
        """The renewal on SQLite's loop connection (sqlite_loop.py); None: through the thread."""
        if not sqlite_loop.enabled():
            return None
        try:
            return sqlite_loop.renew(self.sandbox_id, self.holder, ttl=LEASE_TTL_SECONDS)
        except sqlite_loop.Busy:
            return None

    async def announce_back(self) -> None:
        """After an outage, once a save is written: say so (once)."""
        if self.database_down:
            self.database_down = False
            await self._say(DATABASE_BACK)

    async def release(self) -> None:
        try:
            await self._db(release, self.sandbox_id, self.holder)
        except DatabaseError as exc:  # it expires on its own
            logger.warning("Sandbox %s: lease not released: %s", self.sandbox_id, exc)

    async def _lease_lost(self) -> None:
        logger.info("Sandbox %s: lease taken by another process; stopping", self.sandbox_id)
        await self._lost()

    # ---------------------------------------------------------------- outages
    async def database_failed(self, exc) -> None:
        """Saves are retried until one is written. A pool that stays busy (pg_async.DatabaseBusy,
        after 6 s) is said as the database being down too: a cut network without a reset looks
        exactly like that (its connections hang, checked out), and the learner must be told."""
        if not self.database_down:
            logger.warning("Sandbox %s: database unavailable: %s", self.sandbox_id, exc)
            self.database_down = True
            await self._say(DATABASE_DOWN, "error")

    async def layer_failed(self, *, say: bool = True) -> None:
        """A client's channel-layer call or receive failed (Redis down)."""
        if not self.layer_down:
            self.layer_down = True
            if say:
                await self._say(LAYER_DOWN, "error")

    async def _layer_rejoin(self) -> None:
        """After an outage: the clients join the sandbox's group again (a restarted Redis forgot it)."""
        if not await self._rejoin():
            return
        self.layer_down = False
        logger.info("Sandbox %s: channel layer back", self.sandbox_id)
        await self._say(LAYER_BACK)
