"""Typed console messages, parsed once from the JSON a client sends.

The browser's htmx ws extension sends the console form as {"command": "..."} plus a HEADERS
object (ignored); README "Console" lists every kind. `parse` checks the size and the JSON once,
and turns the dict into a `Message` (or a `Refusal`, a translated reason); the session never looks
at raw JSON. Text fields are checked to be text here; what a value means (a speed, a step, an
exercise id) is the session's to judge, with its own messages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from tutorial.sandbox.limits import MAX_COMMAND_CHARS, MAX_MESSAGE_BYTES
from tutorial.sandbox.panels.editor import MAX_EDITOR_MESSAGE_BYTES

MAX_TERMINALS = 4
DEFAULT_TERMINAL = "1"
# Kinds that change nothing a learner owns: allowed to a read-only client (an instructor's view).
READ_ONLY_KINDS = frozenset({"complete", "rollout", "replay", "file_open", "file_close", "traffic_service",
                             "showing"})
# The first key found decides the kind, in this order (as the consumer's dispatch always did).
KINDS = ("command", "cancel", "clear", "complete", "speed", "pause", "reset", "check", "hint", "solution", "step",
         "rollout", "traffic", "traffic_service", "file_save", "file_open", "file_new", "file_delete",
         "file_close", "edit_save", "edit_cancel", "replay", "showing")
MAX_SHOWING = 8  # {"showing": ["cluster", "chart"]}: which panels a window shows (session/screen.py)
# Kinds that count only when their value is truthy ({"cancel": false} is no cancel).
FLAG_KINDS = frozenset({"cancel", "clear", "reset"})
TEXT_KINDS = {"command": _('"command" must be text.'), "complete": _('"complete" must be text.')}


@dataclass(frozen=True)
class Message:
    kind: str            # one of KINDS
    value: Any = None    # the kind's value as sent (a command line, a speed, an exercise id...)
    text: Any = None     # the file text of file_save / edit_save
    terminal: str = DEFAULT_TERMINAL

    @property
    def line(self) -> str:
        """A command line, stripped (kind "command")."""
        return self.value.strip() if isinstance(self.value, str) else ""


@dataclass(frozen=True)
class ClusterCall:
    """Run `function(cluster)` on the session's cluster on behalf of a client (the Kubernetes API
    of a sandbox plugs in here): under the session's lock, between ticks, then the views, grading
    and saving follow as after a command. `read_only` calls are allowed to read-only clients."""
    function: Any
    read_only: bool = False
    kind: str = "call"
    terminal: str = DEFAULT_TERMINAL


@dataclass(frozen=True)
class Refusal:
    reason: Any  # a lazily translated message; the session says it in the client's language
    params: dict | None = None

    def text(self) -> str:
        return str(self.reason) % self.params if self.params else str(self.reason)


def _clean(value):
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def _without_surrogates(obj: dict) -> dict:
    return {_clean(key): _clean(value) for key, value in obj.items()}


def decode(text_data) -> dict | Refusal:
    """The size limits and the JSON, in one place."""
    if text_data is None:
        return Refusal(_("Only text messages are accepted."))
    size = len(text_data.encode("utf-8", "surrogatepass"))
    # Only the editor panel's saves may carry a whole file.
    if size > MAX_MESSAGE_BYTES and (size > MAX_EDITOR_MESSAGE_BYTES or not text_data.lstrip().startswith(
            ('{"file_save"', '{"edit_save"'))):
        return Refusal(_("Message too large: the limit is %(size)d KB."), {"size": MAX_MESSAGE_BYTES // 1024})
    try:
        # JSON escapes can smuggle lone surrogates ("\\ud800") that no socket can send back.
        message = json.loads(text_data.encode("utf-8", "replace").decode("utf-8"), object_hook=_without_surrogates)
    except (ValueError, RecursionError):
        message = None
    if not isinstance(message, dict):
        return Refusal(_('Could not read the message: expected JSON such as {"command": "kubectl get pods"}.'))
    return message


def terminal_of(raw) -> str | Refusal:
    """"1" (also when missing) to "4"; numbers are accepted as sent by hand."""
    if raw is None:
        return DEFAULT_TERMINAL
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if isinstance(raw, str) and raw.isdigit() and 1 <= int(raw) <= MAX_TERMINALS:
        return str(int(raw))
    return Refusal(_('"terminal" must be a terminal number from 1 to %(count)d.'), {"count": MAX_TERMINALS})


def from_dict(message: dict) -> Message | Refusal:
    terminal = terminal_of(message.get("terminal"))
    if isinstance(terminal, Refusal):
        return terminal
    for kind in KINDS:
        if kind not in message:
            continue
        value = message[kind]
        if kind in FLAG_KINDS and not value:
            continue
        if kind in TEXT_KINDS and not isinstance(value, str):
            return Refusal(TEXT_KINDS[kind])
        if kind == "command" and len(value.strip()) > MAX_COMMAND_CHARS:
            return Refusal(_("Command too long: the limit is %(count)d characters."), {"count": MAX_COMMAND_CHARS})
        if kind == "complete":
            value = value[:MAX_COMMAND_CHARS]
        if kind == "showing" and (not isinstance(value, list) or len(value) > MAX_SHOWING
                                  or not all(isinstance(name, str) for name in value)):
            return Refusal(_('"showing" must be a list of panel names.'))
        return Message(kind, value, message.get("text"), terminal)
    return Refusal(_('Unknown message: send {"command": "..."} to run a command.'))


def parse(text_data) -> Message | Refusal:
    decoded = decode(text_data)
    return decoded if isinstance(decoded, Refusal) else from_dict(decoded)
