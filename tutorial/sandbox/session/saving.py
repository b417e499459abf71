"""A session's row in the database: restored from it, saved to it under the lease.

Terminal "1" is the row's `transcript`/`history`, the others its `terminals` (terminals.py); each
is written only when it differs from what was last written. Mixed into SandboxSession.
"""

from __future__ import annotations

import asyncio

from django.utils import timezone

from tutorial.sandbox.models import Sandbox
from tutorial.sandbox.services import SPEEDS, catch_up_seconds, restore_cluster
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
        snapshot = self.cluster.snapshot()
        # Transcripts and histories are written only when they differ from the last saved copies
        # (shallow copies: comparing them is cheap, the entries are mostly the same objects).
        rows = self._rows()
        saved_transcript, saved_history, saved_others = self.saved_rows
        transcript = None if rows[0] == saved_transcript else rows[0]
        history = None if rows[1] == saved_history else rows[1]
        others = None if rows[2] == saved_others else rows[2]
        # Written only while this session holds the sandbox's lease (lease.save_if_holder).
        saved = await self._lease_save(
            snapshot=snapshot, transcript=transcript, history=history, speed=self.speed, paused=self.paused,
            terminals=others,
        )
        if saved:
            self.last_snapshot = snapshot
            self.saved_rows = rows
        self.unsaved = not saved
