"""Rollout metrics over simulated time, per Deployment and per Service.

A sample is taken whenever a Deployment, one of its ReplicaSets or their pods change, and kept
only if something differs from the previous one, so the record stays small. Charts and grading
read these samples; they are part of the snapshot.

Deployment sample (a dict): t, replicas, updated, ready, available, pods (non-terminating),
terminating, surge, unavailable (resolved maxSurge / maxUnavailable), paused, revision, complete,
and rs: [[name, revision, desired, current, ready, available], …] oldest first.
Service sample: t and ready: {pod-template-hash or pod name prefix: ready endpoint count}.

Object lives (for replay, Cluster.view_at): one compact record per Deployment, ReplicaSet,
ReplicationController and Pod (keyed by uid, so a re-created name is a new life): when it was
created and gone, who controls it, and its state after every change that a live view shows
(see Lives.observe). Bounded: at most MAX_LIVES records (lives long gone are dropped first) and
MAX_STATES states per life.
"""
from __future__ import annotations

from .controllers import deployment_util as du
from .objects import controller_ref, get_path

MAX_SAMPLES = 2000  # per object; older samples are thinned beyond this
MAX_LIVES = 600     # object lives kept for replay; the ones gone longest are dropped first
MAX_STATES = 60     # states per life; the middle ones are thinned beyond this
LIFE_KINDS = ("Deployment", "ReplicaSet", "ReplicationController", "Pod")


class Timeline:
    def __init__(self):
        self.deployments: dict[str, list[dict]] = {}
        self.services: dict[str, list[dict]] = {}
        self.decisions: dict[str, list[dict]] = {}  # deployment → controller decisions ("why")
        self.lives = Lives()

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
        return {"deployments": self.deployments, "services": self.services, "decisions": self.decisions,
                "lives": self.lives.records}

    @classmethod
    def from_data(cls, data: dict) -> "Timeline":
        t = cls()
        t.deployments = data.get("deployments", {})
        t.services = data.get("services", {})
        t.decisions = data.get("decisions", {})
        t.lives = Lives(data.get("lives", []))  # snapshots from before replay have none
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


# =============================================================================== object lives
def _owner(obj: dict) -> list | None:
    ref = controller_ref(obj)
    return [ref.get("kind", ""), ref.get("name", ""), ref.get("uid", "")] if ref else None


def _container_state(cs: dict) -> list:
    """[name, "w"|"r"|"t"|"", reason, ready, restarts, exit code] from a containerStatus."""
    state = cs.get("state") or {}
    if "waiting" in state:
        w = state.get("waiting") or {}
        return [cs.get("name", ""), "w", w.get("reason", ""), bool(cs.get("ready")),
                int(cs.get("restartCount") or 0), None]
    if "terminated" in state:
        t = state.get("terminated") or {}
        return [cs.get("name", ""), "t", t.get("reason", ""), bool(cs.get("ready")),
                int(cs.get("restartCount") or 0), int(t.get("exitCode") or 0)]
    if "running" in state:
        return [cs.get("name", ""), "r", "", bool(cs.get("ready")), int(cs.get("restartCount") or 0), None]
    return [cs.get("name", ""), "", "", bool(cs.get("ready")), int(cs.get("restartCount") or 0), None]


def state_of(obj: dict) -> dict:
    """What a live view shows of one object, as small JSON data (compared to spot a change)."""
    meta, spec, status = obj.get("metadata") or {}, obj.get("spec") or {}, obj.get("status") or {}
    if obj.get("kind") == "Pod":
        conditions = {c.get("type"): c.get("status") for c in status.get("conditions") or ()}
        out = {"phase": status.get("phase", ""),
               "cond": {k: conditions[k] for k in ("PodScheduled", "Initialized", "ContainersReady", "Ready")
                        if k in conditions},
               "cs": [_container_state(cs) for cs in status.get("containerStatuses") or ()]}
        if status.get("reason"):
            out["reason"] = status["reason"]
        if meta.get("deletionTimestamp"):
            out["deleting"] = meta["deletionTimestamp"]
        return out
    template = ((spec.get("template") or {}).get("spec")) or {}
    out = {"replicas": spec.get("replicas", 1),
           "images": [[c.get("name", ""), c.get("image", "")] for c in template.get("containers") or ()],
           "status": {k: status[k] for k in ("replicas", "readyReplicas", "availableReplicas", "updatedReplicas")
                      if k in status},
           "revision": ((meta.get("annotations") or {}).get("deployment.kubernetes.io/revision", ""))}
    if spec.get("paused"):
        out["paused"] = True
    if meta.get("deletionTimestamp"):
        out["deleting"] = meta["deletionTimestamp"]
    return out


