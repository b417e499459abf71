"""Two daphne processes, one PostgreSQL, one Redis: any process serves any learner, one drives a
sandbox at a time (the lease), and a SIGKILLed process loses neither commands nor more than a few
seconds of simulated time."""

from __future__ import annotations

import asyncio
import time

from tests.scaleout.client import Console, session_cookie
from tests.scaleout.conftest import database_rows

SLUG = "first-deployment"


def holder_pid(env) -> int | None:
    # The newest sandbox: each test's learner is new.
    rows = database_rows(env, "SELECT l.holder FROM sandbox_lease l JOIN sandbox_sandbox s ON s.id = l.sandbox_id"
                              " ORDER BY s.created_at DESC LIMIT 1")
    if not rows:
        return None
    # PROCESS_ID is host:pid:random, then /channel name (tutorial/sandbox/persistence/lease.py).
    return int(rows[0][0].split("/", 1)[0].split(":")[1])


def saved_history(env) -> list:
    return database_rows(env, "SELECT history FROM sandbox_sandbox ORDER BY created_at DESC LIMIT 1")[0][0]


def test_any_process_serves_a_learner_and_a_killed_one_is_resumed_by_the_other(servers, scaleout_env):
    a, b = servers

    async def scenario():
        # The session is made by process B's page; process A serves the console: shared database.
        cookie = session_cookie(b.http, "en", SLUG)
        first = await Console.open(a.ws, a.http, cookie, "en", SLUG)
        await first.wait_for(r"\S")  # the full state
        await first.send({"speed": 5})
        await first.command("kubectl create -f kubia-deployment.yaml")
        await first.wait_for("deployment.apps/kubia created")
        await first.command("kubectl rollout status deployment kubia")
        await first.wait_for("successfully rolled out", timeout=60)
        await first.command("kubectl set image deployment kubia nodejs=luksa/kubia:v2")
        await first.wait_for("image updated")
        await asyncio.sleep(1.5)  # mid-rollout: v2 pods are being created
        assert holder_pid(scaleout_env) == a.process.pid
        shown_before_kill = first.clock()
        wall_at_kill = time.monotonic()
        a.kill()
        # Every committed command is in the database already.
        history = saved_history(scaleout_env)
        assert history[-1] == "kubectl set image deployment kubia nodejs=luksa/kubia:v2"
        try:
            await first.ws.recv()
        except Exception:
            pass

        # The browser reconnects: the load balancer sends it to B.
        second = await Console.open(b.ws, b.http, cookie, "en", SLUG)
        await second.wait_for(r"\$ kubectl set image deployment kubia nodejs=luksa/kubia:v2")
        assert "$ kubectl create -f kubia-deployment.yaml" in second.text()
        resumed = second.clock()
        # Lost at most the few seconds since A's last save (≤ 5 s wall × speed 5 + tick slack);
        # the catch-up on restore adds the wall time since that save, so usually nothing is lost.
        assert resumed >= shown_before_kill - 5 * 5 - 2, (shown_before_kill, resumed)
        assert resumed <= shown_before_kill + (time.monotonic() - wall_at_kill + 2) * 5
        assert holder_pid(scaleout_env) == b.process.pid
        # The rollout goes on to the end on B.
        mark = len(second.received)
        await second.command("kubectl rollout status deployment kubia")
        await second.wait_for("successfully rolled out", timeout=90, since=mark)
        await second.command("kubectl get deploy kubia -o jsonpath={.spec.template.spec.containers[0].image}")
        await second.wait_for("luksa/kubia:v2", since=mark)
        await second.close()

    asyncio.run(scenario())


