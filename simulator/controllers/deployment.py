"""The deployment controller: one reconcile (`sync_deployment`) per Deployment key.

Follows kubernetes/kubernetes pkg/controller/deployment/ (deployment_controller.go syncDeployment,
sync.go, rolling.go, recreate.go, progress.go). The arithmetic lives in deployment_util.py.
Writes go through the engine's API server, so watch events and resourceVersions are real.
"""
from __future__ import annotations

from ..hashing import compute_hash
from ..labels import selector_matches
from ..objects import annotations, clone, controller_ref, get_path
from . import deployment_util as du


def sync_deployment(eng, namespace: str, name: str) -> None:
    d = eng.store.get("Deployment", namespace, name)
    if d is None:
        return
    d = clone(d)
    selector = get_path(d, "spec.selector")
    if selector == {} or (selector is not None and not selector.get("matchLabels") and not selector.get("matchExpressions")):
        eng.record_event(d, "Warning", "SelectingAll",
                         "This deployment is selecting all pods. A non-empty selector is required.",
                         "deployment-controller")
        status = d.setdefault("status", {})
        if int(status.get("observedGeneration") or 0) < int(d["metadata"].get("generation") or 0):
            status["observedGeneration"] = d["metadata"]["generation"]
            eng.api.update_status(d)
        return
    rs_list = replica_sets_for(eng, d)
    if d["metadata"].get("deletionTimestamp"):
        _sync_status_only(eng, d, rs_list)
        return
    d = _check_paused_conditions(eng, d)
    if get_path(d, "spec.paused"):
        _sync(eng, d, rs_list)
        return
    if _is_scaling_event(eng, d, rs_list):
        _sync(eng, d, rs_list)
        return
    if du.is_rolling_update(d):
        _rollout_rolling(eng, d, rs_list)
    else:
        _rollout_recreate(eng, d, rs_list)


# ---- listing -------------------------------------------------------------------------------

def replica_sets_for(eng, d: dict) -> list[dict]:
    """ReplicaSets controlled by the Deployment, adopting matching orphans (ClaimReplicaSets)."""
    uid = d["metadata"]["uid"]
    out = []
    for rs in eng.store.list("ReplicaSet", d["metadata"]["namespace"]):
        ref = controller_ref(rs)
        if ref is not None:
            if ref.get("uid") == uid:
                out.append(rs)
            continue
        if rs["metadata"].get("deletionTimestamp"):
            continue
        if selector_matches(get_path(d, "spec.selector"), rs["metadata"].get("labels")):
            adopted = clone(rs)
            adopted["metadata"].setdefault("ownerReferences", []).append(owner_reference(d))
            out.append(eng.api.update(adopted, internal=True))
    return out


def owner_reference(owner: dict) -> dict:
    return {"apiVersion": owner["apiVersion"], "blockOwnerDeletion": True, "controller": True,
            "kind": owner["kind"], "name": owner["metadata"]["name"], "uid": owner["metadata"]["uid"]}


def _pod_map(eng, d: dict, rs_list) -> dict[str, list[dict]]:
    """getPodMapForDeployment: pods (terminating ones included) grouped by owning RS uid."""
    out = {rs["metadata"]["uid"]: [] for rs in rs_list}
    for rs_uid in out:
        out[rs_uid] = eng.store.dependents(rs_uid, "Pod")
    return out


# ---- revisions and the new ReplicaSet --------------------------------------------------------

def _get_all_rs_and_sync_revision(eng, d, rs_list, create: bool):
    _, all_old = du.find_old_replica_sets(d, rs_list)
    new_rs = _get_new_replica_set(eng, d, rs_list, all_old, create)
    return new_rs, all_old


