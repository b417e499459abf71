"""The traffic strip: one HTTP request per simulated second through a Service, last 60 answers.

Requests go through `Cluster.request(url)`, which neither records a command in the learner's
history (graded) nor in the curl record. Time is let pass in whole-second steps while the strip is
on, so every request sees the cluster as it is at that second (a 20× tick advances 2 s at once).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

MAX_CELLS = 60
PALETTE_SIZE = 8  # colour classes traffic-cell--v0 … v7 in static/css/site.css


def service_names(cluster) -> list[str]:
    """Services learners can send traffic through, as "namespace/name", default namespace first."""
    names = []
    for svc in cluster.list("Service", copy=False):
        meta = svc.get("metadata") or {}
        ns, name = meta.get("namespace", ""), meta.get("name", "")
        if (ns, name) == ("default", "kubernetes") or ns.startswith("kube-") or not name:
            continue
        names.append(f"{ns}/{name}")
    return sorted(names, key=lambda n: (not n.startswith("default/"), n))


def service_url(cluster, ref: str) -> str | None:
    """http://name.namespace[:port]/ for a "namespace/name" Service (its first port)."""
    ns, _, name = ref.partition("/")
    svc = cluster.get("Service", ns, name)
    if svc is None:
        return None
    ports = (svc.get("spec") or {}).get("ports") or [{}]
    port = ports[0].get("port", 80)
    return f"http://{name}.{ns}" + ("" if port == 80 else f":{port}") + "/"


@dataclass
class TrafficStrip:
    enabled: bool = False
    service: str | None = None  # "namespace/name"; None means the first Service there is
    cells: list[dict] = field(default_factory=list)
    colours: dict[str, int] = field(default_factory=dict)  # version → palette index, first seen first
    changed: bool = False

    def chosen_service(self, cluster) -> str | None:
        names = service_names(cluster)
        if self.service in names:
            return self.service
        return names[0] if names else None

    def advance(self, cluster, seconds: float) -> None:
        """Let `seconds` pass; while on, send one request at every whole simulated second crossed."""
        for _ in self.advance_steps(cluster, seconds):
            pass

    def advance_steps(self, cluster, seconds: float):
        """advance() in slices (Cluster.advance_steps): yields between batches of the cluster's
        work, so that the session can let other learners run during a long jump."""
        if not self.enabled:
            yield from cluster.advance_steps(seconds)
            return
        target = cluster.now + seconds
        while True:
            nxt = math.floor(cluster.now) + 1
            if nxt > target:
                break
            yield from cluster.advance_steps(nxt - cluster.now)
            self.request(cluster)
            yield cluster.now
        if target > cluster.now:
            yield from cluster.advance_steps(target - cluster.now)

    def request(self, cluster) -> None:
        ref = self.chosen_service(cluster)
        url = service_url(cluster, ref) if ref else None
        if url is None:
            cell = {"t": int(round(cluster.now)), "ok": False, "status": 0, "version": None, "pod": None,
                    "error": "no Service", "colour": None}
        else:
            answer = cluster.request(url)
            ok = answer["error"] is None and 200 <= answer["status"] < 500
            version = answer.get("version") or (answer.get("pod") or "").rsplit("-", 1)[0] or None
            colour = None
            if ok and version:
                colour = self.colours.setdefault(version, len(self.colours) % PALETTE_SIZE)
            cell = {"t": int(round(cluster.now)), "ok": ok, "status": answer["status"], "version": version,
                    "pod": answer.get("pod"), "error": answer["error"], "colour": colour}
        self.cells.append(cell)
        del self.cells[:-MAX_CELLS]
        self.changed = True

    def set(self, *, enabled: bool | None = None, service: str | None = None) -> None:
        if enabled is not None and enabled != self.enabled:
            self.enabled = enabled
            self.changed = True
        if service is not None and service != self.service:
            self.service = service
            self.cells = []
            self.changed = True

    def legend(self) -> list[dict]:
        """The versions shown in the strip now, with their colours, in order of first appearance."""
        seen = []
        for cell in self.cells:
            if cell["ok"] and cell["version"] and cell["version"] not in [v["version"] for v in seen]:
                seen.append({"version": cell["version"], "colour": cell["colour"]})
        return seen
