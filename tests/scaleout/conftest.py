"""Scale-out tests: several daphne processes against the machine's real PostgreSQL and Redis.

A test database is created for the session and dropped afterwards; Redis database 11 is flushed.
Without PostgreSQL or Redis the tests that need them skip with the reason, except under CI=true,
where they fail: CI runs on a machine that has both (README, Deployment).
"""

from __future__ import annotations

import os

import pytest

from tests.scaleout import services
from tests.web.conftest import SAMPLE_DEPLOYMENT, write_lesson

SLOW_ROLLOUT = SAMPLE_DEPLOYMENT.replace("replicas: 3", "replicas: 6")


def _need(problem: str | None) -> None:
    if problem is None:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI=true but {problem}", pytrace=False)
    pytest.skip(problem)


@pytest.fixture(scope="session")
def real_services():
    _need(services.postgres_problem())
    _need(services.redis_problem())


@pytest.fixture(scope="session")
def scaleout_env(real_services, tmp_path_factory):
    """Environment of a production-like deployment: its own PostgreSQL database, migrated."""
    name = f"rolloutlab_scaleout_{os.getpid()}"
    url = services.create_database(name)
    services.redis_flush_db()
    content = tmp_path_factory.mktemp("content")
    write_lesson(content, "01-first-deployment", slug="first-deployment", order=1,
                 files={"kubia-deployment.yaml": SLOW_ROLLOUT})
    env = services.server_env(url.replace("postgresql://", "postgres://"), content)
    try:
        services.deploy_steps(env)
        yield env
    finally:
        services.ensure_redis()
        services.drop_database(name)


@pytest.fixture
def servers(scaleout_env, tmp_path):
    """Two daphne processes sharing the database and Redis."""
    started = []
    try:
        for _ in range(2):
            started.append(services.Server(dict(scaleout_env)).start(tmp_path))
        yield started
    finally:
        for server in started:
            server.stop()


def database_rows(env: dict, sql: str, params=()):
    import psycopg

    with psycopg.connect(env["DATABASE_URL"].replace("postgres://", "postgresql://")) as conn:
        return conn.execute(sql, params).fetchall()
