"""`kubectl get` tables. Pod cases are upstream's TestPrintPod (kubernetes/kubernetes
pkg/printers/internalversion/printers_test.go) rewritten as JSON dicts; rendered tables are the
K8S-FACTS §6.2 examples."""
import pytest

from simulator.kubectl.printers.context import PrintContext
from simulator.kubectl.printers.tables import (
    WatchPrinter, columns, format_endpoints, render_table, row, service_external_ip,
)
from simulator.timeutil import DEFAULT_EPOCH, to_rfc3339

NOW = 1000.0
CTX = PrintContext(DEFAULT_EPOCH, NOW)


def ts(seconds_ago: float) -> str:
    return to_rfc3339(DEFAULT_EPOCH, NOW - seconds_ago)


def pod(name, containers=1, init=0, status=None, **meta):
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, **meta},
            "spec": {"containers": [{"name": f"c{i}"} for i in range(containers)],
                     **({"initContainers": [{"name": f"i{i}"} for i in range(init)]} if init else {})},
            "status": status or {}}


RUNNING = {"running": {}}


def cs(ready=False, restarts=0, state=None, finished_ago=None, name=""):
    out = {"name": name, "ready": ready, "restartCount": restarts, "state": state or {}}
    if finished_ago is not None:
        out["lastState"] = {"terminated": {"finishedAt": ts(finished_ago)}}
    return out


