"""Run by tests/scaleout/test_pg_async.py in a process of its own whose DATABASE_URL is the scale-out
test database (the pytest process itself runs Django on SQLite). Prints one JSON object of facts."""

from __future__ import annotations

import asyncio
import json
import os
import sys

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutorial.settings")

import django  # noqa: E402

django.setup()

from asgiref.sync import sync_to_async  # noqa: E402
from django.db import connections  # noqa: E402
from django.db.utils import OperationalError  # noqa: E402
from django.utils import timezone  # noqa: E402

from tutorial.sandbox.persistence import lease, pg_async  # noqa: E402
from tutorial.sandbox.models import Sandbox  # noqa: E402


def make_sandbox() -> Sandbox:
    return Sandbox.objects.create(owner=f"anon:pg-async-{os.getpid()}", lesson_slug="first-deployment",
                                  snapshot={"format": 0}, transcript=[{"kind": "input", "text": "old"}],
                                  history=["old"], saved_at=timezone.now())


def row(pk: int) -> dict:
    s = Sandbox.objects.get(pk=pk)
    return {"snapshot": s.snapshot, "transcript": s.transcript, "history": s.history, "speed": s.speed,
            "paused": s.paused}


async def main() -> dict:
    facts: dict = {"enabled": pg_async.enabled()}
    sandbox = await sync_to_async(make_sandbox)()
    pk = sandbox.pk
    await sync_to_async(lease.acquire)(pk, "proc-a/one", ttl=5)
    fields = {"snapshot": {"format": 1, "data": "x" * 50, "big": 2 ** 70}, "transcript": [{"kind": "output", "text": "é\u00a0"}],
              "history": None, "speed": 5.0, "paused": True}
    facts["holder_saved"] = await pg_async.save_if_holder(sandbox, "proc-a/one", ttl=5, **fields)
    facts["after_holder"] = await sync_to_async(row)(pk)
    facts["instance_follows"] = sandbox.speed == 5.0 and sandbox.paused is True
    other = dict(fields, snapshot={"format": 2}, speed=20.0)
    facts["other_saved"] = await pg_async.save_if_holder(sandbox, "proc-b/two", ttl=5, **other)
    facts["after_other"] = await sync_to_async(row)(pk)
    facts["renew_holder"] = await pg_async.renew(pk, "proc-a/one", ttl=60)
    facts["renew_other"] = await pg_async.renew(pk, "proc-b/two", ttl=60)
    current = await sync_to_async(lease.current)(pk)
    facts["expires_in"] = current.expires_at - __import__("time").time()
    await sync_to_async(lease.acquire)(pk, "proc-b/two", steal=True)
    facts["old_holder_after_steal"] = await pg_async.save_if_holder(sandbox, "proc-a/one", ttl=5, **fields)
    facts["renew_after_steal"] = await pg_async.renew(pk, "proc-a/one", ttl=5)
    await pg_async.close_pools()

    # PostgreSQL unreachable: Django's OperationalError, within the pool's timeout, not a hang.
    await pg_async.renew(pk, "proc-b/two", ttl=5)  # the pool is up
    port = connections["default"].settings_dict["PORT"]
    connections["default"].settings_dict["PORT"] = "1"
    await pg_async.close_pools()
    started = asyncio.get_running_loop().time()
    try:
        await pg_async.renew(pk, "proc-b/two", ttl=5)
        facts["unreachable"] = "no error"
    except OperationalError:
        facts["unreachable"] = "OperationalError"
    facts["unreachable_seconds"] = asyncio.get_running_loop().time() - started
    # Back: the very next call works (the failed pool was discarded, not left to back off).
    connections["default"].settings_dict["PORT"] = port
    started = asyncio.get_running_loop().time()
    facts["back"] = await pg_async.renew(pk, "proc-b/two", ttl=5)
    facts["back_seconds"] = asyncio.get_running_loop().time() - started
    await pg_async.close_pools()
    return facts


print(json.dumps(asyncio.run(main())))
