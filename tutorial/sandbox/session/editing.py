"""The editor panel: the working directory's files, and `kubectl edit` in that panel.

Messages (session.py dispatches them, under the session's lock): {"file_open": name},
{"file_save": name, "text": ...}, {"file_new": name}, {"file_delete": name}, {"file_close": true};
{"edit_save": token, "text": ...}, {"edit_cancel": token}.

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
from tutorial.sandbox.panels.editor import name_problem, save_problem
from tutorial.sandbox.session.grading import Grader
from tutorial.sandbox.session.live import Live
from tutorial.sandbox.session.saving import Saver
from tutorial.sandbox.session.screen import Screen

logger = logging.getLogger(__name__)


class Editor:
    def __init__(self, live: Live, screen: Screen, saver: Saver, grader: Grader):
        self.live, self.screen, self.saver, self.grader = live, screen, saver, grader
        self.seq = 0  # the document's sequence number: the page drops a stale one
        self.token: str | None = None  # the `kubectl edit` waiting for the editor panel
        self.process = None  # its simulator process (Cluster.start_edit)
        self.line = ""
        self.terminal = None  # the terminal the edit was typed in: its output goes there

    def waiting_in(self, terminal) -> bool:
        """An edit waits in the panel for `terminal` (its Stop and Ctrl+C cancel the edit)."""
        return self.token is not None and self.live.editing is terminal

    def forget(self) -> None:
        """The cluster was replaced: an edit waiting in the panel is over."""
        self.token = self.process = None
        self.live.editing = None

    # ---------------------------------------------------------------- working-directory files
    async def send_files(self) -> None:
        await self.screen.send(fragments.editor_files(self.live.cluster.files, self.live.language))

    async def status(self, text: str, *, error: bool = False) -> None:
        await self.screen.send(fragments.editor_status(text, self.live.language, error=error))

    async def show(self, mode: str, name: str = "", text: str = "", token: str = "") -> None:
        self.seq += 1
        await self.screen.send(fragments.editor_doc(mode=mode, name=name, text=text, token=token,
                                                       seq=self.seq, language=self.live.language))

    def _in_language(self, check, *args):
        """A check of tutorial/sandbox/panels/editor.py, its message in the console's language."""
        with translation.override(self.live.language):
            return check(*args)

    async def _editor_busy(self) -> bool:
        if self.token is not None:
            await self.status(self.live.t(_(
                "kubectl edit is waiting in the editor: save or cancel it first.")), error=True)
            return True
        return False

    async def open_file(self, name) -> None:
        if await self._editor_busy():
            return
        if not isinstance(name, str) or name not in self.live.cluster.files:
            await self.status(self.live.t(_("There is no file %(name)s.")) % {"name": str(name)[:120]},
                                      error=True)
            return
        await self.show("file", name, self.live.cluster.files[name])
        await self.status("")

    async def new_file(self, name) -> None:
        if await self._editor_busy():
            return
        name = name.strip() if isinstance(name, str) else name
        problem = self._in_language(name_problem, name)
        if problem is None and name in self.live.cluster.files:
            problem = self.live.t(_("%(name)s already exists.")) % {"name": name}
        if problem is None:
            problem = self._in_language(save_problem, self.live.cluster.files, name, "")
        if problem:
            await self.status(problem, error=True)
            return
        if not await self._store_file(name, ""):
            return
        await self.show("file", name, "")
        await self.status(self.live.t(_("Created %(name)s.")) % {"name": name})

    async def save_file(self, name, text) -> None:
        if await self._editor_busy():
            return
        problem = self._in_language(save_problem, self.live.cluster.files, name, text)
        if problem:
            await self.status(problem, error=True)
            return
        if not await self._store_file(name, text):
            return
        await self.status(self.live.t(_("Saved %(name)s.")) % {"name": name})

    async def _store_file(self, name: str, text: str) -> bool:
        try:
            self.live.cluster.files[name] = text
        except Exception as err:  # the simulator's own cap (LimitExceeded): say it as it is
            await self.status(err.render() if hasattr(err, "render") else str(err), error=True)
            return False
        self.live.unsaved = True
        await self.send_files()
        await self.saver.save()
        return True

    async def delete_file(self, name) -> None:
        if await self._editor_busy():
            return
        if not isinstance(name, str) or name not in self.live.cluster.files:
            await self.status(self.live.t(_("There is no file %(name)s.")) % {"name": str(name)[:120]},
                                      error=True)
            return
        del self.live.cluster.files[name]
        self.live.unsaved = True
        await self.send_files()
        await self.show("none")
        await self.status(self.live.t(_("Deleted %(name)s.")) % {"name": name})
        await self.saver.save()

    # ---------------------------------------------------------------- kubectl edit
    async def begin(self, line: str, terminal, echo: list) -> bool:
        """Open `line` in the editor if it is a `kubectl edit` the panel serves; True when handled.
        The edit (Cluster.start_edit: a command waiting for its editor) writes to the terminal it
        was typed in, after `echo` (the typed line's entry; emptied once sent)."""
        edit = self.live.cluster.start_edit(line)
        if edit is None:
            return False
        self.terminal = terminal
        await self._console_output(edit.read(), echo)
        if not edit.done:
            self.process = edit
            self.token = edit.editor["token"]
            self.live.editing = terminal
            self.line = line
            await self.show("edit", line, edit.editor["text"], edit.editor["token"])
            await self.status(self.live.t(_("Editing in the editor panel: Save applies, Cancel aborts.")))
            await self.screen.controls()
        return True

    async def finish(self, token, text) -> None:
        edit = self.process
        if self.token is None or edit is None or token != self.token:
            await self.status(self.live.t(_("This edit is no longer open; run kubectl edit again.")), error=True)
            return
        if text is not None and not isinstance(text, str):
            await self.status(self.live.t(_("The file's text is missing.")), error=True)
            return
        edit.save(text)  # the editor exited: kubectl applies, or reopens it with the failures
        await self._console_output(edit.read())
        if not edit.done:
            self.token = edit.editor["token"]
            await self.show("edit", self.line, edit.editor["text"], edit.editor["token"])
            await self.status(self.live.t(_(
                "kubectl reopened the editor: fix the errors listed at the top, then save again.")), error=True)
        else:
            self.forget()
            await self.show("none")
            await self.status("")
        self.live.unsaved = True
        await self.screen.controls()
        await self.saver.save()
        await self.grader.grade()

    async def _console_output(self, text: str, echo: list | None = None) -> None:
        entries = list(echo or ())
        terminal = self.terminal or self.live.terminals.first
        if text:
            terminal.note("output", text)
            entries.append({"kind": "output", "text": text})
        if entries:
            await self.screen.entries(entries, terminal)
        if echo:
            echo.clear()


