"""The two terminals' contract between the server and static/js/console.js: the controls carry each
terminal's running state as data-running (terminal 1) and data-running-N, with a Stop button per
running terminal, and the lesson page's first render shows terminal 2's transcript and history."""

from __future__ import annotations

import html
import json
import re

import pytest
from channels.db import database_sync_to_async

from tests.session.helpers import FakeClient, message, open_session
from tutorial.sandbox.models import Sandbox
from tutorial.sandbox.session.hub import Hub

pytestmark = [pytest.mark.django_db(transaction=True)]


def last_controls(client: FakeClient) -> str:
    found = [m for frame in client.frames for m in re.findall(r'<div id="console-controls".*?</div>', frame, re.S)]
    assert found, "no controls were sent"
    return found[-1]


def running_flags(controls: str) -> dict[str, str]:
    return dict(re.findall(r'data-running(-\d)?="(true|false)"', controls))


def stop_buttons(controls: str) -> list[dict]:
    return [json.loads(html.unescape(vals)) for vals in
            re.findall(r'<button type="button" class="cancel-button"[^>]*hx-vals=\'([^\']*)\'', controls)]


@pytest.mark.asyncio
async def test_controls_carry_each_terminals_running_state_and_stop_button(lesson_root):
    hub, client = Hub(), FakeClient()
    session = await open_session(hub, client)
    await session.handle(message(pause=True), client)
    assert running_flags(last_controls(client)) == {"": "false", "-2": "false"}
    await session.handle(message(command="kubectl get pods -w", terminal="2"), client)
    controls = last_controls(client)
    assert running_flags(controls) == {"": "false", "-2": "true"}
    assert stop_buttons(controls) == [{"cancel": True, "terminal": "2"}]
    assert "Stop terminal 2 (Ctrl+C)" in controls
    await session.handle(message(command="sleep 100"), client)
    controls = last_controls(client)
    assert running_flags(controls) == {"": "true", "-2": "true"}
    assert stop_buttons(controls) == [{"cancel": True}, {"cancel": True, "terminal": "2"}]
    # Ctrl+C (or Stop) in terminal 1 leaves terminal 2's watch running
    await session.handle(message(cancel=True), client)
    assert running_flags(last_controls(client)) == {"": "false", "-2": "true"}
    assert [t.id for t in session.terminals.running()] == ["2"]
    await session.handle(message(cancel=True, terminal="2"), client)
    assert running_flags(last_controls(client)) == {"": "false", "-2": "false"}
    assert stop_buttons(last_controls(client)) == []
    # a newcomer's full state carries the same flags
    await session.handle(message(command="kubectl get pods -w", terminal="2"), client)
    late = FakeClient("ko")
    await open_session(hub, late)
    controls = last_controls(late)
    assert running_flags(controls) == {"": "false", "-2": "true"}
    assert "터미널 2 중지 (Ctrl+C)" in controls
    await hub.detach(session, late)
    await hub.detach(session, client)


def test_first_render_shows_terminal_2s_transcript_and_history(client, lesson_root):
    client.get("/en/lessons/first-deployment/")
    sandbox = Sandbox.objects.get()
    sandbox.terminals = {"2": {"transcript": [{"kind": "input", "text": "kubectl get pods -w"},
                                              {"kind": "output", "text": "NAME   READY   STATUS\nkubia-x   1/1   Running\n"}],
                               "history": ["kubectl get pods -w"]}}
    sandbox.save(update_fields=["terminals"])
    page = client.get("/en/lessons/first-deployment/").content.decode()
    output = re.search(r'<pre id="console-output-2"[^>]*>(.*?)</pre>', page, re.S).group(1)
    assert "kubia-x   1/1   Running" in html.unescape(re.sub(r"<[^>]+>", "", output))
    history = re.search(r'<div id="console-history-2" hidden data-history="([^"]*)"', page).group(1)
    assert json.loads(html.unescape(history)) == ["kubectl get pods -w"]
    assert 'data-running-2="false"' in page


@pytest.mark.asyncio
async def test_kubectl_edit_waiting_in_terminal_2_shows_as_terminal_2_running(lesson_root):
    hub, client = Hub(), FakeClient()
    session = await open_session(hub, client)
    await session.handle(message(pause=True), client)
    await session.handle(message(command="kubectl create -f kubia-deployment.yaml"), client)
    await session.handle(message(command="kubectl edit deployment kubia", terminal="2"), client)
    assert session.editor.token is not None
    controls = last_controls(client)
    assert running_flags(controls) == {"": "false", "-2": "true"}
    assert stop_buttons(controls) == [{"cancel": True, "terminal": "2"}]
    await session.handle(message(cancel=True, terminal="2"), client)  # Ctrl+C there cancels the edit
    assert session.editor.token is None
    assert running_flags(last_controls(client)) == {"": "false", "-2": "false"}
    await hub.detach(session, client)
