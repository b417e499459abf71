"""Per-token limits, in process memory: a token bucket for requests and a cap on open watches
(a client opening watch after watch would otherwise hold the sandbox's clock and this process)."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

RATE_PER_SECOND = 20.0   # sustained requests per token
BURST = 60               # kubectl's discovery at start-up is ~30 requests
MAX_WATCHES = 8          # open watches / followed logs per token
MAX_KEYS = 10_000        # buckets kept; the least recently used are dropped


@dataclass
class _Bucket:
    tokens: float
    stamp: float
    watches: int = 0


@dataclass
class Limiter:
    rate: float = RATE_PER_SECOND
    burst: int = BURST
    max_watches: int = MAX_WATCHES
    clock: callable = time.monotonic
    _buckets: dict = field(default_factory=dict)

    def _bucket(self, key: str) -> _Bucket:
        b = self._buckets.pop(key, None)
        if b is None:
            b = _Bucket(float(self.burst), self.clock())
        self._buckets[key] = b  # most recently used last
        while len(self._buckets) > MAX_KEYS:
            self._buckets.pop(next(iter(self._buckets)))
        return b

    def allow(self, key: str) -> float:
        """0 when the request may go ahead, else the seconds to wait (Retry-After)."""
        b = self._bucket(key)
        now = self.clock()
        b.tokens = min(float(self.burst), b.tokens + (now - b.stamp) * self.rate)
        b.stamp = now
        if b.tokens >= 1.0:
            b.tokens -= 1.0
            return 0.0
        return (1.0 - b.tokens) / self.rate

    def open_watch(self, key: str) -> bool:
        b = self._bucket(key)
        if b.watches >= self.max_watches:
            return False
        b.watches += 1
        return True

    def close_watch(self, key: str) -> None:
        b = self._buckets.get(key)
        if b is not None and b.watches > 0:
            b.watches -= 1
