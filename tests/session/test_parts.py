"""The session's parts alone: each is made with what it needs (no session around it), so each can
be driven and checked by itself."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from simulator import Cluster
from tests.session.helpers import FakeClient, _sandbox
from tutorial.sandbox.persistence import lease
from tutorial.sandbox.persistence.lease import LAYER_BACK, LAYER_DOWN, LeaseKeeper
from tutorial.sandbox.session.live import Live
from tutorial.sandbox.session.outbox import Outbox
from tutorial.sandbox.session.screen import Screen

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx:1.25}]}
"""


async def test_the_lease_keeper_says_outages_once_and_stops_when_another_process_took_the_lease():
    sandbox, _ = await _sandbox("anon:parts", "first-deployment")
    said, lost, flushed = [], [], []

    async def say(message, kind="info"):
        said.append((str(message), kind))

    async def on_lost():
        lost.append(True)

    async def rejoin():
        return True

    async def flush():
        flushed.append(True)

    keeper = LeaseKeeper(sandbox.pk, "here:1:test/a", say=say, lost=on_lost, rejoin=rejoin, flush=flush)
    await keeper.take()
    assert (await database_sync_to_async(lease.current)(sandbox.pk)).holder == "here:1:test/a"
    await keeper.layer_failed()
    await keeper.layer_failed()  # said once, not per failure
    assert said == [(str(LAYER_DOWN), "error")]
    keeper.renewed_at = -1e9  # renewal due: Redis back, the transport rejoins, and it is said
    assert await keeper.keep() and not keeper.layer_down and said[-1] == (str(LAYER_BACK), "info")
    await database_sync_to_async(lease.acquire)(sandbox.pk, "elsewhere:2:test/b", steal=True)
    keeper.renewed_at = -1e9
    assert not await keeper.keep() and lost == [True]
    assert flushed  # frames ready were sent before each database call


async def test_the_screen_sends_only_the_rollout_panel_parts_that_changed():
    sandbox, lesson = await _sandbox("anon:parts-screen", "first-deployment")
    outbox, client = Outbox(), FakeClient()
    outbox.clients.append(client)
    cluster = Cluster()
    cluster.files["web.yaml"] = DEPLOYMENT
    cluster.run("kubectl apply -f web.yaml")
    live = Live(sandbox, lesson, "en", "anon:parts-screen", cluster=cluster)
    screen = Screen(live, outbox)
    await screen.rollout_panel()
    assert len(client.frames) == 1 and "web" in client.frames[0]
    await screen.rollout_panel()  # nothing changed: nothing sent
    assert len(client.frames) == 1
    cluster.advance(30)
    screen.note_changes()
    assert screen.view_dirty and screen.rollout_dirty
    await screen.view()
    assert "web-" in client.frames[-1] and not screen.view_dirty


async def test_a_database_down_or_busy_for_long_is_said_once_and_its_return_too():
    from django.db import OperationalError

    from tutorial.sandbox.persistence.lease import DATABASE_BACK, DATABASE_DOWN
    from tutorial.sandbox.persistence.pg_async import DatabaseBusy

    sandbox, _ = await _sandbox("anon:parts-busy", "first-deployment")
    said = []

    async def say(message, kind="info"):
        said.append(str(message))

    async def nothing():
        return True

    keeper = LeaseKeeper(sandbox.pk, "here:1:test/busy", say=say, lost=nothing, rejoin=nothing, flush=nothing)
    await keeper.take()
    fields = dict(snapshot=sandbox.snapshot, transcript=None, history=None, terminals=None, speed=1, paused=False)
    await keeper.database_failed(DatabaseBusy("PostgreSQL is busy"))  # 6 s without a connection
    await keeper.database_failed(OperationalError("connection refused"))
    assert keeper.database_down and said == [str(DATABASE_DOWN)]  # said once, retried by the clock
    assert await keeper.save(sandbox, **fields) and not keeper.database_down
    assert said == [str(DATABASE_DOWN), str(DATABASE_BACK)]
    assert await keeper.save(sandbox, **fields) and said == [str(DATABASE_DOWN), str(DATABASE_BACK)]