UPSTREAM_POD_CASES = [
    (pod("test1", 2, status={"phase": "podPhase", "containerStatuses": [cs(True, 3, RUNNING), cs(restarts=3)]}),
     ["test1", "1/2", "podPhase", "6", "<unknown>"]),
    (pod("test2", 2, status={"phase": "podPhase", "containerStatuses": [
        cs(True, 3, RUNNING), cs(restarts=3, state={"waiting": {"reason": "ContainerWaitingReason"}})]}),
     ["test2", "1/2", "ContainerWaitingReason", "6", "<unknown>"]),
    (pod("test3", 2, status={"phase": "podPhase", "containerStatuses": [
        cs(restarts=3, state={"waiting": {"reason": "ContainerWaitingReason"}}),
        cs(restarts=3, state={"terminated": {"reason": "ContainerTerminatedReason"}})]}),
     ["test3", "0/2", "ContainerWaitingReason", "6", "<unknown>"]),
    (pod("test4", 2, status={"phase": "podPhase", "containerStatuses": [cs(True, 3, RUNNING), cs(True, 3)]}),
     ["test4", "1/2", "podPhase", "6", "<unknown>"]),
    (pod("test5", 2, status={"reason": "podReason", "phase": "podPhase",
                             "containerStatuses": [cs(True, 3, RUNNING), cs(True, 3)]}),
     ["test5", "1/2", "podReason", "6", "<unknown>"]),
    (pod("test6", 2, status={"phase": "Running", "containerStatuses": [
        cs(True, 3, {"terminated": {"reason": "Completed", "exitCode": 0}}), cs(True, 3, RUNNING)]}),
     ["test6", "1/2", "NotReady", "6", "<unknown>"]),
    (pod("test6", 2, status={"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}],
                             "containerStatuses": [
        cs(True, 3, {"terminated": {"reason": "Completed", "exitCode": 0}}), cs(True, 3, RUNNING)]}),
     ["test6", "1/2", "Running", "6", "<unknown>"]),
    (pod("test7", 1, 1, status={"phase": "podPhase",
                                "initContainerStatuses": [cs(False, 3, RUNNING, finished_ago=10)],
                                "containerStatuses": [cs(state={"waiting": {}})]}),
     ["test7", "0/1", "Init:0/1", "3 (10s ago)", "<unknown>"]),
    (pod("test8", 1, 2, status={"phase": "podPhase",
                                "initContainerStatuses": [cs(False, 3, RUNNING, finished_ago=10),
                                                          cs(state={"waiting": {}})],
                                "containerStatuses": [cs(state={"waiting": {}})]}),
     ["test8", "0/1", "Init:0/2", "3 (10s ago)", "<unknown>"]),
    (pod("test9", 1, 2, status={"phase": "podPhase",
                                "initContainerStatuses": [cs(state={"terminated": {}}),
                                                          cs(False, 3, RUNNING, finished_ago=10)],
                                "containerStatuses": [cs(state={"waiting": {}})]}),
     ["test9", "0/1", "Init:1/2", "3 (10s ago)", "<unknown>"]),
    (pod("test10", 1, 2, status={"phase": "podPhase",
                                 "initContainerStatuses": [cs(False, 2, {"terminated": {}}, finished_ago=120),
                                                           cs(False, 3, RUNNING, finished_ago=10)],
                                 "containerStatuses": [cs(state={"waiting": {}})]}),
     ["test10", "0/1", "Init:1/2", "5 (10s ago)", "<unknown>"]),
    (pod("test11", 1, 1, status={"phase": "Running",
                                 "initContainerStatuses": [cs(False, 2, {"terminated": {}}, finished_ago=120)],
                                 "containerStatuses": [cs(False, 4, RUNNING, finished_ago=20)]}),
     ["test11", "0/1", "Running", "4 (20s ago)", "<unknown>"]),
    (pod("test12", 1, status={"phase": "Running",
                              "containerStatuses": [cs(True, 3, RUNNING, finished_ago=5 * 86400)]}),
     ["test12", "1/1", "Running", "3 (5d ago)", "<unknown>"]),
    (pod("test14", 2, status={"phase": "Running", "containerStatuses": [
        cs(True, 6, RUNNING, finished_ago=5 * 86400), cs(True, 3, RUNNING, finished_ago=20 * 86400)]}),
     ["test14", "2/2", "Running", "9 (5d ago)", "<unknown>"]),
    (pod("test15", 2, status={"phase": "podPhase", "conditions": [
        {"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]}),
     ["test15", "0/2", "SchedulingGated", "0", "<unknown>"]),
    (pod("test16", 1, status={"phase": "Succeeded", "containerStatuses": [
        cs(state={"terminated": {"reason": "Completed", "exitCode": 0}})]}),
     ["test16", "0/1", "Completed", "0", "<unknown>"]),
    (pod("test17", 1, status={"phase": "Failed", "containerStatuses": [
        cs(state={"terminated": {"reason": "Error", "exitCode": 1}})]}),
     ["test17", "0/1", "Error", "0", "<unknown>"]),
    (pod("test18", 1, deletionTimestamp=ts(10), status={"phase": "Succeeded", "containerStatuses": [
        cs(state={"terminated": {"reason": "Completed", "exitCode": 0}})]}),
     ["test18", "0/1", "Completed", "0", "<unknown>"]),
    (pod("test19", 1, deletionTimestamp=ts(10), status={"phase": "Running", "containerStatuses": [
        cs(True, 0, RUNNING)]}),
     ["test19", "1/1", "Terminating", "0", "<unknown>"]),
]


@pytest.mark.parametrize("obj,expected", UPSTREAM_POD_CASES, ids=[c[1][0] for c in UPSTREAM_POD_CASES])
def test_print_pod_upstream_cases(obj, expected):
    assert row(obj, CTX) == expected


def test_pod_terminated_without_reason_and_sidecar():
    p = pod("p", 1, status={"phase": "Running", "containerStatuses": [cs(state={"terminated": {"exitCode": 137, "signal": 9}})]})
    assert row(p, CTX)[2] == "Signal:9"
    p = pod("p", 1, status={"phase": "Running", "containerStatuses": [cs(state={"terminated": {"exitCode": 2}})]})
    assert row(p, CTX)[2] == "ExitCode:2"
    # a started restartable init container (sidecar) counts in READY's total and as ready
    p = pod("p", 1, 1, status={"phase": "Running",
                               "initContainerStatuses": [cs(True, 0, RUNNING, name="i0") | {"started": True}],
                               "containerStatuses": [cs(True, 0, RUNNING)]})
    p["spec"]["initContainers"][0]["restartPolicy"] = "Always"
    assert row(p, CTX)[1:3] == ["2/2", "Running"]


def test_pod_wide_cells():
    p = pod("kubia-5b6b8c9d7f-4xkqz", creationTimestamp=ts(40),
            status={"phase": "Running", "podIPs": [{"ip": "10.244.1.7"}],
                    "containerStatuses": [cs(True, 0, RUNNING)]})
    p["spec"]["nodeName"] = "node1"
    assert row(p, CTX, wide=True) == ["kubia-5b6b8c9d7f-4xkqz", "1/1", "Running", "0", "40s",
                                      "10.244.1.7", "node1", "<none>", "<none>"]
    p["spec"]["readinessGates"] = [{"conditionType": "x"}, {"conditionType": "y"}]
    p["status"]["conditions"] = [{"type": "x", "status": "True"}]
    assert row(p, CTX, wide=True)[-1] == "1/2"
    assert columns("Pod", True)[-4:] == ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]


def deployment(name="kubia", replicas=3, ready=3, updated=3, available=3, age=300, image="luksa/kubia:v2"):
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": "default", "creationTimestamp": ts(age), "labels": {"app": name}},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                     "template": {"spec": {"containers": [{"name": name, "image": image}]}}},
            "status": {"readyReplicas": ready, "updatedReplicas": updated, "availableReplicas": available,
                       "replicas": replicas}}


def replicaset(name, desired, current, ready, age, hash_):
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": name, "namespace": "default", "creationTimestamp": ts(age)},
            "spec": {"replicas": desired,
                     "selector": {"matchLabels": {"app": "kubia", "pod-template-hash": hash_}},
                     "template": {"spec": {"containers": [{"name": "kubia", "image": "luksa/kubia:v1"}]}}},
            "status": {"replicas": current, "readyReplicas": ready} if ready else {"replicas": current}}


def test_deployment_tables_match_k8s_facts():
    assert render_table([[deployment()]], now=NOW) == (
        "NAME    READY   UP-TO-DATE   AVAILABLE   AGE\n"
        "kubia   3/3     3            3           5m\n")
    assert render_table([[deployment()]], wide=True, now=NOW) == (
        "NAME    READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES           SELECTOR\n"
        "kubia   3/3     3            3           5m    kubia        luksa/kubia:v2   app=kubia\n")
    d = deployment("nginx-deployment", ready=0, updated=0, available=0, age=1)
    d["status"] = {}  # omitempty: zero counts vanish from status
    assert render_table([[d]], now=NOW) == (
        "NAME               READY   UP-TO-DATE   AVAILABLE   AGE\n"
        "nginx-deployment   0/3     0            0           1s\n")


def test_replicaset_table_and_wide_selector():
    groups = [[replicaset("kubia-5b6b8c9d7f", 3, 3, 3, 40, "5b6b8c9d7f"),
               replicaset("kubia-74967b5695", 0, 0, 0, 300, "74967b5695")]]
    assert render_table(groups, now=NOW) == (
        "NAME               DESIRED   CURRENT   READY   AGE\n"
        "kubia-5b6b8c9d7f   3         3         3       40s\n"
        "kubia-74967b5695   0         0         0       5m\n")
    assert row(groups[0][1], CTX, wide=True)[-1] == "app=kubia,pod-template-hash=74967b5695"


def test_pod_tables_match_k8s_facts():
    running = pod("kubia-5b6b8c9d7f-4xkqz", creationTimestamp=ts(40),
                  status={"phase": "Running", "containerStatuses": [cs(True, 0, RUNNING)]})
    terminating = pod("kubia-74967b5695-lq8vn", creationTimestamp=ts(300), deletionTimestamp=ts(0),
                      status={"phase": "Running", "containerStatuses": [cs(True, 0, RUNNING)]})
    assert render_table([[running, terminating]], now=NOW) == (
        "NAME                     READY   STATUS        RESTARTS   AGE\n"
        "kubia-5b6b8c9d7f-4xkqz   1/1     Running       0          40s\n"
        "kubia-74967b5695-lq8vn   1/1     Terminating   0          5m\n")
    crash = pod("kubia-5b6b8c9d7f-4xkqz", creationTimestamp=ts(120),
                status={"phase": "Running", "containerStatuses": [
                    cs(False, 3, {"waiting": {"reason": "CrashLoopBackOff"}}, finished_ago=41)]})
    assert render_table([[crash]], now=NOW) == (
        "NAME                     READY   STATUS             RESTARTS      AGE\n"
        "kubia-5b6b8c9d7f-4xkqz   0/1     CrashLoopBackOff   3 (41s ago)   2m\n")


def service(name, stype, cluster_ip, ports, age, **spec):
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "namespace": "default", "creationTimestamp": ts(age)},
            "spec": {"type": stype, "clusterIP": cluster_ip, "clusterIPs": [cluster_ip], "ports": ports,
                     "selector": {"app": "kubia"}, **spec}}