def _set_new_rs_annotations(d: dict, rs: dict, new_revision: str, exists: bool) -> bool:
    """SetNewReplicaSetAnnotations (deployment_util.go)."""
    anns = rs["metadata"].setdefault("annotations", {})
    changed = False
    for k, v in annotations(d).items():
        if k in du.SKIP_COPY or anns.get(k) == v:
            continue
        anns[k] = v
        changed = True
    old_revision = anns.get(du.REVISION, "")
    try:
        old_int = int(old_revision) if old_revision else 0
    except ValueError:
        return changed
    new_int = int(new_revision)
    if old_int < new_int:
        anns[du.REVISION] = new_revision
        changed = True
    if old_revision and old_int < new_int:
        history = anns.get(du.REVISION_HISTORY, "")
        olds = history.split(",") if history else [""]
        if not olds[0]:
            anns[du.REVISION_HISTORY] = old_revision
        else:
            total = len(history) + len(old_revision) + 1
            start = 0
            while total > du.MAX_REV_HISTORY_CHARS and start < len(olds):
                total -= len(olds[start]) + 1
                start += 1
            if total <= du.MAX_REV_HISTORY_CHARS:
                anns[du.REVISION_HISTORY] = ",".join(olds[start:] + [old_revision])
    if not exists and _set_replicas_annotations(rs, du.replicas(d), du.replicas(d) + du.max_surge(d)):
        changed = True
    return changed


def _set_replicas_annotations(rs: dict, desired: int, max_replicas: int) -> bool:
    anns = rs["metadata"].setdefault("annotations", {})
    changed = False
    if anns.get(du.DESIRED_REPLICAS) != str(desired):
        anns[du.DESIRED_REPLICAS] = str(desired)
        changed = True
    if anns.get(du.MAX_REPLICAS) != str(max_replicas):
        anns[du.MAX_REPLICAS] = str(max_replicas)
        changed = True
    return changed


def _replicas_annotations_need_update(rs: dict, desired: int, max_replicas: int) -> bool:
    anns = annotations(rs)
    return anns.get(du.DESIRED_REPLICAS) != str(desired) or anns.get(du.MAX_REPLICAS) != str(max_replicas)


def _set_deployment_revision(d: dict, revision: str) -> bool:
    anns = d["metadata"].setdefault("annotations", {})
    if anns.get(du.REVISION) != revision:
        anns[du.REVISION] = revision
        return True
    return False


def _get_new_replica_set(eng, d, rs_list, old_rss, create: bool):
    existing = du.find_new_replica_set(d, rs_list)
    new_revision = str(du.max_revision(old_rss) + 1)
    if existing is not None:
        rs_copy = clone(existing)
        annotations_updated = _set_new_rs_annotations(d, rs_copy, new_revision, True)
        min_ready = get_path(d, "spec.minReadySeconds") or 0
        if annotations_updated or (get_path(rs_copy, "spec.minReadySeconds") or 0) != min_ready:
            rs_copy["spec"]["minReadySeconds"] = min_ready
            rs_copy = eng.api.update(rs_copy, internal=True)
        needs_update = _set_deployment_revision(d, annotations(rs_copy).get(du.REVISION, ""))
        status = d.setdefault("status", {})
        if du.get_condition(status, "Progressing") is None:
            du.set_condition(status, du.new_condition(
                "Progressing", "True", du.REASON_FOUND_NEW_RS,
                f'Found new replica set "{rs_copy["metadata"]["name"]}"', eng.stamp()))
            needs_update = True
        if needs_update:
            _write_deployment(eng, d)
        return rs_copy
    if not create:
        return None

    collision = get_path(d, "status.collisionCount")
    template = clone(get_path(d, "spec.template") or {})
    pod_hash = compute_hash(template, collision)
    tmeta = template.setdefault("metadata", {})
    tmeta["labels"] = {**(tmeta.get("labels") or {}), du.HASH_LABEL: pod_hash}
    selector = clone(get_path(d, "spec.selector") or {})
    selector["matchLabels"] = {**(selector.get("matchLabels") or {}), du.HASH_LABEL: pod_hash}
    ns = d["metadata"]["namespace"]
    new_rs = {
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": f'{d["metadata"]["name"]}-{pod_hash}', "namespace": ns,
                     "labels": dict(tmeta["labels"]), "ownerReferences": [owner_reference(d)]},
        "spec": {"replicas": 0, "minReadySeconds": get_path(d, "spec.minReadySeconds") or 0,
                 "selector": selector, "template": template},
    }
    new_rs["spec"]["replicas"] = du.new_rs_new_replicas(d, list(rs_list) + [new_rs], new_rs)
    _set_new_rs_annotations(d, new_rs, new_revision, False)

    clash = eng.store.get("ReplicaSet", ns, new_rs["metadata"]["name"])
    if clash is not None:
        # Hash collision (AlreadyExists): the same template is fine, otherwise bump collisionCount.
        ref = controller_ref(clash)
        if ref and ref.get("uid") == d["metadata"]["uid"] and du.equal_ignore_hash(
                get_path(clash, "spec.template"), get_path(d, "spec.template")):
            return clash
        status = d.setdefault("status", {})
        status["collisionCount"] = int(status.get("collisionCount") or 0) + 1
        _write_deployment(eng, d)
        eng.enqueue("deployment", (ns, d["metadata"]["name"]))
        return None
    try:
        created = eng.api.create(new_rs, internal=True)
    except Exception as err:  # quota/limits: surfaced as the upstream ReplicaSetCreateError condition
        msg = f'Failed to create new replica set "{new_rs["metadata"]["name"]}": {getattr(err, "message", err)}'
        status = d.setdefault("status", {})
        du.set_condition(status, du.new_condition("Progressing", "False", du.REASON_RS_CREATE_ERROR, msg, eng.stamp()))
        eng.record_event(d, "Warning", du.REASON_RS_CREATE_ERROR, msg, "deployment-controller")
        _write_deployment(eng, d)
        return None
    if du.spec_replicas(created) > 0:
        eng.record_event(d, "Normal", "ScalingReplicaSet",
                         f'Scaled up replica set {created["metadata"]["name"]} to {du.spec_replicas(created)}',
                         "deployment-controller")
        step = "create_new" if du.is_rolling_update(d) else "recreate_up"
        _decide(eng, d, created, 0, du.spec_replicas(created), {
            "step": step, "current": du.replica_count(rs_list), "max_total": du.replicas(d) + du.max_surge(d)})
    _set_deployment_revision(d, new_revision)
    du.set_condition(d.setdefault("status", {}), du.new_condition(
        "Progressing", "True", du.REASON_NEW_RS_CREATED,
        f'Created new replica set "{created["metadata"]["name"]}"', eng.stamp()))
    _write_deployment(eng, d)
    return created


