"""What printers need to turn timestamps into ages: the cluster epoch and the simulated now."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

from simulator.timeutil import DEFAULT_EPOCH, from_rfc3339, human_duration


def parse_time(epoch: _dt.datetime, text) -> float | None:
    """Simulated seconds for an RFC 3339 timestamp (metav1.Time or MicroTime), None when absent or
    unparsable: kubectl prints `<unknown>` for a zero time and printers never raise on bad input."""
    if not text or not isinstance(text, str):
        return None
    try:
        return from_rfc3339(epoch, text)
    except ValueError:
        pass
    try:
        moment = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.timezone.utc)
    return (moment - epoch).total_seconds()


@dataclass(frozen=True)
class PrintContext:
    epoch: _dt.datetime = DEFAULT_EPOCH
    now: float = 0.0

    def seconds(self, text) -> float | None:
        return parse_time(self.epoch, text)

    def since(self, text) -> str:
        """printers.go translateTimestampSince: HumanDuration(now - t), `<unknown>` for a zero time."""
        t = self.seconds(text)
        if t is None:
            return "<unknown>"
        return human_duration(self.now - t)
