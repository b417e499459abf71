"""kubectl describe. Golden outputs: K8S-FACTS §6.3 (describe deployment, computed from
kubectl pkg/describe/describe.go line formats) and §3.5 (DescribePodTemplate without a tabwriter,
kubectl pkg/polymorphichelpers/history_test.go)."""
import datetime as dt

from simulator.kubectl.printers.context import PrintContext
from simulator.kubectl.printers.describe import (
    describe, describe_pod_template, describe_probe, format_endpoint_slices,
)
from simulator.timeutil import to_rfc3339

EPOCH = dt.datetime(2024, 1, 1, 10, 0, 0, tzinfo=dt.timezone.utc)
NOW = 300.0
CTX = PrintContext(EPOCH, NOW)


def at(t):
    return to_rfc3339(EPOCH, t)


def template(image="luksa/kubia:v2", hash_=None, annotations=None):
    labels = {"app": "kubia"}
    if hash_:
        labels["pod-template-hash"] = hash_
    meta = {"labels": labels}
    if annotations:
        meta["annotations"] = annotations
    return {"metadata": meta, "spec": {"containers": [
        {"name": "kubia", "image": image, "ports": [{"containerPort": 8080, "protocol": "TCP"}],
         "resources": {}}]}}


def rs(name, replicas, status_replicas):
    return {"kind": "ReplicaSet", "metadata": {"name": name}, "spec": {"replicas": replicas},
            "status": {"replicas": status_replicas}}


def scaling(msg, t, i):
    return {"kind": "Event", "metadata": {"name": f"kubia.{i}"}, "type": "Normal", "reason": "ScalingReplicaSet",
            "message": msg, "source": {"component": "deployment-controller"}, "count": 1,
            "firstTimestamp": at(t), "lastTimestamp": at(t)}


