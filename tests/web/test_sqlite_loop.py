"""persistence/sqlite_loop.py: a save and a lease renewal on the event loop's own SQLite connection.

The tests' database is SQLite in memory, which a second connection cannot open (there the thread
path stays: enabled() is False). So these tests copy the two tables into a database file and run
the module's statements there, comparing every column with what the thread's path (the ORM side,
lease.save_if_holder) writes for the same save."""

from __future__ import annotations

import re
import sqlite3
import time

import pytest
from django.db import connection
from django.utils import timezone

from tutorial.sandbox.models import Sandbox
from tutorial.sandbox.persistence import lease, sqlite_loop
from tutorial.sandbox.persistence.lease import acquire, save_if_holder

pytestmark = pytest.mark.django_db(transaction=True)

TABLES = (Sandbox._meta.db_table, lease.TABLE)
SAVE = dict(snapshot={"format": 1, "now": 12.5, "data": "eJx=", "big": 2 ** 70},
            transcript=[{"kind": "input", "text": "echo 안녕하세요 é"}, {"kind": "output", "text": "a\tb\n\"q\"\\"}],
            history=["echo 안녕하세요 é"], speed=5.0, paused=True, terminals={"2": {"transcript": [], "history": ["x"]}})


def rows(db, pk: int) -> dict:
    cursor = db.execute(f"SELECT * FROM {Sandbox._meta.db_table} WHERE id = ?", [pk])
    return dict(zip([c[0] for c in cursor.description], cursor.fetchone()))


@pytest.fixture
def file_db(tmp_path):
    """(sqlite3 connection to a database file holding a copy of the sandbox and lease tables, the
    sandbox), the sandbox's lease held by "h1" in both databases."""
    sandbox = Sandbox.objects.create(owner="anon:loop", lesson_slug="first-deployment", snapshot={"format": 0},
                                     transcript=[{"kind": "info", "text": "kept"}], history=["kept"],
                                     saved_at=timezone.now())
    acquire(sandbox.pk, "h1")
    path = tmp_path / "loop.sqlite3"
    setup = sqlite3.connect(path, isolation_level=None)
    setup.execute("PRAGMA journal_mode=WAL")
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
            setup.execute(cursor.fetchone()[0])
            cursor.execute(f"SELECT * FROM {table}")
            names = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                setup.execute(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})", row)
    setup.close()
    db = sqlite_loop.open_connection(str(path))
    yield db, sandbox
    db.close()


def test_a_save_on_the_loop_writes_what_the_thread_writes(file_db):
    db, sandbox = file_db
    assert sqlite_loop.save_if_holder(sandbox, "h1", ttl=6.0, db=db, **SAVE) is True
    on_loop = rows(db, sandbox.pk)
    assert sandbox.speed == 5.0 and sandbox.snapshot == SAVE["snapshot"]  # the instance follows its row
    assert save_if_holder(Sandbox.objects.get(pk=sandbox.pk), "h1", **SAVE) is True
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {Sandbox._meta.db_table} WHERE id = %s", [sandbox.pk])
        by_thread = dict(zip([c[0] for c in cursor.description], cursor.fetchone()))
    # (Django's cursor reads datetime columns as datetimes: compared as the text they are stored as)
    assert {k: v for k, v in on_loop.items() if k != "saved_at"} == {
        k: str(v) if hasattr(v, "isoformat") else v for k, v in by_thread.items() if k != "saved_at"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}", on_loop["saved_at"])
    read = Sandbox.objects.get(pk=sandbox.pk)
    assert read.transcript == SAVE["transcript"] and read.snapshot == SAVE["snapshot"]
    expires = db.execute(f"SELECT expires_at FROM {lease.TABLE} WHERE sandbox_id = ?", [sandbox.pk]).fetchone()[0]
    assert expires > time.time() + 5  # renewed with the save


def test_nothing_is_written_without_the_lease(file_db):
    db, sandbox = file_db
    before = rows(db, sandbox.pk)
    assert sqlite_loop.save_if_holder(sandbox, "someone-else", ttl=6.0, db=db, **SAVE) is False
    assert rows(db, sandbox.pk) == before
    assert sqlite_loop.renew(sandbox.pk, "someone-else", ttl=6.0, db=db) is False
    assert sqlite_loop.renew(sandbox.pk, "h1", ttl=6.0, db=db) is True


