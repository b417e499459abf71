"""SandboxSession without Channels: every message kind, several clients on one session, two
terminals running commands at once, save/restore with attached clients, lease loss."""

from __future__ import annotations

import asyncio
import re

import pytest
from channels.db import database_sync_to_async

from tests.session.helpers import FakeClient, message, open_session
from tutorial.sandbox.models import Sandbox
from tutorial.sandbox.persistence import lease
from tutorial.sandbox.session import messages
from tutorial.sandbox.session.hub import Hub
from tutorial.sandbox.session.messages import ClusterCall, Refusal

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

CREATE = "kubectl create -f kubia-deployment.yaml"


async def paused_session(hub, client):
    session = await open_session(hub, client)
    await session.handle(message(pause=True), client)
    return session


async def test_parse_checks_size_json_terminal_and_text_once():
    assert messages.parse('{"command": " ls ", "terminal": "2"}') == messages.Message("command", " ls ", None, "2")
    assert messages.parse('{"command": "ls"}').line == "ls" and messages.parse('{"command": "ls"}').terminal == "1"
    assert messages.parse('{"cancel": true, "terminal": 3}').terminal == "3"
    for bad in ('{"command": 5}', '{"command": "ls", "terminal": "9"}', '{"command": "ls", "terminal": true}',
                "[1]", "nope", None, '{"frobnicate": 1}', '{"cancel": false}',
                '{"command": "' + "x" * 5000 + '"}', '{"command": "' + "x" * 9000 + '"}'):
        assert isinstance(messages.parse(bad), Refusal), bad
    assert messages.parse('{"file_save": "a.yaml", "text": "' + "x" * 9000 + '"}').kind == "file_save"


async def test_every_message_kind_is_handled():
    hub, client = Hub(), FakeClient()
    session = await paused_session(hub, client)
    kinds = [
        dict(command=CREATE), dict(showing=[]), dict(command="kubectl get pods -w"), dict(cancel=True), dict(clear=True),
        dict(complete="kubectl get dep"), dict(speed=5), dict(pause=True), dict(step=10),
        dict(showing=["cluster", "chart", "why", "traffic"]), dict(step="settle"),
        dict(rollout="default/nope"), dict(traffic=True), dict(traffic=False), dict(traffic_service="default/nope"),
        dict(file_new="new.yaml"), dict(file_save="new.yaml", text="kind: Pod\n"), dict(file_open="new.yaml"),
        dict(file_close=True), dict(file_delete="new.yaml"), dict(command="kubectl edit deploy kubia"),
        dict(edit_save="stale-token", text="x"), dict(edit_cancel="x"), dict(replay=1), dict(replay="live"), dict(check="nope"), dict(hint="nope"), dict(solution="nope"),
        dict(reset=True),
    ]
    assert {next(iter(k)) for k in kinds} == set(messages.KINDS)
    for fields in kinds:
        before = len(client.frames)
        await session.handle(message(**fields), client)
        if fields == {"showing": []}:  # nothing shown: nothing to draw
            continue
        # every kind answers (showing the panels again: the views the 10 s step changed)
        assert len(client.frames) > before, fields
        assert "Internal error" not in "".join(client.frames[before:]), fields
    assert "The sandbox was reset." in client.output()
    await hub.detach(session, client)


async def test_two_clients_share_one_live_session_and_a_read_only_one_only_watches():
    hub, first, second, watcher = Hub(), FakeClient(), FakeClient(), FakeClient(read_only=True)
    session = await paused_session(hub, first)
    assert await open_session(hub, second) is session
    assert await open_session(hub, watcher) is session
    assert 'id="console-output"' in second.frames[0]  # the whole state, to the newcomer only
    await session.handle(message(command=CREATE), second)
    await session.handle(message(step=10), second)
    for client in (first, second, watcher):
        assert "deployment.apps/kubia created" in client.output()
        assert "kubia-" in client.views()[-1]
    await session.handle(message(command="kubectl delete deploy kubia"), watcher)
    assert "This view is read-only." in watcher.output()
    assert session.cluster.get("Deployment", "default", "kubia") is not None
    await session.handle(message(complete="kubectl get dep"), watcher)  # reading is fine
    await hub.detach(session, first)
    await session.handle(message(command="kubectl get deploy"), second)
    assert "kubia" in second.output().split("kubectl get deploy")[-1]
    assert not session.stopped
    await hub.detach(session, watcher)
    await hub.detach(session, second)
    assert session.stopped and hub.hosted(session.sandbox.pk) is None


