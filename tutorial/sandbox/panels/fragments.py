"""HTML fragments the console WebSocket sends; htmx swaps each top-level element by its id.

The page renders the same templates on first load, so ids and markup always match.
"""

from __future__ import annotations

import html
import json

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from tutorial.sandbox.panels.cluster_view import ClusterView
from tutorial.sandbox.panels.memo import LRU
from tutorial.sandbox.panels.rollout_panel import Kept, deployment_names, kept, panel_context
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
        "now_text": "%.1f" % (clock or 0),  # data-now: the simulated seconds, one decimal
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


# ---- shells: a template rendered once per language and fixed values, its changing part put in after
# A console fragment costs ≈0.2 ms through the template engine (translation switch, context, nodes)
# and is sent two or three times per command; a shell costs a dict look-up and a string join.
_SHELLS = LRU(512)
# Stands for a value in a shell; survives autoescaping unchanged (no NUL reaches a fragment's value:
# the console refuses it in a command, and a value holding it is rendered by the template instead).
MARK = "\x00value\x00"


def _shell(template: str, context: dict, language: str) -> str:
    """`template` rendered with `context` (hashable values only) in `language`, remembered."""
    key = (template, language, tuple(sorted(context.items())))
    return _SHELLS.get(key, lambda: _render(template, context, language))


def _escaped(value: str) -> str:
    """What the template's {{ value }} prints for a plain str (conditional_escape: html.escape)."""
    return html.escape(value)


def _entries_html(entries) -> str | None:
    """templates/sandbox/_console_entries.html for plain entries (dicts whose kind and text are str,
    without NUL); None for anything else, which the template renders. tests/web/test_fragments_memo.py
    compares the two."""
    out = []
    for entry in entries:
        if type(entry) is not dict:
            return None
        kind, text = entry.get("kind"), entry.get("text")
        if type(kind) is not str or type(text) is not str or "\x00" in text:
            return None
        if kind == "input":
            out.append(f'<span class="console-in"><span class="console-prompt" aria-hidden="true">$ </span>'
                       f'{_escaped(text)}\n</span>')
        else:
            out.append(f'<span class="console-{_escaped(kind)}">{_escaped(text)}</span>')
    return "".join(out)


def _output(entries: list, language: str, suffix: str, *, append: bool) -> str:
    """_console_output.html: new entries (append) or the whole transcript (out of band)."""
    flags = {"append": True} if append else {"oob": True}
    inner = _entries_html(entries)
    if inner is None or type(suffix) is not str:
        return _render("sandbox/_console_output.html", {"entries": entries, "suffix": suffix, **flags}, language)
    shell = _shell("sandbox/_console_output.html", {"entries": (), "suffix": suffix, **flags}, language)
    end = shell.rindex("</pre>")  # the entries are the <pre>'s content
    return shell[:end] + inner + shell[end:]


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
    return _output(entries, language, suffix, append=True)


def cleared_output(language: str, suffix: str = "") -> str:
    return _output([], language, suffix, append=False)


# The controls' values that change with every clock sync, put into a shell of the rest
TICK, CLOCK, NOW = "\x00tick\x00", "\x00clock\x00", "\x00now\x00"


def controls(context: dict, language: str) -> str:
    context = {**context, "oob": True}
    tick, clock, now_text = context.get("tick"), context.get("clock"), context.get("now_text")
    if type(tick) is not int or type(clock) is not str or type(now_text) is not str:
        return _render("sandbox/_console_controls.html", context, language)
    # everything else _console_controls.html reads
    key = ("controls", language, context.get("running"), context.get("speed"), context.get("paused"),
           tuple(context.get("speeds") or ()),
           tuple((other.get("id"), other.get("running")) for other in context.get("others_running") or ()))
    shell = _SHELLS.get(key, lambda: _render("sandbox/_console_controls.html",
                                             {**context, "tick": TICK, "clock": CLOCK, "now_text": NOW}, language))
    return shell.replace(TICK, str(tick)).replace(CLOCK, _escaped(clock)).replace(NOW, _escaped(now_text))


