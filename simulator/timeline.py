"""Rollout metrics over simulated time, per Deployment and per Service.

A sample is taken whenever a Deployment, one of its ReplicaSets or their pods change, and kept
only if something differs from the previous one, so the record stays small. Charts and grading
read these samples; they are part of the snapshot.

Deployment sample (a dict): t, replicas, updated, ready, available, pods (non-terminating),
terminating, surge, unavailable (resolved maxSurge / maxUnavailable), paused, revision, complete,
and rs: [[name, revision, desired, current, ready, available], …] oldest first.
Service sample: t and ready: {pod-template-hash or pod name prefix: ready endpoint count}.
"""
from __future__ import annotations

from .controllers import deployment_util as du
from .objects import controller_ref, get_path

MAX_SAMPLES = 2000  # per object; older samples are thinned beyond this


class Timeline:
    def __init__(self):
        self.deployments: dict[str, list[dict]] = {}
        self.services: dict[str, list[dict]] = {}
        self.decisions: dict[str, list[dict]] = {}  # deployment → controller decisions ("why")

    # ---- recording --------------------------------------------------------------------------
    def sample_deployment(self, eng, ns: str, name: str) -> None:
        d = eng.store.get("Deployment", ns, name)
        key = f"{ns}/{name}"
        if d is None:
            return
        uid = d["metadata"]["uid"]
        rss = [o for o in eng.store.dependents(uid) if o["kind"] == "ReplicaSet"]
        rows, terminating = [], 0
        for rs in du.by_creation(rss):
            st = rs.get("status") or {}
            rows.append([rs["metadata"]["name"], du.revision(rs), du.spec_replicas(rs), int(st.get("replicas") or 0),
                         int(st.get("readyReplicas") or 0), int(st.get("availableReplicas") or 0)])
            terminating += sum(1 for p in eng.store.dependents(rs["metadata"]["uid"])
                               if p["kind"] == "Pod" and p["metadata"].get("deletionTimestamp"))
        status = d.get("status") or {}
        sample = {
            "t": round(eng.now, 3), "replicas": du.replicas(d), "updated": int(status.get("updatedReplicas") or 0),
            "ready": int(status.get("readyReplicas") or 0), "available": sum(r[5] for r in rows),
            "pods": sum(r[3] for r in rows), "terminating": terminating,
            "surge": du.max_surge(d), "unavailable": du.max_unavailable(d),
            "paused": bool(get_path(d, "spec.paused")), "revision": du.revision(d),
            "complete": du.deployment_complete(d, status) and not _has_old_pods(rows, d), "rs": rows,
        }
        self._append(self.deployments.setdefault(key, []), sample)

    def sample_service(self, eng, ns: str, name: str) -> None:
        ep = eng.store.get("Endpoints", ns, name)
        counts: dict[str, int] = {}
        for subset in (ep or {}).get("subsets") or ():
            for addr in subset.get("addresses") or ():
                ref = addr.get("targetRef") or {}
                pod = eng.store.get("Pod", ns, ref.get("name", "")) if ref else None
                version = _version_of(pod) if pod else addr.get("ip", "")
                counts[version] = counts.get(version, 0) + 1
        self._append(self.services.setdefault(f"{ns}/{name}", []), {"t": round(eng.now, 3), "ready": counts})

    @staticmethod
    def _append(samples: list, sample: dict) -> None:
        if samples:
            last = samples[-1]
            if {k: v for k, v in last.items() if k != "t"} == {k: v for k, v in sample.items() if k != "t"}:
                return
            if last["t"] == sample["t"]:
                samples[-1] = sample
                return
        samples.append(sample)
        if len(samples) > MAX_SAMPLES:
            del samples[1:len(samples) - MAX_SAMPLES + 1:2]

    def decide(self, ns: str, name: str, record: dict) -> None:
        """A ReplicaSet was scaled: `record` has from/to and the numbers behind it (see
        controllers/deployment.py _decide)."""
        items = self.decisions.setdefault(f"{ns}/{name}", [])
        items.append(record)
        if len(items) > MAX_SAMPLES:
            del items[: len(items) - MAX_SAMPLES]

    def blocked(self, ns: str, name: str, record: dict) -> None:
        """The rollout could not move; kept once per distinct situation."""
        items = self.decisions.setdefault(f"{ns}/{name}", [])
        last = next((x for x in reversed(items) if x.get("step") == "blocked"), None)
        key = {k: v for k, v in record.items() if k != "t"}
        if items and items[-1].get("step") == "blocked" and last is not None and \
                {k: v for k, v in last.items() if k != "t"} == key:
            return
        items.append(record)

    def decisions_for(self, ns: str, name: str) -> list[dict]:
        return self.decisions.get(f"{ns}/{name}", [])

    # ---- reading ------------------------------------------------------------------------------
    def for_deployment(self, ns: str, name: str) -> list[dict]:
        return self.deployments.get(f"{ns}/{name}", [])

    def for_service(self, ns: str, name: str) -> list[dict]:
        return self.services.get(f"{ns}/{name}", [])

    def to_data(self) -> dict:
        return {"deployments": self.deployments, "services": self.services, "decisions": self.decisions}

    @classmethod
    def from_data(cls, data: dict) -> "Timeline":
        t = cls()
        t.deployments = data.get("deployments", {})
        t.services = data.get("services", {})
        t.decisions = data.get("decisions", {})
        return t


def _has_old_pods(rows, d) -> bool:
    rev = du.revision(d)
    return any(r[3] > 0 for r in rows if r[1] != rev)


def _version_of(pod: dict) -> str:
    """What 'version' a pod serves: its template hash, else its controller, else the pod itself."""
    labels = pod["metadata"].get("labels") or {}
    if du.HASH_LABEL in labels:
        return labels[du.HASH_LABEL]
    ref = controller_ref(pod)
    if ref:
        return ref["name"]
    return pod["metadata"]["name"]


__all__ = ["Timeline"]
