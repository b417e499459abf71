"""Which part of a session handles each kind of message (messages.KINDS), and the calls on the
cluster that other clients make (the Kubernetes API of a sandbox: messages.ClusterCall).

Every handler gets the message and the client that sent it, and runs under the session's lock
(session.py `_handle`).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tutorial.sandbox.panels import fragments
from tutorial.sandbox.session.commands import Commands
from tutorial.sandbox.session.grading import Grader
from tutorial.sandbox.session.live import Live
from tutorial.sandbox.session.messages import ClusterCall, Message
from tutorial.sandbox.session.saving import Saver
from tutorial.sandbox.session.screen import Screen


def _terminal(session, message: Message):
    return session.live.terminals.get(message.terminal)


async def _clear(session, message: Message, client) -> None:
    terminal = _terminal(session, message)
    terminal.clear()
    await session.screen.send(fragments.cleared_output(session.live.language, terminal.suffix))
    session.live.unsaved = True


async def _pause(session, message: Message, client) -> None:
    session.live.paused = message.value in (True, "true", "1", 1)
    await session.screen.controls()
    await session.saver.save()


# Message kind → handler(session, message, client). One table for the process: a table of
# closures per session would cost ~2.5 KB per idle learner (bench/idle_memory.py).
ROUTES = {
    "command": lambda s, m, c: s.commands.run(m.line, _terminal(s, m)),
    "cancel": lambda s, m, c: s.commands.cancel(_terminal(s, m)),
    "clear": _clear,
    "complete": lambda s, m, c: s.commands.complete(m.value, _terminal(s, m), c),
    "speed": lambda s, m, c: s.commands.set_speed(m.value),
    "pause": _pause,
    "reset": lambda s, m, c: s.reset(),
    "check": lambda s, m, c: s.grader.check(m.value),
    "hint": lambda s, m, c: s.grader.hint(m.value),
    "solution": lambda s, m, c: s.grader.solution(m.value),
    "step": lambda s, m, c: s.rollout.step(m.value),
    "rollout": lambda s, m, c: s.rollout.choose_rollout(m.value),
    "traffic": lambda s, m, c: s.rollout.set_traffic(m.value),
    "traffic_service": lambda s, m, c: s.rollout.choose_service(m.value),
    "replay": lambda s, m, c: s.rollout.replay(m.value),
    "file_save": lambda s, m, c: s.editor.save_file(m.value, m.text),
    "file_open": lambda s, m, c: s.editor.open_file(m.value),
    "file_new": lambda s, m, c: s.editor.new_file(m.value),
    "file_delete": lambda s, m, c: s.editor.delete_file(m.value),
    "file_close": lambda s, m, c: s.editor.show("none"),
    "edit_save": lambda s, m, c: s.editor.finish(m.value, m.text),
    "edit_cancel": lambda s, m, c: s.editor.finish(m.value, None),
    "showing": lambda s, m, c: s.screen.draw_shown(),  # after Screen.set_showing said it missed a change
}


class ClusterCalls:
    def __init__(self, live: Live, screen: Screen, commands: Commands, saver: Saver, grader: Grader):
        self.live, self.screen, self.commands, self.saver, self.grader = live, screen, commands, saver, grader

    async def run(self, call: ClusterCall):
        """Run a client's function on the cluster; after a write, views, saving and grading follow
        as after a console command."""
        live = self.live
        seen = len(live.cluster.history)
        result = call.function(live.cluster)
        # The learner's own kubectl (its Kubectl-Command header, simulator/rest/history.py):
        # terminal 1's transcript shows the command it ran.
        for entry in live.cluster.history[seen:]:
            if entry.get("source") == "kubectl-api":
                text = live.t(_("(from your kubectl)")) + " " + entry.get("line", "") + "\n"
                live.terminals.first.note("info", text)
                await self.screen.entries([{"kind": "info", "text": text}])
                live.unsaved = True
        if not call.read_only:
            live.unsaved = True
            await self.commands.send_output()
            await self.saver.save()
            await self.grader.soon()
        return result