async def test_two_terminals_run_commands_at_once_with_their_own_output_history_and_ctrl_c():
    hub, client = Hub(), FakeClient()
    session = await paused_session(hub, client)
    await session.handle(message(command=CREATE), client)
    await session.handle(message(step="settle"), client)
    await session.handle(message(command="kubectl get pods -w", terminal="2"), client)
    await session.handle(message(command="kubectl set image deployment kubia nodejs=luksa/kubia:v2"), client)
    await session.handle(message(command="kubectl rollout status deployment kubia"), client)
    assert [t.id for t in session.terminals.running()] == ["1", "2"]
    # a second command in a busy terminal is refused there; the other terminal is free
    await session.handle(message(command="kubectl get rs", terminal="2"), client)
    assert "A command is still running" in "".join(client.frames[-1:])
    for _ in range(6):
        await session.handle(message(step=10), client)
    one, two = client.output("1"), client.output("2")
    assert 'deployment "kubia" successfully rolled out' in one and "Terminating" not in one
    assert "Terminating" in two and "successfully rolled out" not in two
    assert 'id="console-output-2"' in "".join(client.frames) and 'id="console-history-2"' in "".join(client.frames)
    assert [t.id for t in session.terminals.running()] == ["2"]  # rollout status returned, the watch runs
    await session.handle(message(command="kubectl get deploy kubia"), client)  # terminal 1 is free again
    assert "kubia   3/3" in client.output("1")
    await session.handle(message(cancel=True, terminal="2"), client)
    assert client.output("2").endswith("^C\n") and not session.terminals.running()
    assert session.terminals.get("2").history == ["kubectl get pods -w"]  # the refused line is not kept
    assert session.terminals.first.history[-1] == "kubectl get deploy kubia"
    await session.handle(message(complete="kubectl rollout sta", terminal="2"), client)
    assert 'id="console-completion-2"' in client.frames[-1]
    # saved per terminal, and a new session shows both transcripts
    await hub.detach(session, client)
    row = await database_sync_to_async(Sandbox.objects.get)(pk=session.sandbox.pk)
    assert row.terminals["2"]["history"] == ["kubectl get pods -w"]
    assert "Terminating" in "".join(e["text"] for e in row.terminals["2"]["transcript"])
    again = FakeClient()
    await open_session(Hub(), again)
    assert "Terminating" in again.output("2") and "successfully rolled out" in again.output("1")


async def test_a_restore_ends_running_commands_with_a_message_and_every_client_sees_it():
    hub, first, second = Hub(), FakeClient(), FakeClient()
    session = await paused_session(hub, first)
    await open_session(hub, second)
    await session.handle(message(command="kubectl get pods -w", terminal="2"), first)
    await session.handle(message(command="sleep 100"), first)
    assert len(session.terminals.running()) == 2
    await session.reload()  # e.g. an instructor replaced the sandbox
    assert not session.terminals.running()
    for client in (first, second):
        for terminal in ("1", "2"):
            assert "the running command was stopped" in client.output(terminal)
    await session.handle(message(command="ls"), second)
    assert "kubia-deployment.yaml" in first.output()
    await hub.detach(session, first)
    await hub.detach(session, second)


