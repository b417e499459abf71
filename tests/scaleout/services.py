"""Real PostgreSQL and Redis for the scale-out tests, and daphne server processes using them.

Nothing here imports Django: the servers are separate processes configured by environment
variables exactly as in production (README, Deployment).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get("SCALEOUT_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# A Redis database of its own: the tests never touch keys other programs use.
REDIS_DB = 11
# Restarting Redis: the command the machine notes give (it keeps nothing on disk).
REDIS_START = ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379",
               "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis",
               "--logfile", "/var/log/redis/ci.log"]


def postgres_problem() -> str | None:
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as exc:
        return f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc}"
    return None


def redis_ping(timeout: float = 2.0) -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=timeout) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_problem() -> str | None:
    return None if redis_ping() else f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}"


def create_database(name: str) -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_flush_db() -> None:
    with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=2) as sock:
        sock.sendall(f"SELECT {REDIS_DB}\r\nFLUSHDB\r\n".encode())
        sock.recv(64)


def restart_redis() -> None:
    """Stop Redis and start it again with the machine's own command; always leaves it running."""
    try:
        subprocess.run(["redis-cli", "-h", REDIS_HOST, "-p", str(REDIS_PORT), "shutdown", "nosave"],
                       timeout=10, capture_output=True)
        deadline = time.monotonic() + 10
        while redis_ping(0.2) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)  # the servers notice it is gone
    finally:
        ensure_redis()


def ensure_redis() -> None:
    if redis_ping():
        return
    subprocess.run(REDIS_START, timeout=10, check=False)
    deadline = time.monotonic() + 10
    while not redis_ping(0.2):
        assert time.monotonic() < deadline, "Redis did not start again"
        time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


@dataclass
class Server:
    """One daphne process serving the real ASGI application."""

    env: dict
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    log: Path | None = None

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self, log_dir: Path, application: str = "tutorial.asgi:application") -> "Server":
        self.log = log_dir / f"daphne-{self.port}.log"
        self.process = subprocess.Popen(
            [python(), "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port), application],
            cwd=ROOT, env=self.env, stdout=self.log.open("wb"), stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            assert self.process.poll() is None, f"daphne exited: {self.log.read_text()[-2000:]}"
            try:
                with urllib.request.urlopen(self.http + "/healthz", timeout=2) as reply:
                    if reply.status == 200:
                        return self
            except Exception:
                pass
            assert time.monotonic() < deadline, "daphne did not answer /healthz"
            time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no clean-up, no last save, like a crashed machine."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def server_env(database_url: str, content_dir: Path, extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update({
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}",
        "DJANGO_SETTINGS_MODULE": "tutorial.settings",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LESSON_CONTENT_DIR": str(content_dir),
        "DJANGO_LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra or {})
    return env


def manage(env: dict, *args: str) -> None:
    result = subprocess.run([python(), "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]


def deploy_steps(env: dict) -> None:
    """What a deployment runs before starting servers: migrate, and collect the static files
    (the manifest storage answers 500 for a file missing from staticfiles/)."""
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