def cluster_view(view: ClusterView, tick: int, language: str, replay_clock: str | None = None) -> str:
    """The live view; with replay_clock, the cluster as it was then (marked as a replay).

    Rendered only as far as it changed since this cluster's last view (view.memo): nothing when its
    key is the same (only data-tick differs); else the Deployments, ReplicaSets and pod rows whose
    key changed, put into the view's shell (_cluster_view.html rendered once per language and
    shape, ViewShape)."""
    context = {"view": view, "tick": tick, "oob": True, "replay_clock": replay_clock}
    if type(tick) is not int or (replay_clock is not None and type(replay_clock) is not str):
        return _render("sandbox/_cluster_view.html", context, language)
    memo = view.memo if view.memo is not None else {}
    key = (language, replay_clock, view.key)
    last = memo.get("view")
    if last is None or last[0] != key:
        kept, kept_pods, blocks, pods = memo.get("blocks") or {}, memo.get("pods") or {}, {}, {}

        def block(name: str, data, context_name: str) -> str:
            block_key = (name, language, data.key)
            html = kept.get(block_key) or blocks.get(block_key)
            if html is None:
                html = _render(name, {context_name: data}, language)
            else:  # its pod rows are still shown: keep them
                pods.update((pod.key, kept_pods[pod.key]) for pod in getattr(data, "pods", ()) if pod.key in kept_pods)
            blocks[block_key] = html
            return html

        for rs in [rs for d in view.deployments for rs in d.replica_sets] + view.replica_sets:
            if ("sandbox/_replica_set.html", language, rs.key) not in kept:
                rs.pods_html = _pod_rows(rs.pods, kept_pods, pods, language)
            rs.html = block("sandbox/_replica_set.html", rs, "rs")
        for deployment in view.deployments:
            deployment.html = block("sandbox/_deployment.html", deployment, "deployment")
        view.pods_html = _pod_rows(view.pods, kept_pods, pods, language)
        memo["blocks"], memo["pods"] = blocks, pods  # only what this view shows: nothing piles up
        shape = ViewShape(view)
        shell = _SHELLS.get(("sandbox/_cluster_view.html", language, bool(replay_clock), shape.key), lambda: _render(
            "sandbox/_cluster_view.html",
            {"view": shape, "tick": MARK, "oob": True, "replay_clock": REPLAY if replay_clock else replay_clock},
            language))
        html = shape.fill(shell, view)
        if replay_clock:
            html = html.replace(REPLAY, _escaped(replay_clock))
        last = memo["view"] = (key, html)
    # data-tick="{{ tick }}" of an int prints str(tick) (no thousands separator in these settings)
    return last[1].replace(MARK, str(tick))


REPLAY = "\x00replay\x00"


class _Slot:
    def __init__(self, html: str) -> None:
        self.html = html


class ViewShape:
    """A stand-in for a ClusterView in _cluster_view.html: what the template reads of the view
    itself (empty, whether there are pods without a controller), with a marker for each
    Deployment's, ReplicaSet's and the pod rows' HTML, filled in after (fill)."""

    def __init__(self, view: ClusterView) -> None:
        self.empty = view.empty
        self.deployments = [_Slot(f"\x00d{i}\x00") for i in range(len(view.deployments))]
        self.replica_sets = [_Slot(f"\x00r{i}\x00") for i in range(len(view.replica_sets))]
        self.pods = [True] if view.pods else []
        self.pods_html = "\x00p\x00"
        self.key = (self.empty, len(self.deployments), len(self.replica_sets), bool(self.pods))

    def fill(self, shell: str, view: ClusterView) -> str:
        for slot, deployment in zip(self.deployments, view.deployments):
            shell = shell.replace(slot.html, deployment.html)
        for slot, rs in zip(self.replica_sets, view.replica_sets):
            shell = shell.replace(slot.html, rs.html)
        return shell.replace(self.pods_html, view.pods_html or "")


def _pod_rows(pods, kept: dict, shown: dict, language: str):
    """The pods' rows (_pod.html each, kept by the row's key; a row has no translated text), joined."""
    rows = []
    for pod in pods:
        html = kept.get(pod.key) or shown.get(pod.key)
        if html is None:
            html = _render("sandbox/_pod.html", {"pod": pod}, language)
        shown[pod.key] = html
        rows.append(html)
    return mark_safe("".join(rows))


def history(history_list: list[str], language: str, suffix: str = "") -> str:
    try:
        encoded = list(map(_HISTORY_LINES.get, history_list))
    except TypeError:  # an unhashable entry: never in a terminal's history, but the template knows it
        encoded = None
    if encoded is None or type(suffix) is not str:
        return _render("sandbox/_console_history.html", {
            "history_json": json.dumps(history_list, ensure_ascii=False), "oob": True, "suffix": suffix}, language)
    if None in encoded:
        if len(_HISTORY_LINES) > 4096:
            _HISTORY_LINES.clear()
        for i, line in enumerate(history_list):
            if encoded[i] is None:
                encoded[i] = html.escape(json.dumps(line, ensure_ascii=False))
                if type(line) is str and len(line) <= 200:
                    _HISTORY_LINES[line] = encoded[i]
    shell = _shell("sandbox/_console_history.html", {"history_json": MARK, "oob": True, "suffix": suffix}, language)
    # json.dumps of a list is "[" + ", ".join(each item's) + "]", and escaping leaves "[", "]" and
    # ", " as they are: each line is encoded and escaped once (the whole list goes again after every
    # command, up to 200 lines). JSON writes NUL as \u0000, so MARK never appears in it.
    return shell.replace(MARK, "[" + ", ".join(encoded) + "]")


