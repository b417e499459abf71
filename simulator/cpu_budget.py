"""A per-command CPU budget, so no command can hold the process (and every other learner on it).

The cluster opens a budget around each synchronous slice of a command (`Cluster.start`, one step
of a blocking command, an edit's save); the loops that a learner can make long (controllers'
work queue and timers, pipeline stages, regex matching, jsonpath evaluation) call
`check()`, which raises `CPUBudgetExceeded` once the slice has used more than
limits.COMMAND_CPU_MS of this thread's CPU time. Outside a slice (the clock advancing on its own)
`check()` does nothing: that work is bounded by the object caps instead.

CPU time, not wall time (`time.thread_time`): a loaded machine slows a command down without making
it fail, so normal commands stay deterministic. The check sits only at points where stopping
leaves the cluster consistent (before a reconcile or a timer instant starts); the cluster rolls
a started command back to its checkpoint anyway.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager

from . import limits

_state = threading.local()


class CPUBudgetExceeded(Exception):
    """Not a KubeError on purpose: handlers and the console must not catch it as a command's own
    failure; the cluster does, rolls back and prints `render()`."""

    exit_code = 1

    def __init__(self, ms: int):
        super().__init__(ms)
        self.ms = ms

    def render(self) -> str:
        return f"error: this command used more than {self.ms} ms of CPU"


@contextmanager
def command(ms: int | None = None):
    """A budget of `ms` (default limits.COMMAND_CPU_MS) for what runs inside; a nested slice
    shares the outer one (a pipeline stage is part of its pipeline)."""
    if getattr(_state, "deadline", None) is not None:
        yield
        return
    ms = limits.COMMAND_CPU_MS if ms is None else ms
    _state.deadline = time.thread_time() + ms / 1000.0
    _state.ms = ms
    try:
        yield
    finally:
        _state.deadline = None


def active() -> bool:
    return getattr(_state, "deadline", None) is not None


def check() -> None:
    """Raise CPUBudgetExceeded when the current slice is spent (no-op outside a slice)."""
    deadline = getattr(_state, "deadline", None)
    if deadline is not None and time.thread_time() >= deadline:
        raise CPUBudgetExceeded(_state.ms)


def remaining(default: float) -> float:
    """Seconds of CPU left in the current slice (`default` outside a slice)."""
    deadline = getattr(_state, "deadline", None)
    if deadline is None:
        return default
    return max(0.0, deadline - time.thread_time())