def _write_deployment(eng, d: dict) -> None:
    """UpdateStatus; the revision annotation travels with it, as in the upstream controller."""
    stored = eng.api.update_status(d, with_annotations=True)
    d["metadata"]["resourceVersion"] = stored["metadata"]["resourceVersion"]


# ---- scaling ---------------------------------------------------------------------------------

def _scale_rs(eng, rs: dict, new_scale: int, d: dict, operation: str, why: dict | None = None):
    """scaleReplicaSet: update size and replica annotations; event only if the size changed.
    `why` carries the numbers behind the decision, recorded for the learner's "why" timeline."""
    size_changed = du.spec_replicas(rs) != new_scale
    desired, max_replicas = du.replicas(d), du.replicas(d) + du.max_surge(d)
    if not size_changed and not _replicas_annotations_need_update(rs, desired, max_replicas):
        return False, rs
    old_scale = du.spec_replicas(rs)
    rs_copy = clone(rs)
    rs_copy["spec"]["replicas"] = new_scale
    _set_replicas_annotations(rs_copy, desired, max_replicas)
    updated = eng.api.update(rs_copy, internal=True)
    if size_changed:
        eng.record_event(d, "Normal", "ScalingReplicaSet",
                         f'Scaled {operation} replica set {updated["metadata"]["name"]} to {new_scale} from {old_scale}',
                         "deployment-controller")
        _decide(eng, d, updated, old_scale, new_scale, why or {"step": "scale"})
    return size_changed, updated


def _scale_rs_and_record(eng, rs: dict, new_scale: int, d: dict, why: dict | None = None):
    """scaleReplicaSetAndRecordEvent."""
    if du.spec_replicas(rs) == new_scale:
        return False, rs
    op = "up" if du.spec_replicas(rs) < new_scale else "down"
    return _scale_rs(eng, rs, new_scale, d, op, why)


def _decide(eng, d: dict, rs: dict, old: int, new: int, why: dict) -> None:
    """Record one controller decision with the numbers that drove it (simulator/timeline.py)."""
    record = {"t": round(eng.now, 3), "rs": rs["metadata"]["name"], "revision": du.revision(rs),
              "from": old, "to": new, "replicas": du.replicas(d), "max_surge": du.max_surge(d),
              "max_unavailable": du.max_unavailable(d), **why}
    eng.timeline.decide(d["metadata"]["namespace"], d["metadata"]["name"], record)


