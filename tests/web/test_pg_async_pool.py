"""pg_async keeps a busy pool: a PoolTimeout while the pool holds connections is load, not an
outage, so the pool is not replaced (replacing it under a 2,000-learner load opened a second set
of connections beside the first, up to PostgreSQL's max_connections). A pool with no connection
at all is replaced, as before (PostgreSQL unreachable: a fresh pool connects on the next call)."""

from __future__ import annotations

import contextlib

import pytest
from django.db.utils import OperationalError
from psycopg_pool import PoolTimeout

from tutorial.sandbox.persistence import pg_async

pytestmark = pytest.mark.asyncio


class TimedOutPool:
    def __init__(self, size: int):
        self.size = size

    def get_stats(self) -> dict:
        return {"pool_size": self.size}

    @contextlib.asynccontextmanager
    async def connection(self):
        raise PoolTimeout("couldn't get a connection after 3.00 sec")
        yield  # pragma: no cover


@pytest.mark.parametrize("size, replaced", [(8, False), (0, True)])
async def test_a_pool_timeout_replaces_the_pool_only_when_it_has_no_connection(monkeypatch, size, replaced):
    discarded = []

    async def fake_pool():
        return TimedOutPool(size)

    async def fake_discard():
        discarded.append(True)

    monkeypatch.setattr(pg_async, "_pool", fake_pool)
    monkeypatch.setattr(pg_async, "_discard_pool", fake_discard)
    with pytest.raises(OperationalError):
        await pg_async._rowcount("SELECT 1", [])
    assert bool(discarded) == replaced
