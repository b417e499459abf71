"""The virtual clock's timer queue.

Every delayed effect (image pulled, probe due, grace period over, minReadySeconds elapsed,
progress deadline) is a timer: (due time, sequence, action name, args). Actions are names, not
callables, so the queue is plain data and snapshots losslessly. Equal due times fire in the order
they were scheduled, which keeps runs deterministic.
"""
from __future__ import annotations

import heapq


class TimerQueue:
    def __init__(self):
        self._heap: list[tuple[float, int, str, list]] = []
        self._seq = 0

    def schedule(self, due: float, action: str, *args) -> None:
        self._seq += 1
        heapq.heappush(self._heap, (float(due), self._seq, action, list(args)))

    def next_due(self) -> float | None:
        return self._heap[0][0] if self._heap else None

    def pop_due(self, now: float):
        """Timers due at or before `now`, one at a time, in order."""
        while self._heap and self._heap[0][0] <= now:
            due, _, action, args = heapq.heappop(self._heap)
            yield due, action, args

    def __len__(self) -> int:
        return len(self._heap)

    def to_data(self) -> dict:
        return {"seq": self._seq, "timers": sorted([list(t) for t in self._heap])}

    @classmethod
    def from_data(cls, data: dict) -> "TimerQueue":
        q = cls()
        q._seq = data["seq"]
        q._heap = [(t[0], t[1], t[2], t[3]) for t in data["timers"]]
        heapq.heapify(q._heap)
        return q
