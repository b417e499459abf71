"""A long simulated-time jump yields to the other learners (issue 13: "until settled" with 200
crash-looping pods stalled another learner's command by 141-260 ms).

Learner A settles a Deployment of 200 crash-looping pods (600 simulated seconds of restarts and
back-offs, about half a second of CPU); learner B's command, sent once A's settle has begun, is
answered while A's settle is still under way: A's simulated clock had not reached the end of the
jump when B's frame went out. Ordering, not timing: without the slices (driving._advance over
Cluster.advance_steps) nothing else runs on the event loop until A's jump is over.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.web.test_console import new_session, open_console
from tutorial.sandbox.session import outbox as outbox_module
from tutorial.sandbox.session.rollout import RolloutControls

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

CRASHING = "kubectl create deployment crash --image=busybox --replicas=200 -- false"


async def test_a_console_answers_while_another_settles_200_crash_looping_pods(lesson_root, monkeypatch):
    a, connected_a, _ = await open_console(await new_session("learner-a"))
    b, connected_b, _ = await open_console(await new_session("learner-b"))
    assert connected_a and connected_b
    await a.drain(0.3)
    await b.drain(0.3)

    settling = {}  # A's session and its simulated time when the settle began / ended
    started = asyncio.Event()
    original_step = RolloutControls.step

    async def observed_step(self, value):
        if value == "settle":
            settling.update(session=self, start=self.live.cluster.now)
            started.set()
        await original_step(self, value)
        if value == "settle":
            settling["end"] = self.live.cluster.now

    seen_b = []  # A's simulated time (and whether A's settle was over) when B's answer went out
    original_deliver = outbox_module.Outbox._deliver

    async def observed_deliver(self, text):
        if "b-still-answers" in text and "session" in settling:  # the settling RolloutControls
            seen_b.append((settling["session"].live.cluster.now, "end" in settling))
        await original_deliver(self, text)

    monkeypatch.setattr(RolloutControls, "step", observed_step)
    monkeypatch.setattr(outbox_module.Outbox, "_deliver", observed_deliver)
    try:
        await a.command(CRASHING)
        await a.wait_for("deployment.apps/crash created")
        await a.drain(0.2)
        await a.send({"step": "settle"})
        await asyncio.wait_for(started.wait(), timeout=30)
        await b.command("echo b-still-answers")
        await b.wait_for("b-still-answers\n", timeout=60)
        assert seen_b, "B's answer never went out"
        b_at, a_done = seen_b[0]
        assert not a_done  # B was answered while A's settle still ran...
        assert settling["start"] <= b_at < settling["start"] + 600  # ...in the middle of A's jump

        # A's settle ends normally and both consoles still work.
        for _ in range(600):
            if "end" in settling:
                break
            await a.drain(0.1)
        assert settling["end"] >= settling["start"] + 60
        await a.command("kubectl get deployment crash")
        await a.wait_for(r"crash\s+0/200", timeout=30)
    finally:
        await a.communicator.disconnect()
        await b.communicator.disconnect()
