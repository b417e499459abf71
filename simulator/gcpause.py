"""Pausing Python's cyclic garbage collector around bursts of simulator work.

A rollout of 1,000 replicas allocates millions of dicts and lists. With automatic collection,
every 700 net allocations trigger a young collection and, every few of those, a full one that
walks every object of the process: at 5,000 replicas eleven full collections of a 1.5 M-object
heap were a third of the CPU time, and what made the cost per replica grow with the replica
count. The simulator's data is JSON-shaped trees, freed by reference counting; it makes no
reference cycles for the collector to find (gc.get_stats() shows nothing collected during a
rollout). So the collector is paused for one burst (a settle, a clock advance, a snapshot parse)
and resumed after it.

A burst that leaves many new objects alive (a snapshot's parse, a rollout step of thousands of
pods) hands them straight to the oldest generation (gc.freeze then gc.unfreeze: two list splices)
instead of letting a young and then a middle collection walk them: those passes found nothing to
free and were what grew faster than the replica count (0.36 s of a 5,000-replica update, 27 ms
after restoring 1,000 replicas). Full collections still walk them, as before. Small bursts
leave the collector to its usual passes; and a host that froze objects itself (a pre-fork
server) is left alone, since unfreeze would thaw its objects too.

Nesting-safe, and a collector that someone else disabled stays disabled. The pause is
process-wide, so it lasts one bounded burst only, never across a wait.
"""
from __future__ import annotations

import functools
import gc
from contextlib import contextmanager

# net new tracked objects (gc.get_count()[0]) from which a burst's survivors skip the young passes
PROMOTE_FROM = 10_000


def _resume() -> None:
    if gc.get_count()[0] >= PROMOTE_FROM and not gc.get_freeze_count():
        gc.freeze()
        gc.unfreeze()
    gc.enable()


@contextmanager
def paused():
    if not gc.isenabled():  # nested, or disabled by the host process: leave it to them
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        _resume()


def while_paused(fn):
    """Decorator: run `fn` with automatic collection paused (see paused())."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if not gc.isenabled():
            return fn(*args, **kwargs)
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            _resume()

    return wrapper
