"""Where a command's server CPU goes: one SandboxSession (no sockets) replays a lesson's `run`
commands with short pauses, so the clock's ticks (views, Rollout panel, grading, saves) run as they
do under bench/load.py, and cProfile prints the functions with the most CPU.

    .venv/bin/python bench/profile_commands.py                    # deployment-basics, 150 commands
    .venv/bin/python bench/profile_commands.py --commands 300 --think 0.2 --top 40

The figure printed first (CPU per command, main thread, ticks included) is the one to compare
with bench/load.py's "CPU per command" (which also counts daphne's and Channels' share).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tutorial.settings")

import django  # noqa: E402

django.setup()

from asgiref.sync import sync_to_async  # noqa: E402

from bench.learners import lesson_commands  # noqa: E402
from tutorial.curriculum.catalogue import get_catalogue  # noqa: E402
from tutorial.sandbox.persistence.sandboxes import sandbox_exercise_since, sandbox_get_or_create  # noqa: E402
from tutorial.sandbox.session.hub import Hub  # noqa: E402
from tutorial.sandbox.session.messages import from_dict  # noqa: E402


class Client:
    """A client that keeps only how much it was sent (a socket's cost is not the session's)."""

    read_only = False

    def __init__(self, language: str):
        self.language = language
        self.frames = 0
        self.bytes = 0

    async def deliver(self, text: str) -> None:
        self.frames += 1
        self.bytes += len(text)

    async def end(self, code: int, text: str | None) -> None:
        pass


def _sandbox(owner: str, slug: str):
    lesson = get_catalogue().get(slug)
    sandbox = sandbox_get_or_create(owner=owner, user=None, lesson=lesson)
    sandbox.exercise_since = sandbox_exercise_since(sandbox, lesson)
    return sandbox, lesson


async def main(args) -> None:
    commands = lesson_commands(args.lesson, args.lang)
    client = Client(args.lang)
    sandbox, lesson = await sync_to_async(_sandbox)(f"anon:profile-{time.time_ns()}", args.lesson)
    hub = Hub()
    session = await hub.attach(sandbox, lesson, args.lang, client, owner=sandbox.owner)
    profile = cProfile.Profile()
    cpu = time.process_time()
    profile.enable()
    for i in range(args.commands):
        if session.terminals.first.command is not None:  # still streaming: Ctrl+C, as a learner would
            await session.handle(from_dict({"cancel": True}), client)
        await session.handle(from_dict({"command": commands[i % len(commands)]}), client)
        await asyncio.sleep(args.think)
    profile.disable()
    cpu = time.process_time() - cpu
    await hub.detach(session, client)
    print(f"{args.commands} commands of {args.lesson} ({len(commands)} distinct), think {args.think} s: "
          f"{cpu / args.commands * 1000:.2f} ms CPU per command (ticks included, profiler overhead too); "
          f"{client.frames / args.commands:.1f} frames, {client.bytes / args.commands / 1024:.1f} KB per command")
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).sort_stats(args.sort)
    stats.print_stats(args.top)
    if args.callees:
        stats.print_callees(args.callees)
    print(out.getvalue())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", default="deployment-basics")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--commands", type=int, default=150)
    parser.add_argument("--think", type=float, default=0.3)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"])
    parser.add_argument("--callees", help="also print what the functions matching this name call")
    asyncio.run(main(parser.parse_args()))