async def test_losing_the_lease_stops_the_session_and_closes_every_client():
    hub, first, second = Hub(), FakeClient(), FakeClient()
    session = await paused_session(hub, first)
    await open_session(hub, second)
    stolen = await database_sync_to_async(lease.acquire)(session.sandbox.pk, "other-process", steal=True)
    assert stolen.acquired
    session.lease.renewed_at = -1e9  # renewal due now
    await session.clock_tick()
    assert session.stopped and session.taken_over
    for client in (first, second):
        assert client.ended is not None and client.ended[0] == 4000
        assert "another window or server" in client.ended[1]
    await session.handle(message(command="kubectl create deployment x --image=nginx"), first)  # ignored
    assert session.cluster.get("Deployment", "default", "x") is None
    await hub.detach(session, first)
    await hub.detach(session, second)
    current = await database_sync_to_async(lease.current)(session.sandbox.pk)
    assert current.holder == "other-process"  # not released by the stopped session
    assert session.sandbox.pk not in hub.sessions  # the stopped session left the hub with its clients


async def test_a_cluster_call_runs_on_behalf_of_a_client_and_the_views_follow():
    hub, client, watcher = Hub(), FakeClient(), FakeClient(read_only=True)
    session = await paused_session(hub, client)
    await open_session(hub, watcher)
    result = await session.handle(ClusterCall(lambda cluster: cluster.run(CREATE).stdout), client)
    assert result == "deployment.apps/kubia created\n"
    names = await session.handle(ClusterCall(lambda c: [d["metadata"]["name"] for d in c.list("Deployment")],
                                             read_only=True), watcher)
    assert names == ["kubia"]
    refused = await session.handle(ClusterCall(lambda c: c.run("kubectl delete deploy kubia")), watcher)
    assert refused is None and session.cluster.get("Deployment", "default", "kubia") is not None
    await session.handle(message(step=1), client)
    assert "kubia" in client.views()[-1]
    row = await database_sync_to_async(Sandbox.objects.get)(pk=session.sandbox.pk)
    assert any(e["line"] == CREATE for e in __import__("simulator").Cluster.restore(row.snapshot).history)
    await hub.detach(session, watcher)
    await hub.detach(session, client)


async def test_tick_and_due_drive_the_clock_without_a_socket():
    hub, client = Hub(), FakeClient()
    session = await open_session(hub, client)
    await session.handle(message(speed=20), client)
    await session.handle(message(command=CREATE), client)
    assert session.due() is not None  # pods to start: the session asked the scheduler for a tick
    start = session.cluster.now
    loop = asyncio.get_running_loop()
    async with session.lock, session.outbox.batched():
        await session.clock.sync(loop.time() + 1.0)  # one wall second at ×20
        await session.tick(loop.time() + 1.0)
    assert session.cluster.now >= start + 19
    assert "kubia-" in client.views()[-1]
    await hub.detach(session, client)


async def test_what_the_clock_changes_is_saved_five_seconds_after_the_last_save_and_before_dormancy():
    """A command is saved at once; the pods its rollout starts afterwards are saved with the next
    save SAVE_INTERVAL_SECONDS after it, not at every change (most learners' next command comes
    first); a cluster going dormant is saved at once, of its very moment."""
    from tutorial.sandbox.session import driving

    hub, client = Hub(), FakeClient()
    session = await open_session(hub, client)
    await session.handle(message(speed=20), client)
    await session.handle(message(command=CREATE), client)
    saver, clock = session.saver, session.clock
    saved_at, saved = saver.prepared_at, saver.last_snapshot
    async with session.lock, session.outbox.batched():
        await clock.sync(saved_at + 1.0)  # 20 simulated seconds: the pods start
        await session.tick(saved_at + 1.0)
        assert session.live.unsaved and saver.last_snapshot is saved  # owed, not written yet
        assert clock.plan() >= saved_at + driving.SAVE_INTERVAL_SECONDS
        await session.tick(saved_at + driving.SAVE_INTERVAL_SECONDS)
        assert not session.live.unsaved and saver.last_snapshot is not saved
        assert saver.last_snapshot["now"] == session.cluster.now
        # Quiet from here on: the clock moves, and the dormancy tick saves that moment first.
        quiet = saved_at + driving.SAVE_INTERVAL_SECONDS + 60
        await clock.sync(quiet)
        await session.tick(quiet)
    assert clock.dormant and clock.dormant_snapshot is saver.last_snapshot
    dropped = clock.dormant_snapshot
    await saver.written()
    row = await database_sync_to_async(Sandbox.objects.get)(pk=session.sandbox.pk)
    assert row.snapshot == dropped
    await hub.detach(session, client)


