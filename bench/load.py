"""Load generator: N learners over real WebSockets against one or more server processes.

Each learner is new and anonymous: it opens the lesson page (its session cookie), connects the
console, waits for its sandbox (made with the lesson's set-up), sends the lesson's first command
(time to first command, from the page request to that answer), then replays the lesson's `run`
commands with think-time pauses for --duration seconds. Then as many connections talk to the bare
echo consumer of bench/echo.py on the same processes, with the same pauses. Learners are spread
round-robin over the processes (one port each), as a balancer without stickiness would: on
PostgreSQL + Redis any process serves any learner.

Printed per process and in total, console against echo: command round trip p50/p95/p99 (send ->
first output fragment), server CPU per command, memory per idle learner (RSS growth once every
learner is connected and idle for --idle seconds, over the learners on that process), errors and
clean "server is full" refusals; the time to first command (p50/p95/p99 and its parts) during the
ramp and of new learners arriving one a second while the load runs, and the first learner's right
after each process started (the warm-up's job: tutorial/warmup.py); on
PostgreSQL, the peak number of backends against the processes' connection budget.

    python bench/load.py --preset 500        # 500 learners, one process
    python bench/load.py --preset 1000       # 1,000 learners, one process
    python bench/load.py --preset 2000       # 2,000 learners, two processes
    python bench/load.py --learners 150 --processes 2 --duration 20
    python bench/load.py --url http://127.0.0.1:8000 --pid 1234 --learners 50   # running servers

The spawned servers get this environment (DATABASE_URL, REDIS_URL, ...); their database must be
migrated and static files collected (`make prepare`). Several processes need PostgreSQL + Redis:
    createdb -h 127.0.0.1 -U postgres rolloutlab_bench
    export DATABASE_URL=postgres://postgres@127.0.0.1/rolloutlab_bench REDIS_URL=redis://127.0.0.1:6379/3
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py collectstatic --noinput
    .venv/bin/python bench/load.py --preset 2000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.learners import (  # noqa: E402
    Phase, Refused, Stats, echoer, first_command, learner, lesson_commands, percentile)
from bench.servers import BackendCounter, Target, spawn, stop  # noqa: E402

PRESETS = {"500": (500, 1), "1000": (1000, 1), "2000": (2000, 2)}


def first_parts(firsts: list[tuple]) -> str:
    """Medians and p95 of the parts of a time to first command (page, connect, sandbox, answer)."""
    parts = list(zip(*firsts))
    return "medians / p95: " + ", ".join(
        f"{label} {percentile(part, 50) * 1000:.1f} / {percentile(part, 95) * 1000:.1f}"
        for label, part in zip(("page", "connect", "sandbox + state", "first answer"), parts)) + " ms"


def ms(values: list[float]) -> str:
    figures = [v * 1000 for v in values]
    return (f"p50 {percentile(figures, 50):.1f}  p95 {percentile(figures, 95):.1f}  "
            f"p99 {percentile(figures, 99):.1f} ms (n={len(figures)})")


def merged(stats: list[Stats]) -> Stats:
    total = Stats()
    for one in stats:
        total.rtts += one.rtts
        total.messages += one.messages
        total.errors += one.errors
        total.refused += one.refused
        total.connected += one.connected
        total.firsts += one.firsts
    return total


async def run_phase(name: str, worker, targets: list[Target], args, commands: list[str]) -> dict:
    stats = [Stats() for _ in targets]
    phase = Phase(args.learners)
    before = [target.rss_kb() for target in targets]
    started = time.perf_counter()
    tasks = []
    for index in range(args.learners):
        slot = index % len(targets)
        tasks.append(asyncio.create_task(worker(index, targets[slot], args, commands, stats[slot], phase)))
        await asyncio.sleep(args.ramp / args.learners)
    try:
        await asyncio.wait_for(phase.all_ready.wait(), 600)
    except asyncio.TimeoutError:
        stats[0].errors.append(f"only {phase.ready} of {args.learners} arrived")
    ramp = time.perf_counter() - started
    # Idle: first full states sent; consoles not used yet go dormant after a few seconds, which is
    # what an idle learner costs, and the freed memory is handed back (tutorial/sandbox/memory.py).
    await asyncio.sleep(args.idle)
    after = [target.rss_kb() for target in targets]
    phase.go.set()
    probes: list = []
    probing = (asyncio.create_task(probe_new_learners(targets, args, commands, probes, phase))
               if worker is learner and args.probe_every > 0 else None)
    measured = time.perf_counter()
    answered_before = [len(one.rtts) for one in stats]
    cpu_before = [target.cpu() for target in targets]
    client_before = resource.getrusage(resource.RUSAGE_SELF)
    await asyncio.sleep(args.duration)
    phase.stop.set()
    elapsed = time.perf_counter() - measured
    cpu = [target.cpu() - was for target, was in zip(targets, cpu_before)]
    answered = [len(one.rtts) - was for one, was in zip(stats, answered_before)]
    client = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = client.ru_utime + client.ru_stime - client_before.ru_utime - client_before.ru_stime
    await asyncio.gather(*tasks, *([probing] if probing else []), return_exceptions=True)

    print(f"[{name}] {phase.ready} learners arrived in {ramp:.1f} s; measured {elapsed:.0f} s; "
          f"load generator used {client_cpu / elapsed * 100:.0f} % of a core (near 100 %: it is the limit)")
    rows = []
    per_process = zip(targets, stats, before, after, cpu, answered)
    for number, (target, one, rss0, rss1, used, count) in enumerate(per_process, 1):
        row = {"rtts": one.rtts, "cpu": used, "answered": count,
               "kb_per_idle": (rss1 - rss0) / one.connected if target.pid and one.connected else None}
        rows.append(row)
        memory = (f"RSS {rss0 / 1024:.0f} -> {rss1 / 1024:.0f} MB = {row['kb_per_idle']:.0f} KB per idle learner"
                  if row["kb_per_idle"] is not None else "memory unknown (no pid)")
        cpu_text = (f"CPU {used / elapsed * 100:.0f} % of a core, {used * 1000 / max(1, count):.2f} ms per command"
                    if target.pid else "CPU unknown (no pid)")
        print(f"[{name}] process {number} {target.url}: {one.connected} connected, {one.refused} refused (full), "
              f"errors {len(one.errors)}{': ' + str(one.errors[:2]) if one.errors else ''}")
        print(f"[{name}]   round trip {ms(one.rtts)}; {cpu_text}; {memory}")
    total = merged(stats)
    total_cpu, total_answered = sum(cpu), sum(answered)
    known = [row["kb_per_idle"] for row in rows if row["kb_per_idle"] is not None]
    print(f"[{name}] total: {total.connected} connected, {total.refused} refused, errors {len(total.errors)}; "
          f"round trip {ms(total.rtts)}; {total.messages / max(elapsed, 1e-9):.0f} messages/s received")
    if all(target.pid for target in targets):
        print(f"[{name}] total: CPU {total_cpu / elapsed * 100:.0f} % of a core, "
              f"{total_cpu * 1000 / max(1, total_answered):.2f} ms per command"
              + (f"; {sum(known) / len(known):.0f} KB per idle learner" if known else "")
              + (f" (the CPU includes the {len(probes)} timed new learners' pages and sandboxes; "
                 "--probe-every 0 leaves them out)" if probes else ""))
    if total.firsts:
        print(f"[{name}] time to first command during the ramp {ms([sum(f) for f in total.firsts])}; "
              f"{first_parts(total.firsts)}")
    if probing:
        firsts = [f for f in probes if isinstance(f, tuple)]
        failed = [f for f in probes if not isinstance(f, tuple)]
        print(f"[{name}] time to first command of a new learner under this load (one every "
              f"{args.probe_every:g} s while it ran): {ms([sum(f) for f in firsts])}"
              + (f"; {first_parts(firsts)}" if firsts else "")
              + (f"; failed {len(failed)}: {failed[:2]}" if failed else ""))
    return {"p95": percentile(total.rtts, 95), "cpu_per_command": total_cpu / max(1, total_answered),
            "errors": len(total.errors), "refused": total.refused}


async def probe_new_learners(targets: list[Target], args, commands: list[str], probes: list, phase: Phase) -> None:
    """While the load runs: a new anonymous learner every --probe-every seconds, round-robin, up to
    its first command's answer (then it leaves). What a learner arriving at a busy server sees."""
    number = 0
    while not phase.stop.is_set():
        target = targets[number % len(targets)]
        number += 1
        stats = Stats()
        try:
            ws, _inbox, task = await first_command(target, args, commands[0], stats)
            probes.append(stats.firsts[0])
            await ws.close()
            task.cancel()
        except Exception as exc:  # Refused included: reported with the figure
            probes.append(repr(exc))
        try:
            await asyncio.wait_for(phase.stop.wait(), args.probe_every)
        except asyncio.TimeoutError:
            pass


