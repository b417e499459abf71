"""Per-command cost cuts in the console consumer (tutorial/sandbox/consumers.py): what grading reads
is keyed so a skipped grading never misses a change, and unchanged fragments are not re-sent."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from simulator import Cluster
from tests.web.test_console import open_console, new_session
from tutorial.sandbox.consumers import SandboxConsumer

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def grade_key(cluster) -> tuple:
    return SandboxConsumer._grade_key(SimpleNamespace(cluster=cluster))


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
    from tutorial.sandbox.services import sandbox_save

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
