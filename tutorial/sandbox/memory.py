"""Hand memory freed by dormant consoles back to the operating system.

A console that goes dormant drops its live cluster (a few hundred KB of small objects). CPython
frees them, but glibc's allocator keeps the pages for the process, so the server's resident memory
stays at its busiest moment. malloc_trim(0) (glibc) returns free pages; it runs at most once every
TRIM_INTERVAL_SECONDS on the event loop after consoles went dormant, and only where glibc exists.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import logging

logger = logging.getLogger(__name__)

TRIM_INTERVAL_SECONDS = 2.0

_pending: asyncio.TimerHandle | None = None


def _malloc_trim():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim with
        return None


_TRIM = _malloc_trim()


def _trim() -> None:
    global _pending
    _pending = None
    try:
        _TRIM(0)
    except Exception:  # noqa: BLE001 - memory housekeeping must never break a console
        logger.exception("malloc_trim failed")


def trim_soon() -> None:
    """Ask for one trim within TRIM_INTERVAL_SECONDS (many dormant consoles, one trim)."""
    global _pending
    if _TRIM is None or _pending is not None:
        return
    _pending = asyncio.get_running_loop().call_later(TRIM_INTERVAL_SECONDS, _trim)
