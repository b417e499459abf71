"""The control plane's event loop: store + API server + controllers + timers on a virtual clock.

Controllers are driven like upstream informers: every object change enqueues the keys of the
controllers that care (deduplicated, FIFO), and `settle()` runs reconciles until nothing is left
to do at the current instant. Delayed effects are timers. `advance(t)` fires due timers in order,
settling after each, so every effect happens at its own simulated moment.
"""
from __future__ import annotations

import datetime as _dt
import math
from collections import OrderedDict

from . import cpu_budget, timeutil
from .apiserver import ApiServer
from .clock import TimerQueue
from .controllers import deployment, endpoints, events, kubelet, replicaset
from .gcpause import paused, while_paused
from .journal import Checkpoint, PodMemory
from .labels import map_selector_matches
from .objects import clone, controller_ref, get_path
from .rng import Rng
from .store import Store
from .timeline import Timeline

NODES = (("node1", "172.18.0.2", 1), ("node2", "172.18.0.3", 2))
MAX_RECONCILES_PER_SETTLE = 200_000
MAX_TIMERS_PER_INSTANT = 100_000


class InternalError(RuntimeError):
    pass


class Engine:
    def __init__(self, seed: int = 0, epoch: _dt.datetime | None = None):
        self.epoch = epoch or timeutil.DEFAULT_EPOCH
        self.now = 0.0
        self.rng = Rng(seed)
        self.store = Store()
        self.timers = TimerQueue()
        self.api = ApiServer(self)
        self.kubelet = {"pods": PodMemory(), "nodes": {}, "next_ip": {}}
        self.allocated = {"cluster_ips": [], "node_ports": []}
        self.event_index: dict[str, str] = {}
        self.event_seq = 0
        self.events_swept = 0.0
        self.timeline = Timeline()
        self._queue: OrderedDict = OrderedDict()
        self._pending_enqueues: set = set()
        self._dirty_deployments: set = set()
        self._dirty_services: set = set()
        self.store.listen(self._on_change)

    # ---- bootstrapping ----------------------------------------------------------------------
    def bootstrap(self) -> None:
        """What a fresh kind/kubeadm cluster already has: namespaces, nodes, the `kubernetes` service."""
        for ns in ("default", "kube-node-lease", "kube-public", "kube-system"):
            self.api.put_internal({"apiVersion": "v1", "kind": "Namespace",
                                   "metadata": {"labels": {"kubernetes.io/metadata.name": ns}, "name": ns},
                                   "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})
        for name, ip, idx in NODES:
            self.kubelet["nodes"][name] = {"images": [], "ip": ip}
            self.kubelet["next_ip"][name] = 2
            self.api.put_internal(_node_object(name, ip, idx, self.stamp()))
        self.allocated["cluster_ips"].append("10.96.0.1")
        self.api.put_internal({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"labels": {"component": "apiserver", "provider": "kubernetes"}, "name": "kubernetes",
                         "namespace": "default"},
            "spec": {"clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"], "internalTrafficPolicy": "Cluster",
                     "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                     "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
                     "sessionAffinity": "None", "type": "ClusterIP"},
            "status": {"loadBalancer": {}}})
        self.api.put_internal({
            "apiVersion": "v1", "kind": "Endpoints",
            "metadata": {"labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}, "name": "kubernetes",
                         "namespace": "default"},
            "subsets": [{"addresses": [{"ip": "172.18.0.1"}],
                         "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]})
        self.settle()

    # ---- time ------------------------------------------------------------------------------
    def stamp(self) -> str:
        return timeutil.to_rfc3339(self.epoch, self.now)

    def stamp_at(self, t: float) -> str:
        return timeutil.to_rfc3339(self.epoch, t)

    def parse_time(self, text: str) -> float:
        return timeutil.from_rfc3339(self.epoch, text)

    def after(self, seconds: float, action: str, *args) -> None:
        """Schedule on the 0.1 s grid: effects that land in the same tenth of a second are
        handled together (nothing a learner can see is finer than a second)."""
        due = math.ceil(round((self.now + max(0.0, float(seconds))) * 10, 6)) / 10
        self.timers.schedule(due, action, *args)

    def enqueue_after(self, seconds: float, controller: str, key) -> None:
        self.enqueue_at(self.now + seconds, controller, key)

    def enqueue_at(self, due: float, controller: str, key) -> None:
        token = (round(due, 3), controller, tuple(key))
        if token in self._pending_enqueues:
            return
        self._pending_enqueues.add(token)
        self.timers.schedule(max(due, self.now), "enqueue", controller, list(key), round(due, 3))

    def advance_to(self, target: float) -> None:
        """Run every timer due up to `target`, each at its own time, then stop at `target`."""
        for _ in self.advance_steps(target):
            pass

    def advance_steps(self, target: float, batch: int = 50):
        """advance_to(target) in slices: a generator that yields after every `batch` timers fired
        (counting each instant's settle as one more), so that a front-end can let other work run
        between slices of a long jump. Between two slices the cluster is consistent (every
        instant is handled whole). The events and their order are those of advance_to, which runs
        this generator to its end: the result is the same however it is consumed."""
        fired_here, instant, work = 0, None, 0
        while True:
            with paused():  # a burst of allocations (gcpause.py); never held across a yield
                while work < batch:
                    due = self.timers.next_due()
                    if due is None or due > target:
                        break
                    cpu_budget.check()  # between instants: every timer before this one has been handled
                    if due == instant:
                        fired_here += 1
                        if fired_here > MAX_TIMERS_PER_INSTANT:  # a timer re-arming itself at once
                            raise InternalError(f"timers do not let time move on at t={due}")
                    else:
                        fired_here, instant = 0, due
                    self.now = max(self.now, due)
                    # every timer of this instant fires before the controllers react, as informers
                    # batch what happened "at once"
                    for _, action, args in self.timers.pop_due(self.now):
                        self._fire(action, args)
                        work += 1
                    self.settle()
                    work += 1
                else:
                    due = -1.0  # the batch is full: more may be due
            if due is None or due > target:
                break
            work = 0
            yield self.now
        with paused():
            self.now = max(self.now, target)
            self.settle()

    def next_due(self) -> float | None:
        return self.timers.next_due()

    # ---- work queue --------------------------------------------------------------------------
    def enqueue(self, controller: str, key) -> None:
        self._queue[(controller, tuple(key))] = None

    @while_paused
    def settle(self) -> None:
        n = 0
        while self._queue:
            if n % 16 == 0:  # before a reconcile: the queue still holds all that is left to do
                cpu_budget.check()
            (controller, key), _ = self._queue.popitem(last=False)
            n += 1
            if n > MAX_RECONCILES_PER_SETTLE:
                raise InternalError("controllers did not settle")
            self._reconcile(controller, key)
        self._record_timeline()

    def _reconcile(self, controller: str, key: tuple) -> None:
        if controller == "deployment":
            deployment.sync_deployment(self, *key)
        elif controller == "replicaset":
            replicaset.sync_replica_set(self, *key)
        elif controller == "endpoints":
            endpoints.sync_endpoints(self, *key)
        elif controller == "scheduler":
            kubelet.schedule_pod(self, *key)

    def _fire(self, action: str, args: list) -> None:
        if action == "enqueue":
            controller, key, due = args
            self._pending_enqueues.discard((due, controller, tuple(key)))
            self.enqueue(controller, key)
            return
        handler = _KUBELET_ACTIONS.get(action)
        if handler is not None:
            handler(self, *args)

    # ---- informer handlers -------------------------------------------------------------------
    def _on_change(self, etype: str, obj: dict) -> None:
        kind = obj["kind"]
        meta = obj["metadata"]
        ns, name = meta.get("namespace", ""), meta["name"]
        if kind == "Deployment":
            self.enqueue("deployment", (ns, name))
            self._dirty_deployments.add((ns, name))
        elif kind in ("ReplicaSet", "ReplicationController"):
            if etype != "DELETED":
                self.enqueue("replicaset", (kind, ns, name))
            ref = controller_ref(obj)
            if ref and ref.get("kind") == "Deployment":
                self.enqueue("deployment", (ns, ref["name"]))
                self._dirty_deployments.add((ns, ref["name"]))
        elif kind == "Pod":
            ref = controller_ref(obj)
            if ref and ref.get("kind") in ("ReplicaSet", "ReplicationController"):
                self.enqueue("replicaset", (ref["kind"], ns, ref["name"]))
                owner = self.store.get(ref["kind"], ns, ref["name"])
                oref = controller_ref(owner) if owner else None
                if oref and oref.get("kind") == "Deployment":
                    self._dirty_deployments.add((ns, oref["name"]))
                    if etype == "DELETED":
                        d = self.store.get("Deployment", ns, oref["name"])
                        if d is not None and get_path(d, "spec.strategy.type") == "Recreate":
                            self.enqueue("deployment", (ns, oref["name"]))
            elif ref is None and etype != "DELETED":
                for rs_kind in ("ReplicaSet", "ReplicationController"):
                    for owner in self.store.list(rs_kind, ns):
                        self.enqueue("replicaset", (rs_kind, ns, owner["metadata"]["name"]))
            if etype == "ADDED" and not get_path(obj, "spec.nodeName"):
                self.enqueue("scheduler", (ns, name))
            for svc in self.store.list("Service", ns):
                selector = get_path(svc, "spec.selector")
                if selector and map_selector_matches(selector, meta.get("labels")):
                    self.enqueue("endpoints", (ns, svc["metadata"]["name"]))
        elif kind == "Service":
            self.enqueue("endpoints", (ns, name))
        elif kind == "Endpoints":
            self._dirty_services.add((ns, name))

    def collect_garbage(self, owner: dict) -> None:
        """The garbage collector (background propagation): dependents of a deleted owner go too."""
        for dep in self.store.dependents(owner["metadata"]["uid"]):
            try:
                self.api.delete(dep["kind"], dep["metadata"].get("namespace", ""), dep["metadata"]["name"], internal=True)
            except Exception:  # already gone
                pass

    def pod_deleting(self, pod: dict) -> None:
        kubelet.pod_deleting(self, pod)

    def record_event(self, obj, etype, reason, message, component, host=None, field_path=None) -> None:
        events.record(self, obj, etype, reason, message, component, host=host, field_path=field_path)

    # ---- allocators ------------------------------------------------------------------------
    def node_ip(self, node: str) -> str:
        return self.kubelet["nodes"][node]["ip"]

    def allocate_pod_ip(self, node: str) -> str:
        idx = next(i for n, _, i in NODES if n == node)
        n = self.kubelet["next_ip"].get(node, 2)
        self.kubelet["next_ip"][node] = n + 1 if n < 254 else 2
        return f"10.244.{idx}.{n}"

    def allocate_cluster_ip(self) -> str:
        for _ in range(1000):
            ip = f"10.96.{self.rng.below(256)}.{1 + self.rng.below(254)}"
            if ip not in self.allocated["cluster_ips"]:
                self.allocated["cluster_ips"].append(ip)
                return ip
        raise InternalError("no free cluster IP")

    def allocate_node_port(self) -> int:
        for _ in range(1000):
            port = 30000 + self.rng.below(2768)
            if port not in self.allocated["node_ports"]:
                self.allocated["node_ports"].append(port)
                return port
        raise InternalError("no free node port")

    # ---- timeline ----------------------------------------------------------------------------
    def _record_timeline(self) -> None:
        if self._dirty_deployments:
            dirty, self._dirty_deployments = self._dirty_deployments, set()
            for ns, name in sorted(dirty):
                self.timeline.sample_deployment(self, ns, name)
        if self._dirty_services:
            dirty, self._dirty_services = self._dirty_services, set()
            for ns, name in sorted(dirty):
                self.timeline.sample_service(self, ns, name)

    # ---- snapshot ----------------------------------------------------------------------------
    def to_data(self) -> dict:
        return {"epoch": self.epoch.isoformat(), "now": self.now, "rng": self.rng.state,
                "store": self.store.to_data(), "timers": self.timers.to_data(), "kubelet": self.kubelet,
                "allocated": self.allocated, "event_index": self.event_index, "event_seq": self.event_seq,
                "events_swept": self.events_swept, "timeline": self.timeline.to_data(),
                "pending": sorted([list(t[:2]) + [list(t[2])] for t in self._pending_enqueues])}

    def checkpoint(self) -> Checkpoint:
        """Before a command that may change the cluster: O(small state), and journals in the
        store, the kubelet's pod memory and the object lives record the old values of what the
        command writes (journal.py). Close it when the command is over (kept), or hand it to
        rollback()."""
        return Checkpoint(self)

    def rollback(self, checkpoint: Checkpoint) -> "Engine":
        """A new engine with this one's state as it was at `checkpoint` (the same data a copy
        taken then would hold); this engine is not to be used afterwards."""
        checkpoint.restore()
        return Engine.from_data(self.to_data())

    @classmethod
    def from_data(cls, data: dict) -> "Engine":
        eng = cls.__new__(cls)
        eng.epoch = _dt.datetime.fromisoformat(data["epoch"])
        eng.now = data["now"]
        eng.rng = Rng(0)
        eng.rng.state = data["rng"]
        eng.store = Store.from_data(data["store"])
        eng.timers = TimerQueue.from_data(data["timers"])
        eng.api = ApiServer(eng)
        eng.kubelet = data["kubelet"]
        eng.kubelet["pods"] = PodMemory(eng.kubelet.get("pods") or {})
        eng.allocated = data["allocated"]
        eng.event_index = data["event_index"]
        eng.event_seq = data["event_seq"]
        eng.events_swept = data["events_swept"]
        eng.timeline = Timeline.from_data(data["timeline"])
        eng._queue = OrderedDict()
        eng._pending_enqueues = {(t[0], t[1], tuple(t[2])) for t in data["pending"]}
        eng._dirty_deployments = set()
        eng._dirty_services = set()
        eng.store.listen(eng._on_change)
        return eng


_KUBELET_ACTIONS = {
    "kubelet_start": kubelet.start_pod,
    "kubelet_pulled": kubelet.image_pulled,
    "kubelet_pull_failed": kubelet.pull_failed,
    "kubelet_pull_backoff": kubelet.pull_backoff,
    "kubelet_retry_pull": kubelet.retry_pull,
    "kubelet_run": kubelet.run_container,
    "kubelet_probe": kubelet.run_probe,
    "kubelet_exit": kubelet.container_exited,
    "kubelet_crashloop": kubelet.crash_loop,
    "kubelet_restart": kubelet.restart_container,
    "kubelet_gone": kubelet.pod_gone,
}


def _node_object(name: str, ip: str, idx: int, stamp: str) -> dict:
    cond = lambda t, s, r, m: {"lastHeartbeatTime": stamp, "lastTransitionTime": stamp, "message": m,  # noqa: E731
                               "reason": r, "status": s, "type": t}
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"annotations": {"node.alpha.kubernetes.io/ttl": "0"},
                     "labels": {"beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
                                "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name,
                                "kubernetes.io/os": "linux"},
                     "name": name},
        "spec": {"podCIDR": f"10.244.{idx}.0/24", "podCIDRs": [f"10.244.{idx}.0/24"]},
        "status": {
            "addresses": [{"address": ip, "type": "InternalIP"}, {"address": name, "type": "Hostname"}],
            "allocatable": {"cpu": "2", "ephemeral-storage": "61202244Ki", "memory": "8039872Ki", "pods": "110"},
            "capacity": {"cpu": "2", "ephemeral-storage": "61202244Ki", "memory": "8039872Ki", "pods": "110"},
            "conditions": [
                cond("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                cond("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                cond("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                cond("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
            ],
            "nodeInfo": {"architecture": "amd64", "containerRuntimeVersion": "containerd://2.1.3",
                         "kernelVersion": "6.8.0-1027-gcp", "kubeProxyVersion": "", "kubeletVersion": "v1.34.0",
                         "operatingSystem": "linux", "osImage": "Debian GNU/Linux 12 (bookworm)"},
        },
    }