DEPLOYMENT = {
    "apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "kubia", "namespace": "default", "creationTimestamp": at(0), "labels": {"app": "kubia"},
                 "annotations": {"deployment.kubernetes.io/revision": "2"}},
    "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "kubia"}},
             "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
             "template": template(), "minReadySeconds": 0},
    "status": {"replicas": 3, "updatedReplicas": 3, "availableReplicas": 3, "readyReplicas": 3,
               "conditions": [{"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable"},
                              {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable"}]},
}

EXPECTED_DEPLOYMENT = """\
Name:                   kubia
Namespace:              default
CreationTimestamp:      Mon, 01 Jan 2024 10:00:00 +0000
Labels:                 app=kubia
Annotations:            deployment.kubernetes.io/revision: 2
Selector:               app=kubia
Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Pod Template:
  Labels:  app=kubia
  Containers:
   kubia:
    Image:         luksa/kubia:v2
    Port:          8080/TCP
    Host Port:     0/TCP
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    NewReplicaSetAvailable
OldReplicaSets:  kubia-74967b5695 (0/0 replicas created)
NewReplicaSet:   kubia-5b6b8c9d7f (3/3 replicas created)
Events:
  Type    Reason             Age   From                   Message
  ----    ------             ----  ----                   -------
  Normal  ScalingReplicaSet  5m    deployment-controller  Scaled up replica set kubia-74967b5695 to 3
  Normal  ScalingReplicaSet  40s   deployment-controller  Scaled up replica set kubia-5b6b8c9d7f to 1
  Normal  ScalingReplicaSet  38s   deployment-controller  Scaled down replica set kubia-74967b5695 to 2 from 3
  Normal  ScalingReplicaSet  38s   deployment-controller  Scaled up replica set kubia-5b6b8c9d7f to 2 from 1
  Normal  ScalingReplicaSet  30s   deployment-controller  Scaled down replica set kubia-74967b5695 to 1 from 2
  Normal  ScalingReplicaSet  30s   deployment-controller  Scaled up replica set kubia-5b6b8c9d7f to 3 from 2
  Normal  ScalingReplicaSet  22s   deployment-controller  Scaled down replica set kubia-74967b5695 to 0 from 1
"""


def test_describe_deployment_matches_k8s_facts():
    events = [scaling("Scaled up replica set kubia-74967b5695 to 3", 0, 0),
              scaling("Scaled up replica set kubia-5b6b8c9d7f to 1", 260, 1),
              scaling("Scaled down replica set kubia-74967b5695 to 2 from 3", 262, 2),
              scaling("Scaled up replica set kubia-5b6b8c9d7f to 2 from 1", 262, 3),
              scaling("Scaled down replica set kubia-74967b5695 to 1 from 2", 270, 4),
              scaling("Scaled up replica set kubia-5b6b8c9d7f to 3 from 2", 270, 5),
              scaling("Scaled down replica set kubia-74967b5695 to 0 from 1", 278, 6)]
    related = {"old_replicasets": [rs("kubia-74967b5695", 0, 0)], "new_replicaset": rs("kubia-5b6b8c9d7f", 3, 3)}
    assert describe("Deployment", DEPLOYMENT, CTX, events, related) == EXPECTED_DEPLOYMENT


def test_describe_deployment_without_conditions_or_events():
    # kubectl's describe_test.go expects "OldReplicaSets:    <none>" / "Events:            <none>"
    d = {**DEPLOYMENT, "status": {}}
    d["spec"] = {**d["spec"], "strategy": {"type": "Recreate"}}
    out = describe("Deployment", d, CTX, [], {"old_replicasets": [], "new_replicaset": None})
    assert "Name:               kubia\n" in out  # Recreate: block width from CreationTimestamp:
    assert "Replicas:           3 desired | 0 updated | 0 total | 0 available | 0 unavailable\n" in out
    assert "RollingUpdateStrategy" not in out
    assert "Conditions" not in out and "OldReplicaSets" not in out
    assert out.endswith("  Tolerations:     <none>\nEvents:            <none>\n")
    # with a new RS the ReplicaSet lines join the same column block
    out = describe("Deployment", d, CTX, [], {"old_replicasets": [], "new_replicaset": rs("kubia-x", 3, 3)})
    # (the block starts at "  Node-Selectors:", so it is 19 wide, as in kubectl's describe_test.go)
    assert out.endswith("  Tolerations:     <none>\nOldReplicaSets:    <none>\n"
                        "NewReplicaSet:     kubia-x (3/3 replicas created)\nEvents:            <none>\n")


def test_describe_pod_template_without_tabwriter_matches_history():
    tmpl = template(hash_="5b6b8c9d7f", annotations={
        "kubernetes.io/change-cause": "kubectl set image deployment/kubia kubia=luksa/kubia:v2 --record=true"})
    tmpl["spec"]["containers"][0].pop("ports")
    assert describe_pod_template(tmpl) == (
        "Pod Template:\n"
        "  Labels:\tapp=kubia\n"
        "\tpod-template-hash=5b6b8c9d7f\n"
        "  Annotations:\tkubernetes.io/change-cause: kubectl set image deployment/kubia kubia=luksa/kubia:v2 --record=true\n"
        "  Containers:\n"
        "   kubia:\n"
        "    Image:\tluksa/kubia:v2\n"
        "    Port:\t<none>\n"
        "    Host Port:\t<none>\n"
        "    Environment:\t<none>\n"
        "    Mounts:\t<none>\n"
        "  Volumes:\t<none>\n"
        "  Node-Selectors:\t<none>\n"
        "  Tolerations:\t<none>\n")


def test_probe_strings():
    assert describe_probe({"httpGet": {"path": "/", "port": 8080, "scheme": "HTTP"}, "timeoutSeconds": 1,
                           "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}) == \
        "http-get http://:8080/ delay=0s timeout=1s period=10s #success=1 #failure=3"
    assert describe_probe({"exec": {"command": ["cat", "/tmp/healthy"]}, "initialDelaySeconds": 5}) == \
        "exec [cat /tmp/healthy] delay=5s timeout=0s period=0s #success=0 #failure=0"
    assert describe_probe({"tcpSocket": {"port": "http"}}).startswith("tcp-socket :http delay=0s")


def test_long_and_multiline_annotations_wrap():
    d = {**DEPLOYMENT, "metadata": {**DEPLOYMENT["metadata"], "annotations": {
        "a": "x" * 200, "b": "line1\nline2\n", "kubectl.kubernetes.io/last-applied-configuration": "{}\n"}}}
    out = describe("Deployment", d, CTX, None, {})
    # continuation lines are "\t  value": an empty first cell, then two spaces
    assert ("Annotations:            a:\n"
            "                          " + "x" * 138 + "...\n"
            "                        b:\n"
            "                          line1\n"
            "                          line2\n") in out
    assert "last-applied" not in out and "Events" not in out


def pod(**extra):
    p = {"kind": "Pod", "metadata": {"name": "kubia-5b6b8c9d7f-4xkqz", "namespace": "default",
                                    "labels": {"app": "kubia", "pod-template-hash": "5b6b8c9d7f"},
                                    "ownerReferences": [{"kind": "ReplicaSet", "name": "kubia-5b6b8c9d7f",
                                                         "controller": True, "uid": "u1"}]},
         "spec": {"nodeName": "node1", "containers": [{
             "name": "kubia", "image": "luksa/kubia:v2", "ports": [{"containerPort": 8080, "protocol": "TCP"}],
             "readinessProbe": {"httpGet": {"path": "/", "port": 8080, "scheme": "HTTP"}, "timeoutSeconds": 1,
                                "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}}],
             "tolerations": [{"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
                              "tolerationSeconds": 300},
                             {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
                              "tolerationSeconds": 300}]},
         "status": {"phase": "Running", "hostIP": "172.18.0.2", "podIP": "10.244.1.7", "podIPs": [{"ip": "10.244.1.7"}],
                    "startTime": at(260),
                    "conditions": [{"type": "Ready", "status": "True"}],
                    "containerStatuses": [{"name": "kubia", "ready": True, "restartCount": 0, "image": "luksa/kubia:v2",
                                           "imageID": "docker.io/luksa/kubia@sha256:abc", "containerID": "containerd://1",
                                           "state": {"running": {"startedAt": at(262)}}}]}}
    p.update(extra)
    return p


def test_describe_pod_layout():
    out = describe("Pod", pod(), CTX, [], {})
    assert out == (
        # no "Service Account:" line here, so "Annotations:" sets the first block's width;
        # "IPs:" ends it and "  IP:" joins the "Controlled By:" block, as real kubectl prints it
        "Name:         kubia-5b6b8c9d7f-4xkqz\n"
        "Namespace:    default\n"
        "Node:         node1/172.18.0.2\n"
        "Start Time:   Mon, 01 Jan 2024 10:04:20 +0000\n"
        "Labels:       app=kubia\n"
        "              pod-template-hash=5b6b8c9d7f\n"
        "Annotations:  <none>\n"
        "Status:       Running\n"
        "IP:           10.244.1.7\n"
        "IPs:\n"
        "  IP:           10.244.1.7\n"
        "Controlled By:  ReplicaSet/kubia-5b6b8c9d7f\n"
        "Containers:\n"
        "  kubia:\n"
        "    Container ID:   containerd://1\n"
        "    Image:          luksa/kubia:v2\n"
        "    Image ID:       docker.io/luksa/kubia@sha256:abc\n"
        "    Port:           8080/TCP\n"
        "    Host Port:      0/TCP\n"
        "    State:          Running\n"
        "      Started:      Mon, 01 Jan 2024 10:04:22 +0000\n"
        "    Ready:          True\n"
        "    Restart Count:  0\n"
        "    Readiness:      http-get http://:8080/ delay=0s timeout=1s period=10s #success=1 #failure=3\n"
        "    Environment:    <none>\n"
        "    Mounts:         <none>\n"
        "Conditions:\n"
        "  Type           Status\n"
        "  Ready          True \n"
        "Volumes:         <none>\n"
        "QoS Class:       BestEffort\n"
        "Node-Selectors:  <none>\n"
        "Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n"
        "                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"
        "Events:          <none>\n")


def test_describe_terminating_pod_shows_lasts_invalid():
    p = pod()
    p["metadata"]["deletionTimestamp"] = at(NOW + 30)
    p["metadata"]["deletionGracePeriodSeconds"] = 30
    out = describe("Pod", p, CTX, None, {})
    assert "Status:                    Terminating (lasts <invalid>)\n" in out
    assert "Termination Grace Period:  30s\n" in out


def test_describe_replicaset_and_event_repeats():
    r = {"kind": "ReplicaSet", "metadata": {"name": "kubia-5b6b8c9d7f", "namespace": "default", "uid": "u1",
                                            "labels": {"app": "kubia", "pod-template-hash": "5b6b8c9d7f"},
                                            "ownerReferences": [{"kind": "Deployment", "name": "kubia", "controller": True}]},
         "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "kubia", "pod-template-hash": "5b6b8c9d7f"}},
                  "template": template(hash_="5b6b8c9d7f")},
         "status": {"replicas": 3}}
    pending = pod()
    pending["status"] = {"phase": "Pending"}
    stranger = pod()
    stranger["metadata"] = {**stranger["metadata"], "ownerReferences": [{"controller": True, "uid": "other"}]}
    ev = {"type": "Warning", "reason": "FailedCreate", "message": "quota", "count": 4,
          "source": {"component": "replicaset-controller"}, "firstTimestamp": at(0), "lastTimestamp": at(290)}
    out = describe("ReplicaSet", r, CTX, [ev], {"pods": [pod(), pod(), pending, stranger]})
    assert out.startswith(
        "Name:           kubia-5b6b8c9d7f\n"
        "Namespace:      default\n"
        "Selector:       app=kubia,pod-template-hash=5b6b8c9d7f\n"
        "Labels:         app=kubia\n"
        "                pod-template-hash=5b6b8c9d7f\n"
        "Annotations:    <none>\n"
        "Controlled By:  Deployment/kubia\n"
        "Replicas:       3 current / 3 desired\n"
        "Pods Status:    2 Running / 1 Waiting / 0 Succeeded / 0 Failed\n"
        "Pod Template:\n")
    assert out.endswith(
        "Events:\n"
        "  Type     Reason        Age               From                   Message\n"
        "  ----     ------        ----              ----                   -------\n"
        "  Warning  FailedCreate  10s (x4 over 5m)  replicaset-controller  quota\n")


def svc():
    return {"kind": "Service", "metadata": {"name": "kubia", "namespace": "default"},
            "spec": {"type": "ClusterIP", "selector": {"app": "kubia"}, "clusterIP": "10.96.145.3",
                     "clusterIPs": ["10.96.145.3"], "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                     "ports": [{"port": 80, "targetPort": 8080, "protocol": "TCP"}],
                     "sessionAffinity": "None", "internalTrafficPolicy": "Cluster"}}


def test_describe_service():
    ep = {"subsets": [{"addresses": [{"ip": "10.244.1.7"}, {"ip": "10.244.2.5"}],
                       "notReadyAddresses": [{"ip": "10.244.1.9"}], "ports": [{"port": 8080, "protocol": "TCP"}]}]}
    assert describe("Service", svc(), CTX, [], {"endpoints": ep}) == (
        "Name:                     kubia\n"
        "Namespace:                default\n"
        "Labels:                   <none>\n"
        "Annotations:              <none>\n"
        "Selector:                 app=kubia\n"
        "Type:                     ClusterIP\n"
        "IP Family Policy:         SingleStack\n"
        "IP Families:              IPv4\n"
        "IP:                       10.96.145.3\n"
        "IPs:                      10.96.145.3\n"
        "Port:                     <unset>  80/TCP\n"
        "TargetPort:               8080/TCP\n"
        "Endpoints:                10.244.1.7:8080,10.244.2.5:8080\n"
        "Session Affinity:         None\n"
        "Internal Traffic Policy:  Cluster\n"
        "Events:                   <none>\n")
    assert "Endpoints:                <none>\n" in describe("Service", svc(), CTX, [], {})
    assert "Endpoints:                \n" in describe("Service", svc(), CTX, [], {"endpoints": {"subsets": []}})


def test_endpoint_slices_more():
    slices = [{"ports": [{"name": "", "port": 8080}],
               "endpoints": [{"addresses": [f"10.0.0.{i}"], "conditions": {"ready": True}} for i in range(5)]}]
    assert format_endpoint_slices(slices, "") == "10.0.0.0:8080,10.0.0.1:8080,10.0.0.2:8080 + 2 more..."


def test_describe_endpoints():
    ep = {"kind": "Endpoints", "metadata": {"name": "kubia", "namespace": "default"},
          "subsets": [{"addresses": [{"ip": "10.244.1.7"}], "ports": [{"port": 8080, "protocol": "TCP"}]}]}
    assert describe("Endpoints", ep, CTX, [], {}) == (
        "Name:         kubia\n"
        "Namespace:    default\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "Subsets:\n"
        "  Addresses:          10.244.1.7\n"
        "  NotReadyAddresses:  <none>\n"
        "  Ports:\n"
        "    Name     Port  Protocol\n"
        "    ----     ----  --------\n"
        "    <unset>  8080  TCP\n"
        "\n"
        "Events:  <none>\n")


def test_bad_input_does_not_raise():
    for kind in ("Deployment", "ReplicaSet", "ReplicationController", "Pod", "Service", "Endpoints"):
        describe(kind, {"metadata": None, "spec": [], "status": "x"}, CTX, [{"x": 1}], {"pods": ["junk"]})