class Lives:
    """Object lives for replay. A record is a dict: kind, ns, name, uid, created (creationTimestamp
    as stored), owner ([kind, name, uid] of the controller or None), from (simulated time it was
    first seen), gone (time it left the store, or None), labels (pods only), containers (pods:
    [[name, image], …]), states ([[t, state_of(obj)], …] oldest first)."""

    def __init__(self, records: list | None = None):
        self.records: list[dict] = records if records is not None else []
        self._by_uid = {r["uid"]: r for r in self.records if r.get("gone") is None}
        self._ended = sum(1 for r in self.records if r.get("gone") is not None)  # trimmable lives
        # while a command runs with a rollback checkpoint: id(record) -> (record, its "gone", its
        # states list) before the command first changed it (Engine.checkpoint)
        self.journal: dict[int, tuple] | None = None

    def _touch(self, record: dict) -> None:
        if self.journal is not None and id(record) not in self.journal:
            self.journal[id(record)] = (record, record["gone"], list(record["states"]))

    def undo(self, journal: dict, records: list) -> None:
        """Back to the records list saved at the checkpoint and each touched record as it was;
        the derived index (_by_uid, _ended) is rebuilt by Engine.from_data afterwards."""
        for record, gone, states in journal.values():
            record["gone"] = gone
            record["states"] = states
        self.records[:] = records

    def observe(self, now: float, etype: str, obj: dict) -> None:
        if obj.get("kind") not in LIFE_KINDS:
            return
        meta = obj.get("metadata") or {}
        uid = meta.get("uid")
        if not uid:
            return
        t = now  # not rounded: 39.39999… (a step of 0.3 s) is before the 39.4 timer
        record = self._by_uid.get(uid)
        if etype == "DELETED":
            if record is not None:
                self._touch(record)
                record["gone"] = t
                self._ended += 1
                del self._by_uid[uid]
            return
        if record is None:
            record = self.begin(obj, t)
        state = state_of(obj)
        states = record["states"]
        if states and states[-1][1] == state:
            return
        self._touch(record)
        if states and states[-1][0] == t:
            states[-1] = [t, state]  # only the last state of one instant is ever seen
        else:
            states.append([t, state])
        if len(states) > MAX_STATES:
            del states[1:len(states) - MAX_STATES + 1:2]

    def begin(self, obj: dict, t: float) -> dict:
        meta = obj.get("metadata") or {}
        record = {"kind": obj["kind"], "api": obj.get("apiVersion", ""), "ns": meta.get("namespace", ""),
                  "name": meta.get("name", ""), "uid": meta["uid"], "created": meta.get("creationTimestamp", ""),
                  "owner": _owner(obj), "from": t, "gone": None, "states": []}
        if obj["kind"] == "Pod":
            spec = obj.get("spec") or {}
            record["labels"] = dict(meta.get("labels") or {})
            record["containers"] = [[c.get("name", ""), c.get("image", "")] for c in spec.get("containers") or ()]
        self.records.append(record)
        self._by_uid[record["uid"]] = record
        self._trim()
        return record

    def _trim(self) -> None:
        if len(self.records) <= MAX_LIVES or not self._ended:
            return  # only finished lives are dropped: nothing to do while all are alive
        # amortised: once over the cap, drop the oldest finished lives down to 80 % of it
        gone = sorted((r for r in self.records if r.get("gone") is not None), key=lambda r: r["gone"])
        drop = {id(r) for r in gone[:len(self.records) - int(MAX_LIVES * 0.8)]}
        self.records[:] = [r for r in self.records if id(r) not in drop]
        self._ended -= len(drop)

    def known(self, uid: str) -> bool:
        return uid in self._by_uid

    def earliest(self) -> float | None:
        """From when on the record is complete (older lives may have been dropped)."""
        return min((r["from"] for r in self.records), default=None)

    def at(self, t: float) -> list[tuple[dict, dict]]:
        """(record, state) for every object that existed at time t, in creation order."""
        out = []
        for r in self.records:
            if r["from"] > t or (r["gone"] is not None and r["gone"] <= t) or not r["states"]:
                continue
            state = None
            for st_t, st in r["states"]:
                if st_t > t:
                    break
                state = st
            if state is not None:
                out.append((r, state))
        return out


def object_at(record: dict, state: dict) -> dict:
    """A record's state as an object in the Kubernetes JSON shape (the fields a live view reads)."""
    meta = {"name": record["name"], "namespace": record["ns"], "uid": record["uid"],
            "creationTimestamp": record["created"]}
    if record.get("owner"):
        kind, name, uid = record["owner"]
        meta["ownerReferences"] = [{"apiVersion": "apps/v1" if kind != "ReplicationController" else "v1",
                                    "kind": kind, "name": name, "uid": uid, "controller": True,
                                    "blockOwnerDeletion": True}]
    if state.get("deleting"):
        meta["deletionTimestamp"] = state["deleting"]
    if record["kind"] == "Pod":
        if record.get("labels"):
            meta["labels"] = dict(record["labels"])
        status = {"phase": state.get("phase", "")}
        if state.get("reason"):
            status["reason"] = state["reason"]
        if state.get("cond"):
            status["conditions"] = [{"type": k, "status": v} for k, v in state["cond"].items()]
        statuses = []
        for name, kind, reason, ready, restarts, code in state.get("cs") or ():
            if kind == "w":
                st = {"waiting": {"reason": reason} if reason else {}}
            elif kind == "t":
                st = {"terminated": {"exitCode": code or 0, **({"reason": reason} if reason else {})}}
            elif kind == "r":
                st = {"running": {}}
            else:
                st = {}
            image = next((img for n, img in record.get("containers") or () if n == name), "")
            statuses.append({"name": name, "image": image, "ready": ready, "restartCount": restarts, "state": st})
        if statuses:
            status["containerStatuses"] = statuses
        return {"apiVersion": record.get("api") or "v1", "kind": "Pod", "metadata": meta,
                "spec": {"containers": [{"name": n, "image": img} for n, img in record.get("containers") or ()]},
                "status": status}
    if state.get("revision"):
        meta["annotations"] = {"deployment.kubernetes.io/revision": state["revision"]}
    spec = {"replicas": state.get("replicas", 1),
            "template": {"spec": {"containers": [{"name": n, "image": img} for n, img in state.get("images") or ()]}}}
    if state.get("paused"):
        spec["paused"] = True
    return {"apiVersion": record.get("api") or "apps/v1", "kind": record["kind"], "metadata": meta, "spec": spec,
            "status": dict(state.get("status") or {})}


__all__ = ["Timeline", "Lives", "object_at", "state_of"]