def _is_scaling_event(eng, d, rs_list) -> bool:
    new_rs, old_rss = _get_all_rs_and_sync_revision(eng, d, rs_list, False)
    for rs in du.active(old_rss + [new_rs]):
        desired = annotations(rs).get(du.DESIRED_REPLICAS)
        if desired is None:
            continue
        try:
            if int(desired) != du.replicas(d):
                return True
        except ValueError:
            continue
    return False


def _find_active_or_latest(new_rs, old_rss):
    if new_rs is None and not old_rss:
        return None
    old_sorted = list(reversed(du.by_creation(old_rss)))
    actives = du.active(old_sorted + [new_rs])
    if not actives:
        return new_rs if new_rs is not None else old_sorted[0]
    if len(actives) == 1:
        return actives[0]
    return None


def _scale(eng, d, new_rs, old_rss) -> None:
    """scale(): proportional scaling of every active ReplicaSet (sync.go)."""
    target = _find_active_or_latest(new_rs, old_rss)
    if target is not None:
        if du.spec_replicas(target) != du.replicas(d):
            _scale_rs_and_record(eng, target, du.replicas(d), d, {"step": "scale_single"})
        return
    if du.is_saturated(d, new_rs):
        for old in du.active(old_rss):
            _scale_rs_and_record(eng, old, 0, d, {"step": "saturated"})
        return
    if not du.is_rolling_update(d):
        return
    all_rss = du.active(old_rss + [new_rs])
    allowed = du.replicas(d) + du.max_surge(d) if du.replicas(d) > 0 else 0
    to_add = allowed - du.replica_count(all_rss)
    operation = ""
    if to_add > 0:
        all_rss, operation = du.by_size_newer(all_rss), "up"
    elif to_add < 0:
        all_rss, operation = du.by_size_older(all_rss), "down"
    added = 0
    sizes = {}
    for rs in all_rss:
        if to_add != 0:
            p = du.proportion(rs, d, to_add, added)
            sizes[rs["metadata"]["name"]] = du.spec_replicas(rs) + p
            added += p
        else:
            sizes[rs["metadata"]["name"]] = du.spec_replicas(rs)
    for i, rs in enumerate(all_rss):
        name = rs["metadata"]["name"]
        if i == 0 and to_add != 0:
            sizes[name] = max(0, sizes[name] + to_add - added)
        _scale_rs(eng, rs, sizes[name], d, operation, {"step": "proportional", "allowed": allowed, "to_add": to_add})


def _sync(eng, d, rs_list) -> None:
    """sync(): scaling and status only (paused deployments, scaling events)."""
    new_rs, old_rss = _get_all_rs_and_sync_revision(eng, d, rs_list, False)
    _scale(eng, d, new_rs, old_rss)
    # re-read after scaling so cleanup and status see the written sizes
    new_rs, old_rss = _refresh(eng, new_rs), [_refresh(eng, rs) for rs in old_rss]
    old_rss = [rs for rs in old_rss if rs is not None]
    if get_path(d, "spec.paused") and not annotations(d).get(du.ROLLBACK_TO):
        _cleanup(eng, d, old_rss)
    _sync_deployment_status(eng, d, old_rss + [new_rs], new_rs)


def _refresh(eng, rs):
    if rs is None:
        return None
    return eng.store.get("ReplicaSet", rs["metadata"]["namespace"], rs["metadata"]["name"])


def _sync_status_only(eng, d, rs_list) -> None:
    new_rs, old_rss = _get_all_rs_and_sync_revision(eng, d, rs_list, False)
    _sync_deployment_status(eng, d, old_rss + [new_rs], new_rs)


def _check_paused_conditions(eng, d: dict) -> dict:
    if not du.has_progress_deadline(d):
        return d
    status = d.setdefault("status", {})
    cond = du.get_condition(status, "Progressing")
    if cond is not None and cond.get("reason") == du.REASON_TIMED_OUT:
        return d
    paused_exists = cond is not None and cond.get("reason") == du.REASON_PAUSED
    paused = bool(get_path(d, "spec.paused"))
    if paused and not paused_exists:
        du.set_condition(status, du.new_condition("Progressing", "Unknown", du.REASON_PAUSED,
                                                  "Deployment is paused", eng.stamp()))
    elif not paused and paused_exists:
        du.set_condition(status, du.new_condition("Progressing", "Unknown", du.REASON_RESUMED,
                                                  "Deployment is resumed", eng.stamp()))
    else:
        return d
    _write_deployment(eng, d)
    return d


