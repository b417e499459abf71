"""Memory housekeeping of a server process: garbage-collector pauses and memory given back.

Pauses. With hundreds of consoles the heap holds millions of objects, and CPython's default
thresholds (700, 10, 10) ran a full collection every second or two, each stopping the event loop
for 150-300 ms (measured with gc.callbacks under bench/load.py): the slowest tenth of all command
round trips. `tune_gc()` (called once the application is loaded, tutorial/asgi.py) freezes what
start-up allocated (modules, templates, settings: never garbage) so no collection scans it again,
and raises the thresholds so young-generation collections are rarer and full ones far rarer.

Memory given back. A console that goes dormant drops its live cluster (100-200 KB; Cluster.close()
cuts its internal references so it is freed at once). `trim_soon()` runs, at most once every
TRIM_INTERVAL_SECONDS after consoles went dormant, glibc's malloc_trim(0), which returns free pages
to the operating system (without it resident memory stays at its peak), and at most once every
FULL_COLLECT_INTERVAL_SECONDS a full collection for whatever other cycles were left.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import gc
import logging
import time

logger = logging.getLogger(__name__)

TRIM_INTERVAL_SECONDS = 2.0
FULL_COLLECT_INTERVAL_SECONDS = 30.0
GC_THRESHOLDS = (10_000, 20, 100)  # CPython's default is (700, 10, 10)

_last_full_collect = 0.0

_pending: asyncio.TimerHandle | None = None


def _malloc_trim():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim with
        return None


_TRIM = _malloc_trim()


def tune_gc() -> None:
    """Once, after start-up: freeze the start-up heap and raise the collection thresholds."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def _trim() -> None:
    global _pending, _last_full_collect
    _pending = None
    now = time.monotonic()
    if now - _last_full_collect >= FULL_COLLECT_INTERVAL_SECONDS:
        _last_full_collect = now
        gc.collect()
    if _TRIM is None:
        return
    try:
        _TRIM(0)
    except Exception:  # noqa: BLE001 - memory housekeeping must never break a console
        logger.exception("malloc_trim failed")


def trim_soon() -> None:
    """Ask for one trim within TRIM_INTERVAL_SECONDS (many dormant consoles, one trim)."""
    global _pending
    if _pending is not None:
        return
    _pending = asyncio.get_running_loop().call_later(TRIM_INTERVAL_SECONDS, _trim)
