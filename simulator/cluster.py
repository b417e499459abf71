"""The public API: `Cluster` (DESIGN.md "The simulator"). Tests outside the project drive exactly
this; keep it stable.

    c = Cluster(seed=0); c.files["x.yaml"] = text; r = c.run("kubectl create -f x.yaml")
    c.advance(30); c.now; cmd = c.start("kubectl get pods -w"); cmd.read(); cmd.cancel()
    state = c.snapshot(); c2 = Cluster.restore(state); c.subscribe(callback)
"""
from __future__ import annotations

import base64
import datetime as _dt
import json
import logging
import zlib
from dataclasses import dataclass
from typing import Callable

from . import limits
from .api.errors import KubeError, LimitExceeded
from .engine import Engine
from .kubectl.runtime import Context, Process
from .objects import clone

log = logging.getLogger(__name__)

SNAPSHOT_FORMAT = 1
# Commands that never change the cluster: no checkpoint is needed before them.
_READ_ONLY = {"get", "describe", "explain", "api-resources", "api-versions", "version", "cluster-info",
              "ls", "cat", "help", "echo", "clear", "config", "logs", "history", "top"}


@dataclass(frozen=True)
class Result:
    stdout: str
    stderr: str
    exit_code: int

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


class Files(dict):
    """The learner's working directory: file name → text, with Rollout Lab's size caps."""

    def __setitem__(self, name, text):
        if not isinstance(name, str) or not name or len(name) > 255 or "\x00" in name or ".." in name.split("/"):
            raise LimitExceeded(f"invalid file name: {name!r}")
        if not isinstance(text, str):
            raise TypeError("file contents must be text")
        if len(text.encode("utf-8", "surrogatepass")) > limits.MAX_FILE_BYTES:
            raise LimitExceeded(f"{name}: files are limited to {limits.MAX_FILE_BYTES // 1024} KB")
        if name not in self and len(self) >= limits.MAX_FILES:
            raise LimitExceeded(f"the working directory is limited to {limits.MAX_FILES} files")
        super().__setitem__(name, text)

    def update(self, *args, **kwargs):
        for k, v in dict(*args, **kwargs).items():
            self[k] = v


