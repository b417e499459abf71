"""The simulated learners of bench/load.py: a new anonymous learner opens the lesson page, connects
the console, waits for the sandbox (created with the lesson's set-up), sends the lesson's first
command (time to first command), then replays the lesson's `run` commands with think-time pauses.
The echo learner talks to bench/echo.py's bare consumer with the same pauses.

HTTP is spoken over asyncio streams (no threads): a thread pool in the client would queue page
requests and add its own wait to the time to first command."""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import websockets

ROOT = Path(__file__).resolve().parents[1]
RUN_FENCE = re.compile(r"```run\n(.*?)```", re.S)
# Streams that never end by themselves: a learner would press Ctrl+C; the replay leaves them out.
ENDLESS = re.compile(r"(^|\s)(-w|--watch)(\s|$)")
OUTPUT = ('class="console-output', 'class="console-error')
CLOSE_FULL = 4013  # tutorial/admission.py: this process is at its capacity of consoles
FULL_PAGE = 503
FULL_MARKS = ("server is full", "서버가 가득")  # the refusal line, in either language


class Refused(Exception):
    """The server said it is full (503 page or a 4013 close): a clean refusal, not an error."""


def lesson_commands(slug: str, lang: str) -> list[str]:
    """The lesson's `run` commands, from the content folder the spawned servers read too."""
    content = Path(os.environ.get("LESSON_CONTENT_DIR", ROOT / "tutorial" / "content"))
    for folder in sorted(content.iterdir()):
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


@dataclass
class Stats:
    """What one phase measured on one server process."""

    rtts: list[float] = field(default_factory=list)
    messages: int = 0
    errors: list[str] = field(default_factory=list)
    refused: int = 0
    connected: int = 0
    # Time to first command, per learner: page, WebSocket open, full state, first answer (s).
    firsts: list[tuple[float, float, float, float]] = field(default_factory=list)


async def lesson_page(base: str, lang: str, slug: str, timeout: float = 60) -> str:
    """GET the lesson page over a fresh connection; return the Cookie header it set."""
    parts = urlsplit(base)
    reader, writer = await asyncio.wait_for(asyncio.open_connection(parts.hostname, parts.port), timeout)
    try:
        writer.write(f"GET /{lang}/lessons/{slug}/ HTTP/1.1\r\nHost: {parts.netloc}\r\n"
                     f"Connection: close\r\nAccept-Language: {lang}\r\n\r\n".encode())
        await writer.drain()
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
        await asyncio.wait_for(reader.read(), timeout)  # the body: a browser would read it too
    finally:
        writer.close()
    lines = head.decode("latin1").split("\r\n")
    status = int(lines[0].split()[1])
    if status == FULL_PAGE:
        raise Refused("503 page")
    if status != 200:
        raise RuntimeError(f"lesson page answered {status}")
    cookies = [line.split(":", 1)[1].split(";", 1)[0].strip() for line in lines[1:]
               if line.lower().startswith("set-cookie:")]
    return "; ".join(cookies)


async def _reader(ws, stats: Stats, inbox: asyncio.Queue) -> None:
    try:
        async for message in ws:
            stats.messages += 1
            inbox.put_nowait((time.perf_counter(), message))
    except websockets.ConnectionClosed as closed:
        if closed.rcvd is None or closed.rcvd.code not in (1000, 1001, CLOSE_FULL):  # refusals counted apart
            stats.errors.append(f"closed: {closed}")
    inbox.put_nowait((time.perf_counter(), None))


async def _answer(inbox: asyncio.Queue, sent: float, timeout: float = 30) -> float:
    """Seconds from `sent` to the first fragment carrying output (or an error)."""
    deadline = sent + timeout
    while True:
        at, message = await asyncio.wait_for(inbox.get(), max(0.1, deadline - time.perf_counter()))
        if message is None:
            raise websockets.ConnectionClosedError(None, None)
        if any(mark in message for mark in OUTPUT):
            return at - sent


@dataclass
class Phase:
    """Shared by every learner of a phase: the ramp's rendezvous and the stop signal."""

    total: int
    ready: int = 0
    all_ready: asyncio.Event = field(default_factory=asyncio.Event)
    go: asyncio.Event = field(default_factory=asyncio.Event)
    stop: asyncio.Event = field(default_factory=asyncio.Event)

    def arrived(self) -> None:
        self.ready += 1
        if self.ready >= self.total:
            self.all_ready.set()


async def first_command(target, args, command: str, stats: Stats):
    """A new anonymous learner up to its first command's answer. Returns (ws, inbox, reader task)."""
    started = time.perf_counter()
    cookie = await lesson_page(target.url, args.lang, args.lesson)
    paged = time.perf_counter()
    ws = await websockets.connect(f"{target.ws}/ws/sandbox/{args.lang}/{args.lesson}/", open_timeout=120,
                                  additional_headers={"Cookie": cookie, "Origin": target.url}, max_size=2**24)
    opened = time.perf_counter()
    if args.showing != "all":  # what the page says when its socket opens (static/js/console.js)
        await ws.send(json.dumps({"showing": [name for name in args.showing.split(",") if name]}))
    inbox: asyncio.Queue = asyncio.Queue()
    task = asyncio.create_task(_reader(ws, stats, inbox))
    at, message = await asyncio.wait_for(inbox.get(), 60)  # the full state: the sandbox exists
    if message is None:
        task.cancel()
        if ws.close_code == CLOSE_FULL:
            raise Refused("console refused")
        raise RuntimeError(f"closed before the first state ({ws.close_code})")
    if ws.close_code == CLOSE_FULL or any(mark in message for mark in FULL_MARKS):
        raise Refused("console refused")
    sent = time.perf_counter()
    await ws.send(json.dumps({"command": command}))
    answered = sent + await _answer(inbox, sent)
    stats.firsts.append((paged - started, opened - paged, at - opened, answered - at))
    return ws, inbox, task


async def learner(index: int, target, args, commands: list[str], stats: Stats, phase: Phase) -> None:
    rng = random.Random(index)
    try:
        ws, inbox, task = await first_command(target, args, commands[0], stats)
    except Refused:
        stats.refused += 1
        phase.arrived()
        return
    except Exception as exc:
        stats.errors.append(f"connect: {exc!r}")
        phase.arrived()
        return
    stats.connected += 1
    phase.arrived()
    await phase.go.wait()
    position = rng.randrange(len(commands))
    command = commands[0]
    try:
        while not phase.stop.is_set():
            await asyncio.sleep(rng.uniform(args.think_min, args.think_max))
            if phase.stop.is_set():
                break
            command = commands[position % len(commands)]
            position += 1
            while not inbox.empty():
                inbox.get_nowait()
            sent = time.perf_counter()
            await ws.send(json.dumps({"command": command}))
            stats.rtts.append(await _answer(inbox, sent))
            if "rollout status" in command or "logs -f" in command:
                await ws.send(json.dumps({"cancel": True}))  # do not leave a stream behind
    except asyncio.TimeoutError:
        stats.errors.append(f"no answer to {command!r}")
    except websockets.ConnectionClosed as exc:
        stats.errors.append(f"closed: {exc}")
    finally:
        await ws.close()
        task.cancel()


async def echoer(index: int, target, args, commands: list[str], stats: Stats, phase: Phase) -> None:
    rng = random.Random(index)
    try:
        ws = await websockets.connect(f"{target.ws}/ws/echo/", open_timeout=120)
    except Exception as exc:
        stats.errors.append(f"connect: {exc!r}")
        phase.arrived()
        return
    stats.connected += 1
    phase.arrived()
    await phase.go.wait()
    try:
        while not phase.stop.is_set():
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