# ---- rolling update ---------------------------------------------------------------------------

def _rollout_rolling(eng, d, rs_list) -> None:
    new_rs, old_rss = _get_all_rs_and_sync_revision(eng, d, rs_list, True)
    if new_rs is None:
        return
    all_rss = old_rss + [new_rs]
    scaled_up, new_rs = _reconcile_new_rs(eng, all_rss, new_rs, d)
    if scaled_up:
        _sync_rollout_status(eng, d, old_rss + [new_rs], new_rs)
        return
    scaled_down, old_rss = _reconcile_old_rss(eng, old_rss + [new_rs], du.active(old_rss), new_rs, d, old_rss)
    if scaled_down:
        _sync_rollout_status(eng, d, old_rss + [new_rs], new_rs)
        return
    if du.deployment_complete(d, d.get("status") or {}):
        _cleanup(eng, d, old_rss)
    _sync_rollout_status(eng, d, old_rss + [new_rs], new_rs)


def _reconcile_new_rs(eng, all_rss, new_rs, d):
    r = du.replicas(d)
    if du.spec_replicas(new_rs) == r:
        return False, new_rs
    if du.spec_replicas(new_rs) > r:
        return _scale_rs_and_record(eng, new_rs, r, d, {"step": "new_above_replicas"})
    count = du.new_rs_new_replicas(d, all_rss, new_rs)
    return _scale_rs_and_record(eng, new_rs, count, d, {
        "step": "scale_up_new", "current": du.replica_count(all_rss), "max_total": r + du.max_surge(d)})


def _reconcile_old_rss(eng, all_rss, active_old, new_rs, d, all_old):
    """reconcileOldReplicaSets (rolling.go). Returns (scaled, refreshed list of all old RSes)."""
    if du.replica_count(active_old) == 0:
        return False, all_old
    all_pods = du.replica_count(all_rss)
    min_available = du.replicas(d) - du.max_unavailable(d)
    new_unavailable = du.spec_replicas(new_rs) - du.status_int(new_rs, "availableReplicas")
    max_scaled_down = all_pods - min_available - new_unavailable
    if max_scaled_down <= 0:
        if du.replica_count([new_rs]) >= du.replicas(d) or all_pods >= du.replicas(d) + du.max_surge(d):
            eng.timeline.blocked(d["metadata"]["namespace"], d["metadata"]["name"], {
                "t": round(eng.now, 3), "step": "blocked", "pods": all_pods, "min_available": min_available,
                "new_unavailable": new_unavailable, "replicas": du.replicas(d), "max_surge": du.max_surge(d),
                "max_unavailable": du.max_unavailable(d), "rs": new_rs["metadata"]["name"]})
        return False, all_old
    updated: dict[str, dict] = {}
    active_old, cleaned = _cleanup_unhealthy(eng, active_old, d, max_scaled_down, updated)
    scaled = _scale_down_old_for_rolling(eng, active_old + [new_rs], active_old, d, updated)
    refreshed = [updated.get(rs["metadata"]["uid"], rs) for rs in all_old]
    return cleaned + scaled > 0, refreshed


def _cleanup_unhealthy(eng, old_rss, d, max_cleanup, updated):
    """cleanupUnhealthyReplicas: drop unavailable old replicas first, oldest RS first."""
    old_rss = du.by_creation(old_rss)
    total = 0
    for i, rs in enumerate(old_rss):
        if total >= max_cleanup:
            break
        spec, avail = du.spec_replicas(rs), du.status_int(rs, "availableReplicas")
        if spec == 0 or spec == avail:
            continue
        count = min(max_cleanup - total, spec - avail)
        _, new = _scale_rs_and_record(eng, rs, spec - count, d, {
            "step": "cleanup_unhealthy", "unavailable_in_rs": spec - avail, "max_scaled_down": max_cleanup})
        total += count
        old_rss[i] = new
        updated[new["metadata"]["uid"]] = new
    return old_rss, total


def _scale_down_old_for_rolling(eng, all_rss, old_rss, d, updated) -> int:
    """scaleDownOldReplicaSetsForRollingUpdate: oldest first, never below minAvailable."""
    min_available = du.replicas(d) - du.max_unavailable(d)
    available = du.available_replica_count(all_rss)
    if available <= min_available:
        return 0
    total_count = available - min_available
    total = 0
    for rs in du.by_creation(old_rss):
        if total >= total_count:
            break
        spec = du.spec_replicas(rs)
        if spec == 0:
            continue
        n = min(spec, total_count - total)
        _, new = _scale_rs_and_record(eng, rs, spec - n, d, {
            "step": "scale_down_old", "available": available, "min_available": min_available})
        updated[new["metadata"]["uid"]] = new
        total += n
    return total