async def first_learner_after_start(targets: list[Target], args, commands: list[str]) -> None:
    """The first and the second learner of each freshly started process, one after the other."""
    for number, target in enumerate(targets, 1):
        figures = []
        for _ in range(2):
            stats = Stats()
            try:
                ws, _inbox, task = await first_command(target, args, commands[0], stats)
            except (Refused, Exception) as exc:
                print(f"[start] process {number}: first learner failed: {exc!r}")
                break
            figures.append(sum(stats.firsts[0]) * 1000)
            await ws.close()
            task.cancel()
        if figures:
            print(f"[start] process {number}: time to first command of its first learner {figures[0]:.0f} ms"
                  + (f", of the second {figures[1]:.0f} ms" if len(figures) > 1 else ""))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", choices=sorted(PRESETS), help="500 or 1000 learners on one process, 2000 on two")
    parser.add_argument("--url", action="append", help="a running server (repeat for several); default: spawn")
    parser.add_argument("--pid", type=int, action="append", help="the running servers' pids, in --url order")
    parser.add_argument("--processes", type=int, default=1, help="server processes to spawn")
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--lesson", default="deployment-basics")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of measured load per phase")
    parser.add_argument("--ramp", type=float,
                        help="seconds over which learners arrive (default: 20 new learners per second per process)")
    parser.add_argument("--probe-every", type=float, default=1.0,
                        help="seconds between new learners timed to their first command while the load runs (0: none)")
    parser.add_argument("--think-min", type=float, default=2.0)
    parser.add_argument("--think-max", type=float, default=6.0)
    parser.add_argument("--idle", type=float, default=15.0,
                        help="seconds all connections stay idle before the memory is read")
    parser.add_argument("--no-echo", action="store_true", help="skip the echo-consumer comparison")
    parser.add_argument("--showing", default="cluster,chart",
                        help="the panels each learner's page says it shows, as a laptop-size page does "
                             "(cluster view and the chart's tab); 'all': say nothing (everything drawn)")
    args = parser.parse_args()
    if args.preset:
        args.learners, args.processes = PRESETS[args.preset]
    if args.ramp is None:
        args.ramp = max(5.0, args.learners / (20 * args.processes))
    return args


