"""A fold over the console log (`Cluster.history`) kept up to date a line at a time.

The log only grows at its end, and past 1,000 lines loses its oldest ones (simulator/cluster.py
_log); its entries' `t` and `line` never change. So what a check computes over every line can be
carried from one grading to the next and fed only the new lines: a grading then costs the lines
logged since the last one, not the whole log. When the log was not only appended to (its first
line or the last line seen is another one, or it is shorter), the fold starts again from the top.
"""
from __future__ import annotations

from itertools import islice
from typing import Any, Callable


class LogScan:
    __slots__ = ("start", "state", "log", "seen", "first", "last", "starts")

    def __init__(self, start: Any) -> None:
        self.start = self.state = start
        self.log: list | None = None
        self.seen = 0  # how many of the log's entries the state has taken in
        self.first = self.last = None  # its first and last entry then (held, so compared by identity)
        self.starts = 0  # how many times the fold started from the top (a log not only appended to)

    def fold(self, log: list, step: Callable[[Any, dict], Any]) -> Any:
        """The state after `step` over every entry of `log` (each entry is taken in once)."""
        n = len(log)
        if not (self.log is log and self.seen <= n
                and (self.seen == 0 or (log[0] is self.first and log[self.seen - 1] is self.last))):
            self.log, self.seen, self.state = log, 0, self.start
            self.starts += 1
        if self.seen < n:
            state = self.state
            for entry in islice(log, self.seen, None):
                state = step(state, entry)
            self.state, self.seen, self.first, self.last = state, n, log[0], log[n - 1]
        return self.state


__all__ = ["LogScan"]