def test_service_table_matches_k8s_facts():
    svcs = [service("kubia", "ClusterIP", "10.96.145.3", [{"port": 80, "protocol": "TCP", "targetPort": 8080}], 120),
            service("kubia-np", "NodePort", "10.96.7.20",
                    [{"port": 80, "protocol": "TCP", "nodePort": 30123}], 150)]
    assert render_table([svcs], now=NOW) == (
        "NAME       TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)        AGE\n"
        "kubia      ClusterIP   10.96.145.3   <none>        80/TCP         2m\n"
        "kubia-np   NodePort    10.96.7.20    <none>        80:30123/TCP   2m30s\n")
    assert row(svcs[0], CTX, wide=True)[-1] == "app=kubia"


def test_service_external_ip_rules():
    lb = service("lb", "LoadBalancer", "10.96.0.9", [{"port": 80, "protocol": "TCP", "nodePort": 31000}], 5)
    assert service_external_ip(lb, False) == "<pending>"
    lb["status"] = {"loadBalancer": {"ingress": [{"ip": "203.0.113.10"}, {"hostname": "a-very-long-hostname.example"}]}}
    assert service_external_ip(lb, True) == "203.0.113.10,a-very-long-hostname.example"
    assert service_external_ip(lb, False) == "203.0.113.10,..."  # r[0:13] + "..."
    lb["spec"]["externalIPs"] = ["1.2.3.4"]
    assert service_external_ip(lb, True) == "203.0.113.10,a-very-long-hostname.example,1.2.3.4"
    ext = {"spec": {"type": "ExternalName", "externalName": "db.example.com"}}
    assert service_external_ip(ext, False) == "db.example.com"
    headless = service("h", "ClusterIP", "None", [], 5)
    assert row(headless, CTX)[2:5] == ["None", "<none>", "<none>"]