def test_a_write_lock_held_elsewhere_is_busy_at_once_not_waited_for(file_db, tmp_path):
    db, sandbox = file_db
    other = sqlite3.connect(tmp_path / "loop.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # e.g. a page view's transaction in the thread
    started = time.monotonic()
    with pytest.raises(sqlite_loop.Busy):
        sqlite_loop.save_if_holder(sandbox, "h1", ttl=6.0, db=db, **SAVE)
    with pytest.raises(sqlite_loop.Busy):
        sqlite_loop.renew(sandbox.pk, "h1", ttl=6.0, db=db)
    assert time.monotonic() - started < 1.0  # no busy timeout: the loop never sleeps on a lock
    other.execute("COMMIT")
    assert sqlite_loop.save_if_holder(sandbox, "h1", ttl=6.0, db=db, **SAVE) is True
    other.close()


@pytest.mark.asyncio
async def test_the_session_saves_through_the_thread_when_the_loop_connection_is_busy(monkeypatch):
    """LeaseKeeper.save: Busy on the loop means the thread's path writes the save (and waits)."""
    sandbox = await Sandbox.objects.acreate(owner="anon:busy", lesson_slug="first-deployment",
                                            snapshot={"format": 0}, saved_at=timezone.now())
    tried = []

    def busy(*args, **kwargs):
        tried.append(args)
        raise sqlite_loop.Busy("database is locked")

    monkeypatch.setattr(sqlite_loop, "enabled", lambda: True)
    monkeypatch.setattr(sqlite_loop, "save_if_holder", busy)

    async def nothing(*args, **kwargs):
        return True

    keeper = lease.LeaseKeeper(sandbox.pk, "h2", say=nothing, lost=nothing, rejoin=nothing, flush=nothing)
    await keeper.take()
    assert await keeper.save(sandbox, **SAVE) is True
    assert tried  # the loop was tried first
    assert (await Sandbox.objects.aget(pk=sandbox.pk)).transcript == SAVE["transcript"]


SESSION_ON_A_FILE = r'''
import asyncio, os, sys
os.environ["DATABASE_URL"] = "sqlite:///" + sys.argv[1]
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutorial.settings")
import django
django.setup()
from asgiref.sync import sync_to_async
from django.core.management import call_command
call_command("migrate", verbosity=0)
from bench.profile_commands import Client, _sandbox
from tutorial.sandbox.models import Sandbox
from tutorial.sandbox.persistence import sqlite_loop
from tutorial.sandbox.session.hub import Hub
from tutorial.sandbox.session.messages import from_dict

async def main():
    sandbox, lesson = await sync_to_async(_sandbox)("anon:file", "deployment-basics")
    client, hub = Client("en"), Hub()
    session = await hub.attach(sandbox, lesson, "en", client, owner=sandbox.owner)
    for line in ("ls", "kubectl create -f kubia-deployment-v1.yaml", "kubectl get deployments"):
        await session.handle(from_dict({"command": line}), client)
    await hub.detach(session, client)
    print("enabled", sqlite_loop.enabled(), "loop saves", sqlite_loop._saves)

asyncio.run(main())
row = Sandbox.objects.get(owner="anon:file")
print("inputs", [e["text"] for e in row.transcript if e["kind"] == "input"])
'''


def test_a_session_on_a_database_file_saves_on_the_loop(tmp_path):
    """The embedded default (a database file): a console's saves go through sqlite_loop and are
    in the row afterwards (a process of its own: the tests' database is in memory)."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    script = tmp_path / "session_on_a_file.py"
    script.write_text(SESSION_ON_A_FILE, encoding="utf-8")
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["PYTHONPATH"] = str(root)
    done = subprocess.run([sys.executable, str(script), str(tmp_path / "site.sqlite3")], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "enabled True" in done.stdout
    saves = int(re.search(r"loop saves (\d+)", done.stdout).group(1))
    assert saves >= 3, done.stdout  # each command's save at least
    assert "inputs ['ls', 'kubectl create -f kubia-deployment-v1.yaml', 'kubectl get deployments']" in done.stdout
