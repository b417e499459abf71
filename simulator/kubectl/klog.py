"""klog's text lines as kubectl writes them on stderr (k8s.io/klog/v2 formatHeader):

    Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg

L is the severity letter (I, W, E, F); the time is the local clock (the simulated one here); the
thread id is the process id right-aligned in 7 columns (nDigits(7, pid, ' ')).
"""
from __future__ import annotations

import datetime as _dt

# kubectl is one process per command in real life; a fixed id keeps output reproducible.
PID = 41822


def line(eng, severity: str, site: str, message: str) -> str:
    t = eng.epoch + _dt.timedelta(seconds=eng.now)
    return f"{severity}{t:%m%d %H:%M:%S}.{t.microsecond:06d} {PID:>7} {site}] {message}\n"


def warning(eng, site: str, message: str) -> str:
    return line(eng, "W", site, message)
