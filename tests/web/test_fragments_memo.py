"""The fragments the console sends are rendered only as far as their inputs changed
(panels/fragments.py, panels/memo.py): every such fragment must be exactly what its template renders
from scratch, through a rolling update, in both languages."""

from __future__ import annotations

import json

import pytest

from simulator import Cluster
from tutorial.sandbox.panels import fragments, memo
from tutorial.sandbox.panels.cluster_view import build_cluster_view, view_of
from tutorial.sandbox.panels.rollout_panel import RolloutChoice
from tutorial.sandbox.panels.traffic import TrafficStrip
from tutorial.sandbox.session.state import rollout_state

LANGUAGES = ("en", "ko")
ENTRIES = [
    {"kind": "input", "text": "kubectl get pods -l 'app in (kubia)' && echo \"<done>\""},
    {"kind": "output", "text": "NAME    READY\n한국어 <b>&amp;</b>\n"},
    {"kind": "error", "text": "error: <nope> & 'quotes'\n"},
    {"kind": "info", "text": ""},
]


def _template(name: str, context: dict, language: str) -> str:
    return fragments._render(name, context, language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("suffix", ["", "-2"])
def test_console_fragments_are_their_templates(language, suffix):
    assert fragments.appended_entries(ENTRIES, language, suffix) == _template(
        "sandbox/_console_output.html", {"entries": ENTRIES, "append": True, "suffix": suffix}, language)
    assert fragments.cleared_output(language, suffix) == _template(
        "sandbox/_console_output.html", {"entries": [], "oob": True, "suffix": suffix}, language)
    history = ["kubectl get pods", 'echo "<a>" & \'b\'', "한국어", "x" * 300, "", "a\\b\tc"]
    for lines in (history, history + ["kubectl get rs"], [], [1, None]):  # the lines seen before, kept
        assert fragments.history(lines, language, suffix) == _template(
            "sandbox/_console_history.html",
            {"history_json": json.dumps(lines, ensure_ascii=False), "oob": True, "suffix": suffix}, language)
    assert fragments.terminal_state(ENTRIES, history, language, suffix) == _template(
        "sandbox/_console_output.html", {"entries": ENTRIES, "oob": True, "suffix": suffix}, language
    ) + fragments.history(history, language, suffix)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_controls_are_their_template(language):
    for clock, speed, paused, running, others in [
            (0.0, 1, False, False, None), (12.25, 5, False, True, [{"id": "2", "running": True}]),
            (3725.96, 20, True, False, [{"id": "2", "running": False}, {"id": "3", "running": True}]),
            (3725.96, 20, True, False, [{"id": "2", "running": False}, {"id": "3", "running": True}])]:
        context = fragments.console_context(transcript=[], history=[], view=None, clock=clock, speed=speed,
                                            paused=paused, running=running, tick=int(clock * 7),
                                            others_running=others)
        expected = _template("sandbox/_console_controls.html", {**context, "oob": True}, language)
        assert fragments.controls(context, language) == expected
        # data-now as the template wrote it before (now|default:0|stringformat:'.1f')
        assert f'data-now="{clock:.1f}"' in expected and f'data-tick="{int(clock * 7)}"' in expected
        assert f">{fragments.format_clock(clock)}</span>" in expected


def test_entries_the_shell_does_not_know_go_through_the_template():
    odd = [{"kind": "output", "text": "a\x00b"}, {"text": "no kind"}, {"kind": "output", "text": 42}]
    for entries in ([odd[0]], [odd[1]], [odd[2]]):
        assert fragments._entries_html(entries) is None
        assert fragments.appended_entries(entries, "en") == _template(
            "sandbox/_console_output.html", {"entries": entries, "append": True, "suffix": ""}, "en")


def _rolling_cluster() -> Cluster:
    cluster = Cluster(seed=3)
    for line in ("kubectl create deployment kubia --image=luksa/kubia:v1 --replicas=4",
                 "kubectl run loose --image=nginx",
                 "kubectl expose deployment kubia --port=80 --target-port=8080"):
        assert cluster.run(line).exit_code == 0, line
    cluster.run("kubectl rollout status deployment kubia", timeout=600)
    assert cluster.run("kubectl set image deployment kubia kubia=luksa/kubia:v2").exit_code == 0
    return cluster


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_cluster_view_is_its_template_through_a_rollout(language):
    cluster = _rolling_cluster()
    for step in range(70):
        cluster.advance(0.5)
        if step == 40:
            cluster.run("kubectl scale deployment kubia --replicas=2")
        # mostly live (what was kept is used), now and then another language or a replay's clock
        other = "ko" if language == "en" else "en"
        for language_now, replay_clock in [(language, None), (language, None)] + (
                [(other, None), (language, "1:02")] if step % 9 == 0 else []):
            tick = 1000 * step + 7
            fresh = build_cluster_view(cluster.list("Deployment"), cluster.list("ReplicaSet"), cluster.list("Pod"))
            assert fresh.memo is None and fresh.pods_html is None
            assert fragments.cluster_view(view_of(cluster), tick, language_now, replay_clock) == _template(
                "sandbox/_cluster_view.html",
                {"view": fresh, "tick": tick, "oob": True, "replay_clock": replay_clock}, language_now), step


def test_an_unchanged_cluster_view_is_not_rendered_again(monkeypatch):
    cluster = _rolling_cluster()
    cluster.advance(5)
    first = fragments.cluster_view(view_of(cluster), 1, "en")
    rendered = []
    monkeypatch.setattr(fragments, "_render", lambda name, context, language: rendered.append(name) or "")
    assert fragments.cluster_view(view_of(cluster), 2, "en") == first.replace('data-tick="1"', 'data-tick="2"')
    assert rendered == []
    # the loose pod turns Terminating: only its row is rendered (the view's shell and the Deployment's
    # blocks are kept)
    cluster.run("kubectl delete pod loose --wait=false")
    fragments.cluster_view(view_of(cluster), 3, "en")
    assert rendered == ["sandbox/_pod.html"]


def _fresh_parts(context: dict, language: str) -> dict:
    context = {key: value for key, value in context.items() if key != "rollout_kept"}
    return {name: _template(name, {**context, "oob": True}, language) for name in fragments.ROLLOUT_PARTS}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_rollout_panel_parts_are_their_templates_through_a_rollout(language):
    cluster = _rolling_cluster()
    choice, traffic = RolloutChoice(), TrafficStrip()
    for step in range(60):
        traffic.advance(cluster, 0.5)
        if step == 10:
            traffic.set(enabled=True)  # one request per simulated second: the strip grows in place
        if step == 30:
            cluster.run("kubectl create deployment web --image=nginx")
            choice.pick("default/web")
        if step == 45:
            choice.pick("default/kubia")
            traffic.set(enabled=False)
        for at in [None, None] + ([max(0.0, cluster.now - 4)] if step % 7 == 0 else []):
            context = rollout_state(cluster, choice, traffic, language, at=at)
            assert context["rollout_kept"] is not None
            assert fragments.rollout_parts(context, language) == _fresh_parts(context, language), (step, at)


def test_unchanged_rollout_parts_are_not_rendered_again(monkeypatch):
    cluster = _rolling_cluster()
    cluster.advance(60)
    choice, traffic = RolloutChoice(), TrafficStrip()
    before = fragments.rollout_parts(rollout_state(cluster, choice, traffic, "en"), "en")
    rendered = []
    render = fragments._render
    monkeypatch.setattr(fragments, "_render",
                        lambda name, context, language: rendered.append(name) or render(name, context, language))
    cluster.advance(3)  # only the clock: the chart's SVG is drawn to the new time, nothing is rendered
    after = fragments.rollout_parts(rollout_state(cluster, choice, traffic, "en"), "en")
    assert rendered == []
    assert after["sandbox/_rollout_why_panel.html"] == before["sandbox/_rollout_why_panel.html"]
    assert after["sandbox/_rollout_chart_panel.html"] != before["sandbox/_rollout_chart_panel.html"]
    traffic.set(enabled=True)
    fragments.rollout_parts(rollout_state(cluster, choice, traffic, "en"), "en")
    assert rendered == ["sandbox/_traffic_controls.html", "sandbox/_traffic_strip.html"]


def test_a_changed_template_or_translation_forgets_what_was_rendered():
    fragments.cleared_output("en")
    assert len(fragments._SHELLS) > 0
    memo._files_changed(sender=None, file_path=type("P", (), {"suffix": ".html"})())
    assert len(fragments._SHELLS) == 0
    fragments.cleared_output("en")
    memo._files_changed(sender=None, file_path=type("P", (), {"suffix": ".py"})())
    assert len(fragments._SHELLS) == 1