def test_endpoints_formatting():
    assert format_endpoints({}) == "<none>"
    assert format_endpoints({"subsets": [{"notReadyAddresses": [{"ip": "10.0.0.1"}], "ports": [{"port": 8080}]}]}) == ""
    ips = [{"ip": f"10.244.1.{i}"} for i in range(1, 6)]
    assert format_endpoints({"subsets": [{"addresses": ips, "ports": [{"port": 8080}]}]}) == \
        "10.244.1.1:8080,10.244.1.2:8080,10.244.1.3:8080 + 2 more..."
    assert format_endpoints({"subsets": [{"addresses": ips[:2]}]}) == "10.244.1.1,10.244.1.2"
    ep = {"kind": "Endpoints", "metadata": {"name": "kubia", "creationTimestamp": ts(90)},
          "subsets": [{"addresses": ips[:1], "ports": [{"port": 8080, "protocol": "TCP"}]}]}
    assert render_table([[ep]], now=NOW) == "NAME    ENDPOINTS         AGE\nkubia   10.244.1.1:8080   90s\n"


def event(name, reason, message, kind, obj, first_ago, last_ago, count=1, etype="Normal"):
    return {"apiVersion": "v1", "kind": "Event",
            "metadata": {"name": name, "namespace": "default"},
            "involvedObject": {"kind": kind, "name": obj, "namespace": "default"},
            "reason": reason, "message": message, "type": etype, "count": count,
            "source": {"component": "deployment-controller"},
            "firstTimestamp": ts(first_ago), "lastTimestamp": ts(last_ago)}