async def test_a_dormant_sandbox_keeps_its_snapshot_only_in_its_row_and_wakes_from_it():
    """Once the dormant cluster's save is written, the session lets the snapshot go (the row has
    it: an idle learner costs no snapshot in memory); the next command reads it back and goes on
    exactly where the cluster was. While the database is down the sandbox stays as it is."""
    from django.db import DatabaseError

    from simulator import Cluster
    from tutorial.sandbox.session import driving, saving

    hub, client = Hub(), FakeClient()
    session = await open_session(hub, client)
    await session.handle(message(command="kubectl create deployment web --image=nginx --replicas=2"), client)
    clock, saver = session.clock, session.saver
    async with session.lock, session.outbox.batched():
        quiet = asyncio.get_running_loop().time() + 60  # the pods are up, nothing due: dropped
        clock.planned = None  # (no tick was asked for: the minute passes whole)
        await clock.sync(quiet)
        await session.tick(quiet)
    assert clock.dormant and isinstance(clock.dormant_snapshot, dict)  # its save is being written
    dropped = clock.dormant_snapshot
    await saver.written()
    assert clock.dormant_snapshot is driving.IN_ROW and saver.last_snapshot is None
    assert session.sandbox.snapshot is None  # nothing of the snapshot left in the process

    def down(pk):
        raise DatabaseError("connection refused")

    real = saving._saved_snapshot
    saving._saved_snapshot = down
    try:
        await session.handle(message(command="kubectl get deploy"), client)
    finally:
        saving._saved_snapshot = real
    assert clock.dormant_snapshot is driving.IN_ROW and "cannot be reached" in "".join(client.frames)
    await session.handle(message(command="kubectl get deploy web"), client)
    assert session.cluster is not None and re.search(r"web\s+2/2", client.output())
    expected = Cluster.restore(dropped)
    assert [e["line"] for e in session.cluster.history][:len(expected.history)] == \
        [e["line"] for e in expected.history]
    await hub.detach(session, client)


async def test_the_owner_key_has_one_home():
    from types import SimpleNamespace

    from tutorial.learners import LEARNER_SESSION_KEY, anon_owner, is_user_owner, owner_for, user_owner

    user = SimpleNamespace(pk=7, is_authenticated=True)
    assert user_owner(user) == user_owner(7) == "user:7" == owner_for(user, None, create=False)
    assert owner_for(None, {LEARNER_SESSION_KEY: "abc"}, create=False) == anon_owner("abc") == "anon:abc"
    assert is_user_owner("user:7") and not is_user_owner("anon:abc")


async def test_kubectl_edit_from_a_second_terminal_answers_there_while_the_first_is_free():
    import re

    hub, client = Hub(), FakeClient()
    session = await paused_session(hub, client)
    await session.handle(message(command=CREATE), client)
    await session.handle(message(command="kubectl edit deploy kubia", terminal="2"), client)
    token = re.findall(r'data-token="([^"]+)"', "".join(client.frames))[-1]
    assert session.editor.token == token
    await session.handle(message(command="kubectl get deploy", terminal="1"), client)  # refused: edit waits
    assert "kubectl edit is waiting in the editor panel" in client.frames[-1]
    text = session.editor.process.editor["text"]
    await session.handle(message(edit_save=token, text=text.replace("replicas: 3", "replicas: 1")), client)
    assert "deployment.apps/kubia edited" in client.output("2")
    assert "edited" not in client.output("1")
    assert session.cluster.get("Deployment", "default", "kubia")["spec"]["replicas"] == 1
    await hub.detach(session, client)


