"""Only what a window shows is drawn: {"showing": [...]} over the console WebSocket (session/screen.py).

The page says which live panels it shows (static/js/console.js): the cluster view and the views'
tabs (chart, why, traffic); nothing while it is in a background tab. A panel nobody shows is not
drawn, and is drawn at once when shown again if it missed a change."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.web.test_console import new_session, open_console
from tests.web.test_rollout_ws import latest, parts_of, wait_until
from tutorial.sandbox.session.messages import Message, Refusal, parse

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def views_in(messages: list[str]) -> int:
    return sum('<section id="cluster-view"' in message for message in messages)


def parts_in(messages: list[str], part: str) -> int:
    return sum(part in parts_of(message) for message in messages)


async def test_showing_is_a_list_of_panel_names():
    assert parse('{"showing": ["cluster", "chart"]}') == Message("showing", ["cluster", "chart"])
    assert parse('{"showing": []}') == Message("showing", [])
    for bad in ('{"showing": "cluster"}', '{"showing": [1]}', '{"showing": ["x", "x", "x", "x", "x", "x", "x", "x", "x"]}'):
        refusal = parse(bad)
        with translation.override("en"):
            assert isinstance(refusal, Refusal) and "list of panel names" in refusal.text(), bad


async def test_a_hidden_cluster_view_is_not_drawn_and_is_drawn_when_shown_again(lesson_root):
    con, connected, _ = await open_console(await new_session(), lang="en")
    assert connected
    await con.drain(0.3)
    await con.send({"showing": ["chart"]})  # e.g. a phone showing the lesson text... and a chart
    await con.drain(0.2)
    start = len(con.received)
    await con.command("kubectl create -f kubia-deployment.yaml")
    await con.wait_for("created")
    await con.drain(3.0)  # the pods are created and become ready meanwhile
    hidden = con.received[start:]
    assert views_in(hidden) == 0
    assert parts_in(hidden, "rollout-chart-panel") >= 1  # the chart, shown, follows the rollout
    await con.send({"showing": ["cluster", "chart"]})
    await wait_until(con, lambda: views_in(con.received[start:]) == 1, timeout=5)
    view = [m for m in con.received[start:] if '<section id="cluster-view"' in m][0]
    assert "kubia-" in view  # the pods it missed
    await con.communicator.disconnect()


async def test_the_why_log_is_explained_only_while_its_tab_shows(lesson_root):
    con, connected, _ = await open_console(await new_session(), lang="en")
    assert connected
    await con.drain(0.3)
    await con.send({"showing": ["cluster", "chart"]})  # the page's default: the chart's tab
    await con.drain(0.2)
    start = len(con.received)
    await con.command("kubectl create -f kubia-deployment.yaml")
    await con.wait_for("created")
    await con.drain(3.0)
    assert parts_in(con.received[start:], "rollout-chart-panel") >= 1
    assert parts_in(con.received[start:], "rollout-why") == 0
    await con.send({"showing": ["cluster", "why"]})  # the learner opens the Why tab
    await wait_until(con, lambda: parts_in(con.received[start:], "rollout-why") == 1, timeout=5)
    assert "new ReplicaSet kubia-" in latest(con, "rollout-why")
    await con.communicator.disconnect()


async def test_a_page_in_a_background_tab_gets_output_but_no_panels(lesson_root):
    con, connected, _ = await open_console(await new_session(), lang="en")
    assert connected
    await con.drain(0.3)
    await con.send({"showing": []})
    await con.drain(0.2)
    start = len(con.received)
    await con.command("kubectl create -f kubia-deployment.yaml")
    await con.wait_for("created")  # the console's own output still comes
    await con.drain(3.0)
    quiet = con.received[start:]
    assert views_in(quiet) == 0 and not any(parts_of(message) for message in quiet)
    await con.send({"showing": ["cluster", "chart", "why", "traffic"]})  # the learner comes back
    await wait_until(con, lambda: views_in(con.received[start:]) == 1
                     and parts_in(con.received[start:], "rollout-why") == 1, timeout=5)
    await con.communicator.disconnect()


async def test_nothing_missed_means_nothing_drawn_when_shown_again(lesson_root):
    con, connected, _ = await open_console(await new_session(), lang="en")
    assert connected
    await con.drain(0.5)
    await con.send({"showing": []})
    await con.drain(0.3)
    await con.command("kubectl get pods")  # changes nothing the panels show
    await con.wait_for("No resources found")
    start = len(con.received)
    await con.send({"showing": ["cluster", "chart"]})
    await con.drain(0.5)
    assert views_in(con.received[start:]) == 0 and not any(parts_of(m) for m in con.received[start:])
    await con.communicator.disconnect()
