"""Commands in the session's terminals: run, stream the output, Ctrl+C, Tab, the clock's speed.

Each terminal (terminals.py) runs one command at a time; several terminals run theirs at once on
the one cluster (Cluster.start keeps every running command and resumes each as simulated time
passes). Made by the session (session.py) with the parts it calls.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Callable

from django.utils.translation import gettext_lazy as _

from tutorial.sandbox.panels import fragments
from tutorial.sandbox.panels.completion import apply_completion
from tutorial.sandbox.persistence.sandboxes import SPEEDS
from tutorial.sandbox.session.editing import Editor
from tutorial.sandbox.session.grading import Grader
from tutorial.sandbox.session.live import Live
from tutorial.sandbox.session.outbox import Client
from tutorial.sandbox.session.saving import Saver
from tutorial.sandbox.session.screen import Screen
from tutorial.sandbox.session.terminals import Terminal

logger = logging.getLogger(__name__)


class Commands:
    """`restore(snapshot)` puts the cluster back as saved (the session's, which also ends the
    running commands) after a failure around a command."""

    def __init__(self, live: Live, screen: Screen, saver: Saver, grader: Grader, editor: Editor,
                 restore: Callable[[dict], None]):
        self.live, self.screen, self.saver, self.grader, self.editor = live, screen, saver, grader, editor
        self._restore = restore

    async def run(self, line: str, terminal: Terminal) -> None:
        if terminal.command is not None:
            await self.screen.error(self.live.t(_(
                "A command is still running. Press Ctrl+C to stop it first.")), terminal)
            return
        if self.editor.token is not None:
            await self.screen.error(self.live.t(_(
                "kubectl edit is waiting in the editor panel: save or cancel it first.")), terminal)
            return
        if self.screen.replay_at is not None:
            await self.screen.back_to_live()
        entries = [{"kind": "input", "text": line}]
        terminal.note("input", line)
        if not line:
            await self.screen.entries(entries, terminal)
            return
        if terminal.remember(line):  # ↑/↓ list unchanged: not re-sent
            await self.screen.send(fragments.history(terminal.history, self.live.language, terminal.suffix))
        # The echoed line goes out with the command's first output, as one fragment (one render
        # instead of two for most commands); whoever sends it empties `echo`.
        echo = entries
        # Cluster.start rolls a crashed command back itself; this is for a failure around it. The
        # last save (after the previous command, or ≤ 5 s ago) is cheaper than a snapshot per command.
        before = self.saver.last_snapshot
        try:
            if await self.editor.begin(line, terminal, echo):
                await self.saver.save()
                await self.grader.soon()
                return
            terminal.command = self.live.cluster.start(line)
            await self._terminal_output(terminal, just_started=True, echo=echo)
        except Exception:
            logger.exception("Command %r failed in sandbox %s", line, self.live.sandbox.pk)
            self._restore(before)
            await self.screen.entries([*echo, {"kind": "error", "text": self.live.t(_(
                "Internal error while running this command; it was reported and your sandbox is unchanged.")) + "\n"}],
                terminal)
        if terminal.command is not None:
            await self.screen.controls()  # shows the Stop button
        await self.saver.save()
        await self.grader.soon()

    def flush(self, terminal: Terminal) -> list[dict]:
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
                terminal.clear()
                entries = [{"clear": True}]
        return entries

    async def send_output(self) -> None:
        for terminal in self.live.terminals.running():
            await self._terminal_output(terminal)

    async def _terminal_output(self, terminal: Terminal, *, just_started: bool = False,
                               echo: list | None = None) -> None:
        """just_started: the command was started by this message; when it is over at once (most
        are), the controls never showed its Stop button and need no re-render. `echo`: the typed
        line's entry, shown before the output (and emptied once sent)."""
        was_running = terminal.command is not None
        entries = self.flush(terminal)
        if entries and entries[0].get("clear"):
            await self.screen.send(fragments.cleared_output(self.live.language, terminal.suffix))
        elif entries or echo:
            await self.screen.entries([*(echo or ()), *entries], terminal)
        if echo:
            echo.clear()
        if was_running and terminal.command is None:
            self.live.unsaved = True
            if not just_started:
                await self.screen.controls()
            await self.grader.soon()  # e.g. `rollout status` returned: the rollout is over

    async def cancel(self, terminal: Terminal) -> None:
        if self.editor.waiting_in(terminal):
            await self.editor.finish(self.editor.token, None)  # Ctrl+C while kubectl edit waits: Cancel
            return
        if terminal.command is None:
            # Ctrl+C at an idle prompt: a terminal just shows ^C and a new prompt.
            terminal.note("input", "^C")
            await self.screen.entries([{"kind": "input", "text": "^C"}], terminal)
            return
        terminal.command.cancel()
        await self._terminal_output(terminal)
        if terminal.command is not None and not terminal.command.done:
            return
        terminal.command = None
        terminal.note("output", "^C\n")
        await self.screen.entries([{"kind": "output", "text": "^C\n"}], terminal)
        await self.screen.controls()
        await self.saver.save()

    async def complete(self, text: str, terminal: Terminal, asking: Client | None) -> None:
        try:
            candidates = list(self.live.cluster.complete(text))
        except Exception:
            logger.exception("Completion of %r failed in sandbox %s", text, self.live.sandbox.pk)
            candidates = []
        value, listing = apply_completion(text, candidates)
        terminal.completion_seq += 1
        # Only the window that pressed Tab: another window's input must not change under its user.
        async with (self.screen.outbox.only(asking) if asking is not None else contextlib.nullcontext()):
            if listing:
                await self.screen.entries([
                    {"kind": "input", "text": text},
                    {"kind": "info", "text": "  ".join(listing) + "\n"},
                ], terminal)
            await self.screen.send(fragments.completion(text, value, terminal.completion_seq, self.live.language,
                                                 terminal.suffix))

    async def set_speed(self, value) -> None:
        try:
            speed = int(value)
        except (TypeError, ValueError):
            speed = None
        if speed not in SPEEDS:
            await self.screen.error(self.live.t(_("Speed must be one of %(speeds)s."))
                                   % {"speeds": ", ".join(f"×{s}" for s in SPEEDS)})
            return
        self.live.speed = speed
        self.live.paused = False
        await self.screen.controls()
        await self.saver.save()