def main() -> None:
    args = parse_args()
    # Each learner holds a socket or two: lift the client's own file limit as far as allowed.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if args.url:
        pids = args.pid or []
        targets = [Target(url, pids[i] if i < len(pids) else None) for i, url in enumerate(args.url)]
    else:
        log_dir = Path(tempfile.mkdtemp(prefix="rolloutlab-bench-"))
        targets = [spawn(log_dir=log_dir) for _ in range(args.processes)]
        print(f"spawned {len(targets)} daphne process(es); logs in {log_dir}")
    commands = lesson_commands(args.lesson, args.lang)
    database = os.environ.get("DATABASE_URL", "")
    counter = BackendCounter(database) if database.startswith(("postgres://", "postgresql://")) else None
    if counter:
        counter.start()
    print(f"{args.learners} learners on {len(targets)} process(es), lesson {args.lesson} ({len(commands)} commands), "
          f"think {args.think_min}-{args.think_max} s, ramp {args.ramp:.0f} s, {args.duration:.0f} s measured")
    try:
        if not args.url:
            asyncio.run(first_learner_after_start(targets, args, commands))
        site = asyncio.run(run_phase("console", learner, targets, args, commands))
        if not args.no_echo:
            echo = asyncio.run(run_phase("echo", echoer, targets, args, commands))
            print(f"console / echo: p95 {site['p95'] / echo['p95']:.1f}x, CPU per command "
                  f"{site['cpu_per_command'] / max(echo['cpu_per_command'], 1e-9):.1f}x")
        if counter:
            pool = (int(os.environ.get("DATABASE_POOL_SIZE", "8"))
                    + int(os.environ.get("CONSOLE_DATABASE_CONNECTIONS", "8")))
            print(f"PostgreSQL backends: peak {counter.peak}" + (f" ({counter.error})" if counter.error else "")
                  + f"; budget {len(targets)} x {pool} = {len(targets) * pool} (tutorial/settings.py)")
    finally:
        if counter:
            counter.stopping.set()
        stop(targets)


if __name__ == "__main__":
    main()
