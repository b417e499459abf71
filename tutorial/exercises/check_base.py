"""What every check kind shares (tutorial/exercises/checks.py builds the kinds from it): the
outcome and context types, the parsing helpers that name the problem, and cluster-reading helpers.
Reads the cluster only through the public `simulator.Cluster` API."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from .comparisons import SpecError

DEFAULT_NAMESPACE = "default"
# Annotations read here (k8s.io/api apps/v1 and kubectl: polymorphichelpers/history.go).
REVISION_ANNOTATION = "deployment.kubernetes.io/revision"
CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause"
TEMPLATE_KINDS = ("Deployment", "ReplicaSet", "ReplicationController")


@dataclass(frozen=True)
class Outcome:
    passed: bool
    actual: Any = None  # what was measured, for instructors and test failure messages


@dataclass(frozen=True)
class Condition:
    """One check body: its kind and normalised spec (used by checks and by `when:`)."""
    kind: str
    spec: dict


@dataclass
class Context:
    cluster: Any
    since: float | None = None
    # cluster.get's answers in this grading (the cluster does not change while one grading runs)
    _objects: dict = field(default_factory=dict, repr=False, compare=False)

    def after(self, t) -> bool:
        return self.since is None or (isinstance(t, (int, float)) and t >= self.since)

    def get(self, kind: str, namespace: str, name: str) -> dict | None:
        """cluster.get, copied once per grading: an exercise's checks read the same objects again
        (deployment-basics: exists, rollout_complete and history each read Deployment kubia, one
        copy where there were three). Evaluators only read what they get."""
        key = (kind, namespace, name)
        objects = self._objects
        if key not in objects:
            objects[key] = self.cluster.get(kind, namespace, name)
        return objects[key]


# ---- shared parsing helpers -------------------------------------------------------------------

_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")


def _resolve_kind(word: str, where: str) -> str:
    """kubectl's resource word (`rc`, `deploy`, `pods`) → Kind, through the simulator's RESTMapper."""
    from simulator import Cluster

    if not isinstance(word, str) or not word:
        raise SpecError(f"{where}: needs a resource type such as deployment or pods")
    kind = Cluster.resolve_kind(word)
    if kind is None:
        # kubectl's words for an unknown type (cmd/util/helpers.go, "doesn't have a resource type")
        raise SpecError(f'{where}: the server doesn\'t have a resource type "{word}" the simulator serves')
    return kind


def _name(value, where: str) -> str:
    if not isinstance(value, str) or not _NAME.match(value) or len(value) > 253:
        raise SpecError(f"{where}: {value!r} is not an object name")
    return value


def _namespace(body: dict, default: str, where: str) -> str:
    ns = body.get("namespace", default) if isinstance(body, dict) else default
    return _name(ns, f"{where}: namespace")


def parse_object_ref(value, where: str) -> tuple[str, str]:
    """`deployment/kubia` → ("Deployment", "kubia")."""
    if not isinstance(value, str) or value.count("/") != 1:
        raise SpecError(f"{where}: objects are written <type>/<name>, e.g. deployment/kubia (got {value!r})")
    word, name = value.split("/")
    return _resolve_kind(word, where), _name(name, where)


def _only_keys(body: dict, allowed: set[str], where: str) -> None:
    for key in body:
        if key not in allowed:
            raise SpecError(f"{where}: unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")


def _mapping(body, where: str) -> dict:
    if not isinstance(body, dict):
        raise SpecError(f"{where}: must be a mapping")
    return body


def _object_body(body, namespace: str, where: str) -> dict:
    """`exists: deployment/kubia` or `exists: {object: deployment/kubia, namespace: x}`."""
    if isinstance(body, dict):
        _only_keys(body, {"object", "namespace"}, where)
        kind, name = parse_object_ref(body.get("object"), f"{where}: object")
        return {"kind": kind, "name": name, "namespace": _namespace(body, namespace, where)}
    kind, name = parse_object_ref(body, where)
    return {"kind": kind, "name": name, "namespace": namespace}


def _deployment_body(body: dict, namespace: str, where: str, extra: set[str]) -> dict:
    _only_keys(body, {"deployment", "namespace"} | extra, where)
    if "deployment" not in body:
        raise SpecError(f"{where}: needs deployment: <name>")
    return {"name": _name(body["deployment"], f"{where}: deployment"), "namespace": _namespace(body, namespace, where)}


def _bool(value, where: str) -> bool:
    if not isinstance(value, bool):
        raise SpecError(f"{where}: must be true or false, not {value!r}")
    return value


# ---- cluster reading helpers --------------------------------------------------------------------

def _annotations(obj: dict) -> dict:
    return (obj.get("metadata") or {}).get("annotations") or {}


def _terminating(obj: dict) -> bool:
    return bool((obj.get("metadata") or {}).get("deletionTimestamp"))


def _pod_ready(pod: dict) -> bool:
    for cond in (pod.get("status") or {}).get("conditions") or ():
        if cond.get("type") == "Ready":
            return cond.get("status") == "True"
    return False


def _containers(obj: dict) -> list[dict]:
    spec = obj.get("spec") or {}
    if obj.get("kind") != "Pod":
        spec = ((spec.get("template") or {}).get("spec")) or {}
    return [c for c in spec.get("containers") or () if isinstance(c, dict)]


def _revision(obj: dict) -> int:
    try:
        return int(_annotations(obj).get(REVISION_ANNOTATION, "0"))
    except (TypeError, ValueError):
        return 0


def owned_replica_sets(cluster, deployment: dict) -> list[dict]:
    """The ReplicaSets whose controller reference is this Deployment (what rollout history reads):
    the stored objects themselves (copy=False: no copy of every ReplicaSet per grading), only read."""
    uid = deployment["metadata"].get("uid")
    out = []
    for rs in cluster.list("ReplicaSet", deployment["metadata"].get("namespace"), copy=False):
        for ref in rs["metadata"].get("ownerReferences") or ():
            if ref.get("controller") and ref.get("uid") == uid:
                out.append(rs)
    return out


def history_by_revision(cluster, deployment: dict) -> dict[int, dict]:
    """kubectl rollout history: revision → ReplicaSet (polymorphichelpers/history.go; revision 0 skipped)."""
    out = {}
    for rs in owned_replica_sets(cluster, deployment):
        rev = _revision(rs)
        if rev:
            out[rev] = rs
    return out


def window(samples: list[dict], since: float | None) -> list[dict]:
    """Samples from `since` on, led by the last one before `since`: the state the exercise started
    in (a sample taken at `since` itself already shows the first command's effect)."""
    if since is None:
        return list(samples)
    before = [s for s in samples if s.get("t", 0) < since]
    after = [s for s in samples if s.get("t", 0) >= since]
    return [before[-1], *after] if before else after


@dataclass(frozen=True)
class Kind:
    parse: Callable[[Any, str, str], dict]       # (body, namespace, where) → spec
    evaluate: Callable[[Context, dict], Outcome]
