"""Pod STATUS as kubectl prints it, and the Deployment → ReplicaSet → Pod grouping.

Expected statuses follow printPod in kubernetes/kubernetes pkg/printers/internalversion/printers.go.
"""

from __future__ import annotations

from tutorial.sandbox.panels.cluster_view import build_cluster_view, pod_status, pod_tone


def pod(name="kubia-1", *, phase="Pending", containers=None, conditions=None, deleting=False,
        owner=None, init_statuses=None, init_specs=None, reason=None, created="2026-01-01T09:00:00Z"):
    meta = {"name": name, "namespace": "default", "uid": f"uid-{name}", "creationTimestamp": created}
    if deleting:
        meta["deletionTimestamp"] = "2026-01-01T09:01:00Z"
    if owner:
        meta["ownerReferences"] = [{"kind": "ReplicaSet", "name": owner, "uid": f"uid-{owner}", "controller": True}]
    status = {"phase": phase, "conditions": conditions or []}
    if reason:
        status["reason"] = reason
    if containers is not None:
        status["containerStatuses"] = containers
    if init_statuses is not None:
        status["initContainerStatuses"] = init_statuses
    spec = {"containers": [{"name": "nodejs", "image": "luksa/kubia:v1"}]}
    if init_specs:
        spec["initContainers"] = init_specs
    return {"kind": "Pod", "metadata": meta, "spec": spec, "status": status}


def container(state, ready=False, restarts=0):
    return {"name": "nodejs", "state": state, "ready": ready, "restartCount": restarts, "image": "luksa/kubia:v1"}


READY = [{"type": "Ready", "status": "True"}]


def test_pending_without_container_statuses_is_pending():
    assert pod_status(pod()) == ("Pending", 0, 1, 0)


def test_container_creating():
    p = pod(containers=[container({"waiting": {"reason": "ContainerCreating"}})])
    assert pod_status(p)[0] == "ContainerCreating"
    assert pod_tone("ContainerCreating", 0, 1) == "creating"


def test_running_ready_and_not_ready():
    ready = pod(phase="Running", conditions=READY, containers=[container({"running": {"startedAt": "x"}}, ready=True)])
    assert pod_status(ready) == ("Running", 1, 1, 0)
    assert pod_tone("Running", 1, 1) == "ready"
    not_ready = pod(phase="Running", containers=[container({"running": {"startedAt": "x"}}, ready=False)])
    assert pod_status(not_ready) == ("Running", 0, 1, 0)
    assert pod_tone("Running", 0, 1) == "running"


def test_image_pull_back_off_and_crash_loop_count_restarts():
    pulling = pod(containers=[container({"waiting": {"reason": "ImagePullBackOff", "message": "Back-off"}})])
    assert pod_status(pulling)[0] == "ImagePullBackOff"
    assert pod_tone("ImagePullBackOff", 0, 1) == "error"
    crashing = pod(phase="Running", containers=[container({"waiting": {"reason": "CrashLoopBackOff"}}, restarts=4)])
    assert pod_status(crashing) == ("CrashLoopBackOff", 0, 1, 4)


def test_terminated_without_reason_shows_exit_code_or_signal():
    assert pod_status(pod(phase="Running", containers=[container({"terminated": {"exitCode": 137}})]))[0] == "ExitCode:137"
    assert pod_status(pod(phase="Running", containers=[container({"terminated": {"exitCode": 0, "signal": 9}})]))[0] == "Signal:9"
    assert pod_status(pod(phase="Failed", containers=[container({"terminated": {"exitCode": 1, "reason": "Error"}})]))[0] == "Error"


def test_deletion_timestamp_means_terminating_unless_terminal_or_node_lost():
    running = pod(phase="Running", conditions=READY, deleting=True,
                  containers=[container({"running": {}}, ready=True)])
    assert pod_status(running)[0] == "Terminating"
    assert pod_tone("Terminating", 1, 1) == "terminating"
    succeeded = pod(phase="Succeeded", deleting=True, containers=[container({"terminated": {"exitCode": 0, "reason": "Completed"}})])
    assert pod_status(succeeded)[0] == "Completed"
    lost = pod(phase="Running", deleting=True, reason="NodeLost")
    assert pod_status(lost)[0] == "Unknown"


