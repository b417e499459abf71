"""The host side of sessions across processes (tutorial/sandbox/realtime/bridge.py) over an
in-memory channel layer: a remote socket's events reach the hosted session and its frames come
back on the socket's channel. tests/scaleout runs the same through Redis with two processes."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest
from channels.layers import InMemoryChannelLayer

from tests.session.helpers import FakeClient, message, open_session
from tutorial.sandbox.realtime.bridge import HostListener, event, message_event
from tutorial.sandbox.session.hub import Hub

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def frames(layer, channel: str, wanted: str, timeout: float = 5.0) -> list[dict]:
    """Events on `channel` until one frame contains `wanted`."""
    got = []
    while True:
        event = await asyncio.wait_for(layer.receive(channel), timeout)
        got.append(event)
        if wanted in event.get("text", ""):
            return got


async def test_a_remote_socket_attaches_drives_and_leaves():
    layer, hub, local = InMemoryChannelLayer(), Hub(), FakeClient()
    session = await open_session(hub, local)
    await HostListener(layer, session, hub).start()
    group = session.sandbox.group_name
    remote = await layer.new_channel()
    pk = session.sandbox.pk
    await layer.group_send(group, event("sandbox.remote.attach", pk, client=remote, language="en"))
    first = await frames(layer, remote, 'id="console-output"')
    assert first[0]["type"] == "sandbox.remote.frame"
    await layer.group_send(group, message_event(remote, message(command="kubectl create -f kubia-deployment.yaml"), pk, 1))
    await frames(layer, remote, "deployment.apps/kubia created")
    assert "deployment.apps/kubia created" in local.output()  # the host's own window sees it too
    # Acknowledged once handled and saved: the socket can forget it (a dead host's are run again).
    while (got := await asyncio.wait_for(layer.receive(remote), 5))["type"] != "sandbox.remote.ack":
        pass
    assert got["seq"] == 1
    assert any(e["line"] == "kubectl create -f kubia-deployment.yaml"
               for e in session.cluster.history) and not session.live.unsaved
    await layer.group_send(group, event("sandbox.remote.ping", pk, client=remote))
    while (await asyncio.wait_for(layer.receive(remote), 5))["type"] != "sandbox.remote.pong":
        pass  # frames still on their way; the host answers the ping
    await layer.group_send(group, event("sandbox.remote.detach", pk, client=remote))
    await asyncio.sleep(0.1)
    assert len(session.outbox.clients) == 1 and not session.stopped
    await hub.detach(session, local)
    assert session.stopped


async def test_a_takeover_from_another_process_stops_the_host_and_its_remote_windows():
    layer, hub, local = InMemoryChannelLayer(), Hub(), FakeClient()
    session = await open_session(hub, local)
    await HostListener(layer, session, hub).start()
    remote = await layer.new_channel()
    pk = session.sandbox.pk
    await layer.group_send(session.sandbox.group_name, event("sandbox.remote.attach", pk, client=remote, language="en"))
    await frames(layer, remote, 'id="console-output"')
    await layer.group_send(session.sandbox.group_name, event("sandbox.takeover", pk, by="elsewhere"))
    while True:
        got = await asyncio.wait_for(layer.receive(remote), 5)
        if got["type"] == "sandbox.remote.end":
            break
    assert got["code"] == 4000 and "opened in another window" in got["text"]
    assert local.ended[0] == 4000 and session.stopped and session.taken_over
    await hub.detach(session, local)


async def test_one_listener_serves_every_hosted_session_of_the_process():
    """Events name their sandbox: a second hosted session gets its own, an unknown id nothing."""
    from tests.session.helpers import FakeClient as Fake
    from tutorial.sandbox.realtime.bridge import process_listener

    layer, hub = InMemoryChannelLayer(), Hub()
    one, two = Fake(), Fake()
    first = await open_session(hub, one, owner="anon:first")
    second = await open_session(hub, two, owner="anon:second")
    for session in (first, second):
        await HostListener(layer, session, hub).start()
    assert set(process_listener(layer).hosts) == {first.sandbox.pk, second.sandbox.pk}
    remote = await layer.new_channel()
    await layer.group_send(second.sandbox.group_name, event("sandbox.remote.attach", second.sandbox.pk,
                                                            client=remote, language="en"))
    await frames(layer, remote, 'id="console-output"')
    await layer.group_send(second.sandbox.group_name, message_event(remote, message(command="ls"), second.sandbox.pk, 1))
    await frames(layer, remote, "kubia-deployment.yaml")
    assert "kubia-deployment.yaml" in two.output() and "kubia-deployment.yaml" not in one.output()
    await layer.group_send(first.sandbox.group_name, event("sandbox.reload", 999999))  # nobody's
    await asyncio.sleep(0.1)
    await hub.detach(first, one)
    assert set(process_listener(layer).hosts) == {second.sandbox.pk}
    await layer.group_send(second.sandbox.group_name, event("sandbox.remote.detach", second.sandbox.pk, client=remote))
    await asyncio.sleep(0.1)
    await hub.detach(second, two)
    assert process_listener(layer).hosts == {}


async def test_messages_cross_the_layer_as_plain_data():
    sent = message(command="ls", terminal="3")
    sent_event = message_event("chan", sent, 12, 7)
    assert sent_event["message"] == dataclasses.asdict(sent) and sent_event["sandbox"] == 12
    assert sent_event["seq"] == 7
