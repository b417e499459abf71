"""One clock for every console of the process: wake each sandbox only when it has something to do.

Before, every open console ran its own 0.1 s loop, so CPU grew with open consoles rather than with
what learners do. Now a console asks to be woken at a loop time (`wake_at`) and is otherwise left
alone: a sandbox with nothing scheduled, no streaming command and no traffic strip asks for nothing
and costs nothing until a message arrives. The session decides when (session/driving.py `Clock.plan`); this
module only keeps the timetable and runs the due ticks.

One `ClockScheduler` per event loop (`scheduler()`): one timer of the loop (`call_at`) armed for the
earliest wake-up. A due driver's `clock_tick()` runs as its own task, so one console waiting on
the database never delays the others; a driver whose tick is still running is not started twice.
(It was a task sleeping in `asyncio.wait_for(event.wait(), timeout)`: every wake-up made a task,
a future and a timer of its own, at 500 learners several hundred times a second.)
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import weakref
from typing import Protocol

logger = logging.getLogger(__name__)


class Driver(Protocol):
    async def clock_tick(self) -> None: ...


class ClockScheduler:
    def __init__(self, loop: asyncio.AbstractEventLoop):
        self._loop = loop
        self._heap: list[tuple[float, int, Driver]] = []
        self._due: dict[Driver, tuple[float, int]] = {}  # the live entry of each driver
        self._seq = itertools.count()
        self._ticking: set[Driver] = set()
        self._again: set[Driver] = set()  # due while its previous tick was still running
        self._tasks: set[asyncio.Task] = set()
        self._timer: asyncio.TimerHandle | None = None  # armed for the earliest entry of the heap
        self._timer_at: float | None = None
        self.ticks = 0  # ticks run (for tests and the benchmark)

    # ------------------------------------------------------------------ timetable
    def wake_at(self, driver: Driver, when: float) -> None:
        """Run driver.clock_tick() at loop time `when` (replacing any earlier request)."""
        entry = (when, next(self._seq))
        self._due[driver] = entry
        heapq.heappush(self._heap, (*entry, driver))
        if self._timer_at is None or when < self._timer_at:  # a new earliest wake-up
            self._arm(when)

    def forget(self, driver: Driver) -> None:
        """No more ticks for this driver (it is idle or gone); its heap entry goes stale."""
        self._due.pop(driver, None)

    def scheduled(self, driver: Driver) -> float | None:
        entry = self._due.get(driver)
        return None if entry is None else entry[0]

    @property
    def active(self) -> int:
        """How many drivers are waiting for a tick."""
        return len(self._due)

    # ------------------------------------------------------------------ the timer
    def _arm(self, when: float) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer_at = when
        self._timer = self._loop.call_at(when, self._fire)

    def _fire(self) -> None:
        """Start every due tick, then arm the timer for the next live entry (if any)."""
        self._timer = self._timer_at = None
        now = self._loop.time()
        while self._heap and self._heap[0][0] <= now:
            when, seq, driver = heapq.heappop(self._heap)
            if self._due.get(driver) != (when, seq):
                continue  # replaced or forgotten
            del self._due[driver]
            self._start(driver)
        # Stale entries (forgotten or replaced drivers) would wake us for nothing: drop them.
        while self._heap and self._due.get(self._heap[0][2]) != self._heap[0][:2]:
            heapq.heappop(self._heap)
        if self._heap:
            self._arm(self._heap[0][0])

    def _start(self, driver: Driver) -> None:
        if driver in self._ticking:
            self._again.add(driver)
            return
        self._ticking.add(driver)
        self.ticks += 1
        task = self._loop.create_task(self._tick(driver))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _tick(self, driver: Driver) -> None:
        try:
            await driver.clock_tick()
        except asyncio.CancelledError:
            raise
        except Exception:  # a driver's own error must not stop the clock of every other sandbox
            logger.exception("Clock tick failed")
        finally:
            self._ticking.discard(driver)
            if driver in self._again:
                self._again.discard(driver)
                self._start(driver)


_SCHEDULERS: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, ClockScheduler]" = weakref.WeakKeyDictionary()


def scheduler() -> ClockScheduler:
    """The scheduler of the running event loop (one per process in production)."""
    loop = asyncio.get_running_loop()
    found = _SCHEDULERS.get(loop)
    if found is None:
        found = _SCHEDULERS[loop] = ClockScheduler(loop)
    return found
