"""The live cluster view's data: Deployments → ReplicaSets → Pods, from plain Kubernetes dicts.

Pure functions over what `Cluster.list(kind)` returns (objects in Kubernetes JSON shape), so the
same code renders the first page and every live update. Each view has a `key`: equal keys render
the same HTML (panels/fragments.py keeps the HTML of each key it rendered).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator import pod_status  # kubectl's printPod (the console's own printer), as plain values
from tutorial.cluster_memo import ClusterMemo

REVISION_ANNOTATION = "deployment.kubernetes.io/revision"

# Tones colour a pod in the view (static/css/site.css .pod--<tone>).
ERROR_REASONS = {
    "ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull",
    "CrashLoopBackOff", "Error", "OOMKilled", "CreateContainerConfigError",
    "CreateContainerError", "RunContainerError", "ContainerCannotRun", "Failed",
    "Unknown", "Evicted", "NodeLost",
}
CREATING_REASONS = {"Pending", "ContainerCreating", "PodInitializing", "SchedulingGated"}


def pod_tone(status: str, ready: int, total: int) -> str:
    """The colour family of a pod: ready, running (not ready), creating, terminating, error, done."""
    if status == "Terminating":
        return "terminating"
    if status == "Running":
        return "ready" if total and ready == total else "running"
    if status == "NotReady":
        return "running"
    if status in ("Completed", "Succeeded"):
        return "done"
    if status in CREATING_REASONS or (status.startswith("Init:") and "/" in status):
        return "creating"
    if status in ERROR_REASONS or status.startswith(("Init:", "ExitCode:", "Signal:")):
        return "error"
    return "other"


@dataclass
class PodView:
    name: str
    status: str
    tone: str
    ready: int
    total: int
    restarts: int
    images: tuple[str, ...]

    @property
    def ready_text(self) -> str:
        return f"{self.ready}/{self.total}"

    @property
    def key(self) -> tuple:
        return (self.name, self.status, self.tone, self.ready, self.total, self.restarts, self.images)


@dataclass
class ReplicaSetView:
    name: str
    kind: str
    revision: str
    desired: int
    current: int
    ready: int
    images: tuple[str, ...]
    pods: list[PodView] = field(default_factory=list)
    # Already rendered by panels/fragments.py for the live updates: this block (_replica_set.html)
    # and its pods' rows (_pod.html each); None: the templates render them (the lesson page)
    html: str | None = field(default=None, compare=False, repr=False)
    pods_html: str | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> tuple:
        return (self.name, self.kind, self.revision, self.desired, self.current, self.ready, self.images,
                tuple(pod.key for pod in self.pods))


@dataclass
class DeploymentView:
    name: str
    desired: int
    updated: int
    ready: int
    available: int
    revision: str
    paused: bool
    replica_sets: list[ReplicaSetView] = field(default_factory=list)
    html: str | None = field(default=None, compare=False, repr=False)  # _deployment.html, as ReplicaSetView.html

    @property
    def key(self) -> tuple:
        return (self.name, self.desired, self.updated, self.ready, self.available, self.revision, self.paused,
                tuple(rs.key for rs in self.replica_sets))


@dataclass
class ClusterView:
    deployments: list[DeploymentView]
    replica_sets: list[ReplicaSetView]  # without a Deployment (or ReplicationControllers)
    pods: list[PodView]  # without a controller
    # What panels/fragments.py rendered from this cluster's previous views (view_of passes it on from
    # one view to the next); None: nothing kept (the lesson page, a replayed moment).
    memo: dict | None = field(default=None, compare=False, repr=False)
    pods_html: str | None = field(default=None, compare=False, repr=False)  # as ReplicaSetView.pods_html

    @property
    def empty(self) -> bool:
        return not (self.deployments or self.replica_sets or self.pods)

    @property
    def key(self) -> tuple:
        return (tuple(d.key for d in self.deployments), tuple(rs.key for rs in self.replica_sets),
                tuple(pod.key for pod in self.pods))


def _controller_uid(obj: dict) -> str | None:
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return ref.get("uid")
    return None


def _images(template_spec: dict) -> tuple[str, ...]:
    return tuple(c.get("image", "") for c in template_spec.get("containers") or [])


def _revision(obj: dict) -> str:
    return ((obj.get("metadata") or {}).get("annotations") or {}).get(REVISION_ANNOTATION, "")


def _revision_key(revision: str) -> int:
    return int(revision) if revision.isdigit() else -1


def pod_view(pod: dict) -> PodView:
    status, ready, total, restarts = pod_status(pod)
    return PodView(
        name=pod["metadata"]["name"],
        status=status,
        tone=pod_tone(status, ready, total),
        ready=ready,
        total=total,
        restarts=restarts,
        images=_images(pod.get("spec") or {}),
    )


def replica_set_view(rs: dict, pods: list[PodView]) -> ReplicaSetView:
    spec, status = rs.get("spec") or {}, rs.get("status") or {}
    return ReplicaSetView(
        name=rs["metadata"]["name"],
        kind=rs.get("kind", "ReplicaSet"),
        revision=_revision(rs),
        desired=int(spec.get("replicas", 1) or 0),
        current=int(status.get("replicas") or 0),
        ready=int(status.get("readyReplicas") or 0),
        images=_images(((spec.get("template") or {}).get("spec")) or {}),
        pods=pods,
    )


def build_cluster_view(deployments: list[dict], replica_sets: list[dict], pods: list[dict], *,
                       pod_view=pod_view) -> ClusterView:
    """Group pods under their ReplicaSet (or RC) and ReplicaSets under their Deployment.

    Ownership follows the controller ownerReference's uid, as the garbage collector does;
    ReplicaSets are listed newest revision first, pods by creation time then name.
    """
    def created(obj: dict) -> tuple:
        meta = obj.get("metadata") or {}
        return (meta.get("creationTimestamp") or "", meta.get("name") or "")

    pods_by_owner: dict[str | None, list[PodView]] = {}
    for pod in sorted(pods, key=created):
        pods_by_owner.setdefault(_controller_uid(pod), []).append(pod_view(pod))

    sets_by_owner: dict[str | None, list[ReplicaSetView]] = {}
    known_set_uids = set()
    for rs in replica_sets:
        uid = (rs.get("metadata") or {}).get("uid")
        known_set_uids.add(uid)
        view = replica_set_view(rs, pods_by_owner.get(uid, []) if uid else [])
        sets_by_owner.setdefault(_controller_uid(rs), []).append(view)
    for views in sets_by_owner.values():
        views.sort(key=lambda v: (-_revision_key(v.revision), v.name))

    deployment_views = []
    known_deployment_uids = set()
    for deployment in sorted(deployments, key=lambda d: d["metadata"]["name"]):
        meta, spec, status = deployment["metadata"], deployment.get("spec") or {}, deployment.get("status") or {}
        known_deployment_uids.add(meta.get("uid"))
        deployment_views.append(
            DeploymentView(
                name=meta["name"],
                desired=int(spec.get("replicas", 1) or 0),
                updated=int(status.get("updatedReplicas") or 0),
                ready=int(status.get("readyReplicas") or 0),
                available=int(status.get("availableReplicas") or 0),
                revision=_revision(deployment),
                paused=bool(spec.get("paused")),
                replica_sets=sets_by_owner.get(meta.get("uid"), []) if meta.get("uid") else [],
            )
        )

    loose_sets = [
        view
        for owner, views in sets_by_owner.items()
        if owner is None or owner not in known_deployment_uids
        for view in views
    ]
    loose_sets.sort(key=lambda v: v.name)
    loose_pods = [
        view
        for owner, views in pods_by_owner.items()
        if owner is None or owner not in known_set_uids
        for view in views
    ]
    return ClusterView(deployment_views, loose_sets, loose_pods)


class _Remembered:
    """What one live cluster's views keep from one view_of to the next.

    pods: id(stored pod) → (that pod, its PodView) as of the last view. A stored object is never
    changed in place (simulator/store.py: a write stores a fresh dict), so the same object has the
    same row: kubectl's status printer (pod_status) runs only for pods that changed. html:
    ClusterView.memo."""

    __slots__ = ("pods", "html", "__weakref__")

    def __init__(self) -> None:
        self.pods: dict[int, tuple[dict, PodView]] = {}
        self.html: dict = {}


_REMEMBERED = ClusterMemo(_Remembered)  # Cluster → _Remembered, as long as it lives


def view_of(cluster) -> ClusterView:
    """The view of a live simulator Cluster (public API: Cluster.list(kind))."""
    def listed(kind: str) -> list[dict]:
        try:
            return cluster.list(kind, copy=False)  # read only: the view copies what it shows
        except Exception:  # a kind this simulator version does not serve
            return []

    memory = _REMEMBERED.of(cluster)
    before, now = memory.pods, {}

    def remembered(pod: dict) -> PodView:
        seen = before.get(id(pod))
        view = seen[1] if seen is not None and seen[0] is pod else pod_view(pod)
        now[id(pod)] = (pod, view)
        return view

    view = build_cluster_view(
        listed("Deployment"),
        listed("ReplicaSet") + listed("ReplicationController"),
        listed("Pod"),
        pod_view=remembered,
    )
    memory.pods = now  # only the pods there are now: it never grows past them
    view.memo = memory.html
    return view