# ---- recreate ----------------------------------------------------------------------------------

def _rollout_recreate(eng, d, rs_list) -> None:
    new_rs, old_rss = _get_all_rs_and_sync_revision(eng, d, rs_list, False)
    scaled = False
    refreshed = []
    for rs in old_rss:
        if du.spec_replicas(rs) != 0:
            did, rs = _scale_rs_and_record(eng, rs, 0, d, {"step": "recreate_down"})
            scaled = scaled or did
        refreshed.append(rs)
    old_rss = refreshed
    if scaled:
        _sync_rollout_status(eng, d, old_rss + [new_rs], new_rs)
        return
    if _old_pods_running(eng, d, new_rs, old_rss, rs_list):
        _sync_rollout_status(eng, d, old_rss + [new_rs], new_rs)
        return
    if new_rs is None:
        new_rs, old_rss = _get_all_rs_and_sync_revision(eng, d, replica_sets_for(eng, d), True)
        if new_rs is None:
            return
    _, new_rs = _scale_rs_and_record(eng, new_rs, du.replicas(d), d, {"step": "recreate_up"})
    if du.deployment_complete(d, d.get("status") or {}):
        _cleanup(eng, d, old_rss)
    _sync_rollout_status(eng, d, old_rss + [new_rs], new_rs)


def _old_pods_running(eng, d, new_rs, old_rss, rs_list) -> bool:
    if du.actual_replica_count(old_rss) > 0:
        return True
    new_uid = new_rs["metadata"]["uid"] if new_rs is not None else None
    for rs_uid, pods in _pod_map(eng, d, rs_list).items():
        if rs_uid == new_uid:
            continue
        for pod in pods:
            if get_path(pod, "status.phase") not in ("Failed", "Succeeded"):
                return True
    return False


# ---- history cleanup and status ------------------------------------------------------------

def _cleanup(eng, d, old_rss) -> None:
    """cleanupDeployment: keep at most revisionHistoryLimit old ReplicaSets."""
    if not du.has_revision_history_limit(d):
        return
    cleanable = [rs for rs in old_rss if rs is not None and not rs["metadata"].get("deletionTimestamp")]
    diff = len(cleanable) - int(get_path(d, "spec.revisionHistoryLimit"))
    if diff <= 0:
        return
    for rs in du.by_revision(cleanable)[:diff]:
        status = rs.get("status") or {}
        if (int(status.get("replicas") or 0) != 0 or du.spec_replicas(rs) != 0
                or int(rs["metadata"].get("generation") or 0) > int(status.get("observedGeneration") or 0)):
            continue
        eng.api.delete("ReplicaSet", rs["metadata"]["namespace"], rs["metadata"]["name"], internal=True)


def calculate_status(eng, all_rss, new_rs, d) -> dict:
    available = du.available_replica_count(all_rss)
    total = du.replica_count(all_rss)
    old = d.get("status") or {}
    status = {
        "observedGeneration": int(d["metadata"].get("generation") or 0),
        "replicas": du.actual_replica_count(all_rss),
        "updatedReplicas": du.actual_replica_count([new_rs]),
        "readyReplicas": du.ready_replica_count(all_rss),
        "availableReplicas": available,
        "unavailableReplicas": max(0, total - available),
    }
    # DeploymentStatus int fields are `omitempty` (kubernetes/api apps/v1 types.go): zeros vanish
    status = {k: v for k, v in status.items() if v}
    if old.get("collisionCount") is not None:
        status["collisionCount"] = old["collisionCount"]
    if old.get("conditions"):
        status["conditions"] = [dict(c) for c in old["conditions"]]
    if available >= du.replicas(d) - du.max_unavailable(d):
        cond = du.new_condition("Available", "True", du.REASON_MIN_AVAILABLE,
                                "Deployment has minimum availability.", eng.stamp())
    else:
        cond = du.new_condition("Available", "False", du.REASON_MIN_UNAVAILABLE,
                                "Deployment does not have minimum availability.", eng.stamp())
    du.set_condition(status, cond)
    return status


