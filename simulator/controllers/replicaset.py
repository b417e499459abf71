"""ReplicaSet and ReplicationController controller: keep the right number of pods.

kubernetes/kubernetes pkg/controller/replicaset/replica_set.go (syncReplicaSet, manageReplicas,
getPodsToDelete, getPodsRankedByRelatedPodsOnSameNode), replica_set_utils.go (calculateStatus)
and pkg/controller/controller_utils.go (ActivePodsWithRanks, FilterActivePods). The
ReplicationController manager is the same code behind an adapter, so one reconcile serves both.
"""
from __future__ import annotations

import collections
import functools
import math
import operator
import weakref

from ..labels import map_selector_matches, selector_matches
from ..objects import clone, controller_ref, get_path
from .deployment import owner_reference

BURST_REPLICAS = 500
DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"
PHASE_ORDINAL = {"Pending": 0, "Unknown": 1, "Running": 2}


def is_pod_active(pod: dict) -> bool:
    """FilterActivePods: not Succeeded/Failed and not being deleted."""
    # hot path: plain dict access instead of get_path
    return ((pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed")
            and not pod["metadata"].get("deletionTimestamp"))


def ready_condition(pod: dict) -> dict | None:
    for c in (pod.get("status") or {}).get("conditions") or ():
        if c.get("type") == "Ready":
            return c
    return None


def is_pod_ready(pod: dict) -> bool:
    c = ready_condition(pod)
    return c is not None and c.get("status") == "True"


def is_pod_available(eng, pod: dict, min_ready_seconds: int) -> bool:
    """pkg/api/v1/pod IsPodAvailable: Ready, and Ready for longer than minReadySeconds."""
    if not is_pod_ready(pod):
        return False
    if not min_ready_seconds:
        return True
    since = eng.parse_time(ready_condition(pod)["lastTransitionTime"])
    return since + min_ready_seconds < eng.now


def _selects(owner: dict, pod: dict) -> bool:
    selector = get_path(owner, "spec.selector")
    if owner["kind"] == "ReplicationController":
        return map_selector_matches(selector, pod["metadata"].get("labels"))
    return selector_matches(selector, pod["metadata"].get("labels"))


def _component(owner: dict) -> str:
    return "replication-controller" if owner["kind"] == "ReplicationController" else "replicaset-controller"


def sync_replica_set(eng, kind: str, namespace: str, name: str) -> None:
    rs = eng.store.get(kind, namespace, name)
    if rs is None:
        _pod_facts_cache(eng).pop((kind, namespace, name), None)
        _RANK_FACTS.get(eng, {}).pop((kind, namespace, name), None)
        return
    uid = rs["metadata"]["uid"]
    facts = _active_facts(eng, rs, _claim_pods(eng, rs))
    failure = None
    if not rs["metadata"].get("deletionTimestamp"):
        written = eng.store.resource_version
        failure = _manage_replicas(eng, rs, facts)
        if eng.store.resource_version != written:  # else the pods are exactly the ones just read
            facts = _active_facts(eng, rs, eng.store.dependents(uid))
    _update_status(eng, rs, facts, failure)


# What calculateStatus reads of each pod, per ReplicaSet and per pod object. Stored objects are
# immutable (store.py), so a pod that is the same object as on the last reconcile (most pods, on
# most reconciles of a big rollout) is not read again. Derived data only: never snapshotted, and a
# restored or rolled-back engine is a new object with an empty cache.
_FACTS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_LABELED = operator.itemgetter(1)  # of a facts entry: fully labeled (None: not an active pod)
_READY = operator.itemgetter(2)    # its Ready condition if True, else None


def _pod_facts_cache(eng) -> dict:
    cache = _FACTS.get(eng)
    if cache is None:
        cache = _FACTS[eng] = {}
    return cache


def _active_facts(eng, rs: dict, objects: list[dict]) -> list[tuple]:
    """(pod, fully labeled, Ready condition if True else None) for each active pod among
    `objects` (is_pod_active), in order. Runs over every pod of a ReplicaSet on each of its
    reconciles: the hottest loop of a big rollout, hence the cache and the inlining."""
    meta = rs["metadata"]
    key = (rs["kind"], meta.get("namespace", ""), meta["name"])
    template_labels = get_path(rs, "spec.template.metadata.labels") or {}
    cache = _pod_facts_cache(eng)
    known = cache.get(key)
    # new template labels (or a new ReplicaSet of the same name) change "fully labeled": start
    # over. Compared by value: every status write clones the ReplicaSet, its template with it,
    # and compared by identity the cache was emptied on most reconciles of a rollout.
    seen = known[2] if known is not None and known[0] == meta["uid"] and known[1] == template_labels else {}
    # A cached entry holds its pod, so no other live object can have that id: a hit by id is
    # that very pod. Lookups run in C (map); only misses, the pods written since the last
    # reconcile, are read in Python and added. The map is not rebuilt on every reconcile (two
    # more passes over thousands of entries scattered in memory): only once the entries of pods
    # gone are a quarter of the live ones (they are kept alive until then).
    ids = list(map(id, objects))
    entries = list(map(seen.get, ids))
    if None in entries:
        # with string label values, "all template labels match" is a dict_items subset test
        template_items = template_labels.items()
        subset_ok = all(isinstance(v, str) for v in template_labels.values())
        for i in _misses(entries):
            p = objects[i]
            if p["kind"] != "Pod" or (p.get("status") or {}).get("phase") in ("Succeeded", "Failed") \
                    or p["metadata"].get("deletionTimestamp"):
                entries[i] = seen[ids[i]] = (p, None, None)  # not active
                continue
            lbls = p["metadata"].get("labels") or {}
            labeled = (template_items <= lbls.items()) if subset_ok else \
                all(lbls.get(k) == v for k, v in template_items)
            cond = ready_condition(p)
            entries[i] = seen[ids[i]] = (p, labeled, cond if cond is not None and cond.get("status") == "True" else None)
    if len(seen) > len(ids) + len(ids) // 4 + 64:
        seen = dict(zip(ids, entries))
    out = [e for e in entries if e[1] is not None]
    cache[key] = (meta["uid"], template_labels, seen)
    return out


def _claim_pods(eng, rs: dict) -> list[dict]:
    """Owned pods, plus orphans matching the selector, which are adopted (ClaimPods)."""
    uid = rs["metadata"]["uid"]
    owned = eng.store.dependents(uid, "Pod")
    if rs["metadata"].get("deletionTimestamp"):
        return owned
    for pod in eng.store.orphans("Pod", rs["metadata"]["namespace"]):
        if controller_ref(pod) is not None or pod["metadata"].get("deletionTimestamp"):
            continue
        if get_path(pod, "status.phase") in ("Succeeded", "Failed"):
            continue
        if _selects(rs, pod):
            adopted = clone(pod)
            adopted["metadata"].setdefault("ownerReferences", []).append(owner_reference(rs))
            owned.append(eng.api.update(adopted, internal=True))
    return owned


def _manage_replicas(eng, rs: dict, facts: list[tuple]):
    """manageReplicas over the active pods (_active_facts entries)."""
    want = int(get_path(rs, "spec.replicas") if get_path(rs, "spec.replicas") is not None else 1)
    diff = len(facts) - want
    if diff < 0:
        count = min(-diff, BURST_REPLICAS)
        for _ in range(count):
            try:
                pod = eng.api.create(_pod_from_template(rs), internal=True)
            except Exception as err:  # a cap (limits.py) or validation: report like upstream FailedCreate
                message = getattr(err, "message", None) or str(err)
                eng.record_event(rs, "Warning", "FailedCreate", f"Error creating: {message}", _component(rs))
                return ("FailedCreate", message)
            eng.record_event(rs, "Normal", "SuccessfulCreate", f'Created pod: {pod["metadata"]["name"]}', _component(rs))
    elif diff > 0:
        for pod in _pods_to_delete(eng, rs, facts, min(diff, BURST_REPLICAS)):
            eng.api.delete("Pod", pod["metadata"]["namespace"], pod["metadata"]["name"], internal=True)
            eng.record_event(rs, "Normal", "SuccessfulDelete", f'Deleted pod: {pod["metadata"]["name"]}', _component(rs))
    return None


def _pod_from_template(rs: dict) -> dict:
    """GetPodFromTemplate: generateName `<rs>-`, template labels/annotations, controller ref."""
    template = get_path(rs, "spec.template") or {}
    tmeta = template.get("metadata") or {}
    metadata = {"generateName": f'{rs["metadata"]["name"]}-', "namespace": rs["metadata"]["namespace"],
                "ownerReferences": [owner_reference(rs)]}
    if tmeta.get("labels"):
        metadata["labels"] = dict(tmeta["labels"])
    if tmeta.get("annotations"):
        metadata["annotations"] = dict(tmeta["annotations"])
    # not copied here: ApiServer.create deep-copies the whole pod before it changes anything
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": template.get("spec") or {}}


# ---- which pods go first ------------------------------------------------------------------

def _pods_to_delete(eng, rs: dict, facts: list[tuple], diff: int) -> list[dict]:
    """getPodsToDelete: rank by co-located related pods, then ActivePodsWithRanks order.
    `facts`: the active pods as _active_facts gives them (their Ready condition already found)."""
    entries, seen = _rank_entries(eng, rs, _related_pods(eng, rs))
    # active related pods per node (entry[1] is None for an inactive pod), counted in C
    on_node = collections.Counter(map(_ACTIVE_NODE, entries))
    on_node.pop(None, None)
    buckets: dict[str, int] = {}  # _log_rank per timestamp: second resolution, so few distinct
    ranked = []
    for p, _, ready in facts:
        entry = seen.get(id(p)) or _rank_entry(p)
        ranked.append(_Ranked(eng, entry, on_node.get(entry[1], 0), ready, buckets))
    ranked.sort(key=functools.cmp_to_key(_compare))
    victims = [r.pod for r in ranked[:diff]]
    # the victims are about to be deleted: the cache does not keep them alive (nor, once the
    # ReplicaSet is down to none, the other pods of its Deployment, until its next scale-down)
    if len(victims) == len(ranked):
        _RANK_FACTS[eng].pop(_rs_key(rs), None)
    else:
        for p in victims:
            seen.pop(id(p), None)
    return victims


# What _pods_to_delete reads of each related pod that does not depend on the time of the call:
# (pod, node name or "" if active else None, uid, unassigned, phase ordinal, deletion cost,
# restarts, creationTimestamp), per pod object, as _FACTS (stored objects are immutable). Every
# scale-down ranks all pods of the Deployment, most of them unchanged since the last one.
_RANK_FACTS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_ACTIVE_NODE = operator.itemgetter(1)


def _rank_entry(p: dict) -> tuple:
    node = _node_name(p)
    active = (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed") \
        and not p["metadata"].get("deletionTimestamp")
    return (p, node if active else None, p["metadata"]["uid"], not node,
            PHASE_ORDINAL.get(get_path(p, "status.phase"), 0), _deletion_cost(p), _max_restarts(p),
            p["metadata"].get("creationTimestamp"))


def _rs_key(rs: dict) -> tuple:
    return rs["kind"], rs["metadata"].get("namespace", ""), rs["metadata"]["name"]


def _misses(entries: list):
    """The indices of the None entries (the cache's misses), found in C by list.index rather than
    by a Python loop over thousands of hits."""
    i = -1
    while True:
        try:
            i = entries.index(None, i + 1)
        except ValueError:
            return
        yield i


def _rank_entries(eng, rs: dict, pods: list[dict]) -> tuple[list[tuple], dict]:
    """_rank_entry of each of `pods` (the pods related to `rs`), and id(pod) -> entry, reading
    only the pods not seen on the last call for `rs`; a cached entry holds its pod, so a hit by
    id is that very pod."""
    cache = _RANK_FACTS.get(eng)
    if cache is None:
        cache = _RANK_FACTS[eng] = {}
    key = _rs_key(rs)
    seen = cache.get(key) or {}
    ids = list(map(id, pods))
    entries = list(map(seen.get, ids))
    for i in _misses(entries):
        entries[i] = _rank_entry(pods[i])
    cache[key] = now_seen = dict(zip(ids, entries))
    return entries, now_seen


def _node_name(pod: dict) -> str:
    # get_path(pod, "spec.nodeName") or "", for loops over every pod of a Deployment
    spec = pod.get("spec")
    return (spec.get("nodeName") if isinstance(spec, dict) else None) or ""


def _related_pods(eng, rs: dict) -> list[dict]:
    """getIndirectlyRelatedPods: pods of every ReplicaSet sharing this one's controller."""
    ref = controller_ref(rs)
    if ref is None:
        return eng.store.dependents(rs["metadata"]["uid"], "Pod")
    out = []
    for sibling in eng.store.dependents(ref["uid"]):
        if sibling["kind"] == rs["kind"]:
            out.extend(eng.store.dependents(sibling["metadata"]["uid"], "Pod"))
    return out


def _deletion_cost(pod: dict) -> int:
    try:
        return int(((pod["metadata"].get("annotations") or {}).get(DELETION_COST, "0")))
    except ValueError:
        return 0


def _max_restarts(pod: dict) -> int:
    return max((int(c.get("restartCount") or 0) for c in get_path(pod, "status.containerStatuses") or ()), default=0)


def _log_rank(eng, stamp: str) -> int:
    # logarithmicRankDiff works on nanosecond durations
    d = (eng.now - eng.parse_time(stamp)) * 1e9
    return int(math.log2(d)) if d > 0 else -1


class _Ranked:
    """What ActivePodsWithRanks.Less looks at, read once per pod (the sort compares many times)."""

    __slots__ = ("pod", "uid", "unassigned", "phase", "ready", "cost", "rank", "ready_time", "ready_bucket",
                 "restarts", "created", "created_bucket")

    def __init__(self, eng, entry: tuple, rank: int, ready_cond: dict | None, buckets: dict):
        self.pod, _, self.uid, self.unassigned, self.phase, self.cost, self.restarts, created = entry
        cond = ready_cond  # the Ready condition when it is True, else None (_active_facts)
        self.ready = cond is not None
        self.rank = rank
        if self.ready:
            stamp = self.ready_time = cond["lastTransitionTime"]
            bucket = buckets.get(stamp)
            if bucket is None:
                bucket = buckets[stamp] = _log_rank(eng, stamp)
            self.ready_bucket = bucket
        else:
            self.ready_time = self.ready_bucket = None
        self.created = created
        bucket = buckets.get(created)
        if bucket is None:
            bucket = buckets[created] = _log_rank(eng, created)
        self.created_bucket = bucket


def _compare(a: _Ranked, b: _Ranked) -> int:
    """ActivePodsWithRanks.Less (controller_utils.go) as a three-way comparison: negative when
    `a` should be deleted first."""
    if a.unassigned != b.unassigned:
        return -1 if a.unassigned else 1
    if a.phase != b.phase:
        return -1 if a.phase < b.phase else 1
    if a.ready != b.ready:
        return -1 if not a.ready else 1
    if a.cost != b.cost:
        return -1 if a.cost < b.cost else 1
    if a.rank != b.rank:
        return -1 if a.rank > b.rank else 1
    if a.ready and b.ready and a.ready_time != b.ready_time:
        if a.ready_bucket == b.ready_bucket:
            return -1 if a.uid < b.uid else 1
        return -1 if a.ready_bucket < b.ready_bucket else 1
    if a.restarts != b.restarts:
        return -1 if a.restarts > b.restarts else 1
    if a.created != b.created:
        if a.created_bucket == b.created_bucket:
            return -1 if a.uid < b.uid else 1
        return -1 if a.created_bucket < b.created_bucket else 1
    return 0


# ---- status ----------------------------------------------------------------------------------

def _update_status(eng, rs: dict, facts: list[tuple], failure) -> None:
    """calculateStatus (replica_set_utils.go) over _active_facts; writes only when something changed."""
    min_ready = int(get_path(rs, "spec.minReadySeconds") or 0)
    waiting_for_min_ready = None
    # counted in C: this runs over every pod of the ReplicaSet on every reconcile
    fully_labeled = sum(map(bool, map(_LABELED, facts)))
    conds = list(map(_READY, facts))
    ready = available = len(conds) - conds.count(None)
    if min_ready:
        available = 0
        for cond in conds:
            if cond is not None:
                since = eng.parse_time(cond["lastTransitionTime"])
                if since + min_ready < eng.now:  # IsPodAvailable
                    available += 1
                else:
                    due = since + min_ready + 1
                    waiting_for_min_ready = due if waiting_for_min_ready is None else min(waiting_for_min_ready, due)
    old = rs.get("status") or {}
    status = {"replicas": len(facts)}
    if fully_labeled:
        status["fullyLabeledReplicas"] = fully_labeled
    if ready:
        status["readyReplicas"] = ready
    if available:
        status["availableReplicas"] = available
    status["observedGeneration"] = int(rs["metadata"].get("generation") or 1)
    conditions = [c for c in old.get("conditions") or () if c.get("type") != "ReplicaFailure"]
    if failure is not None:
        prior = next((c for c in old.get("conditions") or () if c.get("type") == "ReplicaFailure"), None)
        conditions.append({"lastTransitionTime": prior["lastTransitionTime"] if prior else eng.stamp(),
                           "message": failure[1], "reason": failure[0], "status": "True",
                           "type": "ReplicaFailure"})
    if conditions:
        status["conditions"] = conditions
    if status != old:
        updated = clone(rs)
        updated["status"] = status
        eng.api.update_status(updated)
    if waiting_for_min_ready is not None:
        # updatePod: enqueueRSAfter(minReadySeconds + 1s) once a pod turns ready
        eng.enqueue_at(waiting_for_min_ready, "replicaset", (rs["kind"], rs["metadata"]["namespace"], rs["metadata"]["name"]))
