"""Per-command cost cuts in the console consumer (tutorial/sandbox/session/): what grading reads
is keyed so a skipped grading never misses a change, and unchanged fragments are not re-sent."""

from __future__ import annotations

import pytest

from simulator import Cluster
from tests.web.test_console import open_console, new_session
from tutorial.sandbox.session.grading import grade_key

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def test_grade_key_moves_with_objects_and_with_read_only_commands():
    cluster = Cluster()
    empty = grade_key(cluster)
    assert grade_key(cluster) == empty  # nothing happened: grading would read the same
    cluster.start("kubectl get pods").read()
    after_get = grade_key(cluster)
    # a read-only command changes no object but is in the history `used` checks read
    assert after_get != empty and after_get[0] == empty[0]
    cluster.start("kubectl create deployment web --image=nginx").read()
    assert grade_key(cluster)[0] != after_get[0]


async def test_grade_key_moves_when_the_history_is_at_its_cap():
    cluster = Cluster()
    for i in range(1005):  # simulator/cluster.py keeps the last 1000 command lines
        cluster.start(f"echo {i}").read()
    before = grade_key(cluster)
    cluster.start("kubectl get pods").read()
    after = grade_key(cluster)
    assert before[1] == after[1] == 1000 and before != after


async def test_a_repeated_command_does_not_resend_the_history(lesson_root):
    con, connected, _ = await open_console(await new_session())
    assert connected
    await con.drain(0.3)
    await con.command("ls")
    first = await con.drain(0.5)
    assert any('id="console-history"' in message for message in first)
    await con.command("ls")
    second = await con.drain(0.5)
    assert second and not any('id="console-history"' in message for message in second)
    await con.command("kubectl get pods")
    third = await con.drain(0.5)
    assert any('id="console-history"' in message and "kubectl get pods" in message for message in third)
    await con.communicator.disconnect()


async def test_a_save_without_transcript_keeps_the_stored_one(lesson_root):
    from channels.db import database_sync_to_async

    from tutorial.sandbox.models import Sandbox
    from tutorial.sandbox.persistence.sandboxes import sandbox_save

    con, connected, _ = await open_console(await new_session())
    assert connected
    await con.drain(0.3)
    await con.command("ls")
    await con.drain(0.5)
    await con.communicator.disconnect()

    @database_sync_to_async
    def resave_and_read():
        sandbox = Sandbox.objects.get()
        stored = (sandbox.transcript, sandbox.history)
        assert any(entry.get("text") == "ls" for entry in stored[0]) and stored[1] == ["ls"]
        sandbox_save(sandbox, snapshot=sandbox.snapshot, transcript=None, history=None, speed=5.0, paused=True)
        again = Sandbox.objects.get()
        return stored, (again.transcript, again.history, again.speed, again.paused)

    stored, again = await resave_and_read()
    assert again == (*stored, 5.0, True)


async def test_a_command_answers_in_one_frame_without_the_controls(lesson_root):
    """Echoed input, history and output of one command go out as one frame (sandbox/outbox.py);
    a command that is over at once never showed its Stop button, so the controls are not re-sent."""
    con, connected, _ = await open_console(await new_session())
    assert connected
    await con.drain(0.5)
    await con.command("kubectl get pods")
    frames = await con.drain(0.5)
    answer = [frame for frame in frames if 'class="console-in"' in frame]
    assert len(answer) == 1, frames
    assert "kubectl get pods" in answer[0] and "No resources found" in answer[0]
    assert 'id="console-history"' in answer[0]
    assert not any('id="console-controls"' in frame for frame in frames)
    # A streaming command does show Stop, and the controls follow it when it ends.
    await con.command("kubectl get pods -w")
    running = "".join(await con.drain(0.5))
    assert 'id="console-controls"' in running and 'class="cancel-button"' in running
    await con.send({"cancel": True})
    stopped = "".join(await con.drain(0.5))
    assert 'id="console-controls"' in stopped and 'class="cancel-button"' not in stopped
    await con.communicator.disconnect()


async def test_console_messages_skip_channels_connection_sweep(lesson_root, monkeypatch):
    """Channels' dispatch would hop to the one sync thread before every message
    (aclose_old_connections); the console's dispatch (sandbox/db.py) does not."""
    import channels.consumer

    calls = []

    async def counting():
        calls.append(1)

    monkeypatch.setattr(channels.consumer, "aclose_old_connections", counting)
    con, connected, _ = await open_console(await new_session())
    assert connected
    await con.drain(0.3)
    for _ in range(3):
        await con.command("ls")
    await con.drain(0.5)
    assert "kubia-deployment.yaml" in con.output_text()
    assert calls == []
    await con.communicator.disconnect()


async def test_frames_sent_before_a_database_call_are_not_held_back():
    """The session's Outbox: collected frames go out before a database call is awaited (flush),
    to every attached client, and `only(client)` sends to that client alone."""
    from tutorial.sandbox.session.outbox import Outbox

    class Client:
        language, read_only = "en", False

        def __init__(self):
            self.sent = []

        async def deliver(self, text):
            self.sent.append(text)

    one, two = Client(), Client()
    outbox = Outbox()
    outbox.clients += [one, two]
    await outbox.send("<a/>")  # not batching: at once
    assert one.sent == two.sent == ["<a/>"]
    async with outbox.batched():
        await outbox.send("<b/>")
        await outbox.send("<c/>")
        assert one.sent == ["<a/>"]
        async with outbox.batched():  # nested: the outer scope flushes
            await outbox.send("<d/>")
        assert one.sent == ["<a/>"]
        await outbox.flush()  # what _db does before awaiting the database
        assert one.sent == two.sent == ["<a/>", "<b/><c/><d/>"]
        await outbox.send("<e/>")
        async with outbox.only(two):
            await outbox.send("<full/>")
        assert one.sent == ["<a/>", "<b/><c/><d/>", "<e/>"]
        assert two.sent == ["<a/>", "<b/><c/><d/>", "<e/>", "<full/>"]
        await outbox.send("<f/>")
    assert one.sent[-1] == two.sent[-1] == "<f/>"
