"""Where a command's server CPU goes: one SandboxSession (no sockets) replays a lesson's `run`
commands with short pauses, so the clock's ticks (views, Rollout panel, grading, saves) run as they
do under bench/load.py.

    .venv/bin/python bench/profile_commands.py                    # deployment-basics, 150 commands
    .venv/bin/python bench/profile_commands.py --commands 300 --think 0.2 --top 40
    .venv/bin/python bench/profile_commands.py --top 0            # no cProfile listing

Three replays, each in a fresh sandbox (after a short warm-up, so compiled templates and imports
are not counted):
1. **No profiler**: process CPU per command (time.process_time: every thread) and the event loop's
   own share (time.thread_time of the main thread; the rest is the database threads). This is the
   figure to compare with bench/load.py's "CPU per command" (which also counts daphne's and
   Channels' share of each frame).
2. **Split**: the same replay with a CPU timer (thread_time) around each part of the session's
   work: a part's own time, what it calls in another timed part excluded, and only while it runs
   (a coroutine's time is counted per step, not across its awaits). Costs a few microseconds per
   timed call, so its total is close to the first figure.
3. **cProfile** (unless --top 0): the functions with the most CPU, for finding the next cut.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import functools
import io
import os
import pstats
import sys
import time
from collections import Counter, defaultdict
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


async def replay(args, commands: list[str], count: int, *, profile: cProfile.Profile | None = None) -> dict:
    """Replay `count` commands in a fresh sandbox; CPU measured from the first command to the last
    pause (the sandbox's creation and attach are not counted)."""
    client = Client(args.lang)
    sandbox, lesson = await sync_to_async(_sandbox)(f"anon:profile-{time.time_ns()}", args.lesson)
    hub = Hub()
    session = await hub.attach(sandbox, lesson, args.lang, client, owner=sandbox.owner)
    if args.showing != "all":  # what the page says when its socket opens (static/js/console.js)
        await session.handle(from_dict({"showing": [name for name in args.showing.split(",") if name]}), client)
    frames, sent = client.frames, client.bytes
    cpu, main = time.process_time(), time.thread_time()
    if profile is not None:
        profile.enable()
    for i in range(count):
        if session.terminals.first.command is not None:  # still streaming: Ctrl+C, as a learner would
            await session.handle(from_dict({"cancel": True}), client)
        await session.handle(from_dict({"command": commands[i % len(commands)]}), client)
        await asyncio.sleep(args.think)
    if profile is not None:
        profile.disable()
    cpu, main = time.process_time() - cpu, time.thread_time() - main
    await hub.detach(session, client)
    return {"cpu": cpu, "main": main, "frames": client.frames - frames, "bytes": client.bytes - sent}


# ---- the split: a CPU timer around each part (exclusive, per coroutine step)
class Parts:
    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: Counter = Counter()
        self.current = "other: session, scheduler, asyncio"
        self.stack: list[str] = []
        self.mark = time.thread_time()
        self.patched: list[tuple[object, str, object]] = []

    def enter(self, name: str) -> None:
        now = time.thread_time()
        self.cpu[self.current] += now - self.mark
        self.stack.append(self.current)
        self.current, self.mark = name, now

    def leave(self) -> None:
        now = time.thread_time()
        self.cpu[self.current] += now - self.mark
        self.current, self.mark = self.stack.pop(), now

    def reset(self) -> None:
        self.cpu.clear()
        self.calls.clear()
        self.mark = time.thread_time()

    def time(self, owner, attribute: str, name: str) -> None:
        """Time owner.attribute (a function or coroutine function) as the part `name`."""
        func = owner.__dict__[attribute] if isinstance(owner, type) else getattr(owner, attribute)
        parts = self
        if asyncio.iscoroutinefunction(func):
            @functools.wraps(func)
            async def timed(*args, **kwargs):
                parts.calls[name] += 1
                return await _Steps(parts, name, func(*args, **kwargs))
        else:
            @functools.wraps(func)
            def timed(*args, **kwargs):
                parts.calls[name] += 1
                parts.enter(name)
                try:
                    return func(*args, **kwargs)
                finally:
                    parts.leave()
        self.patched.append((owner, attribute, func))
        setattr(owner, attribute, timed)

    def undo(self) -> None:
        for owner, attribute, func in reversed(self.patched):
            setattr(owner, attribute, func)
        self.patched.clear()


class _Steps:
    """Awaits a coroutine step by step, timing each step as `name` (what it awaits elsewhere, e.g. a
    database thread or another task, is not counted)."""

    def __init__(self, parts: Parts, name: str, coro) -> None:
        self.parts, self.name, self.coro = parts, name, coro

    def __await__(self):
        value, error = None, None
        while True:
            self.parts.enter(self.name)
            try:
                step = self.coro.send(value) if error is None else self.coro.throw(error)
            except StopIteration as stop:
                return stop.value
            finally:
                self.parts.leave()
            try:
                value, error = (yield step), None
            except BaseException as exc:  # noqa: BLE001 - handed to the coroutine, as await does
                value, error = None, exc


def timed_parts() -> Parts:
    from simulator import Cluster
    from tutorial.sandbox.panels import fragments
    from tutorial.sandbox.session import grading
    from tutorial.sandbox.session.commands import Commands
    from tutorial.sandbox.session.driving import Clock
    from tutorial.sandbox.session.editing import Editor
    from tutorial.sandbox.session.saving import Saver
    from tutorial.sandbox.session.screen import Screen
    from tutorial.sandbox.session.session import SandboxSession

    parts = Parts()
    parts.time(Cluster, "start", "simulator: the command (Cluster.start)")
    parts.time(Editor, "begin", "simulator: is it a kubectl edit (Cluster.start_edit)")
    parts.time(Commands, "flush", "simulator: reading a command's output")
    parts.time(Clock, "advance", "simulator: simulated time passing (ticks)")
    parts.time(Saver, "save", "save: snapshot (Cluster.snapshot) and rows")
    parts.time(Saver, "_write", "save: its database write, event loop's side")
    parts.time(SandboxSession, "_db", "other database calls, event loop's side")
    parts.time(grading, "grade_all", "grading: the checks (grade_all)")
    parts.time(grading.Grader, "grade", "grading: record, panel context and render")
    parts.time(Screen, "view", "cluster view")
    parts.time(Screen, "rollout_panel", "Rollout panel")
    parts.time(Screen, "controls", "console: controls")
    for name in ("appended_entries", "history", "cleared_output"):
        parts.time(fragments, name, "console: output and history fragments")
    return parts


def report(args, commands: list[str], plain: dict, split: dict, parts: Parts) -> None:
    n = args.commands
    print(f"{n} commands of {args.lesson} ({len(commands)} distinct), think {args.think} s; "
          f"{plain['frames'] / n:.1f} frames, {plain['bytes'] / n / 1024:.1f} KB per command")
    print(f"CPU per command, no profiler: {plain['cpu'] / n * 1000:.2f} ms "
          f"(event loop {plain['main'] / n * 1000:.2f} ms, database threads {(plain['cpu'] - plain['main']) / n * 1000:.2f} ms)")
    print(f"\nSplit (another replay, parts timed; event loop {split['main'] / n * 1000:.2f} ms, "
          f"process {split['cpu'] / n * 1000:.2f} ms per command):")
    print(f"  {'part':<58} {'ms/command':>10} {'calls/command':>14}")
    total = sum(parts.cpu.values())
    for name, cpu in sorted(parts.cpu.items(), key=lambda item: -item[1]):
        calls = f"{parts.calls[name] / n:.2f}" if name in parts.calls else ""
        print(f"  {name:<58} {cpu / n * 1000:>10.3f} {calls:>14}")
    print(f"  {'sum':<58} {total / n * 1000:>10.3f}")


async def main(args) -> None:
    commands = lesson_commands(args.lesson, args.lang)
    await replay(args, commands, min(len(commands) * 2, args.commands))  # warm-up: imports, templates
    plain = await replay(args, commands, args.commands)
    parts = timed_parts()
    try:
        parts.reset()
        split = await replay(args, commands, args.commands)
    finally:
        parts.undo()
    report(args, commands, plain, split, parts)
    if args.top:
        # thread_time: the main thread's CPU, so the event loop's idle waits count nothing
        profile = cProfile.Profile(time.thread_time)
        profiled = await replay(args, commands, args.commands, profile=profile)
        print(f"\ncProfile (another replay): {profiled['main'] / args.commands * 1000:.2f} ms per command "
              "on the event loop with the profiler's overhead")
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
    parser.add_argument("--top", type=int, default=35, help="functions cProfile lists (0: no cProfile replay)")
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"])
    parser.add_argument("--callees", help="also print what the functions matching this name call")
    parser.add_argument("--showing", default="cluster,chart",
                        help="the panels the page says it shows, as a laptop-size page does; 'all': everything")
    asyncio.run(main(parser.parse_args()))
