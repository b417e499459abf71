"""A session's row in the database: read back when the session opens, written under the lease.

Terminal "1" is the row's `transcript`/`history`, the others its `terminals` (terminals.py); each
is written only when it differs from what was last written. A save takes the snapshot at once and
writes it in a task of its own, so no client's next message waits for the database.
"""

from __future__ import annotations

import asyncio
import logging

from django.utils import timezone

from tutorial.sandbox.models import Sandbox
from tutorial.sandbox.persistence.db import console_db
from tutorial.sandbox.persistence.lease import LeaseKeeper
from tutorial.sandbox.persistence.sandboxes import SPEEDS, catch_up_seconds, restore_cluster
from tutorial.sandbox.session.live import Live
from tutorial.sandbox.session.terminals import Terminals

ROW_KEYS = ("transcript", "history", "terminals")

logger = logging.getLogger(__name__)


class Saver:
    def __init__(self, live: Live, lease: LeaseKeeper):
        self.live = live
        self.lease = lease
        self.last_snapshot: dict | None = None  # what dormancy and recovery go back to
        self.saved_rows = ([], [], {})  # transcript, history, other terminals as last written
        self.pending: dict | None = None  # a save prepared and not written yet
        self.writer: asyncio.Task | None = None
        self.prepared_at = float("-inf")  # loop time of the last save prepared (the clock's next is 5 s on)
        self.on_written = None  # called once the newest save prepared is in the row (driving.Clock.shed)

    def load(self, sandbox: Sandbox, *, catch_up: bool):
        """The row's cluster, terminals, speed and pause; returns (cluster, simulated seconds the
        wall time since the row was saved is worth, to let pass; 0 without `catch_up`)."""
        live = self.live
        cluster = restore_cluster(sandbox.snapshot)
        live.sandbox = sandbox
        live.terminals = Terminals.from_row(sandbox.transcript, sandbox.history, sandbox.terminals)
        live.speed = sandbox.speed if sandbox.speed in SPEEDS else SPEEDS[0]
        live.paused = sandbox.paused
        self.saved_rows = self._rows()
        self.last_snapshot = sandbox.snapshot
        owed = 0.0
        if catch_up:
            owed = max(0.0, catch_up_seconds(saved_at=sandbox.saved_at, now=timezone.now(),
                                             speed=live.speed, paused=live.paused))
        return cluster, owed

    def _rows(self) -> tuple:
        terminals = self.live.terminals
        first = terminals.first
        return list(first.transcript), list(first.history), terminals.others_stored()

    def moment_saved(self) -> bool:
        """The last save is of the cluster as it is now (nothing to save before dropping it)."""
        return self.live.cluster.now == (self.last_snapshot or {}).get("now")

    async def save(self) -> None:
        """Take the snapshot now (under the session's lock) and have it written after, by one
        writer task per session (in order, coalesced)."""
        live = self.live
        self.prepared_at = asyncio.get_running_loop().time()
        snapshot = live.cluster.snapshot()
        # Transcripts and histories are written only when they differ from the last saved copies
        # (shallow copies: comparing them is cheap, the entries are mostly the same objects).
        rows = self._rows()
        fields = dict(snapshot=snapshot, speed=live.speed, paused=live.paused,
                      **{key: None if row == saved else row for key, row, saved in zip(ROW_KEYS, rows, self.saved_rows)})
        if self.pending is not None:  # not written yet: this save replaces it, keeping its rows
            for key in ROW_KEYS:
                if fields[key] is None:
                    fields[key] = self.pending[key]
        self.pending = fields
        self.last_snapshot = snapshot  # the state as of now (being written)
        self.saved_rows = rows
        live.unsaved = False
        if self.writer is None or self.writer.done():
            self.writer = asyncio.get_running_loop().create_task(self._write())

    async def _write(self) -> None:
        """Write the latest prepared save, then any prepared meanwhile, one at a time (in order).
        Nobody awaits this task to its end (the browser's socket goes on to its next message), so
        nothing may escape it: a save that fails in any way is kept for the clock's retry."""
        written = False
        while self.pending is not None:
            fields, self.pending = self.pending, None
            try:
                # Written only while this session holds the sandbox's lease (lease.save_if_holder).
                written = await self.lease.save(self.live.sandbox, flush=False, announce=False, **fields)
            except Exception:  # not a database error (those are said and retried in lease.save)
                logger.exception("Sandbox %s: a save failed", getattr(self.live.sandbox, "pk", None))
                written = False
            if written:
                continue
            self.live.unsaved = True  # retried by the clock (database down) or never (lease lost)
            if self.pending is None:
                self.saved_rows = ([], [], None)  # unknown what was written: rows go again
            else:
                for key in ROW_KEYS:
                    if self.pending[key] is None:
                        self.pending[key] = fields[key]
        self.writer = None  # a finished task kept per idle session costs ~600 bytes
        if written:
            if self.on_written is not None:
                self.on_written()
            # "The database is back; your work was saved." only once the last save prepared, the
            # one with every command typed so far, is in the row; not at an earlier one of them
            await self.lease.announce_back()

    def in_row(self) -> bool:
        """The last snapshot prepared is the row's: written, and nothing owed or being written."""
        return (self.last_snapshot is not None and self.live.sandbox.snapshot is self.last_snapshot
                and self.pending is None and (self.writer is None or self.writer.done())
                and not self.live.unsaved)

    def forget_snapshot(self) -> None:
        """The row keeps it (in_row()); read_back() brings it back."""
        self.last_snapshot = self.live.sandbox.snapshot = None

    async def read_back(self) -> dict:
        """The snapshot forget_snapshot() let go, from the row; raises DatabaseError while the
        database is down (the caller says so and the sandbox stays as it is)."""
        sandbox = self.live.sandbox
        row = await console_db(_saved_snapshot)(sandbox.pk)
        if row is None:
            raise RuntimeError(f"sandbox {sandbox.pk} is gone from the database")
        snapshot, saved_at = row
        if saved_at != sandbox.saved_at:  # only this session writes the row while it holds the lease
            logger.warning("Sandbox %s: the row was written by another holder; going on from it", sandbox.pk)
        self.last_snapshot = sandbox.snapshot = snapshot
        return snapshot

    async def written(self) -> None:
        """Wait until what was saved so far is in the database (outside the session's lock)."""
        if self.writer is not None and not self.writer.done():
            await asyncio.shield(self.writer)


def _saved_snapshot(pk: int):
    return Sandbox.objects.filter(pk=pk).values_list("snapshot", "saved_at").first()