class Cluster:
    def __init__(self, seed: int = 0, *, start: _dt.datetime | None = None):
        self._eng = Engine(seed, epoch=start)
        self._eng.bootstrap()
        self.files = Files()
        self.seed = seed
        self.history: list[dict] = []       # every command line the learner ran, with its outcome
        self.traffic: list[dict] = []       # HTTP answers seen through curl
        self._procs: list[Process] = []
        self._subscribers: list[Callable] = []

    # ---- time --------------------------------------------------------------------------------
    @property
    def now(self) -> float:
        return self._eng.now

    def advance(self, seconds: float) -> None:
        """Let `seconds` of simulated time pass; streaming commands see every change as it happens."""
        seconds = float(seconds)
        if not seconds >= 0:  # also refuses NaN
            raise ValueError("advance() needs a non-negative number of seconds")
        self._advance_to(self._eng.now + min(seconds, 10 * 365 * 86400.0))

    def _advance_to(self, target: float) -> None:
        eng = self._eng
        while True:
            due = eng.next_due()
            wakes = [p.wake for p in self._procs if p.blocking and p.wake is not None]
            nxt = min([t for t in [due, *wakes] if t is not None], default=None)
            if nxt is None or nxt > target:
                break
            eng.advance_to(nxt)
            self._resume()
        eng.advance_to(target)
        self._resume()

    def _resume(self) -> None:
        for p in list(self._procs):
            p.resume(self._eng.now)
            if p.done:
                self._procs.remove(p)

    # ---- commands ------------------------------------------------------------------------------
    def run(self, line: str, env: dict | None = None, timeout: float | None = None) -> Result:
        """Run one console line to completion. A blocking command lets simulated time pass until it
        ends, or `timeout` simulated seconds (at most an hour), after which it is interrupted."""
        proc = self.start(line, env=env)
        if not proc.done:
            limit = limits.MAX_WAIT_SECONDS if timeout is None else min(float(timeout), limits.MAX_WAIT_SECONDS)
            deadline = self._eng.now + max(limit, 0.0)
            steps = 0
            while not proc.done and self._eng.now < deadline:
                steps += 1
                if steps > 1_000_000:  # cannot happen unless a command never lets time move
                    break
                due = self._eng.next_due()
                wake = proc.wake
                candidates = [t for t in (due, wake, deadline) if t is not None]
                step = min(candidates)
                self._advance_to(min(max(step, self._eng.now), deadline))
                if not proc.done and due is None and wake is None:
                    self._advance_to(deadline)  # nothing will ever happen: let the clock run out
            if not proc.done:
                proc.cancel()
                if timeout is None:
                    proc.exit_code = 0
        return Result(proc.stdout, proc.stderr, proc.exit_code if proc.exit_code is not None else 0)

    def start(self, line: str, env: dict | None = None) -> Process:
        """Begin a command; streaming ones keep running as time passes (read(), cancel())."""
        from .console import execute

        proc = Process(line if isinstance(line, str) else "")
        checkpoint = None
        first = (line or "").strip().split(" ", 1)[0] if isinstance(line, str) else ""
        words = (line or "").split() if isinstance(line, str) else []
        verb = words[1] if first in ("kubectl", "k") and len(words) > 1 else first
        if verb not in _READ_ONLY:
            checkpoint = self._checkpoint()
        try:
            execute(self, proc, line, env)
        except Exception:  # a bug of ours: report it, keep the learner's cluster as it was
            log.exception("command crashed: %r", line)
            if checkpoint is not None:
                self._rollback(checkpoint)
            proc.write("err", "error: internal error in the simulator; the command was not applied\n")
            proc.finish(1)
        if not proc.done:
            self._procs.append(proc)
        self._log(proc)
        return proc

    def _log(self, proc: Process) -> None:
        if proc.line.strip():
            self.history.append({"t": round(self._eng.now, 3), "line": proc.line.strip()[:limits.MAX_COMMAND_BYTES],
                                 "exit": proc.exit_code})
            if len(self.history) > 1000:
                del self.history[: len(self.history) - 1000]

    def _checkpoint(self):
        return clone(self._eng.to_data()), dict(self.files)

    def _rollback(self, checkpoint) -> None:
        data, files = checkpoint
        listeners = self._eng.store._listeners[1:]
        self._eng = Engine.from_data(data)
        for fn in listeners:
            self._eng.store.listen(fn)
        dict.clear(self.files)
        dict.update(self.files, files)

    def complete(self, text: str) -> list[str]:
        """Tab completion candidates for the end of `text`."""
        from .completion import complete

        try:
            return complete(self, text)
        except KubeError:
            return []

    # ---- reading state ------------------------------------------------------------------------
    def list(self, kind: str, namespace: str | None = None) -> list[dict]:
        """Copies of the objects of one kind (e.g. "Deployment"), optionally in one namespace."""
        return [clone(o) for o in self._eng.store.list(kind, namespace)]

    def get(self, kind: str, namespace: str, name: str) -> dict | None:
        obj = self._eng.store.get(kind, namespace, name)
        return clone(obj) if obj is not None else None

    def timeline(self, deployment: str, namespace: str = "default") -> list[dict]:
        """Rollout samples of one Deployment (see simulator/timeline.py)."""
        return clone(self._eng.timeline.for_deployment(namespace, deployment))

    def decisions(self, deployment: str, namespace: str = "default") -> list[dict]:
        """The deployment controller's decisions with their numbers (for "why" explanations)."""
        return clone(self._eng.timeline.decisions_for(namespace, deployment))

    def service_timeline(self, service: str, namespace: str = "default") -> list[dict]:
        return clone(self._eng.timeline.for_service(namespace, service))

    def request(self, url: str) -> dict:
        """One HTTP request from inside the cluster, as `curl` would send it, without touching the
        learner's command log or curl record (for the traffic strip). Returns status (0 when no
        answer), body, pod, version and a curl-style error or None."""
        from .shell import http_request

        answer = http_request(self, url)
        return {"status": answer["status"], "body": answer["body"], "pod": answer.get("pod"),
                "version": answer.get("version"), "error": answer["error"]}

    def subscribe(self, callback: Callable[[dict], None]) -> Callable[[], None]:
        """Watch events {"type": ADDED|MODIFIED|DELETED, "object": {...}} for live views."""
        def relay(etype, obj):
            callback({"type": etype, "object": clone(obj)})

        self._subscribers.append(relay)
        unlisten = self._eng.store.listen(relay)

        def unsubscribe():
            if relay in self._subscribers:
                self._subscribers.remove(relay)
            unlisten()
            try:
                self._eng.store._listeners.remove(relay)
            except ValueError:
                pass

        return unsubscribe

    # ---- snapshot -------------------------------------------------------------------------------
    def snapshot(self) -> dict:
        """The whole cluster as JSON-compatible data (lossless; streaming commands are not kept)."""
        state = {"engine": self._eng.to_data(), "files": dict(self.files), "seed": self.seed,
                 "history": self.history, "traffic": self.traffic}
        raw = json.dumps(state, separators=(",", ":"), sort_keys=True).encode()
        return {"format": SNAPSHOT_FORMAT, "now": self._eng.now,
                "data": base64.b64encode(zlib.compress(raw, 6)).decode("ascii")}

    @classmethod
    def restore(cls, snapshot: dict) -> "Cluster":
        if not isinstance(snapshot, dict) or snapshot.get("format") != SNAPSHOT_FORMAT:
            raise ValueError("not a Rollout Lab cluster snapshot")
        state = json.loads(zlib.decompress(base64.b64decode(snapshot["data"])))
        c = cls.__new__(cls)
        c._eng = Engine.from_data(state["engine"])
        c.files = Files()
        dict.update(c.files, state["files"])
        c.seed = state["seed"]
        c.history = state["history"]
        c.traffic = state["traffic"]
        c._procs = []
        c._subscribers = []
        return c
