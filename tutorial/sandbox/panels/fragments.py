"""HTML fragments the console WebSocket sends; htmx swaps each top-level element by its id.

The page renders the same templates on first load, so ids and markup always match.
"""

from __future__ import annotations

import json

from django.template.loader import render_to_string
from django.utils import translation

from tutorial.sandbox.panels.cluster_view import ClusterView
from tutorial.sandbox.panels.rollout_panel import deployment_names, panel_context
from tutorial.sandbox.panels.traffic import TrafficStrip, service_names
from tutorial.sandbox.persistence.sandboxes import SPEEDS


def format_clock(seconds: float) -> str:
    """Simulated time as h:mm:ss (or m:ss under an hour)."""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def console_context(*, transcript, history, view: ClusterView, clock: float, speed: float,
                    paused: bool, running: bool, tick: int = 0,
                    others_running: list[dict] | None = None) -> dict:
    """Context shared by the lesson page and the session's full state (session/state.py).
    others_running: terminals after the first as [{"id": "2", "running": bool}, ...]; the controls
    carry each as data-running-N (terminal 1: data-running) and show its Stop button."""
    return {
        "transcript": transcript,
        "history_json": json.dumps(history, ensure_ascii=False),
        "view": view,
        "clock": format_clock(clock),
        "now": clock,
        "speed": speed,
        "speeds": SPEEDS,
        "paused": paused,
        "running": running,
        "others_running": others_running or [],
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


def appended_entries(entries: list[dict], language: str, suffix: str = "") -> str:
    """New entries at the end of one terminal's output (suffix "" = terminal 1, "-N" = terminal N)."""
    return _render("sandbox/_console_output.html", {"entries": entries, "append": True, "suffix": suffix}, language)


def cleared_output(language: str, suffix: str = "") -> str:
    return _render("sandbox/_console_output.html", {"entries": [], "oob": True, "suffix": suffix}, language)


def controls(context: dict, language: str) -> str:
    return _render("sandbox/_console_controls.html", {**context, "oob": True}, language)


def cluster_view(view: ClusterView, tick: int, language: str, replay_clock: str | None = None) -> str:
    """The live view; with replay_clock, the cluster as it was then (marked as a replay)."""
    return _render("sandbox/_cluster_view.html",
                   {"view": view, "tick": tick, "oob": True, "replay_clock": replay_clock}, language)


def history(history_list: list[str], language: str, suffix: str = "") -> str:
    return _render(
        "sandbox/_console_history.html",
        {"history_json": json.dumps(history_list, ensure_ascii=False), "oob": True, "suffix": suffix},
        language,
    )


def terminal_state(transcript: list, history_list: list[str], language: str, suffix: str) -> str:
    """One terminal's whole output and ↑/↓ history (terminals after the first, on (re)connect)."""
    return (_render("sandbox/_console_output.html", {"entries": transcript, "oob": True, "suffix": suffix}, language)
            + history(history_list, language, suffix))


def completion(text: str, value: str, seq: int, language: str, suffix: str = "") -> str:
    return _render("sandbox/_console_completion.html",
                   {"text": text, "value": value, "seq": seq, "suffix": suffix}, language)


def exercises(context: dict, language: str) -> str:
    """The exercise panel (tutorial/progress/panel.py builds the context)."""
    return _render("sandbox/_exercises.html", {**context, "oob": True}, language)


# ---- the Rollout panel: each part is sent only when its HTML changed (session/rollout.py)
ROLLOUT_PARTS = (
    "sandbox/_rollout_controls.html",
    "sandbox/_rollout_chart_panel.html",
    "sandbox/_rollout_why_panel.html",
    "sandbox/_traffic_controls.html",
    "sandbox/_traffic_strip.html",
)


def rollout_context(cluster, rollout_ref: str | None, traffic: TrafficStrip, language: str,
                    at: float | None = None) -> dict:
    """Context for templates/sandbox/_rollout_panel.html and its parts (the page and the session);
    `at`: the replay's simulated time (None = live)."""
    context = panel_context(cluster, rollout_ref, language, at) if cluster is not None else {"rollout_ref": None}
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


# ---- the file editor panel (tutorial/sandbox/panels/editor.py) and replay
def editor_files(files, language: str) -> str:
    from tutorial.sandbox.panels.editor import file_rows

    return _render("sandbox/_editor_files.html", {"editor_files": file_rows(files), "oob": True}, language)


def editor_status(text: str, language: str, *, error: bool = False) -> str:
    return _render("sandbox/_editor_status.html",
                   {"editor_status": text, "editor_status_error": error, "oob": True}, language)


def editor_doc(*, mode: str, name: str = "", text: str = "", token: str = "", seq: int = 0, language: str) -> str:
    """What the editor shows: mode "file" (a working-directory file), "edit" (`kubectl edit`) or
    "none"."""
    return _render("sandbox/_editor_doc.html",
                   {"editor_mode": mode, "editor_name": name, "editor_text": text, "editor_token": token,
                    "editor_seq": seq, "oob": True}, language)


def replay_bar(*, at: float | None, now: float, language: str) -> str:
    """The replay slider: live (at None) or showing simulated time `at` of [0, now]."""
    return _render("sandbox/_replay_bar.html", replay_context(at, now, oob=True), language)


def replay_context(at: float | None, now: float, *, oob: bool = False) -> dict:
    return {"replay_at": at, "replay_value": f"{now if at is None else at:.1f}", "replay_max": f"{now:.1f}",
            "replay_clock": format_clock(now if at is None else at), "oob": oob}
