"""What an idle learner holds in the server process, by allocation site (tracemalloc).

bench/load.py reads memory per idle learner from the RSS of real server processes (daphne,
autobahn and Twisted included, fragmentation too); this one connects N consoles in-process
through Channels' test communicator (no daphne), lets them go dormant as an unused console does,
and prints the Python memory they keep per learner and where it was allocated. Run:

    .venv/bin/python bench/idle_memory.py [--learners 200] [--idle 4] [--top 15]
    .venv/bin/python bench/idle_memory.py --live 3 --idle 1    # each first sends the lesson's first
        3 commands; measured 1 s after the last one (its cluster still live; the first ones dormant)
    .venv/bin/python bench/idle_memory.py --live 1 --idle 12   # ... all dormant again, as after a ramp
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import sys
import tempfile
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup_django(folder: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutorial.settings")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/idle.sqlite3"
    os.environ.pop("REDIS_URL", None)  # the in-memory channel layer: only the app is measured
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


async def connect(application, lang: str, slug: str):
    from asgiref.sync import sync_to_async
    from channels.testing import WebsocketCommunicator
    from django.contrib.sessions.backends.db import SessionStore

    from tutorial.learners import LEARNER_SESSION_KEY

    def new_key() -> str:
        session = SessionStore()
        session[LEARNER_SESSION_KEY] = os.urandom(8).hex()
        session.create()
        return session.session_key

    key = await sync_to_async(new_key)()
    communicator = WebsocketCommunicator(application, f"/ws/sandbox/{lang}/{slug}/", headers=[
        (b"origin", b"http://127.0.0.1"), (b"cookie", f"sessionid={key}".encode())])
    connected, _ = await communicator.connect(timeout=30)
    assert connected
    await communicator.receive_from(timeout=30)  # the full state
    return communicator


async def main(args) -> None:
    from tutorial.asgi import application

    from bench.learners import lesson_commands
    from tutorial.sandbox.session.hub import hub

    warm = await connect(application, args.lang, args.slug)  # imports, templates, caches
    await asyncio.sleep(args.idle)
    gc.collect()
    tracemalloc.start(25)
    before = tracemalloc.take_snapshot()
    size0 = tracemalloc.get_traced_memory()[0]
    consoles = []
    commands = lesson_commands(args.slug, args.lang)[: args.live]
    for _ in range(args.learners):
        communicator = await connect(application, args.lang, args.slug)
        for command in commands:  # a live cluster: what a learner who types holds for a while
            await communicator.send_json_to({"command": command})
            await communicator.receive_from(timeout=30)
        consoles.append(communicator)
    # unused consoles go dormant (session/driving.py); used ones stay live for DORMANT_AFTER_SECONDS
    await asyncio.sleep(args.idle)
    for communicator in consoles:  # drain what they were sent (the communicator keeps it)
        while not await communicator.receive_nothing(timeout=0.001, interval=0.001):
            await communicator.receive_from()
    gc.collect()
    size1 = tracemalloc.get_traced_memory()[0]
    after = tracemalloc.take_snapshot()
    dormant = sum(1 for s in hub().sessions.values() if s.cluster is None)
    print(f"{args.learners} {'live' if args.live else 'idle'} consoles ({dormant} sessions dormant): "
          f"{(size1 - size0) / args.learners / 1024:.1f} KB of Python memory per learner "
          "(the test communicator's own queues included)")
    # Each allocation is charged to the innermost line of the project's own code that led to it
    # (a dict made by Django for a model row counts where the session asked for the row).
    by_site: dict[str, int] = {}
    for stat in after.compare_to(before, "traceback"):
        own = [f for f in stat.traceback if f.filename.startswith(str(ROOT)) and "/.venv/" not in f.filename]
        frame = own[-1] if own else stat.traceback[-1]
        name = Path(frame.filename).relative_to(ROOT) if own else Path(frame.filename).name
        site = f"{name}:{frame.lineno}"
        by_site[site] = by_site.get(site, 0) + stat.size_diff
    for site, size in sorted(by_site.items(), key=lambda item: -item[1])[: args.top]:
        print(f"{size / args.learners:8.0f} B/learner  {site}")
    for communicator in [warm, *consoles]:
        await communicator.disconnect()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--idle", type=float, default=4.0, help="seconds of quiet before measuring")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--live", type=int, default=0, metavar="N",
                        help="each learner first sends the lesson's first N commands (then --idle seconds pass)")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--slug", default="deployment-basics")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        setup_django(folder)
        asyncio.run(main(arguments))
