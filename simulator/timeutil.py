"""Simulated time: seconds since the cluster started, rendered as Kubernetes timestamps.

The simulator never reads the wall clock. `now` is a float of simulated seconds; objects carry
RFC 3339 strings (second resolution, as the API server writes them) computed from a fixed epoch,
so the same seed and the same commands give the same bytes.
"""
from __future__ import annotations

import datetime as _dt
import functools

# A fixed start so output is reproducible; Cluster(start=...) may choose another.
DEFAULT_EPOCH = _dt.datetime(2026, 1, 1, 9, 0, 0, tzinfo=_dt.timezone.utc)


def to_rfc3339(epoch: _dt.datetime, t: float) -> str:
    """`metav1.Time` as serialised by the API server: whole seconds, UTC, `Z` suffix."""
    return _rfc3339_seconds(epoch, int(t))


@functools.lru_cache(maxsize=1024)
def _rfc3339_seconds(epoch: _dt.datetime, seconds: int) -> str:
    # cached: every object write and event stamps "now", and many share one simulated second
    moment = epoch + _dt.timedelta(seconds=seconds)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@functools.lru_cache(maxsize=4096)
def from_rfc3339(epoch: _dt.datetime, text: str) -> float:
    """Inverse of to_rfc3339: simulated seconds for a timestamp string (cached: controllers
    parse the same few timestamps over and over)."""
    if not (isinstance(text, str) and text.endswith("Z")):
        raise ValueError(f"not an RFC 3339 UTC timestamp: {text!r}")
    moment = _dt.datetime.fromisoformat(text[:-1]).replace(tzinfo=_dt.timezone.utc)
    return (moment - epoch).total_seconds()


def to_rfc1123z(epoch: _dt.datetime, t: float) -> str:
    """`kubectl describe` CreationTimestamp format (time.RFC1123Z): `Mon, 01 Jan 2024 10:00:00 +0000`."""
    moment = epoch + _dt.timedelta(seconds=int(t))
    return moment.strftime("%a, %d %b %Y %H:%M:%S +0000")


def human_duration(seconds: float) -> str:
    """apimachinery pkg/util/duration/duration.go HumanDuration (integer truncation everywhere)."""
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    s = int(seconds)
    if s < 60 * 2:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        rem = s % 60
        return f"{minutes}m" if rem == 0 else f"{minutes}m{rem}s"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        rem = (s // 60) % 60
        return f"{hours}h" if rem == 0 else f"{hours}h{rem}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rem = hours % 24
        return f"{hours // 24}d" if rem == 0 else f"{hours // 24}d{rem}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        days = (hours // 24) % 365
        return f"{hours // 24 // 365}y" if days == 0 else f"{hours // 24 // 365}y{days}d"
    return f"{hours // 24 // 365}y"
