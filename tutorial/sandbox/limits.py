"""Per-connection limits on what a learner's browser may send."""

from __future__ import annotations

MAX_MESSAGE_BYTES = 8 * 1024  # one WebSocket message
MAX_COMMAND_CHARS = 4000  # one command line
COMMANDS_PER_SECOND = 20.0  # sustained message rate, with a burst of the same size


class TokenBucket:
    """Allows `rate` events per second on average and bursts of up to `capacity`."""

    def __init__(self, rate: float, capacity: float, now: float) -> None:
        self.rate = rate
        self.capacity = capacity
        self.tokens = capacity
        self.updated = now

    def take(self, now: float) -> bool:
        elapsed = max(0.0, now - self.updated)
        self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False