def test_init_containers():
    specs = [{"name": "init", "image": "busybox"}]
    waiting = pod(init_specs=specs, init_statuses=[{"name": "init", "state": {"running": {}}, "ready": False, "restartCount": 0}])
    assert pod_status(waiting)[0] == "Init:0/1"
    failed = pod(init_specs=specs, init_statuses=[{"name": "init", "state": {"terminated": {"exitCode": 2}}, "restartCount": 1}])
    assert pod_status(failed)[0] == "Init:ExitCode:2"
    backoff = pod(init_specs=specs, init_statuses=[{"name": "init", "state": {"waiting": {"reason": "CrashLoopBackOff"}}, "restartCount": 3}])
    assert pod_status(backoff) == ("Init:CrashLoopBackOff", 0, 1, 3)
    assert pod_tone("Init:CrashLoopBackOff", 0, 1) == "error"
    assert pod_tone("Init:0/1", 0, 1) == "creating"


def test_completed_with_a_running_container_reads_running_or_not_ready():
    statuses = [
        {"name": "a", "state": {"running": {}}, "ready": True, "restartCount": 0},
        {"name": "b", "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}, "ready": False, "restartCount": 0},
    ]
    assert pod_status(pod(phase="Running", containers=statuses, conditions=READY))[0] == "Running"
    assert pod_status(pod(phase="Running", containers=statuses))[0] == "NotReady"


def rs(name, owner_uid, revision, replicas, ready=0, image="luksa/kubia:v1"):
    return {
        "kind": "ReplicaSet",
        "metadata": {"name": name, "uid": f"uid-{name}", "annotations": {"deployment.kubernetes.io/revision": str(revision)},
                     "ownerReferences": [{"kind": "Deployment", "name": "kubia", "uid": owner_uid, "controller": True}]},
        "spec": {"replicas": replicas, "template": {"spec": {"containers": [{"name": "nodejs", "image": image}]}}},
        "status": {"replicas": replicas, "readyReplicas": ready},
    }


def test_grouping_follows_controller_owner_references():
    deployment = {
        "kind": "Deployment",
        "metadata": {"name": "kubia", "uid": "uid-dep", "annotations": {"deployment.kubernetes.io/revision": "2"}},
        "spec": {"replicas": 3},
        "status": {"updatedReplicas": 1, "readyReplicas": 3, "availableReplicas": 3},
    }
    old, new = rs("kubia-old", "uid-dep", 1, 2, 2), rs("kubia-new", "uid-dep", 2, 1, 0, "luksa/kubia:v2")
    orphan_rs = rs("lonely", "uid-gone", 1, 1)
    pods = [
        pod("kubia-new-b", owner="kubia-new", created="2026-01-01T09:00:05Z"),
        pod("kubia-old-a", owner="kubia-old", phase="Running", conditions=READY,
            containers=[container({"running": {}}, ready=True)]),
        pod("bare"),
    ]
    view = build_cluster_view([deployment], [old, new, orphan_rs], pods)
    (dep,) = view.deployments
    assert (dep.name, dep.desired, dep.updated, dep.ready, dep.available, dep.revision) == ("kubia", 3, 1, 3, 3, "2")
    assert [s.name for s in dep.replica_sets] == ["kubia-new", "kubia-old"]  # newest revision first
    assert dep.replica_sets[0].images == ("luksa/kubia:v2",)
    assert [p.name for p in dep.replica_sets[1].pods] == ["kubia-old-a"]
    assert dep.replica_sets[1].pods[0].tone == "ready"
    assert [s.name for s in view.replica_sets] == ["lonely"]
    assert [p.name for p in view.pods] == ["bare"]
    assert not view.empty
    assert build_cluster_view([], [], []).empty
