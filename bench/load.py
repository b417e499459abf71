"""Load generator: N learners over real WebSockets against a running server.

Each learner opens a lesson page (for its session cookie), connects the console and replays the
lesson's `run` commands with think-time pauses, over and over, for --duration seconds. Then the
same number of connections talk to the bare echo consumer of bench/echo.py on the same server,
with the same pauses. Printed: command round trip p50/p95/p99 (send → first output fragment),
messages per second received, errors, and the server's memory per idle learner (VmRSS growth
after all consoles are connected and idle for --idle seconds, divided by N). The load generator
runs in this process, the server in its own (spawned, or --url/--pid).

    python bench/load.py --learners 500                # spawns daphne bench.echo:application
    python bench/load.py --url http://127.0.0.1:8000 --pid 1234 --learners 50   # an existing one

Environment (DATABASE_URL, REDIS_URL...; DATABASE_CONN_MAX_AGE defaults to 60 here) is passed on to a spawned server, whose database must be
migrated and static files collected (`make prepare`), e.g.
    createdb -h 127.0.0.1 -U postgres rolloutlab_bench
    DATABASE_URL=postgres://postgres@127.0.0.1/rolloutlab_bench .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1/rolloutlab_bench .venv/bin/python bench/load.py --learners 500
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parents[1]
RUN_FENCE = re.compile(r"```run\n(.*?)```", re.S)
# Streams that never end by themselves: a learner would press Ctrl+C; the replay leaves them out.
ENDLESS = re.compile(r"(^|\s)(-w|--watch)(\s|$)")


def lesson_commands(slug: str, lang: str) -> list[str]:
    for folder in sorted((ROOT / "tutorial" / "content").iterdir()):
        meta = folder / "lesson.yaml"
        if meta.exists() and f"slug: {slug}" in meta.read_text(encoding="utf-8"):
            text = (folder / f"lesson.{lang}.md").read_text(encoding="utf-8")
            lines = [line.strip() for block in RUN_FENCE.findall(text) for line in block.splitlines()]
            return [line for line in lines if line and not ENDLESS.search(line)]
    raise SystemExit(f"no lesson {slug!r}")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used (/proc/<pid>/stat utime, stime)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_rss_kb(pid: int) -> int:
    """The server and its children (`python -m daphne` has none, a wrapper may)."""
    total = rss_kb(pid)
    for child in Path("/proc").glob("[0-9]*"):
        try:
            if Path(child, "stat").read_text().split()[3] == str(pid):
                total += rss_kb(int(child.name))
        except (OSError, IndexError):
            pass
    return total


class Stats:
    def __init__(self):
        self.rtts: list[float] = []
        self.messages = 0
        self.errors: list[str] = []


def session_cookie(base: str, lang: str, slug: str) -> str:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/{lang}/lessons/{slug}/", timeout=60) as reply:
        reply.read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


async def reader(ws, stats: Stats, inbox: asyncio.Queue) -> None:
    try:
        async for message in ws:
            stats.messages += 1
            inbox.put_nowait((time.perf_counter(), message))
    except websockets.ConnectionClosed as closed:
        if closed.rcvd is None or closed.rcvd.code not in (1000, 1001):
            stats.errors.append(f"closed: {closed}")


async def learner(index: int, args, commands: list[str], stats: Stats, connected: asyncio.Event,
                  ready: list, go: asyncio.Event, stop: asyncio.Event) -> None:
    rng = random.Random(index)
    base, ws_base = args.url, args.url.replace("http", "ws", 1)
    try:
        cookie = await asyncio.to_thread(session_cookie, base, args.lang, args.lesson)
        ws = await websockets.connect(f"{ws_base}/ws/sandbox/{args.lang}/{args.lesson}/", open_timeout=120,
                                      additional_headers={"Cookie": cookie, "Origin": base}, max_size=2**24)
    except Exception as exc:
        stats.errors.append(f"connect: {exc!r}")
        ready.append(index)
        connected.set() if len(ready) >= args.learners else None
        return
    inbox: asyncio.Queue = asyncio.Queue()
    task = asyncio.create_task(reader(ws, stats, inbox))
    ready.append(index)
    if len(ready) >= args.learners:
        connected.set()
    await go.wait()
    position = rng.randrange(len(commands))
    try:
        while not stop.is_set():
            await asyncio.sleep(rng.uniform(args.think_min, args.think_max))
            if stop.is_set():
                break
            command = commands[position % len(commands)]
            position += 1
            while not inbox.empty():
                inbox.get_nowait()
            sent = time.perf_counter()
            await ws.send(json.dumps({"command": command}))
            deadline = sent + 30
            while True:  # the first fragment carrying output (or an error) for this command
                at, message = await asyncio.wait_for(inbox.get(), max(0.1, deadline - time.perf_counter()))
                if 'class="console-output' in message or 'class="console-error' in message:
                    stats.rtts.append(at - sent)
                    break
            if "rollout status" in command or "logs -f" in command:
                await ws.send(json.dumps({"cancel": True}))  # do not leave a stream behind
    except asyncio.TimeoutError:
        stats.errors.append(f"no answer to {command!r}")
    except websockets.ConnectionClosed as exc:
        stats.errors.append(f"closed: {exc}")
    finally:
        await ws.close()
        task.cancel()


async def echoer(index: int, args, stats: Stats, connected, ready, go, stop) -> None:
    rng = random.Random(index)
    ws_base = args.url.replace("http", "ws", 1)
    try:
        ws = await websockets.connect(f"{ws_base}/ws/echo/", open_timeout=120)
    except Exception as exc:
        stats.errors.append(f"connect: {exc!r}")
        ready.append(index)
        connected.set() if len(ready) >= args.learners else None
        return
    ready.append(index)
    if len(ready) >= args.learners:
        connected.set()
    await go.wait()
    try:
        while not stop.is_set():
            await asyncio.sleep(rng.uniform(args.think_min, args.think_max))
            sent = time.perf_counter()
            await ws.send(json.dumps({"command": "kubectl get pods"}))
            await asyncio.wait_for(ws.recv(), 30)
            stats.messages += 1
            stats.rtts.append(time.perf_counter() - sent)
    except Exception as exc:
        stats.errors.append(repr(exc))
    finally:
        await ws.close()


async def run_phase(name: str, worker, args, pid: int | None, *extra) -> Stats:
    stats = Stats()
    connected, go, stop, ready = asyncio.Event(), asyncio.Event(), asyncio.Event(), []
    before = tree_rss_kb(pid) if pid else 0
    started = time.perf_counter()
    tasks = []
    for index in range(args.learners):
        tasks.append(asyncio.create_task(worker(index, args, *extra, stats, connected, ready, go, stop)))
        await asyncio.sleep(args.ramp / args.learners)
    try:
        await asyncio.wait_for(connected.wait(), 300)
    except asyncio.TimeoutError:
        stats.errors.append(f"only {len(ready)} connected")
    # Idle: first full states sent; consoles not used yet go dormant after 2 s
    # (tutorial/sandbox/consumers.py FIRST_DORMANT_AFTER_SECONDS), which is what an idle learner
    # costs, and the freed memory is handed back (tutorial/sandbox/memory.py).
    await asyncio.sleep(args.idle)
    after = tree_rss_kb(pid) if pid else 0
    print(f"[{name}] {len(ready)} connected in {time.perf_counter() - started:.1f} s; "
          f"server RSS {before / 1024:.0f} MB -> {after / 1024:.0f} MB"
          + (f" = {(after - before) / max(1, args.learners):.0f} KB per idle connection" if pid else ""))
    stats.memory_per_kb = (after - before) / max(1, args.learners) if pid else None
    go.set()
    measured = time.perf_counter()
    received_before, answered_before = stats.messages, len(stats.rtts)
    cpu_before = cpu_seconds(pid) if pid else 0.0
    await asyncio.sleep(args.duration)
    stop.set()
    elapsed = time.perf_counter() - measured
    cpu = (cpu_seconds(pid) - cpu_before) if pid else 0.0
    answered = len(stats.rtts) - answered_before
    stats.rate = (stats.messages - received_before) / elapsed
    await asyncio.gather(*tasks, return_exceptions=True)
    ms = [value * 1000 for value in stats.rtts]
    print(f"[{name}] round trip ms: p50 {percentile(ms, 50):.1f}  p95 {percentile(ms, 95):.1f}  "
          f"p99 {percentile(ms, 99):.1f}  (n={len(ms)}); {stats.rate:.0f} messages/s received; "
          f"errors {len(stats.errors)}" + (f": {stats.errors[:3]}" if stats.errors else ""))
    if pid:
        # Server CPU over the measured window per command answered in it: clock ticks, saves and
        # renders of the rollouts those commands started included. Near 1 core, latency queues up.
        print(f"[{name}] server CPU {cpu / elapsed * 100:.0f} % of one core; "
              f"{cpu * 1000 / max(1, answered):.1f} ms CPU per command")
    stats.p95 = percentile(ms, 95)
    return stats


def spawn_server(port: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_ALLOWED_HOSTS": os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")}
    # Persistent database connections, as README's Deployment recommends: with the default 0 every
    # database call of a console (channels closes old connections around each) opens a new
    # PostgreSQL connection, about a fifth of the server's CPU per command.
    env.setdefault("DATABASE_CONN_MAX_AGE", "60")
    python = ROOT / ".venv" / "bin" / "python"
    process = subprocess.Popen([str(python if python.exists() else sys.executable), "-m", "daphne", "-b",
                                "127.0.0.1", "-p", str(port), "bench.echo:application"],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except Exception:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running server (default: spawn daphne bench.echo:application)")
    parser.add_argument("--pid", type=int, help="the running server's pid, for its memory")
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--lesson", default="deployment-basics")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of measured load per phase")
    parser.add_argument("--ramp", type=float, default=20.0, help="seconds over which learners connect")
    parser.add_argument("--think-min", type=float, default=2.0)
    parser.add_argument("--think-max", type=float, default=6.0)
    parser.add_argument("--idle", type=float, default=15.0,
                        help="seconds all connections stay idle before the memory is read")
    parser.add_argument("--no-echo", action="store_true", help="skip the echo-consumer comparison")
    args = parser.parse_args()
    process = None
    if args.url is None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        process = spawn_server(port)
        args.url, args.pid = f"http://127.0.0.1:{port}", process.pid
    commands = lesson_commands(args.lesson, args.lang)
    print(f"{args.learners} learners, lesson {args.lesson} ({len(commands)} commands), "
          f"think {args.think_min}-{args.think_max} s, {args.duration:.0f} s measured, server {args.url}")
    try:
        site = asyncio.run(run_phase("console", learner, args, args.pid, commands))
        if not args.no_echo:
            echo = asyncio.run(run_phase("echo", echoer, args, args.pid))
            print(f"console / echo p95 ratio: {site.p95 / echo.p95:.1f}x")
    finally:
        if process is not None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
