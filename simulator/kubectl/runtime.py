"""How a console command runs: its context, its output, and the process that may outlive a call.

A handler is `handler(ctx, inv)`. It writes with `ctx.out()` / `ctx.err()` and either returns
(done) or returns a generator: a long-running command (`get -w`, `rollout status`, `sleep`) that
yields the simulated time it wants to be woken at (None: wake me whenever anything happens). The
cluster resumes it as time passes, so a blocking command lets simulated time run.
"""
from __future__ import annotations

from typing import Callable

from .. import limits
from ..api.errors import KubeError


class Process:
    """A started command: output so far (stdout and stderr interleaved, and apart), done, exit."""

    def __init__(self, line: str):
        self.line = line
        self.chunks: list[tuple[str, str]] = []
        self._read_upto = 0
        self.done = False
        self.exit_code: int | None = None
        self.clear_screen = False
        self.wake: float | None = None
        self._gen = None
        self._cleanup: list[Callable[[], None]] = []
        self._size = 0

    # output -----------------------------------------------------------------------------------
    def write(self, stream: str, text: str) -> None:
        if not text:
            return
        if self._size > limits.MAX_OUTPUT_BYTES:
            return
        self._size += len(text)
        if self._size > limits.MAX_OUTPUT_BYTES:
            text = text[: max(0, len(text) - (self._size - limits.MAX_OUTPUT_BYTES))] + "\n[output truncated]\n"
        self.chunks.append((stream, text))

    def read(self) -> str:
        """Output not read before, as a terminal shows it."""
        new = self.chunks[self._read_upto:]
        self._read_upto = len(self.chunks)
        return "".join(t for _, t in new)

    @property
    def stdout(self) -> str:
        return "".join(t for s, t in self.chunks if s == "out")

    @property
    def stderr(self) -> str:
        return "".join(t for s, t in self.chunks if s == "err")

    # lifecycle ----------------------------------------------------------------------------------
    def on_finish(self, fn: Callable[[], None]) -> None:
        self._cleanup.append(fn)

    def finish(self, code: int) -> None:
        if self.done:
            return
        self.done = True
        self.exit_code = code
        self._gen = None
        for fn in self._cleanup:
            fn()
        self._cleanup.clear()

    def resume(self, now: float) -> None:
        """Run the command on if it is due (called by the cluster as time passes)."""
        if self.done or self._gen is None:
            return
        if self.wake is not None and now < self.wake:
            return
        try:
            self.wake = next(self._gen)
        except StopIteration as stop:
            self.finish(stop.value if isinstance(stop.value, int) else 0)
        except KubeError as err:
            self.write("err", err.render() + "\n")
            self.finish(err.exit_code)

    def cancel(self) -> None:
        """Ctrl+C: the command stops where it is (kubectl exits 130 on SIGINT... the shell shows ^C)."""
        if self.done:
            return
        if self._gen is not None:
            self._gen.close()
        self.finish(130)

    @property
    def blocking(self) -> bool:
        return not self.done and self._gen is not None


class Context:
    """What a handler sees: the cluster's engine and files, output, environment."""

    def __init__(self, cluster, proc: Process, env: dict | None = None):
        self.cluster = cluster
        self.eng = cluster._eng
        self.files = cluster.files
        self.proc = proc
        self.env = dict(env or {})
        self.exit_code = 0

    @property
    def now(self) -> float:
        return self.eng.now

    def out(self, text: str) -> None:
        self.proc.write("out", text)

    def err(self, text: str) -> None:
        self.proc.write("err", text)

    def warn(self, text: str) -> None:
        self.proc.write("err", text if text.endswith("\n") else text + "\n")
