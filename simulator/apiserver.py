"""The simulated API server: create/update/delete semantics on top of the store.

What it does that a plain store does not: defaulting and validation (simulator/api/), metadata
(uid, generation, creationTimestamp, generateName), the status subresource (user updates keep
status, controller status writes keep spec), ClusterIP/NodePort allocation, graceful pod deletion
and background garbage collection of dependents (ownerReferences).
"""
from __future__ import annotations

from . import image_notices, limits
from .api import admission, config_objects, defaults, kinds, status_validation, validation
from .api.errors import AlreadyExists, BadRequest, Conflict, LimitExceeded, NotFound
from .objects import clone, get_path
from .rng import NAME_ALPHABET

# Kinds whose spec changes bump metadata.generation (their strategies' PrepareForUpdate).
GENERATION_KINDS = {"Deployment", "ReplicaSet", "ReplicationController"}

# apiserver pkg/storage/errors.go / registry/generic/registry/store.go: the text of the Conflict a
# stale metadata.resourceVersion gets (OptimisticLockErrorMsg)
CONFIG_KINDS = {"ConfigMap", "Secret"}
MAX_CONFIG_OBJECTS = 200  # configmaps + secrets in one sandbox (Rollout Lab's own cap)

OPTIMISTIC_LOCK = "the object has been modified; please apply your changes to the latest version and try again"


def resource_of(kind: str) -> str:
    k = kinds.by_kind(kind)
    return k.resource if k else kind.lower() + "s"