def _rs_or_deployment(new_rs, d) -> str:
    if new_rs is not None:
        return f'ReplicaSet "{new_rs["metadata"]["name"]}"'
    return f'Deployment "{d["metadata"]["name"]}"'


def _sync_rollout_status(eng, d, all_rss, new_rs) -> None:
    """syncRolloutStatus (progress.go)."""
    new_status = calculate_status(eng, all_rss, new_rs, d)
    if not du.has_progress_deadline(d):
        du.remove_condition(new_status, "Progressing")
    current = du.get_condition(d.get("status") or {}, "Progressing")
    complete = (new_status.get("replicas", 0) == new_status.get("updatedReplicas", 0) and current is not None
                and current.get("reason") == du.REASON_NEW_RS_AVAILABLE)
    if du.has_progress_deadline(d) and not complete:
        who = _rs_or_deployment(new_rs, d)
        if du.deployment_complete(d, new_status):
            du.set_condition(new_status, du.new_condition(
                "Progressing", "True", du.REASON_NEW_RS_AVAILABLE, f"{who} has successfully progressed.", eng.stamp()))
        elif du.deployment_progressing(d, new_status):
            cond = du.new_condition("Progressing", "True", du.REASON_RS_UPDATED, f"{who} is progressing.", eng.stamp())
            if current is not None:
                if current["status"] == "True":
                    cond["lastTransitionTime"] = current["lastTransitionTime"]
                du.remove_condition(new_status, "Progressing")
            du.set_condition(new_status, cond)
        elif _timed_out(eng, d, new_status):
            du.set_condition(new_status, du.new_condition(
                "Progressing", "False", du.REASON_TIMED_OUT, f"{who} has timed out progressing.", eng.stamp()))
    failure = _replica_failure(all_rss, new_rs)
    if failure is not None:
        du.set_condition(new_status, failure)
    else:
        du.remove_condition(new_status, "ReplicaFailure")
    if _status_equal(d.get("status") or {}, new_status):
        _requeue_stuck(eng, d, new_status)
        return
    d["status"] = new_status
    _write_deployment(eng, d)
    _requeue_stuck(eng, d, new_status)


def _timed_out(eng, d, status) -> bool:
    cond = du.get_condition(status, "Progressing")
    if cond is None or cond.get("reason") == du.REASON_NEW_RS_AVAILABLE:
        return False
    if cond.get("reason") == du.REASON_TIMED_OUT:
        return True
    since = eng.parse_time(cond["lastUpdateTime"])
    return since + int(get_path(d, "spec.progressDeadlineSeconds")) < eng.now


def _requeue_stuck(eng, d, new_status) -> None:
    """requeueStuckDeployment: come back when the progress deadline would pass."""
    current = du.get_condition(d.get("status") or {}, "Progressing")
    if not du.has_progress_deadline(d) or current is None:
        return
    if du.deployment_complete(d, new_status) or current.get("reason") == du.REASON_TIMED_OUT:
        return
    due = eng.parse_time(current["lastUpdateTime"]) + int(get_path(d, "spec.progressDeadlineSeconds"))
    after = due - eng.now
    key = (d["metadata"]["namespace"], d["metadata"]["name"])
    eng.enqueue_after(max(after, 0) + 1.0, "deployment", key)


def _replica_failure(all_rss, new_rs):
    ordered = ([new_rs] if new_rs is not None else []) + [rs for rs in all_rss if rs is not None and rs is not new_rs]
    for rs in ordered:
        for c in get_path(rs, "status.conditions") or ():
            if c.get("type") == "ReplicaFailure":
                return {"lastTransitionTime": c.get("lastTransitionTime"), "lastUpdateTime": c.get("lastTransitionTime"),
                        "message": c.get("message", ""), "reason": c.get("reason", ""),
                        "status": c.get("status", "True"), "type": "ReplicaFailure"}
    return None


def _status_equal(a: dict, b: dict) -> bool:
    def norm(s):
        return {k: v for k, v in s.items() if v not in (0, None, [], {})}
    return norm(a) == norm(b)


def _sync_deployment_status(eng, d, all_rss, new_rs) -> None:
    new_status = calculate_status(eng, all_rss, new_rs, d)
    if _status_equal(d.get("status") or {}, new_status):
        return
    d["status"] = new_status
    _write_deployment(eng, d)
