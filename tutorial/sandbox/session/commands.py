"""Commands in the session's terminals: run, stream the output, Ctrl+C, Tab, the clock's speed.

Each terminal (terminals.py) runs one command at a time; several terminals run theirs at once on
the one cluster (Cluster.start keeps every running command and resumes each as simulated time
passes). Mixed into SandboxSession (session.py).
"""

from __future__ import annotations

import contextlib
import logging

from django.utils.translation import gettext_lazy as _

from tutorial.sandbox.panels import fragments
from tutorial.sandbox.panels.completion import apply_completion
from tutorial.sandbox.persistence.sandboxes import SPEEDS, restore_cluster
from tutorial.sandbox.session.terminals import Terminal

logger = logging.getLogger(__name__)


class TerminalCommands:
    async def _run_command(self, line: str, terminal: Terminal) -> None:
        if terminal.command is not None:
            await self._send_error(self._t(_(
                "A command is still running. Press Ctrl+C to stop it first.")), terminal)
            return
        if self.edit_token is not None:
            await self._send_error(self._t(_(
                "kubectl edit is waiting in the editor panel: save or cancel it first.")), terminal)
            return
        if self.replay_at is not None:
            await self._leave_replay()
        entries = [{"kind": "input", "text": line}]
        terminal.note("input", line)
        if not line:
            await self._send_entries(entries, terminal)
            return
        changed = terminal.remember(line)  # ↑/↓ list unchanged: not re-sent
        await self._send_entries(entries, terminal)
        if changed:
            await self.send(fragments.history(terminal.history, self.language, terminal.suffix))
        # Cluster.start rolls a crashed command back itself; this is for a failure around it. The
        # last save (after the previous command, or ≤ 5 s ago) is cheaper than a snapshot per command.
        before = self.last_snapshot
        try:
            if await self._begin_edit(line, terminal):
                await self._save()
                await self._grade_soon()
                return
            terminal.command = self.cluster.start(line)
            await self._send_terminal_output(terminal, just_started=True)
        except Exception:
            logger.exception("Command %r failed in sandbox %s", line, self.sandbox.pk)
            self._end_commands()
            self._use_cluster(restore_cluster(before))
            await self._send_error(self._t(_(
                "Internal error while running this command; it was reported and your sandbox is unchanged.")), terminal)
        if terminal.command is not None:
            await self._send_controls()  # shows the Stop button
        await self._save()
        await self._grade_soon()

    def _flush_command_output(self, terminal: Terminal) -> list[dict]:
        """Collect new output of the terminal's running command; forget it once it is done."""
        command = terminal.command
        if command is None:
            return []
        text = command.read()
        entries = []
        if text:
            terminal.note("output", text)
            entries.append({"kind": "output", "text": text})
        if command.done:
            terminal.command = None
            if getattr(command, "clear_screen", False):
                terminal.transcript = []
                entries = [{"clear": True}]
        return entries

    async def _send_command_output(self) -> None:
        for terminal in self.terminals.running():
            await self._send_terminal_output(terminal)

    async def _send_terminal_output(self, terminal: Terminal, *, just_started: bool = False) -> None:
        """just_started: the command was started by this message; when it is over at once (most
        are), the controls never showed its Stop button and need no re-render."""
        was_running = terminal.command is not None
        entries = self._flush_command_output(terminal)
        if entries and entries[0].get("clear"):
            await self.send(fragments.cleared_output(self.language, terminal.suffix))
        elif entries:
            await self._send_entries(entries, terminal)
        if was_running and terminal.command is None:
            self.unsaved = True
            if not just_started:
                await self._send_controls()
            await self._grade_soon()  # e.g. `rollout status` returned: the rollout is over

    async def _cancel(self, terminal: Terminal) -> None:
        if self.edit_token is not None and self.edit_terminal in (None, terminal):
            await self._finish_edit(self.edit_token, None)  # Ctrl+C while kubectl edit waits: Cancel
            return
        if terminal.command is None:
            # Ctrl+C at an idle prompt: a terminal just shows ^C and a new prompt.
            terminal.note("input", "^C")
            await self._send_entries([{"kind": "input", "text": "^C"}], terminal)
            return
        terminal.command.cancel()
        await self._send_terminal_output(terminal)
        if terminal.command is not None and not terminal.command.done:
            return
        terminal.command = None
        terminal.note("output", "^C\n")
        await self._send_entries([{"kind": "output", "text": "^C\n"}], terminal)
        await self._send_controls()
        await self._save()

    async def _complete(self, text: str, terminal: Terminal) -> None:
        try:
            candidates = list(self.cluster.complete(text))
        except Exception:
            logger.exception("Completion of %r failed in sandbox %s", text, self.sandbox.pk)
            candidates = []
        value, listing = apply_completion(text, candidates)
        terminal.completion_seq += 1
        # Only the window that pressed Tab: another window's input must not change under its user.
        async with (self.outbox.only(self.asking) if self.asking is not None else contextlib.nullcontext()):
            if listing:
                await self._send_entries([
                    {"kind": "input", "text": text},
                    {"kind": "info", "text": "  ".join(listing) + "\n"},
                ], terminal)
            await self.send(fragments.completion(text, value, terminal.completion_seq, self.language,
                                                 terminal.suffix))

    async def _set_speed(self, value) -> None:
        try:
            speed = int(value)
        except (TypeError, ValueError):
            speed = None
        if speed not in SPEEDS:
            await self._send_error(self._t(_("Speed must be one of %(speeds)s."))
                                   % {"speeds": ", ".join(f"×{s}" for s in SPEEDS)})
            return
        self.speed = speed
        self.paused = False
        await self._send_controls()
        await self._save()

