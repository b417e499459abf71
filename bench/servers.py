"""Server processes for bench/load.py: spawn N daphne processes (one port each, the client
balances round-robin, as a load balancer without stickiness would: any process serves any
learner on PostgreSQL + Redis), read their CPU and memory from /proc, and count PostgreSQL
backends while the load runs."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Target:
    """One server process the learners talk to: its URL and, when known, its pid."""

    url: str
    pid: int | None = None
    process: subprocess.Popen | None = None
    started_at: float = 0.0  # perf_counter when it answered /healthz (spawned only)

    @property
    def ws(self) -> str:
        return self.url.replace("http", "ws", 1)

    def rss_kb(self) -> int:
        return tree_rss_kb(self.pid) if self.pid else 0

    def cpu(self) -> float:
        return cpu_seconds(self.pid) if self.pid else 0.0


def spawn(application: str = "bench.echo:application", log_dir: Path | None = None) -> Target:
    port = free_port()
    env = {**os.environ, "DJANGO_ALLOWED_HOSTS": os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")}
    # The bench counts its own refusals; a capacity below the load would hide the figures.
    env.setdefault("CONSOLE_CAPACITY", "0")
    python = ROOT / ".venv" / "bin" / "python"
    out = (log_dir / f"daphne-{port}.log").open("wb") if log_dir else subprocess.DEVNULL
    process = subprocess.Popen([str(python if python.exists() else sys.executable), "-m", "daphne", "-b",
                                "127.0.0.1", "-p", str(port), application],
                               cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server on port {port} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                return Target(url, process.pid, process, time.perf_counter())
        except Exception:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("the server did not start")


def stop(targets: list[Target]) -> None:
    for target in targets:
        if target.process is not None and target.process.poll() is None:
            target.process.send_signal(signal.SIGTERM)
    for target in targets:
        if target.process is not None:
            try:
                target.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                target.process.kill()


class BackendCounter(threading.Thread):
    """Peak number of PostgreSQL backends on DATABASE_URL's database, sampled every 50 ms."""

    def __init__(self, database_url: str):
        super().__init__(daemon=True)
        self.url = database_url.replace("postgres://", "postgresql://", 1)
        self.database = self.url.rsplit("/", 1)[1].split("?", 1)[0]
        self.peak = 0
        self.error: str | None = None
        self.stopping = threading.Event()

    def run(self) -> None:
        try:
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as conn:
                while not self.stopping.is_set():
                    (count,) = conn.execute("SELECT count(*) - 1 FROM pg_stat_activity WHERE datname = %s",
                                            (self.database,)).fetchone()  # - 1: this connection
                    self.peak = max(self.peak, count)
                    self.stopping.wait(0.05)
        except Exception as exc:  # the bench reports it; it does not stop the load
            self.error = repr(exc)