def test_event_table_columns():
    evs = [event("kubia.1", "ScalingReplicaSet", "Scaled up replica set kubia-74967b5695 to 3",
                 "Deployment", "kubia", 300, 300),
           event("kubia.2", "ScalingReplicaSet", "Scaled down replica set kubia-74967b5695 to 2 from 3\n",
                 "Deployment", "kubia", 38, 38)]
    assert render_table([evs], now=NOW) == (
        "LAST SEEN   TYPE     REASON              OBJECT             MESSAGE\n"
        "5m          Normal   ScalingReplicaSet   deployment/kubia   Scaled up replica set kubia-74967b5695 to 3\n"
        "38s         Normal   ScalingReplicaSet   deployment/kubia   Scaled down replica set kubia-74967b5695 to 2 from 3\n")
    assert columns("Event", True) == ["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE",
                                      "FIRST SEEN", "COUNT", "NAME"]
    assert row(evs[0], CTX, wide=True)[4:] == ["", "deployment-controller",
                                               "Scaled up replica set kubia-74967b5695 to 3", "5m", "1", "kubia.1"]
    # a message with an embedded newline is cut there by the client and gets "..."
    evs[0]["message"] = "line one\nline two"
    assert "line one...\n" in render_table([evs[:1]], now=NOW)


def test_namespace_and_node_tables():
    ns = {"kind": "Namespace", "metadata": {"name": "default", "creationTimestamp": ts(900)}, "status": {"phase": "Active"}}
    node = {"kind": "Node", "metadata": {"name": "node1", "creationTimestamp": ts(900),
                                         "labels": {"node-role.kubernetes.io/control-plane": ""}},
            "status": {"conditions": [{"type": "Ready", "status": "True"}],
                       "nodeInfo": {"kubeletVersion": "v1.33.1"}}}
    assert render_table([[ns]], now=NOW) == "NAME      STATUS   AGE\ndefault   Active   15m\n"
    assert render_table([[node]], now=NOW) == (
        "NAME    STATUS   ROLES           AGE   VERSION\n"
        "node1   Ready    control-plane   15m   v1.33.1\n")
    # -A adds no NAMESPACE column for cluster-scoped kinds
    assert render_table([[ns]], namespace_column=True, now=NOW).startswith("NAME ")


def test_several_groups_are_kind_prefixed_and_separated():
    p = pod("kubia-74967b5695-x2fwl", creationTimestamp=ts(40),
            status={"phase": "Running", "containerStatuses": [cs(True, 0, RUNNING)]})
    svc = service("kubia", "ClusterIP", "10.96.145.3", [{"port": 80, "protocol": "TCP"}], 120)
    d = deployment()
    rs = replicaset("kubia-74967b5695", 3, 3, 3, 300, "74967b5695")
    out = render_table([[p], [svc], [d], [rs]], show_kind=True, now=NOW)
    assert out == (
        "NAME                         READY   STATUS    RESTARTS   AGE\n"
        "pod/kubia-74967b5695-x2fwl   1/1     Running   0          40s\n"
        "\n"
        "NAME            TYPE        CLUSTER-IP    EXTERNAL-IP   PORT(S)   AGE\n"
        "service/kubia   ClusterIP   10.96.145.3   <none>        80/TCP    2m\n"
        "\n"
        "NAME                    READY   UP-TO-DATE   AVAILABLE   AGE\n"
        "deployment.apps/kubia   3/3     3            3           5m\n"
        "\n"
        "NAME                               DESIRED   CURRENT   READY   AGE\n"
        "replicaset.apps/kubia-74967b5695   3         3         3       5m\n")
    # empty groups print nothing and no separator; --no-headers drops the blank lines too
    assert render_table([("Pod", []), [svc]], now=NOW).startswith("NAME ")
    assert render_table([[p], [svc]], no_headers=True, now=NOW) == (
        "kubia-74967b5695-x2fwl   1/1   Running   0     40s\n"
        "kubia   ClusterIP   10.96.145.3   <none>   80/TCP   2m\n")
    assert render_table([], now=NOW) == ""


