"""How kubectl shows a pod, for views outside the console (the site's live cluster view).

Public API (exported by `simulator`): the same printPod logic `kubectl get pods` uses
(simulator/kubectl/printers/tables.py), as plain values.
"""
from __future__ import annotations

from .kubectl.printers.context import PrintContext
from .kubectl.printers.tables import pod_status_cells


def pod_status(pod: dict) -> tuple[str, int, int, int]:
    """(STATUS, ready containers, total containers, restarts) exactly as `kubectl get pods` shows."""
    ready_cell, status, restarts_cell = pod_status_cells(pod, PrintContext())
    ready, _, total = ready_cell.partition("/")
    restarts = restarts_cell.split(" ", 1)[0]
    return status, int(ready or 0), int(total or 0), int(restarts or 0)