async def test_tab_and_a_read_only_refusal_answer_only_the_window_that_asked():
    hub, first, second, watcher = Hub(), FakeClient(), FakeClient(), FakeClient(read_only=True)
    session = await paused_session(hub, first)
    await open_session(hub, second)
    await open_session(hub, watcher)
    counts = [len(c.frames) for c in (first, second, watcher)]
    await session.handle(message(complete="kubectl rollout sta"), first)
    assert 'data-value="kubectl rollout status "' in first.frames[-1]
    assert [len(second.frames), len(watcher.frames)] == counts[1:]
    await session.handle(message(command="kubectl delete deploy kubia"), watcher)
    assert "This view is read-only." in watcher.frames[-1]
    assert "This view is read-only." not in "".join(first.frames + second.frames)
    await session.handle(message(command="ls"), second)  # a command shows in every window
    assert all("kubia-deployment.yaml" in c.output() for c in (first, second, watcher))
    for client in (first, second, watcher):
        await hub.detach(session, client)


def stall_saves(session):
    """The session's database writes wait for `gate`; `writes` lists the fields each was given."""
    gate, writes = asyncio.Event(), []
    real_save = session.lease.save

    async def stalled_save(sandbox, **fields):
        writes.append(fields)
        await gate.wait()
        return await real_save(sandbox, **fields)

    session.lease.save = stalled_save
    return gate, writes


async def test_a_save_waiting_for_the_database_holds_up_no_other_message():
    """The session's lock is not held while a save is written (saving._write_saves): with the
    database write stalled, a second window's command is answered; both are written after."""
    hub, first, second = Hub(), FakeClient(), FakeClient()
    session = await open_session(hub, first)
    await hub.attach(session.sandbox, session.lesson, second.language, second, owner=session.owner)
    gate, writes = stall_saves(session)
    one = asyncio.create_task(session.handle(message(command="echo one"), first))
    while not writes:  # the first command's save is waiting for the database
        await asyncio.sleep(0.01)
    assert "one" in first.output()
    two = asyncio.create_task(session.handle(message(command="echo two"), second))
    for _ in range(500):
        if "two\n" in second.output():
            break
        await asyncio.sleep(0.01)
    assert "two\n" in second.output() and not one.done()  # answered while the save still waited
    gate.set()
    await asyncio.gather(one, two)
    row = await database_sync_to_async(Sandbox.objects.get)(pk=session.sandbox.pk)
    assert [entry["line"] for entry in __import__("simulator").Cluster.restore(row.snapshot).history][-2:] \
        == ["echo one", "echo two"]
    await hub.detach(session, first)
    await hub.detach(session, second)


async def test_the_browser_goes_on_to_its_next_command_while_a_save_waits():
    """handle(saved=False), as the browser's socket calls it: the answer does not wait for the
    database, the next command of the same window runs, and the saves land in order after."""
    hub, client = Hub(), FakeClient()
    session = await open_session(hub, client)
    gate, writes = stall_saves(session)
    await asyncio.wait_for(session.handle(message(command="echo one"), client, saved=False), 5)
    await asyncio.wait_for(session.handle(message(command="echo two"), client, saved=False), 5)
    assert "one\n" in client.output() and "two\n" in client.output() and writes  # answered; saves wait
    gate.set()
    await session.saver.written()
    row = await database_sync_to_async(Sandbox.objects.get)(pk=session.sandbox.pk)
    assert [entry["line"] for entry in __import__("simulator").Cluster.restore(row.snapshot).history][-2:] \
        == ["echo one", "echo two"]
    await hub.detach(session, client)