def test_all_namespaces_labels_and_label_columns():
    p = pod("kubia-74967b5695-x2fwl", creationTimestamp=ts(40), namespace="default",
            labels={"app": "kubia", "pod-template-hash": "74967b5695"},
            status={"phase": "Running", "containerStatuses": [cs(True, 0, RUNNING)]})
    assert render_table([[p]], show_labels=True, now=NOW) == (
        "NAME                     READY   STATUS    RESTARTS   AGE   LABELS\n"
        "kubia-74967b5695-x2fwl   1/1     Running   0          40s   app=kubia,pod-template-hash=74967b5695\n")
    assert render_table([[p]], namespace_column=True, label_columns=["app", "example.com/tier"], now=NOW) == (
        "NAMESPACE   NAME                     READY   STATUS    RESTARTS   AGE   APP     TIER\n"
        "default     kubia-74967b5695-x2fwl   1/1     Running   0          40s   kubia   \n")


def test_watch_rows_keep_initial_widths():
    p1 = pod("kubia-74967b5695-x2fwl", creationTimestamp=ts(40),
             status={"phase": "Running", "containerStatuses": [cs(True, 0, RUNNING)]})
    w = WatchPrinter("Pod")
    assert w.initial([p1], NOW) == (
        "NAME                     READY   STATUS    RESTARTS   AGE\n"
        "kubia-74967b5695-x2fwl   1/1     Running   0          40s\n")
    p2 = pod("kubia-5b6b8c9d7f-4xkqz", creationTimestamp=ts(0), status={"phase": "Pending"})
    assert w.event("ADDED", p2, NOW) == "kubia-5b6b8c9d7f-4xkqz   0/1     Pending   0          0s\n"
    p2["status"] = {"phase": "Pending", "containerStatuses": [cs(state={"waiting": {"reason": "ContainerCreating"}})]}
    # a wider STATUS cell widens that column from now on (RememberWidths keeps the maximum)
    assert w.event("MODIFIED", p2, NOW) == "kubia-5b6b8c9d7f-4xkqz   0/1     ContainerCreating   0          0s\n"
    assert w.event("MODIFIED", p1, NOW) == "kubia-74967b5695-x2fwl   1/1     Running             0          40s\n"
    # the state survives a JSON round trip
    import json
    w2 = WatchPrinter.from_state(json.loads(json.dumps(w.state())))
    assert w2.event("DELETED", p1, NOW) == "kubia-74967b5695-x2fwl   1/1     Running             0          40s\n"


def test_watch_with_output_watch_events_and_empty_start():
    w = WatchPrinter("Deployment", output_watch_events=True)
    assert w.initial([], NOW) == ""
    d = deployment(ready=0, updated=0, available=0, age=0)
    assert w.event("ADDED", d, NOW) == (
        "EVENT      NAME    READY   UP-TO-DATE   AVAILABLE   AGE\n"
        "ADDED      kubia   0/3     0            0           0s\n")
    d["status"]["readyReplicas"] = 1
    assert w.event("MODIFIED", d, NOW) == "MODIFIED   kubia   1/3     0            0           0s\n"


def test_bad_input_does_not_raise():
    for junk in ({"kind": "Pod"}, {"kind": "Pod", "metadata": None, "spec": "x", "status": 3},
                 {"kind": "Deployment", "spec": {"selector": {"matchExpressions": [{"key": "a", "operator": "Bogus"}]}}},
                 {"kind": "Service", "spec": {"ports": ["x", {"port": "80"}]}},
                 {"kind": "Event", "lastTimestamp": "not a time"}):
        row(junk, CTX, wide=True)
    assert row({"kind": "Deployment", "spec": {"selector": {"matchExpressions": [{"key": "a", "operator": "Bogus"}]}}},
               CTX, wide=True)[-1] == "<invalid>"
    with pytest.raises(KeyError):
        row({"kind": "Job"}, CTX)  # a kind with no printer (ConfigMap has one since the fidelity branch)
