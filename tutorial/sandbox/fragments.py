"""HTML fragments the console WebSocket sends; htmx swaps each top-level element by its id.

The page renders the same templates on first load, so ids and markup always match.
"""

from __future__ import annotations

import json

from django.template.loader import render_to_string
from django.utils import translation

from tutorial.sandbox.cluster_view import ClusterView
from tutorial.sandbox.rollout_panel import deployment_names, panel_context
from tutorial.sandbox.traffic import TrafficStrip, service_names
from tutorial.sandbox.services import SPEEDS


def format_clock(seconds: float) -> str:
    """Simulated time as h:mm:ss (or m:ss under an hour)."""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def console_context(*, transcript, history, view: ClusterView, clock: float, speed: float,
                    paused: bool, running: bool, tick: int = 0) -> dict:
    """Context shared by the lesson page and the consumer's full-state message."""
    return {
        "transcript": transcript,
        "history_json": json.dumps(history, ensure_ascii=False),
        "view": view,
        "clock": format_clock(clock),
        "speed": speed,
        "speeds": SPEEDS,
        "paused": paused,
        "running": running,
        "tick": tick,
    }


def _render(template: str, context: dict, language: str) -> str:
    with translation.override(language):
        return render_to_string(template, context)


def full_state(context: dict, language: str) -> str:
    """Everything the console shows, sent on every (re)connect and after a reset."""
    context = {**context, "oob": True, "entries": context["transcript"]}
    return "".join(
        _render(name, context, language)
        for name in (
            "sandbox/_console_output.html",
            "sandbox/_console_controls.html",
            "sandbox/_cluster_view.html",
            "sandbox/_console_history.html",
        )
    )


def appended_entries(entries: list[dict], language: str) -> str:
    return _render("sandbox/_console_output.html", {"entries": entries, "append": True}, language)


def cleared_output(language: str) -> str:
    return _render("sandbox/_console_output.html", {"entries": [], "oob": True}, language)


def controls(context: dict, language: str) -> str:
    return _render("sandbox/_console_controls.html", {**context, "oob": True}, language)


def cluster_view(view: ClusterView, tick: int, language: str) -> str:
    return _render("sandbox/_cluster_view.html", {"view": view, "tick": tick, "oob": True}, language)


def history(history_list: list[str], language: str) -> str:
    return _render(
        "sandbox/_console_history.html",
        {"history_json": json.dumps(history_list, ensure_ascii=False), "oob": True},
        language,
    )


def completion(text: str, value: str, seq: int, language: str) -> str:
    return _render("sandbox/_console_completion.html", {"text": text, "value": value, "seq": seq}, language)


def exercises(context: dict, language: str) -> str:
    """The exercise panel (tutorial/progress/panel.py builds the context)."""
    return _render("sandbox/_exercises.html", {**context, "oob": True}, language)


# ---- the Rollout panel: each part is sent only when its HTML changed (see the consumer)
ROLLOUT_PARTS = (
    "sandbox/_rollout_controls.html",
    "sandbox/_rollout_chart_panel.html",
    "sandbox/_rollout_why_panel.html",
    "sandbox/_traffic_controls.html",
    "sandbox/_traffic_strip.html",
)


def rollout_context(cluster, rollout_ref: str | None, traffic: TrafficStrip, language: str) -> dict:
    """Context for templates/sandbox/_rollout_panel.html and its parts (the page and the consumer)."""
    context = panel_context(cluster, rollout_ref, language) if cluster is not None else {"rollout_ref": None}
    context.update(
        rollout_names=deployment_names(cluster) if cluster is not None else [],
        traffic_enabled=traffic.enabled,
        traffic_services=service_names(cluster) if cluster is not None else [],
        traffic_service=traffic.chosen_service(cluster) if cluster is not None else None,
        traffic_cells=traffic.cells,
        traffic_legend=traffic.legend(),
        traffic_errors=any(not cell["ok"] for cell in traffic.cells),
    )
    return context


def rollout_parts(context: dict, language: str) -> dict[str, str]:
    """Each part of the Rollout panel as an out-of-band fragment, by template name."""
    context = {**context, "oob": True}
    return {name: _render(name, context, language) for name in ROLLOUT_PARTS}
