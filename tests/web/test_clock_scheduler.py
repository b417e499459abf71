"""The per-process clock scheduler (tutorial/sandbox/scheduler.py) and how consoles use it: an
idle sandbox is not ticked at all, goes dormant (cluster dropped, snapshot kept), and a message
wakes it with the missed simulated time let pass."""

from __future__ import annotations

import asyncio
import re

import pytest

from tests.web.test_console import new_session, open_console
from tutorial.sandbox.scheduler import ClockScheduler, scheduler
from tutorial.sandbox.session import driving
from tutorial.sandbox.session.session import SandboxSession

pytestmark = [pytest.mark.asyncio]


class Recorder:
    def __init__(self, loop, name, log):
        self.loop, self.name, self.log = loop, name, log

    async def clock_tick(self):
        self.log.append((self.name, self.loop.time()))


async def test_scheduler_runs_each_driver_once_at_its_time_in_order():
    loop = asyncio.get_running_loop()
    clock = ClockScheduler(loop)
    log = []
    a, b, c = (Recorder(loop, n, log) for n in "abc")
    start = loop.time()
    clock.wake_at(a, start + 0.15)
    clock.wake_at(b, start + 0.05)
    clock.wake_at(c, start + 0.10)
    clock.forget(c)  # forgotten: never runs
    clock.wake_at(a, start + 0.20)  # replaced: runs once, at the later time
    await asyncio.sleep(0.35)
    assert [name for name, _ in log] == ["b", "a"]
    assert log[0][1] >= start + 0.05 and log[1][1] >= start + 0.20
    assert clock.active == 0 and clock.ticks == 2


async def test_a_driver_due_again_while_its_tick_runs_is_ticked_again_after_it():
    loop = asyncio.get_running_loop()
    clock = ClockScheduler(loop)
    runs = []

    class Slow:
        async def clock_tick(self):
            runs.append(loop.time())
            if len(runs) == 1:
                clock.wake_at(self, loop.time())  # due at once, while this tick still runs
                await asyncio.sleep(0.1)

    clock.wake_at(Slow(), loop.time())
    await asyncio.sleep(0.3)
    assert len(runs) == 2 and runs[1] - runs[0] >= 0.1


async def test_a_failing_driver_does_not_stop_the_others(caplog):
    loop = asyncio.get_running_loop()
    clock = ClockScheduler(loop)
    log = []

    class Broken:
        async def clock_tick(self):
            raise RuntimeError("boom")

    clock.wake_at(Broken(), loop.time())
    clock.wake_at(Recorder(loop, "ok", log), loop.time() + 0.05)
    await asyncio.sleep(0.2)
    assert [name for name, _ in log] == ["ok"]
    assert "Clock tick failed" in caplog.text


def consumer_of(con) -> SandboxSession:
    """The session behind a communicator (the scheduler knows every live one)."""
    drivers = [d for d in scheduler()._due if isinstance(d, SandboxSession)]  # noqa: SLF001
    assert len(drivers) == 1, drivers
    return drivers[0]


@pytest.mark.django_db(transaction=True)
async def test_an_idle_console_is_not_ticked_goes_dormant_and_wakes_with_the_time_passed(lesson_root, monkeypatch):
    monkeypatch.setattr(driving, "DORMANT_AFTER_SECONDS", 0.5)
    con, connected, _ = await open_console(await new_session("idle-learner"), lang="en")
    assert connected
    await con.drain(0.3)
    consumer = consumer_of(con)
    await con.command("kubectl create -f kubia-deployment.yaml")
    await con.send({"speed": 20})
    await con.wait_for("created")
    # The rollout runs: ticks happen; then it settles and the console goes quiet.
    await con.drain(3.0)
    assert consumer.cluster is None and consumer.clock.dormant  # dormant
    clock = scheduler()
    ticks = clock.ticks
    got = await con.drain(1.5)
    # Dormant and nothing due soon: no ticks, nothing sent (the progress-deadline check is 600 s away).
    assert clock.ticks - ticks <= 1 and got == []
    shown = re.findall(r'id="sim-clock"[^>]*>([\d:]+)<', "".join(con.received))[-1]
    await con.command("kubectl get deploy kubia")
    text = await con.wait_for(r"kubia\s+3/3")
    assert consumer.cluster is not None
    # The missed 1.5 s of wall time at ×20 passed: the age moved on by about 30 s.
    minutes, seconds = map(int, shown.split(":"))
    # kubectl prints ages of 2 minutes and more as "2m10s" (a loaded machine gets there)
    age = [int(m or 0) * 60 + int(s) for m, s in re.findall(r"kubia\s+3/3\s+3\s+3\s+(?:(\d+)m)?(\d+)s", text)]
    assert age and age[-1] >= minutes * 60 + seconds + 25, (shown, text[-300:])
    await con.communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_many_idle_consoles_cost_no_ticks(lesson_root):
    consoles = []
    for index in range(8):
        con, connected, _ = await open_console(await new_session(f"many-{index}"), lang="en")
        assert connected
        consoles.append(con)
    for con in consoles:
        await con.drain(0.2)
    clock = scheduler()
    ticks = clock.ticks
    for con in consoles:
        await con.drain(0.15)  # 1.2 s in all
    # Before: 8 consoles × 10 ticks a second. Now an idle sandbox asks only for its dormancy check.
    assert clock.ticks - ticks <= 8
    for con in consoles:
        await con.communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_an_opened_but_unused_console_drops_its_cluster_soon(lesson_root, monkeypatch):
    """A learner reading the lesson costs a snapshot, not a live cluster (FIRST_DORMANT_AFTER_SECONDS);
    once used, the console keeps its cluster for DORMANT_AFTER_SECONDS."""
    monkeypatch.setattr(driving, "FIRST_DORMANT_AFTER_SECONDS", 0.5)
    con, connected, _ = await open_console(await new_session("reader"), lang="en")
    assert connected
    await con.drain(0.2)
    consumer = consumer_of(con)
    assert consumer.cluster is not None
    await con.drain(1.0)
    assert consumer.cluster is None and consumer.clock.dormant
    await con.command("ls")
    await con.wait_for("kubia-deployment.yaml")
    await con.drain(1.0)
    assert consumer.cluster is not None  # used: the longer DORMANT_AFTER_SECONDS applies
    await con.communicator.disconnect()
