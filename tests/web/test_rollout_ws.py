"""The Rollout panel over the console WebSocket: time steps, chart, "why" log and traffic strip.

The clock is paused in these tests, so simulated time only moves by the step messages."""

from __future__ import annotations

import asyncio
import re

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async

from tests.web.test_console import new_session, open_console
from tutorial.sandbox.models import Sandbox
from tutorial.sandbox.persistence.sandboxes import restore_cluster

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

PART_IDS = ("rollout-controls", "rollout-chart-panel", "rollout-why", "traffic-controls", "traffic-strip")


def parts_of(message: str) -> dict[str, str]:
    """The Rollout panel's out-of-band parts in one message, by id (they are sent side by side)."""
    starts = [(m.start(), m.group(1)) for m in re.finditer(r'<div id="([a-z-]+)"', message) if m.group(1) in PART_IDS]
    bounds = [s for s, _ in starts] + [len(message)]
    return {part: message[start:bounds[i + 1]] for i, (start, part) in enumerate(starts)}


def latest(con, part: str) -> str:
    found = [p[part] for message in con.received if part in (p := parts_of(message))]
    return found[-1] if found else ""


async def wait_until(con, predicate, timeout: float = 15.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        assert loop.time() < deadline, "condition never met"
        await con.drain(0.1)


@pytest_asyncio.fixture
async def paused_console(lesson_root):
    key = await new_session()
    con, connected, _ = await open_console(key, lang="en")
    assert connected
    await con.send({"pause": True})
    await con.drain(0.3)
    yield con
    await con.communicator.disconnect()


def chart_rows(chart: str) -> list[str]:
    return re.findall(r'<tr data-t="([^"]+)"', chart)


async def test_step_ten_seconds_changes_the_chart(paused_console):
    con = paused_console
    assert "No Deployment yet" in latest(con, "rollout-chart-panel")
    await con.command("kubectl create -f kubia-deployment.yaml")
    await con.wait_for("created")
    await wait_until(con, lambda: 'data-deployment="default/kubia"' in latest(con, "rollout-chart-panel"))
    before = latest(con, "rollout-chart-panel")
    assert '<option value="default/kubia" selected>' in latest(con, "rollout-controls")
    await con.send({"step": 10})
    await wait_until(con, lambda: latest(con, "rollout-chart-panel") != before)
    after = latest(con, "rollout-chart-panel")
    # The pods were created at t≈0 and became available within 10 s: more samples, later times.
    assert max(map(float, chart_rows(after))) > max(map(float, chart_rows(before)), default=-1)
    assert re.search(r"<td>3 \(3 available\)</td>", after), after
    assert "{#" not in after and "<svg" in after
    why = latest(con, "rollout-why")
    assert "new ReplicaSet kubia-" in why and "0 → 3" in why
    # The clock shows the step although the clock is paused.
    assert re.search(r'id="sim-clock"[^>]*>0:1\d<', "".join(con.received))


async def test_bad_step_messages_are_refused(paused_console):
    con = paused_console
    await con.send({"step": 7})
    await con.wait_for(r'"step" must be 1, 10 or "settle"\.')
    await con.send({"step": "settle"})
    await con.wait_for(r"There is no Deployment whose rollout could settle\.")
    await con.send({"rollout": "default/nope"})
    await con.wait_for(r"There is no Deployment default/nope\.")


@database_sync_to_async
def saved_cluster():
    return restore_cluster(Sandbox.objects.get().snapshot)


async def test_traffic_strip_shows_both_versions_and_leaves_the_history_alone(paused_console):
    con = paused_console
    commands = ["kubectl create -f kubia-deployment.yaml",
                "kubectl expose deployment kubia --port=80 --target-port=8080"]
    await con.command(commands[0])
    await con.wait_for("deployment.apps/kubia created")
    await con.send({"step": "settle"})
    await con.command(commands[1])
    await con.wait_for("service/kubia exposed")
    await wait_until(con, lambda: '<option value="default/kubia" selected>' in latest(con, "traffic-controls"))
    await con.send({"traffic": True})
    commands.append("kubectl set image deployment kubia nodejs=luksa/kubia:v2")
    await con.command(commands[2])
    await con.wait_for("image updated")
    await con.send({"step": "settle"})
    await wait_until(con, lambda: len(re.findall(r'class="traffic-cell ', latest(con, "traffic-strip"))) >= 10)
    strip = latest(con, "traffic-strip")
    cells = re.findall(r'traffic-cell--(v\d|error)" data-version="([^"]*)" data-ok="(\w+)"', strip)
    versions = {version for _, version, _ in cells}
    assert len(versions) == 2, cells  # old and new pod-template-hash during the rollout
    assert all(ok == "true" for _, _, ok in cells)  # maxUnavailable 25% of 3 → 0: never an error
    assert {colour for colour, _, _ in cells} == {"v0", "v1"}
    await con.communicator.disconnect()
    cluster = await saved_cluster()
    assert [entry["line"] for entry in cluster.history] == commands
    assert cluster.traffic == []


async def test_the_chart_follows_the_deployment_rolling_out_unless_one_was_picked(paused_console):
    """Lesson 08: `web` rolls out while default/kubia exists; the chart shows `web`, and stays on it
    after its rollout ended; a Deployment picked in the panel is kept whatever rolls out."""
    con = paused_console
    await con.command("kubectl create -f kubia-deployment.yaml")
    await con.wait_for("created")
    await con.command("kubectl create deployment web --image=nginx:1.25 --replicas=2")
    await con.wait_for("deployment.apps/web created")
    await con.send({"step": "settle"})
    await con.send({"step": 10})
    await con.command("kubectl set image deployment/web nginx=nginx:1.26")
    await con.wait_for("image updated")
    await con.send({"step": 1})
    await wait_until(con, lambda: '<option value="default/web" selected>' in latest(con, "rollout-controls"))
    await con.send({"step": "settle"})
    await con.send({"step": 10})
    await con.drain(0.5)
    assert '<option value="default/web" selected>' in latest(con, "rollout-controls")  # still web
    # a pick wins over the rolling Deployment
    await con.send({"rollout": "default/kubia"})
    await wait_until(con, lambda: '<option value="default/kubia" selected>' in latest(con, "rollout-controls"))
    await con.command("kubectl set image deployment/web nginx=nginx:1.27")
    await con.wait_for("image updated")
    await con.send({"step": 1})
    await con.drain(0.5)
    assert '<option value="default/kubia" selected>' in latest(con, "rollout-controls")
