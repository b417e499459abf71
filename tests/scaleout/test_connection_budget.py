"""A ramp of learners never takes more PostgreSQL connections than one process's stated budget.

With DATABASE_CONN_MAX_AGE=60 every thread kept a connection of its own, and under ASGI every
concurrent request may run in its own thread: a ramp of 40–80 learners a second drove one process
to PostgreSQL's 100 connections and the lesson page answered HTTP 500. Now Django's pool
(DATABASE_POOL_SIZE) and the consoles' async pool (CONSOLE_DATABASE_CONNECTIONS) bound it
(tutorial/settings.py, README Deployment). The 1,000-learner version is bench/load.py --ramp-check.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import websockets

from tests.scaleout import services
from tests.scaleout.client import session_cookie

SLUG = "first-deployment"
LEARNERS = 200
AT_ONCE = 50  # learners arriving at the same moment: what made every request a thread of its own
POOL_SIZE, CONSOLE_CONNECTIONS = 4, 4  # small budgets, so that exceeding them is likely if unbounded


class BackendCounter(threading.Thread):
    """Samples pg_stat_activity for the test database every 20 ms; keeps the maximum."""

    def __init__(self, env: dict):
        super().__init__(daemon=True)
        self.url = env["DATABASE_URL"].replace("postgres://", "postgresql://")
        self.database = self.url.rsplit("/", 1)[1]
        self.peak = 0
        self.samples = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(services.PG_ADMIN_URL, autocommit=True) as conn:
            while not self.stopping.is_set():
                (count,) = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s",
                                        (self.database,)).fetchone()
                self.peak = max(self.peak, count)
                self.samples += 1
                self.stopping.wait(0.02)


def test_a_ramp_of_learners_stays_within_the_connection_budget(scaleout_env, tmp_path):
    env = dict(scaleout_env, DATABASE_POOL_SIZE=str(POOL_SIZE), CONSOLE_DATABASE_CONNECTIONS=str(CONSOLE_CONNECTIONS),
               # The old setting, which leaked, is ignored on PostgreSQL now.
               DATABASE_CONN_MAX_AGE="60")
    budget = POOL_SIZE + CONSOLE_CONNECTIONS
    server = services.Server(env).start(tmp_path)
    counter = BackendCounter(env)
    counter.start()
    failures: list[str] = []
    sockets = []
    try:
        async def learner(pages: ThreadPoolExecutor) -> None:
            loop = asyncio.get_running_loop()
            try:
                cookie = await loop.run_in_executor(pages, session_cookie, server.http, "en", SLUG)
                ws = await websockets.connect(f"{server.ws}/ws/sandbox/en/{SLUG}/", open_timeout=60, max_size=2**24,
                                              additional_headers={"Cookie": cookie, "Origin": server.http})
                sockets.append(ws)
                first = await asyncio.wait_for(ws.recv(), 60)  # the full state: the sandbox exists
                assert first.strip()
            except Exception as exc:  # counted, then asserted on below
                failures.append(repr(exc))

        async def ramp() -> None:
            with ThreadPoolExecutor(AT_ONCE) as pages:
                for start in range(0, LEARNERS, AT_ONCE):
                    await asyncio.gather(*(learner(pages) for _ in range(min(AT_ONCE, LEARNERS - start))))
            # Everyone is in; a command each on a sample still works (the pools hand back).
            for ws in sockets[:20]:
                await ws.send('{"command": "kubectl get pods"}')
            for ws in sockets[:20]:
                while "No resources found" not in await asyncio.wait_for(ws.recv(), 30):
                    pass
            for ws in sockets:
                await ws.close()

        asyncio.run(ramp())
    finally:
        counter.stopping.set()
        counter.join(5)
        server.stop()
    assert not failures, f"{len(failures)} learners failed: {failures[:5]}"
    assert counter.samples > 10
    # At least one connection was seen (the counter works), never more than the budget.
    assert 1 <= counter.peak <= budget, (counter.peak, budget)
    log = server.log.read_text(errors="replace")
    assert "too many clients" not in log and "PoolTimeout" not in log, log[-3000:]
