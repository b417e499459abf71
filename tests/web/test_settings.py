"""Settings come from the environment; a production configuration passes check --deploy."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def settings_json(**env: str) -> dict:
    code = ("import json; from django.conf import settings as s; print(json.dumps({'debug': s.DEBUG, "
            "'hosts': s.ALLOWED_HOSTS, 'db': s.DATABASES['default']['ENGINE'], 'db_name': str(s.DATABASES['default']['NAME']), "
            "'layer': s.CHANNEL_LAYERS['default'], 'apps': s.INSTALLED_APPS[:1], 'language': s.LANGUAGE_CODE}))")
    result = run_manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_configuration_passes_check_deploy():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING",
                        DJANGO_SECRET_KEY=secrets.token_urlsafe(64), DJANGO_ALLOWED_HOSTS="lab.example.com")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_development_defaults_are_flagged_by_check_deploy():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W009" in result.stderr  # the insecure fallback key


def test_defaults_sqlite_in_memory_layer_daphne_first():
    values = settings_json()
    assert values["debug"] is False
    assert values["hosts"] == ["127.0.0.1", "localhost"]
    assert values["db"] == "django.db.backends.sqlite3" and values["db_name"] == str(ROOT / "db.sqlite3")
    assert values["layer"] == {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    assert values["apps"] == ["daphne"]
    assert values["language"] == "ko"


def test_environment_switches_to_postgres_and_redis():
    values = settings_json(DATABASE_URL="postgres://lab:pw@db.internal:5432/rolloutlab", REDIS_URL="redis://redis:6379/1",
                           DJANGO_DEBUG="true", DJANGO_ALLOWED_HOSTS="a.example, b.example")
    assert values["db"] == "django.db.backends.postgresql" and values["db_name"] == "rolloutlab"
    layer = values["layer"]
    assert layer["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    [host] = layer["CONFIG"]["hosts"]
    assert host["address"] == "redis://redis:6379/1"
    # The read timeout outlasts channels-redis's blocking wait (else idle sockets die: issue 422).
    assert host["socket_timeout"] > 5 and host["socket_connect_timeout"] > 0
    assert values["debug"] is True
    assert values["hosts"] == ["a.example", "b.example"]


def test_redis_read_timeout_outlasts_the_channel_layers_blocking_wait():
    """settings.REDIS_BLOCKING_SECONDS mirrors channels-redis's brpop_timeout: an upgrade that
    changes it must change the setting too. A too-small REDIS_SOCKET_TIMEOUT is raised."""
    from channels_redis.core import RedisChannelLayer

    values = settings_json(REDIS_URL="redis://redis:6379/1", REDIS_SOCKET_TIMEOUT="1")
    [host] = values["layer"]["CONFIG"]["hosts"]
    assert host["socket_timeout"] >= RedisChannelLayer.brpop_timeout + 5


def test_postgres_uses_a_bounded_pool_not_persistent_connections():
    code = ("import json; from django.conf import settings as s; d = s.DATABASES['default']; "
            "print(json.dumps({'age': d['CONN_MAX_AGE'], 'pool': d['OPTIONS'].get('pool'), "
            "'console': s.CONSOLE_DATABASE_CONNECTIONS}))")
    result = run_manage("shell", "-c", code, DATABASE_URL="postgres://lab:pw@db.internal:5432/rolloutlab",
                        DATABASE_CONN_MAX_AGE="60", DATABASE_POOL_SIZE="5")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    # One connection per thread leaked under ASGI: the pool bounds the threads' share instead.
    assert values["age"] == 0
    assert values["pool"]["max_size"] == 5 and values["pool"]["min_size"] <= 5
    assert values["pool"]["timeout"] > 0
    # SQLite keeps its persistent connections (no pool there).
    result = run_manage("shell", "-c", "from django.conf import settings as s; print(s.DATABASES['default']['CONN_MAX_AGE'])")
    assert result.stdout.strip().splitlines()[-1] == "60"


def test_sqlite_writes_ahead_without_an_fsync_per_commit(tmp_path):
    """SQLite's default journal with synchronous=FULL managed ~150 commits/s here, fewer than the
    saves 1,000 learners make: the embedded default uses WAL and synchronous=NORMAL."""
    code = ("from django.db import connection as c; cur = c.cursor(); "
            "print(cur.execute('PRAGMA journal_mode').fetchone()[0], cur.execute('PRAGMA synchronous').fetchone()[0], "
            "c.transaction_mode)")
    result = run_manage("shell", "-c", code, DATABASE_URL=f"sqlite:///{tmp_path / 'lab.sqlite3'}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "wal 1 IMMEDIATE"  # synchronous 1 = NORMAL