def test_a_socket_on_another_process_drives_the_session_hosted_by_the_first(servers, scaleout_env):
    """Process A hosts the session (its lease); a window whose socket reaches process B attaches to
    it through Redis (tutorial/sandbox/realtime/bridge.py): both windows are live, commands from
    either show in both, and the lease never moves while A lives."""
    a, b = servers

    async def scenario():
        cookie = session_cookie(a.http, "ko", SLUG)
        first = await Console.open(a.ws, a.http, cookie, "ko", SLUG)
        await first.command("kubectl create -f kubia-deployment.yaml")
        await first.wait_for("deployment.apps/kubia created")
        started = time.monotonic()
        second = await Console.open(b.ws, b.http, cookie, "ko", SLUG)
        await second.wait_for(r"\$ kubectl create -f kubia-deployment.yaml")
        assert time.monotonic() - started < 1.9  # the host answered through Redis at once
        assert holder_pid(scaleout_env) == a.process.pid
        mark_first, mark_second = len(first.received), len(second.received)
        await second.command("kubectl scale deployment kubia --replicas=2")
        await second.wait_for("deployment.apps/kubia scaled", since=mark_second)
        await first.wait_for("deployment.apps/kubia scaled", since=mark_first)  # A's window sees it
        await first.command("kubectl get deployments")
        await second.wait_for(r"kubia\s+\d/2", since=mark_second)
        assert "다른 창에서 열려" not in first.text() + second.text()
        assert holder_pid(scaleout_env) == a.process.pid
        assert saved_history(scaleout_env)[-1] == "kubectl get deployments"
        await second.close()
        mark_first = len(first.received)
        await first.command("kubectl get deploy kubia -o name")
        await first.wait_for("deployment.apps/kubia", since=mark_first)
        await first.close()

    asyncio.run(scenario())


def test_a_quiet_host_whose_lease_expired_keeps_its_session_and_its_windows(servers, scaleout_env):
    """A dormant session does not renew its lease (idle learners cost nothing); a window on B then
    still attaches to A's session (A answers through Redis) instead of stopping A's window."""
    a, b = servers

    async def scenario():
        cookie = session_cookie(a.http, "en", SLUG)
        first = await Console.open(a.ws, a.http, cookie, "en", SLUG)
        await first.command("ls")
        await first.wait_for("kubia-deployment.yaml")
        deadline = time.monotonic() + 30
        while True:  # wait for the lease to expire: the session went quiet
            rows = database_rows(scaleout_env, "SELECT l.expires_at FROM sandbox_lease l JOIN sandbox_sandbox s"
                                               " ON s.id = l.sandbox_id ORDER BY s.created_at DESC LIMIT 1")
            if rows and rows[0][0] < time.time():
                break
            assert time.monotonic() < deadline, "the lease never expired"
            await asyncio.sleep(0.5)
        second = await Console.open(b.ws, b.http, cookie, "en", SLUG)
        await second.wait_for(r"\$ ls")
        mark = len(first.received)
        await second.command("kubectl get deployments")
        await first.wait_for("No resources found", since=mark)
        assert "opened in another window" not in first.text()
        assert holder_pid(scaleout_env) == a.process.pid
        await second.close()
        await first.close()

    asyncio.run(scenario())


def test_a_killed_host_moves_the_session_to_the_process_of_a_remote_window(servers, scaleout_env):
    """SIGKILL of the hosting process: a window attached from B notices the lease expire and B
    hosts the session from the last save, with every command kept, without a reconnect."""
    a, b = servers

    async def scenario():
        cookie = session_cookie(a.http, "en", SLUG)
        first = await Console.open(a.ws, a.http, cookie, "en", SLUG)
        await first.command("kubectl create -f kubia-deployment.yaml")
        await first.wait_for("deployment.apps/kubia created")
        remote = await Console.open(b.ws, b.http, cookie, "en", SLUG)
        await remote.wait_for(r"\$ kubectl create -f kubia-deployment.yaml")
        await remote.command("kubectl scale deployment kubia --replicas=3")
        await remote.wait_for("deployment.apps/kubia scaled")
        assert holder_pid(scaleout_env) == a.process.pid
        a.kill()
        mark = len(remote.received)
        # Typed while nobody hosts the session: kept by B's socket and run once B hosts it.
        await remote.command("kubectl label deployment kubia tier=web")
        # B hosts it once A's lease expired (lease.LEASE_TTL_SECONDS) and sends the whole state.
        await remote.wait_for(r"\$ kubectl scale deployment kubia --replicas=3", timeout=20, since=mark)
        await remote.wait_for("deployment.apps/kubia labeled", timeout=20, since=mark)
        assert holder_pid(scaleout_env) == b.process.pid
        wanted = ["kubectl create -f kubia-deployment.yaml", "kubectl scale deployment kubia --replicas=3",
                  "kubectl label deployment kubia tier=web"]
        for _ in range(50):  # the save follows the answer
            if saved_history(scaleout_env)[-3:] == wanted:
                break
            await asyncio.sleep(0.1)
        assert saved_history(scaleout_env)[-3:] == wanted
        mark = len(remote.received)
        await remote.command("kubectl get deployments")
        await remote.wait_for(r"kubia\s+\d/3", since=mark)
        await remote.close()

    asyncio.run(scenario())