class ApiServer:
    def __init__(self, eng):
        self.eng = eng

    @property
    def store(self):
        return self.eng.store

    # ---- reads --------------------------------------------------------------------------
    def get(self, kind: str, namespace: str, name: str) -> dict:
        obj = self.store.get(kind, namespace if self._namespaced(kind) else "", name)
        if obj is None:
            raise NotFound(resource_of(kind), name)
        return obj

    def _namespaced(self, kind: str) -> bool:
        k = kinds.by_kind(kind)
        return k.namespaced if k else True

    # ---- create -------------------------------------------------------------------------
    def create(self, obj: dict, internal: bool = False, dry_run: bool = False) -> dict:
        # A refused or dry-run create leaves the cluster exactly as it was, random state included
        # (generated names and admission draw from it before validation can fail).
        rng_state = self.eng.rng.state
        allocated = {k: len(v) for k, v in self.eng.allocated.items()}

        def undo():
            self.eng.rng.state = rng_state
            for k, n in allocated.items():
                del self.eng.allocated[k][n:]

        try:
            created = self._create(obj, internal)
        except Exception:
            undo()
            raise
        if dry_run:
            undo()
            return created
        stored = self.store.put(created)
        if not internal:
            image_notices.note_images(self.eng, stored)
        return stored

    def _create(self, obj: dict, internal: bool) -> dict:
        obj = clone(obj)
        kind = obj.get("kind")
        meta = obj.setdefault("metadata", {})
        if self._namespaced(kind):
            meta["namespace"] = meta.get("namespace") or "default"
            if self.store.get("Namespace", "", meta["namespace"]) is None:
                raise NotFound("namespaces", meta["namespace"])
        else:
            meta.pop("namespace", None)
        ns = meta.get("namespace", "")
        if not meta.get("name") and meta.get("generateName"):
            meta["name"] = self._generate_name(kind, ns, meta["generateName"])
        if not internal:
            self._check_limits(obj, None)
        elif kind == "Pod" and self._pod_count() >= limits.MAX_PODS:
            raise LimitExceeded(f"this sandbox is limited to {limits.MAX_PODS} pods")
        defaults.apply_defaults(obj)
        if kind in CONFIG_KINDS:
            config_objects.decode(obj)
            config_objects.prepare(obj)
        for field in ("uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "generation"):
            meta.pop(field, None)
        if kind == "Pod":  # mutating admission runs after defaulting, before validation
            admission.admit_pod(obj, lambda: self.eng.rng.string(5, NAME_ALPHABET))
        if not internal:
            (config_objects.validate_create if kind in CONFIG_KINDS else validation.validate_create)(obj)
        if self.store.get(kind, ns, meta.get("name", "")) is not None:
            raise AlreadyExists(resource_of(kind), meta["name"])
        meta["uid"] = self.eng.rng.uuid()
        meta["creationTimestamp"] = self.eng.stamp()
        if kind in GENERATION_KINDS:
            meta["generation"] = 1
        defaults.prepare_for_create(obj)
        if kind == "Service":
            self._allocate_service(obj, None)
        return obj

    def _generate_name(self, kind: str, ns: str, prefix: str) -> str:
        base = prefix[:58] if len(prefix) > 58 else prefix  # names.SimpleNameGenerator maxGeneratedNameLength
        for _ in range(20):
            name = base + self.eng.rng.string(5, NAME_ALPHABET)
            if self.store.get(kind, ns, name) is None:
                return name
        raise AlreadyExists(resource_of(kind), base)

    def _pod_count(self) -> int:
        return self.store.count("Pod")

    def _check_limits(self, obj: dict, old: dict | None) -> None:
        kind = obj.get("kind")
        if old is None:
            if kind == "Pod" and self._pod_count() >= limits.MAX_PODS:
                raise LimitExceeded(f"this sandbox is limited to {limits.MAX_PODS} pods")
            if kind in CONFIG_KINDS and sum(self.store.count(k) for k in CONFIG_KINDS) >= MAX_CONFIG_OBJECTS:
                raise LimitExceeded(f"this sandbox is limited to {MAX_CONFIG_OBJECTS} configmaps and secrets")
            if kind in limits.COUNTED_KINDS:
                total = sum(self.store.count(k) for k in limits.COUNTED_KINDS)
                if total >= limits.MAX_OBJECTS:
                    raise LimitExceeded(f"this sandbox is limited to {limits.MAX_OBJECTS} objects "
                                        "(deployments, replicasets, replicationcontrollers, services, namespaces)")
        replicas = get_path(obj, "spec.replicas")
        if kind in ("Deployment", "ReplicaSet", "ReplicationController") and isinstance(replicas, int) \
                and not isinstance(replicas, bool) and replicas > limits.MAX_REPLICAS:
            raise LimitExceeded(f"this sandbox allows at most {limits.MAX_REPLICAS} replicas per "
                                f"{kind} (asked for {replicas})")
        # the kubelet's work grows faster than the containers of a pod: cap them like pods
        pod_spec = obj.get("spec") if kind == "Pod" else get_path(obj, "spec.template.spec")
        if isinstance(pod_spec, dict):
            count = sum(len(v) for v in (pod_spec.get("containers"), pod_spec.get("initContainers"))
                        if isinstance(v, list))
            if count > limits.MAX_CONTAINERS_PER_POD:
                raise LimitExceeded(f"this sandbox allows at most {limits.MAX_CONTAINERS_PER_POD} containers "
                                    f"per pod, init containers included (asked for {count})")
            if kind != "Pod" and isinstance(replicas, int) and replicas * count > limits.max_containers():
                raise LimitExceeded(f"this sandbox allows at most {limits.max_containers()} containers per "
                                    f"{kind} (asked for {replicas} replicas × {count} containers)")

    def _allocate_service(self, svc: dict, old: dict | None) -> None:
        spec = svc.setdefault("spec", {})
        if old is not None:
            for field in ("clusterIP", "clusterIPs"):
                if field in old.get("spec", {}) and not spec.get(field):
                    spec[field] = old["spec"][field]
        if spec.get("clusterIP") != "None" and not spec.get("clusterIP"):
            spec["clusterIP"] = self.eng.allocate_cluster_ip()
        if spec.get("clusterIP") and not spec.get("clusterIPs"):
            spec["clusterIPs"] = [spec["clusterIP"]]
        if spec.get("type") in ("NodePort", "LoadBalancer"):
            old_ports = {p.get("port"): p.get("nodePort") for p in get_path(old or {}, "spec.ports") or ()}
            for p in spec.get("ports") or ():
                if not p.get("nodePort"):
                    p["nodePort"] = old_ports.get(p.get("port")) or self.eng.allocate_node_port()
        else:
            for p in spec.get("ports") or ():
                p.pop("nodePort", None)

    # ---- update -------------------------------------------------------------------------
    def _written_over(self, obj: dict) -> tuple[dict, str, dict, dict]:
        """A copy of the body of a write, its kind and metadata (namespace defaulted), and the
        stored object it replaces (NotFound when there is none)."""
        obj = clone(obj)
        kind = obj.get("kind")
        meta = obj.setdefault("metadata", {})
        ns = meta.get("namespace", "") if self._namespaced(kind) else ""
        if self._namespaced(kind):
            meta["namespace"] = ns = ns or "default"
        old = self.store.get(kind, ns, meta.get("name", ""))
        if old is None:
            raise NotFound(resource_of(kind), meta.get("name", ""))
        return obj, kind, meta, old

    def update(self, obj: dict, internal: bool = False, dry_run: bool = False) -> dict:
        obj, kind, meta, old = self._written_over(obj)
        if not internal:
            check_resource_version(obj, old)
            self._check_limits(obj, old)
        defaults.apply_defaults(obj)
        if kind in CONFIG_KINDS:
            config_objects.decode(obj)
            config_objects.prepare(obj)
        _keep_system_metadata(meta, old["metadata"])
        if "ownerReferences" not in meta and old["metadata"].get("ownerReferences") and internal:
            meta["ownerReferences"] = old["metadata"]["ownerReferences"]
        if kind != "Endpoints" and "status" in old:
            obj["status"] = clone(old["status"])  # the status subresource is written separately
        if kind == "Service":
            self._allocate_service(obj, old)
        if not internal:
            (config_objects.validate_update if kind in CONFIG_KINDS else validation.validate_update)(old, obj)
        if kind in GENERATION_KINDS and _spec_changed(old, obj):
            meta["generation"] = int(old["metadata"].get("generation") or 1) + 1
        if kind == "Pod":
            obj["spec"] = _pod_spec_after_update(old, obj)
        if dry_run:
            return obj
        if _same(old, obj):
            return old  # a no-op write does not bump resourceVersion (like an unchanged PATCH)
        stored = self.store.put(obj)
        if not internal:
            image_notices.note_images(self.eng, stored)
        return stored

    def update_status_subresource(self, obj: dict, dry_run: bool = False) -> dict:
        """A user's write to `<resource>/status` (`kubectl patch|replace --subresource=status`):
        the registries' status strategies (pkg/registry/apps/deployment/strategy.go
        deploymentStatusStrategy.PrepareForUpdate, replicaset, core pod/service/... likewise) keep
        the old spec, and for Deployments the old labels, for Pods the old ownerReferences; the
        rest of the body's metadata goes through the usual metadata update rules."""
        obj, kind, meta, old = self._written_over(obj)
        check_resource_version(obj, old)
        _keep_system_metadata(meta, old["metadata"])
        if "spec" in old:
            obj["spec"] = clone(old["spec"])
        else:
            obj.pop("spec", None)
        if kind == "Deployment":
            _keep(meta, old["metadata"], "labels")
        if kind == "Pod":
            _keep(meta, old["metadata"], "ownerReferences")
        status_validation.validate_status_update(old, obj)
        if dry_run:
            return obj
        if _same(old, obj):
            return old
        return self.store.put(obj)

    def update_status(self, obj: dict, with_annotations: bool = False, fresh_status: bool = False) -> dict:
        """The status subresource: only status (and, for the deployment controller's revision
        bookkeeping, annotations) change. fresh_status: the caller built obj["status"] for this
        write alone and never touches it again, so it is stored without another deep copy (the
        kubelet's writes, several per pod)."""
        kind, meta = obj["kind"], obj["metadata"]
        old = self.store.get(kind, meta.get("namespace", ""), meta["name"])
        if old is None:
            raise NotFound(resource_of(kind), meta["name"])
        new = dict(old)
        new["metadata"] = dict(old["metadata"])
        new["status"] = (obj.get("status") or {}) if fresh_status else clone(obj.get("status") or {})
        if with_annotations and "annotations" in meta:
            new["metadata"]["annotations"] = dict(meta["annotations"])
        if new.get("status") == old.get("status") and new["metadata"].get("annotations") == old["metadata"].get("annotations"):
            return old
        return self.store.put(new)

    def bind(self, pod: dict) -> dict:
        """pods/binding: the scheduler sets spec.nodeName and the PodScheduled condition."""
        old = self.store.get("Pod", pod["metadata"]["namespace"], pod["metadata"]["name"])
        new = dict(old)
        new["metadata"] = dict(old["metadata"])
        new["spec"] = dict(old["spec"], nodeName=pod["spec"]["nodeName"])
        new["status"] = clone(pod["status"])
        return self.store.put(new)

    def put_internal(self, obj: dict) -> dict:
        """Objects written by the system itself with no API semantics (events)."""
        meta = obj["metadata"]
        if "uid" not in meta:
            meta["uid"] = self.eng.rng.uuid()
        meta.setdefault("creationTimestamp", self.eng.stamp())
        return self.store.put(obj)

    # ---- delete -------------------------------------------------------------------------
    def delete(self, kind: str, namespace: str, name: str, grace: int | None = None,
               internal: bool = False, dry_run: bool = False, cascade: str = "background") -> dict:
        ns = namespace if self._namespaced(kind) else ""
        obj = self.store.get(kind, ns, name)
        if obj is None:
            raise NotFound(resource_of(kind), name)
        if dry_run:
            return obj
        if kind == "Pod":
            return self._delete_pod(obj, grace)
        if kind == "Namespace":
            return self._delete_namespace(obj)
        if cascade == "orphan":
            self._orphan_dependents(obj)
        removed = self.store.remove(kind, ns, name)
        self.eng.collect_garbage(removed)
        return removed

    def _delete_pod(self, pod: dict, grace: int | None) -> dict:
        if grace is None:
            grace = int(get_path(pod, "spec.terminationGracePeriodSeconds") or 30)
        if pod["metadata"].get("deletionTimestamp"):
            if grace == 0:
                return self.finalize_delete(pod)
            return pod  # already terminating: a longer grace period never extends it
        if grace == 0 or not get_path(pod, "spec.nodeName"):
            return self.finalize_delete(pod)
        new = dict(pod)
        new["metadata"] = dict(pod["metadata"])
        new["metadata"]["deletionTimestamp"] = self.eng.stamp_at(self.eng.now + grace)
        new["metadata"]["deletionGracePeriodSeconds"] = grace
        stored = self.store.put(new)
        self.eng.pod_deleting(stored)
        return stored

    def finalize_delete(self, pod: dict) -> dict:
        ref = self.eng.kubelet["pods"].pop(pod["metadata"]["uid"], None)
        if ref is not None:  # the node's pod count, which the scheduler spreads by
            load = self.eng.kubelet.setdefault("load", {})
            load[ref["node"]] = max(0, load.get(ref["node"], 0) - 1)
        removed = self.store.remove("Pod", pod["metadata"]["namespace"], pod["metadata"]["name"])
        return removed or pod

    def _delete_namespace(self, ns_obj: dict) -> dict:
        name = ns_obj["metadata"]["name"]
        if name in ("default", "kube-system", "kube-public", "kube-node-lease"):
            raise BadRequest(f'namespace "{name}" is forbidden: this namespace may not be deleted', reason="Forbidden", code=403)
        for kind in ("Deployment", "ReplicaSet", "ReplicationController", "Service", "Endpoints", "Event",
                     "ConfigMap", "Secret"):
            for obj in list(self.store.list(kind, name)):
                if self.store.get(kind, name, obj["metadata"]["name"]) is not None:
                    self.delete(kind, name, obj["metadata"]["name"], internal=True)
        for pod in list(self.store.list("Pod", name)):
            self.finalize_delete(pod)
        return self.store.remove("Namespace", "", name)

    def _orphan_dependents(self, owner: dict) -> None:
        for dep in self.store.dependents(owner["metadata"]["uid"]):
            new = clone(dep)
            new["metadata"]["ownerReferences"] = [r for r in new["metadata"].get("ownerReferences", [])
                                                  if r.get("uid") != owner["metadata"]["uid"]]
            if not new["metadata"]["ownerReferences"]:
                del new["metadata"]["ownerReferences"]
            self.store.put(new)


def check_resource_version(obj: dict, old: dict) -> None:
    """Optimistic concurrency: a write that names a resourceVersion must name the stored one
    (an empty one is an unconditional update, which every kind here allows)."""
    rv = (obj.get("metadata") or {}).get("resourceVersion")
    if rv and rv != old["metadata"].get("resourceVersion"):
        raise Conflict(f'Operation cannot be fulfilled on {resource_of(old["kind"])} '
                       f'"{old["metadata"]["name"]}": {OPTIMISTIC_LOCK}')


def _keep_system_metadata(meta: dict, old_meta: dict) -> None:
    """Fields a client cannot set on an update: the stored object's values win (or stay unset)."""
    for field in ("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"):
        if field in old_meta:
            meta[field] = old_meta[field]
        else:
            meta.pop(field, None)


def _keep(meta: dict, old_meta: dict, field: str) -> None:
    if field in old_meta:
        meta[field] = clone(old_meta[field])
    else:
        meta.pop(field, None)


def _spec_changed(old: dict, new: dict) -> bool:
    return _strip_empty(old.get("spec")) != _strip_empty(new.get("spec"))


def _strip_empty(v):
    if isinstance(v, dict):
        return {k: _strip_empty(x) for k, x in v.items() if x not in (None, {}, [])}
    if isinstance(v, list):
        return [_strip_empty(x) for x in v]
    return v


def _same(a: dict, b: dict) -> bool:
    a_meta = {k: v for k, v in a.get("metadata", {}).items() if k != "resourceVersion"}
    b_meta = {k: v for k, v in b.get("metadata", {}).items() if k != "resourceVersion"}
    return a_meta == b_meta and {k: v for k, v in a.items() if k != "metadata"} == {k: v for k, v in b.items() if k != "metadata"}


def _pod_spec_after_update(old: dict, new: dict) -> dict:
    """Pod specs are immutable apart from container images (and a few fields validation checks);
    nodeName set by the scheduler stays."""
    spec = clone(new.get("spec") or {})
    if old["spec"].get("nodeName"):
        spec["nodeName"] = old["spec"]["nodeName"]
    return spec
