"""The console consumer's file editor panel, `kubectl edit` in that panel, and replay.

Mixed into SandboxSession (session/session.py), which calls these under its lock. Messages:
{"file_open": name}, {"file_save": name, "text": ...}, {"file_new": name}, {"file_delete": name},
{"file_close": true}; {"edit_save": token, "text": ...}, {"edit_cancel": token};
{"replay": seconds | "live"}.

`kubectl edit` typed in the console opens the object's YAML in the editor (Cluster.start_edit: a
command waiting for its editor); the console waits like a terminal whose editor is open, until Save
(EditProcess.save: kubectl's output, or its errors and the reopened text) or Cancel ("Edit
cancelled, no changes made.").
"""

from __future__ import annotations

import logging

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tutorial.sandbox.panels import fragments
from tutorial.sandbox.panels.cluster_view import build_cluster_view
from tutorial.sandbox.panels.editor import name_problem, save_problem

logger = logging.getLogger(__name__)


class EditorMixin:
    editor_seq = 0
    edit_token: str | None = None  # the `kubectl edit` waiting for the editor panel

    # ---------------------------------------------------------------- working-directory files
    async def _send_editor_files(self) -> None:
        await self.send(text_data=fragments.editor_files(self.cluster.files, self.language))

    async def _editor_status(self, text: str, *, error: bool = False) -> None:
        await self.send(text_data=fragments.editor_status(text, self.language, error=error))

    async def _editor_open(self, mode: str, name: str = "", text: str = "", token: str = "") -> None:
        self.editor_seq += 1
        await self.send(text_data=fragments.editor_doc(mode=mode, name=name, text=text, token=token,
                                                       seq=self.editor_seq, language=self.language))

    def _in_language(self, check, *args):
        """A check of tutorial/sandbox/panels/editor.py, its message in the console's language."""
        with translation.override(self.language):
            return check(*args)

    async def _editor_busy(self) -> bool:
        if self.edit_token is not None:
            await self._editor_status(self._t(_(
                "kubectl edit is waiting in the editor: save or cancel it first.")), error=True)
            return True
        return False

    async def _file_open(self, name) -> None:
        if await self._editor_busy():
            return
        if not isinstance(name, str) or name not in self.cluster.files:
            await self._editor_status(self._t(_("There is no file %(name)s.")) % {"name": str(name)[:120]},
                                      error=True)
            return
        await self._editor_open("file", name, self.cluster.files[name])
        await self._editor_status("")

    async def _file_new(self, name) -> None:
        if await self._editor_busy():
            return
        name = name.strip() if isinstance(name, str) else name
        problem = self._in_language(name_problem, name)
        if problem is None and name in self.cluster.files:
            problem = self._t(_("%(name)s already exists.")) % {"name": name}
        if problem is None:
            problem = self._in_language(save_problem, self.cluster.files, name, "")
        if problem:
            await self._editor_status(problem, error=True)
            return
        if not await self._store_file(name, ""):
            return
        await self._editor_open("file", name, "")
        await self._editor_status(self._t(_("Created %(name)s.")) % {"name": name})

    async def _file_save(self, name, text) -> None:
        if await self._editor_busy():
            return
        problem = self._in_language(save_problem, self.cluster.files, name, text)
        if problem:
            await self._editor_status(problem, error=True)
            return
        if not await self._store_file(name, text):
            return
        await self._editor_status(self._t(_("Saved %(name)s.")) % {"name": name})

    async def _store_file(self, name: str, text: str) -> bool:
        try:
            self.cluster.files[name] = text
        except Exception as err:  # the simulator's own cap (LimitExceeded): say it as it is
            await self._editor_status(str(getattr(err, "render", lambda: str(err))()), error=True)
            return False
        self.unsaved = True
        await self._send_editor_files()
        await self._save()
        return True

    async def _file_delete(self, name) -> None:
        if await self._editor_busy():
            return
        if not isinstance(name, str) or name not in self.cluster.files:
            await self._editor_status(self._t(_("There is no file %(name)s.")) % {"name": str(name)[:120]},
                                      error=True)
            return
        del self.cluster.files[name]
        self.unsaved = True
        await self._send_editor_files()
        await self._editor_open("none")
        await self._editor_status(self._t(_("Deleted %(name)s.")) % {"name": name})
        await self._save()

    # ---------------------------------------------------------------- kubectl edit
    async def _begin_edit(self, line: str, terminal) -> bool:
        """Open `line` in the editor if it is a `kubectl edit` the panel serves; True when handled.
        The edit (Cluster.start_edit: a command waiting for its editor) writes to the terminal it
        was typed in."""
        edit = self.cluster.start_edit(line)
        if edit is None:
            return False
        self.edit_terminal = terminal
        await self._console_output(edit.read())
        if not edit.done:
            self.edit_process = edit
            self.edit_token = edit.editor["token"]
            self.edit_line = line
            await self._editor_open("edit", line, edit.editor["text"], edit.editor["token"])
            await self._editor_status(self._t(_("Editing in the editor panel: Save applies, Cancel aborts.")))
            await self._send_controls()
        return True

    async def _finish_edit(self, token, text) -> None:
        edit = getattr(self, "edit_process", None)
        if self.edit_token is None or edit is None or token != self.edit_token:
            await self._editor_status(self._t(_("This edit is no longer open; run kubectl edit again.")),
                                      error=True)
            return
        if text is not None and not isinstance(text, str):
            await self._editor_status(self._t(_("The file's text is missing.")), error=True)
            return
        edit.save(text)  # the editor exited: kubectl applies, or reopens it with the failures
        await self._console_output(edit.read())
        if not edit.done:
            self.edit_token = edit.editor["token"]
            await self._editor_open("edit", self.edit_line, edit.editor["text"], edit.editor["token"])
            await self._editor_status(self._t(_(
                "kubectl reopened the editor: fix the errors listed at the top, then save again.")), error=True)
        else:
            self.edit_token = self.edit_process = None
            await self._editor_open("none")
            await self._editor_status("")
        self.unsaved = True
        await self._send_controls()
        await self._save()
        await self._grade()

    async def _console_output(self, text: str) -> None:
        if text:
            terminal = getattr(self, "edit_terminal", None) or self.terminals.first
            terminal.note("output", text)
            await self._send_entries([{"kind": "output", "text": text}], terminal)