_HISTORY_LINES: dict = {}  # history line (≤ 200 characters) → its JSON, HTML-escaped


def terminal_state(transcript: list, history_list: list[str], language: str, suffix: str) -> str:
    """One terminal's whole output and ↑/↓ history (terminals after the first, on (re)connect)."""
    return _output(transcript, language, suffix, append=False) + history(history_list, language, suffix)


def completion(text: str, value: str, seq: int, language: str, suffix: str = "") -> str:
    return _render("sandbox/_console_completion.html",
                   {"text": text, "value": value, "seq": seq, "suffix": suffix}, language)


def exercises(context: dict, language: str) -> str:
    """The exercise panel (tutorial/progress/panel.py builds the context)."""
    return _render("sandbox/_exercises.html", {**context, "oob": True}, language)


# ---- the Rollout panel: each part is sent only when its HTML changed (session/rollout.py), and
# rendered only when what its template reads changed
ROLLOUT_PARTS = (
    "sandbox/_rollout_controls.html",
    "sandbox/_rollout_chart_panel.html",
    "sandbox/_rollout_why_panel.html",
    "sandbox/_traffic_controls.html",
    "sandbox/_traffic_strip.html",
)
# The parts each tab of the page's views shows (lessons/lesson.html, _rollout_panel.html): a part
# whose tab no window shows is neither computed nor sent (Screen.shown).
PANEL_PARTS = {
    "chart": ("sandbox/_rollout_controls.html", "sandbox/_rollout_chart_panel.html"),
    "why": ("sandbox/_rollout_why_panel.html",),
    "traffic": ("sandbox/_traffic_controls.html", "sandbox/_traffic_strip.html"),
}
# What each part's template reads from the context (besides `oob`, always true here, and the
# language): equal values, equal HTML. The chart's SVG is left out of its key and put in after.
PART_INPUTS = {
    "sandbox/_rollout_controls.html": ("rollout_names", "rollout_ref"),
    "sandbox/_rollout_chart_panel.html": ("rollout_ref", "chart"),
    "sandbox/_rollout_why_panel.html": ("why",),
    "sandbox/_traffic_controls.html": ("traffic_enabled", "traffic_services", "traffic_service"),
    "sandbox/_traffic_strip.html": ("traffic_enabled", "traffic_cells", "traffic_legend", "traffic_errors"),
}


def rollout_context(cluster, rollout_ref: str | None, traffic: TrafficStrip, language: str,
                    at: float | None = None, *, why: bool = True) -> dict:
    """Context for templates/sandbox/_rollout_panel.html and its parts (the page and the session);
    `at`: the replay's simulated time (None = live); `why=False`: the why-log is not shown
    anywhere, so not explained (None)."""
    context = panel_context(cluster, rollout_ref, language, at, why=why) if cluster is not None \
        else {"rollout_ref": None}
    context.update(
        rollout_kept=kept(cluster) if cluster is not None else None,
        rollout_names=deployment_names(cluster) if cluster is not None else [],
        traffic_enabled=traffic.enabled,
        traffic_services=service_names(cluster) if cluster is not None else [],
        traffic_service=traffic.chosen_service(cluster) if cluster is not None else None,
        traffic_cells=traffic.cells,
        traffic_legend=traffic.legend(),
        traffic_errors=any(not cell["ok"] for cell in traffic.cells),
    )
    return context


def rollout_parts(context: dict, language: str, names=ROLLOUT_PARTS) -> dict[str, str]:
    """Each part of the Rollout panel (or of `names`) as an out-of-band fragment, by template name.
    A part whose inputs (PART_INPUTS) equal those it was last rendered from, for this cluster (the
    context's `rollout_kept`), is not rendered again."""
    context = {**context, "oob": True}
    memory: Kept | None = context.get("rollout_kept")
    if memory is None:
        return {name: _render(name, context, language) for name in names}
    parts = {}
    for name in names:
        # copies of the lists: the traffic strip's cells, for one, grow in place
        inputs = {key: list(value) if isinstance(value, list) else value
                  for key, value in ((key, context.get(key)) for key in PART_INPUTS[name])}
        svg = None
        if isinstance(inputs.get("chart"), dict) and type(inputs["chart"].get("svg")) is str:
            svg = inputs["chart"]["svg"]
            inputs["chart"] = {**inputs["chart"], "svg": MARK}  # |safe: printed as it is, then replaced
        key = (language, inputs)
        last = memory.parts.get(name)
        if last is None or last[0] != key:
            last = memory.parts[name] = (key, _render(name, {**context, **inputs}, language))
        parts[name] = last[1] if svg is None else last[1].replace(MARK, svg)
    return parts


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
