"""Runs one command script twice, on identically seeded clusters: through the console
(`Cluster.run`) and through the real kubectl binary against the test server; records both.

A script is a list of console lines and `# advance N`. kubectl lines (optionally prefixed with
`NAME=value` environment words, e.g. a scripted KUBE_EDITOR) are compared; every other line
(curl, cat, sleep, pipes) runs through the console on both clusters so they stay identical.
After each step the two clocks are brought to the same simulated time (a blocking kubectl
command through the API may end a little later than the console's own), which changes nothing
but `now` and the timers due before it, on both sides alike.
"""
from __future__ import annotations

import os
import platform
import re
import shlex
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from simulator import Cluster

from .server import ApiServer, kubeconfig

ROOT = Path(__file__).resolve().parents[2]
KUBECTL = ROOT / ".venv" / "kubectl" / "kubectl"
WATCH_SECONDS = 60.0
KUBECTL_TIMEOUT = 30  # wall seconds: a kubectl still waiting then has diverged from the console  # simulated time a never-ending watch (`get -w`) is given on both sides
_ADVANCE = re.compile(r"^#\s*advance\s+(\d+(?:\.\d+)?)\s*$")
_ENV_WORD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


def skip_reason() -> str | None:
    """Why the oracle cannot run here (None: it can)."""
    if platform.system() != "Linux" or platform.machine() not in ("x86_64", "AMD64"):
        return f"the oracle kubectl is a linux/x86_64 binary; this is {platform.system()}/{platform.machine()}"
    return None


def oracle_or_skip() -> None:
    """Skip only where the linux/x86_64 binary cannot run; on x86_64 a missing binary is a failure
    (run `make oracle-kubectl`), never a silent skip."""
    import pytest

    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    assert KUBECTL.exists(), f"{KUBECTL} is missing: run `make oracle-kubectl` (make test does)"


@dataclass
class Outcome:
    line: str
    console: tuple[str, str, int]
    oracle: tuple[str, str, int]

    @property
    def same(self) -> bool:
        return self.console == self.oracle


@dataclass
class Run:
    name: str
    outcomes: list[Outcome] = field(default_factory=list)


def split_line(line: str) -> tuple[dict, list[str]] | None:
    """(environment, kubectl argv) for a plain kubectl line, None for anything else."""
    if "|" in line or ">" in line or ";" in line or "&&" in line:
        return None
    try:
        words = shlex.split(line)
    except ValueError:
        return None
    env = {}
    while words and _ENV_WORD.match(words[0]):
        k, _, v = words.pop(0).partition("=")
        env[k] = v
    if not words or words[0] not in ("kubectl", "k"):
        return None
    return env, words[1:]


def is_watch(argv: list[str]) -> bool:
    return any(a in ("-w", "--watch", "--watch-only") or a.startswith("--watch=") or a.startswith("--watch-only=")
               for a in argv) or (bool(argv) and argv[0] == "logs" and any(a in ("-f", "--follow") for a in argv))


class Pair:
    """The two clusters of one script and the oracle's server."""

    def __init__(self, seed: int, files: dict[str, str]):
        self.console = Cluster(seed)
        self.api_cluster = Cluster(seed)
        for name, text in files.items():
            self.console.files[name] = text
            self.api_cluster.files[name] = text
        self.tmp = tempfile.TemporaryDirectory(prefix="kubectl-oracle-")
        self.dir = Path(self.tmp.name)
        self.server = ApiServer(self.api_cluster, tls_dir=self.dir).start()
        self.server.horizon = 0.0  # the clock moves only inside a kubectl command (see kubectl())
        (self.dir / "home").mkdir()
        (self.dir / "work").mkdir()
        (self.dir / "kubeconfig").write_text(kubeconfig(self.server.url, ca_pem=self.server.ca_pem))

    def close(self) -> None:
        self.server.stop()
        self.tmp.cleanup()

    def _sync_files(self) -> None:
        for name, text in self.api_cluster.files.items():
            path = self.dir / "work" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)

    def _sync_clocks(self) -> None:
        with self.server.lock:
            t = max(self.console.now, self.api_cluster.now)
            for c in (self.console, self.api_cluster):
                if t > c.now:
                    c.advance(t - c.now)

    def advance(self, seconds: float) -> None:
        with self.server.lock:
            self.console.advance(seconds)
            self.api_cluster.advance(seconds)
            self.server.horizon = self.api_cluster.now

    def console_only(self, line: str) -> None:
        self.console.run(line)
        with self.server.lock:
            self.api_cluster.run(line)
            self.api_cluster.history.pop()
        self._sync_clocks()
        with self.server.lock:
            self.server.horizon = self.api_cluster.now

    def kubectl(self, line: str, env: dict, argv: list[str]) -> Outcome:
        watch = is_watch(argv)
        console_line = shlex.join(["kubectl", *argv]) if env else line  # the console takes env apart
        r = self.console.run(console_line, env=env or None, timeout=WATCH_SECONDS if watch else None)
        # A never-ending watch is cut after WATCH_SECONDS on both sides: the console reports its
        # own cut as an interrupt (130), kubectl sees the server end the stream (0); same event.
        console = (r.stdout, r.stderr, 0 if watch and r.exit_code == 130 else r.exit_code)
        self._sync_files()
        with self.server.lock:
            # the API side may not run past the moment the console's command ended: a blocking
            # kubectl that is slow to exit must not see (or cause) later timers firing
            self.server.horizon = self.console.now
            self.server.end_streams_at_horizon = watch
        full_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.dir / "home"),
                    "KUBECONFIG": str(self.dir / "kubeconfig"), "LANG": "C.UTF-8", **env}
        try:
            p = subprocess.run([str(KUBECTL), *argv], cwd=self.dir / "work", env=full_env, capture_output=True,
                               text=True, timeout=KUBECTL_TIMEOUT)
            oracle = (p.stdout, p.stderr, p.returncode)
        except subprocess.TimeoutExpired as e:
            oracle = ((e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or ""),
                      "TIMEOUT", -1)
        self.server.wait_streams_closed()  # no stream of this kubectl may move the next one's clock
        with self.server.lock:
            self.server.end_streams_at_horizon = False
        self._sync_clocks()
        with self.server.lock:
            # between commands the API side's clock only moves with the script: a stream kubectl
            # left behind must not let it run on
            self.server.horizon = self.api_cluster.now
        return Outcome(line, console, oracle)


def run_script(name: str, seed: int, files: dict[str, str], steps: list[str]) -> Run:
    run = Run(name)
    pair = Pair(seed, files)
    try:
        for line in steps:
            m = _ADVANCE.match(line.strip())
            if m:
                pair.advance(float(m.group(1)))
                continue
            if line.strip().startswith("#") or not line.strip():
                continue
            parsed = split_line(line)
            if parsed is None:
                pair.console_only(line)
                continue
            env, argv = parsed
            run.outcomes.append(pair.kubectl(line, env, argv))
    finally:
        pair.close()
    return run