class ReplayMixin:
    replay_at: float | None = None  # simulated time the view shows; None = live

    def _replay_view(self):
        objects = self.cluster.view_at(self.replay_at)
        return build_cluster_view(objects["deployments"], objects["replicasets"], objects["pods"])

    async def _replay(self, value) -> None:
        if value in ("live", None, False):
            await self._leave_replay()
            return
        try:
            at = float(value)
        except (TypeError, ValueError):
            at = float("nan")
        if isinstance(value, bool) or at != at or at in (float("inf"), float("-inf")):
            await self._send_error(self._t(_('"replay" must be a number of seconds or "live".')))
            return
        at = min(max(at, 0.0), self.cluster.now)
        if at >= self.cluster.now:
            await self._leave_replay()
            return
        self.replay_at = at
        self.view_tick += 1
        self.view_dirty = False
        clock = fragments.format_clock(at)
        # not the slider itself: the learner may still be dragging it
        await self.send(text_data=fragments.cluster_view(self._replay_view(), self.view_tick, self.language,
                                                         replay_clock=clock))
        self.rollout_sent = {}
        await self._send_rollout()

    async def _leave_replay(self) -> None:
        was = self.replay_at is not None
        self.replay_at = None
        await self.send(text_data=fragments.replay_bar(at=None, now=self.cluster.now, language=self.language))
        if was:
            self.rollout_sent = {}
            await self._send_view()
            await self._send_rollout()
