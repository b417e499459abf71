"""The host side of sessions across processes (tutorial/sandbox/realtime/bridge.py) over an
in-memory channel layer: a remote socket's events reach the hosted session and its frames come
back on the socket's channel. tests/scaleout runs the same through Redis with two processes."""

from __future__ import annotations

import asyncio
import dataclasses

import pytest
from channels.layers import InMemoryChannelLayer

from tests.session.helpers import FakeClient, message, open_session
from tutorial.sandbox.realtime.bridge import HostListener, message_event
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
    await layer.group_send(group, {"type": "sandbox.remote.attach", "client": remote, "language": "en"})
    first = await frames(layer, remote, 'id="console-output"')
    assert first[0]["type"] == "sandbox.remote.frame"
    await layer.group_send(group, message_event(remote, message(command="kubectl create -f kubia-deployment.yaml")))
    await frames(layer, remote, "deployment.apps/kubia created")
    assert "deployment.apps/kubia created" in local.output()  # the host's own window sees it too
    await layer.group_send(group, {"type": "sandbox.remote.ping", "client": remote})
    while (await asyncio.wait_for(layer.receive(remote), 5))["type"] != "sandbox.remote.pong":
        pass  # frames still on their way; the host answers the ping
    await layer.group_send(group, {"type": "sandbox.remote.detach", "client": remote})
    await asyncio.sleep(0.1)
    assert len(session.outbox.clients) == 1 and not session.stopped
    await hub.detach(session, local)
    assert session.stopped


async def test_a_takeover_from_another_process_stops_the_host_and_its_remote_windows():
    layer, hub, local = InMemoryChannelLayer(), Hub(), FakeClient()
    session = await open_session(hub, local)
    await HostListener(layer, session, hub).start()
    remote = await layer.new_channel()
    await layer.group_send(session.sandbox.group_name, {"type": "sandbox.remote.attach", "client": remote,
                                                         "language": "en"})
    await frames(layer, remote, 'id="console-output"')
    await layer.group_send(session.sandbox.group_name, {"type": "sandbox.takeover", "by": "elsewhere"})
    while True:
        event = await asyncio.wait_for(layer.receive(remote), 5)
        if event["type"] == "sandbox.remote.end":
            break
    assert event["code"] == 4000 and "opened in another window" in event["text"]
    assert local.ended[0] == 4000 and session.stopped and session.taken_over
    await hub.detach(session, local)


async def test_messages_cross_the_layer_as_plain_data():
    sent = message(command="ls", terminal="3")
    event = message_event("chan", sent)
    assert event["message"] == dataclasses.asdict(sent) and isinstance(event["message"], dict)
