"""What every part of a session reads: the one live sandbox it drives.

The session (session.py) is made of parts, each in its own module and each given what it needs
when it is made: this shared `Live` record, the `Screen` it draws on (screen.py) and the other
parts it calls. No part reaches into the session itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import translation

from tutorial.sandbox.models import Sandbox
from tutorial.sandbox.panels.traffic import TrafficStrip
from tutorial.sandbox.persistence.sandboxes import SPEEDS
from tutorial.sandbox.session.terminals import Terminal, Terminals


@dataclass(eq=False)
class Live:
    sandbox: Sandbox
    lesson: object | None  # tutorial.curriculum.catalogue.Lesson (None: a sandbox without lesson)
    language: str
    owner: str
    cluster: object | None = None  # simulator.Cluster; None while dormant (driving.py)
    terminals: Terminals = field(default_factory=lambda: Terminals(Terminal("1")))
    traffic: TrafficStrip = field(default_factory=TrafficStrip)  # advanced with the cluster's clock
    speed: int = SPEEDS[0]
    paused: bool = False
    unsaved: bool = False  # the cluster or a terminal changed since the last save
    used: bool = False  # a client sent a message (driving.FIRST_DORMANT_AFTER_SECONDS)
    stopped: bool = False  # another process drives the sandbox now, or the session closed
    editing: Terminal | None = None  # the terminal a `kubectl edit` waits in (editing.py), if any

    def t(self, message) -> str:
        """A lazily translated message in the session's language (no LocaleMiddleware here)."""
        with translation.override(self.language):
            return str(message)
