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


def routes(session) -> dict:
    """Message kind → handler(message, client), over the session's parts."""
    live, screen, saver = session.live, session.screen, session.saver
    commands, editor, grader, rollout = session.commands, session.editor, session.grader, session.rollout

    def terminal(message: Message):
        return live.terminals.get(message.terminal)

    async def clear(message: Message, client) -> None:
        shown = terminal(message)
        shown.transcript = []
        await screen.send(fragments.cleared_output(live.language, shown.suffix))
        live.unsaved = True

    async def pause(message: Message, client) -> None:
        live.paused = message.value in (True, "true", "1", 1)
        await screen.controls()
        await saver.save()

    return {
        "command": lambda m, c: commands.run(m.line, terminal(m)),
        "cancel": lambda m, c: commands.cancel(terminal(m)),
        "clear": clear,
        "complete": lambda m, c: commands.complete(m.value, terminal(m), c),
        "speed": lambda m, c: commands.set_speed(m.value),
        "pause": pause,
        "reset": lambda m, c: session.reset(),
        "check": lambda m, c: grader.check(m.value),
        "hint": lambda m, c: grader.hint(m.value),
        "solution": lambda m, c: grader.solution(m.value),
        "step": lambda m, c: rollout.step(m.value),
        "rollout": lambda m, c: rollout.choose_rollout(m.value),
        "traffic": lambda m, c: rollout.set_traffic(m.value),
        "traffic_service": lambda m, c: rollout.choose_service(m.value),
        "replay": lambda m, c: rollout.replay(m.value),
        "file_save": lambda m, c: editor.save_file(m.value, m.text),
        "file_open": lambda m, c: editor.open_file(m.value),
        "file_new": lambda m, c: editor.new_file(m.value),
        "file_delete": lambda m, c: editor.delete_file(m.value),
        "file_close": lambda m, c: editor.show("none"),
        "edit_save": lambda m, c: editor.finish(m.value, m.text),
        "edit_cancel": lambda m, c: editor.finish(m.value, None),
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
