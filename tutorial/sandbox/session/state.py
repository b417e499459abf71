"""A sandbox's state as template context: the one place the lesson page's first render
(tutorial/lessons/views.py) and the session's (re)sent state (session.py) both come from, so the
page and the socket always render the same partials from the same values.
"""

from __future__ import annotations

import json

from django.utils import translation

from tutorial.sandbox.panels import fragments
from tutorial.sandbox.panels.cluster_view import view_of
from tutorial.sandbox.panels.rollout_panel import RolloutChoice
from tutorial.sandbox.panels.traffic import TrafficStrip
from tutorial.sandbox.session.terminals import Terminals


def terminals_context(terminals: Terminals) -> list[dict]:
    """Terminals after the first, for a page that shows them (ids suffixed "-N")."""
    return [{"id": t.id, "suffix": t.suffix, "transcript": t.transcript,
             "history_json": json.dumps(t.history, ensure_ascii=False), "running": t.running}
            for t in terminals if t.id != "1"]


def others_running(terminals: Terminals, editing=None) -> list[dict]:
    """Whether each terminal after the first runs a command, or waits for `kubectl edit` (editing:
    that Terminal): the controls' data-running-N and Stop. Terminal 2 is always listed, as the
    page always shows it."""
    states = {"2": False, **{t.id: t.running or t is editing for t in terminals if t.id != "1"}}
    return [{"id": key, "running": states[key]} for key in sorted(states, key=int)]


def terminals_by_id(terminals: Terminals) -> dict:
    """The terminals after the first by id ("2": {...}), as the console template reads them."""
    return {t["id"]: t for t in terminals_context(terminals)}


def first_running(terminals: Terminals, editing=None) -> bool:
    """Terminal 1 runs a command, or kubectl edit waits there (data-running, its Stop button)."""
    return terminals.first.running or editing is terminals.first


def controls_state(cluster, terminals: Terminals, *, speed: float, paused: bool, tick: int = 0,
                   editing=None) -> dict:
    """The clock controls and every terminal's running state (`editing`: the Terminal kubectl
    edit waits in, if any)."""
    return fragments.console_context(
        transcript=[], history=[], view=None, clock=cluster.now, speed=speed, paused=paused,
        running=first_running(terminals, editing), tick=tick, others_running=others_running(terminals, editing),
    )


def console_state(cluster, terminals: Terminals, *, speed: float, paused: bool, tick: int = 0,
                  editing=None) -> dict:
    """The console (terminal 1's transcript and history, the other terminals), the clock controls
    and the live cluster view."""
    first = terminals.first
    context = controls_state(cluster, terminals, speed=speed, paused=paused, tick=tick, editing=editing)
    context.update(transcript=first.transcript, history_json=json.dumps(first.history, ensure_ascii=False),
                   view=view_of(cluster))
    context["terminals"] = terminals_context(terminals)
    context["terminals_by_id"] = terminals_by_id(terminals)
    return context


def rollout_state(cluster, choice: RolloutChoice, traffic: TrafficStrip, language: str,
                  at: float | None = None, *, why: bool = True) -> dict:
    """The Rollout panel: the chosen (or rolling) Deployment's chart and why-log, the traffic strip."""
    with translation.override(language):
        return fragments.rollout_context(cluster, choice.ref(cluster), traffic, language, at=at, why=why)


def sandbox_state(sandbox, cluster, language: str) -> dict:
    """Everything the lesson page shows of a sandbox before its socket connects."""
    terminals = Terminals.from_row(sandbox.transcript, sandbox.history, sandbox.terminals)
    context = console_state(cluster, terminals, speed=sandbox.speed, paused=sandbox.paused)
    context.update(rollout_state(cluster, RolloutChoice(), TrafficStrip(), language))
    return context