async def test_after_an_outage_the_database_is_said_back_once_the_newest_save_is_written(monkeypatch):
    """The learner types through an outage without waiting for saves. When the database answers
    again, the writer may first write an older save while a newer one waits: "The database is
    back; your work was saved." comes only once the newest (every command typed) is in the row."""
    import threading

    from django.db.utils import OperationalError

    hub, client = Hub(), FakeClient()
    session = await open_session(hub, client)
    real = lease.save_if_holder
    calls, gates = [], [threading.Event(), threading.Event()]
    down = True

    def flaky_save(*args, **kwargs):
        if down:
            raise OperationalError("connection refused")
        calls.append(kwargs.get("history"))
        if len(calls) <= len(gates):
            gates[len(calls) - 1].wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(lease, "save_if_holder", flaky_save)

    def said(text):
        return any(text in frame for frame in client.frames)

    async def until(check):
        for _ in range(500):
            if check():
                return
            await asyncio.sleep(0.01)
        raise AssertionError("timed out")

    await session.handle(message(command="echo one"), client, saved=False)
    await until(lambda: said("The database cannot be reached right now"))
    down = False
    await session.handle(message(command="echo two"), client, saved=False)
    await until(lambda: calls)  # an older save is being written...
    await session.handle(message(command="echo three"), client, saved=False)  # ...a newer one waits
    gates[0].set()
    await until(lambda: len(calls) == 2)  # the newer one is being written
    assert not said("The database is back")
    gates[1].set()
    await until(lambda: said("The database is back; your work was saved."))
    row = await database_sync_to_async(Sandbox.objects.get)(pk=session.sandbox.pk)
    assert row.history[-3:] == ["echo one", "echo two", "echo three"]
    await hub.detach(session, client)


async def test_a_save_failing_in_an_unforeseen_way_is_kept_for_the_next_one(monkeypatch):
    """Nobody awaits the writer task to its end: an exception that is no database error must not
    lose the save; the clock's next save writes the work (its rows too)."""
    hub, client = Hub(), FakeClient()
    session = await open_session(hub, client)
    real, failures = lease.save_if_holder, []

    def broken_once(*args, **kwargs):
        if not failures:
            failures.append(1)
            raise RuntimeError("unforeseen")
        return real(*args, **kwargs)

    monkeypatch.setattr(lease, "save_if_holder", broken_once)
    await session.handle(message(command="echo kept"), client, saved=False)
    await session.saver.written()
    assert failures and session.live.unsaved
    await session.saver.save()
    await session.saver.written()
    row = await database_sync_to_async(Sandbox.objects.get)(pk=session.sandbox.pk)
    assert row.history[-1] == "echo kept" and not session.live.unsaved
    await hub.detach(session, client)


async def test_every_message_kind_has_a_handler():
    from tutorial.sandbox.session.messages import KINDS
    from tutorial.sandbox.session.routes import ROUTES

    assert set(ROUTES) == set(KINDS)


async def test_closing_a_sandbox_whose_snapshot_is_only_in_its_row_reads_nothing_and_lets_the_lease_go():
    """The row is the whole state of an IN_ROW sandbox: the last window leaving neither reads it
    back nor writes it again (the clock's catch-up comes from the row's saved_at), and the lease
    is released for the next window."""
    from tutorial.sandbox.session import driving, saving

    hub, client = Hub(), FakeClient()
    session = await open_session(hub, client)
    await session.handle(message(command="echo hello"), client)
    clock = session.clock
    async with session.lock, session.outbox.batched():
        quiet = asyncio.get_running_loop().time() + 60
        await session.tick(quiet)
    await session.saver.written()
    assert clock.dormant_snapshot is driving.IN_ROW
    row = await database_sync_to_async(Sandbox.objects.get)(pk=session.sandbox.pk)

    def no_read(pk):
        raise AssertionError("an IN_ROW sandbox was read back to be closed")

    real, saving._saved_snapshot = saving._saved_snapshot, no_read
    try:
        await hub.detach(session, client)
    finally:
        saving._saved_snapshot = real
    after = await database_sync_to_async(Sandbox.objects.get)(pk=session.sandbox.pk)
    assert after.saved_at == row.saved_at and after.snapshot == row.snapshot
    assert await database_sync_to_async(lease.current)(session.sandbox.pk) is None
