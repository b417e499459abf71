"""A session's row in the database: restored from it, saved to it under the lease.

Terminal "1" is the row's `transcript`/`history`, the others its `terminals` (terminals.py); each
is written only when it differs from what was last written. Mixed into SandboxSession.
"""

from __future__ import annotations

import asyncio

from django.utils import timezone

from tutorial.sandbox.models import Sandbox
from tutorial.sandbox.persistence.sandboxes import SPEEDS, catch_up_seconds, restore_cluster
from tutorial.sandbox.session.terminals import Terminals


class Saving:
    def _load(self, sandbox: Sandbox, *, catch_up: bool) -> None:
        """Restore the cluster from the sandbox row (letting missed time pass if asked)."""
        cluster = restore_cluster(sandbox.snapshot)
        self.terminals = Terminals.from_row(sandbox.transcript, sandbox.history, sandbox.terminals)
        self.saved_rows = self._rows()
        self.speed = sandbox.speed if sandbox.speed in SPEEDS else SPEEDS[0]
        self.paused = sandbox.paused
        self.exercise_since = dict(sandbox.exercise_since or {})
        self._use_cluster(cluster)
        # The missed wall time is let pass by the caller, in slices (driving._advance).
        self.catch_up_owed = 0.0
        if catch_up:
            self.catch_up_owed = max(0.0, catch_up_seconds(
                saved_at=sandbox.saved_at, now=timezone.now(), speed=self.speed, paused=self.paused
            ))
        self.last_snapshot = sandbox.snapshot
        self.clock_at = self.busy_at = asyncio.get_running_loop().time()

    def _rows(self) -> tuple:
        first = self.terminals.first
        return list(first.transcript), list(first.history), self.terminals.others_stored()

    async def _save(self) -> None:
        """Take the snapshot now (under the session's lock) and have it written after: the write
        runs in its own task (_write_saves), so neither the frame of this message nor the next
        message of any client waits for the database while the lock is held."""
        snapshot = self.cluster.snapshot()
        # Transcripts and histories are written only when they differ from the last saved copies
        # (shallow copies: comparing them is cheap, the entries are mostly the same objects).
        rows = self._rows()
        saved_transcript, saved_history, saved_others = self.saved_rows
        fields = dict(
            snapshot=snapshot,
            transcript=None if rows[0] == saved_transcript else rows[0],
            history=None if rows[1] == saved_history else rows[1],
            terminals=None if rows[2] == saved_others else rows[2],
            speed=self.speed, paused=self.paused,
        )
        pending = getattr(self, "save_pending", None)
        if pending is not None:  # not written yet: this save replaces it, keeping its rows
            for key in ("transcript", "history", "terminals"):
                if fields[key] is None:
                    fields[key] = pending[key]
        self.save_pending = fields
        # The state as of now is what dormancy and recovery go back to (it is being written).
        self.last_snapshot = snapshot
        self.saved_rows = rows
        self.unsaved = False
        writer = getattr(self, "save_writer", None)
        if writer is None or writer.done():
            self.save_writer = asyncio.get_running_loop().create_task(self._write_saves())

    async def _write_saves(self) -> None:
        """Write the latest prepared save, then any prepared meanwhile, one at a time (in order)."""
        while getattr(self, "save_pending", None) is not None:
            fields, self.save_pending = self.save_pending, None
            # Written only while this session holds the sandbox's lease (lease.save_if_holder).
            if await self._lease_save(flush=False, **fields):
                continue
            self.unsaved = True  # retried by the clock (database down) or never (lease lost)
            pending = self.save_pending
            if pending is None:
                self.saved_rows = ([], [], None)  # unknown what was written: rows go again
            else:
                for key in ("transcript", "history", "terminals"):
                    if pending[key] is None:
                        pending[key] = fields[key]

    async def _saves_written(self) -> None:
        """Wait until what was saved so far is in the database (outside the session's lock)."""
        writer = getattr(self, "save_writer", None)
        if writer is not None and not writer.done():
            await asyncio.shield(writer)
