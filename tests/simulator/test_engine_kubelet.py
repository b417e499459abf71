"""Pod lifecycle: Pending → ContainerCreating → Running/Ready, image pull failures with back-off,
CrashLoopBackOff, graceful termination, pod IPs (DESIGN.md timing contract)."""
import re

from simulator import Cluster

from .engine_helpers import cluster_with, deployment_yaml, pods


def _status(c, name_prefix="kubia"):
    r = c.run("kubectl get pods")
    return [line.split()[2] for line in r.stdout.splitlines()[1:] if line.startswith(name_prefix)]


def test_healthy_pods_running_and_ready_within_30s():
    c = Cluster()
    c.files["d.yaml"] = deployment_yaml()
    c.run("kubectl create -f d.yaml")
    assert set(_status(c)) == {"Pending"}
    c.advance(1)
    assert set(_status(c)) == {"ContainerCreating"}
    c.advance(29)
    r = c.run("kubectl get pods")
    assert all(" 1/1 " in line and "Running" in line for line in r.stdout.splitlines()[1:])
    ips = [p["status"]["podIP"] for p in pods(c)]
    assert len(set(ips)) == 3 and all(re.fullmatch(r"10\.244\.\d\.\d+", ip) for ip in ips)
    assert {p["spec"]["nodeName"] for p in pods(c)} == {"node1", "node2"}


def test_unknown_image_err_image_pull_then_back_off_doubling():
    c = Cluster()
    c.files["d.yaml"] = deployment_yaml(name="web", replicas=1, image="nginx:1.161", container="nginx", port=80)
    c.run("kubectl create -f d.yaml")
    pulls = []
    statuses = []
    for _ in range(400):
        c.advance(1)
        statuses.append(_status(c, "web")[0])
        n = sum(e["count"] for e in c.list("Event", "default") if e["reason"] == "Pulling")
        if not pulls or n != pulls[-1][1]:
            pulls.append((c.now, n))
    assert statuses[1] == "ErrImagePull" and statuses[3] == "ImagePullBackOff"
    gaps = [b[0] - a[0] for a, b in zip(pulls, pulls[1:])]
    # kubelet back-off: 10 s doubling up to 300 s (sampled once a second, so ±1 s)
    for gap, want in zip(gaps, [10, 20, 40, 80, 160]):
        assert abs(gap - want) <= 1, gaps
    ev = [e for e in c.list("Event", "default") if e["reason"] == "Failed"]
    assert any(e["message"].startswith('Failed to pull image "nginx:1.161": rpc error: code = NotFound') for e in ev)
    assert any(e["message"] == "Error: ImagePullBackOff" for e in ev)


def test_busybox_without_command_crash_loops():
    c = Cluster()
    c.files["p.yaml"] = ('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"bb"},'
                         '"spec":{"containers":[{"name":"bb","image":"busybox"}]}}')
    assert c.run("kubectl create -f p.yaml").stdout == "pod/bb created\n"
    seen = set()
    for _ in range(90):
        c.advance(1)
        seen.add(_status(c, "bb")[0])
    assert "CrashLoopBackOff" in seen and "Completed" in seen
    restarts = c.get("Pod", "default", "bb")["status"]["containerStatuses"][0]["restartCount"]
    assert 3 <= restarts <= 6


def test_terminating_pod_lasts_its_grace_period_for_kubia_and_is_quick_for_nginx():
    c = cluster_with(deployment_yaml(replicas=1))
    c.files["n.yaml"] = deployment_yaml(name="web", replicas=1, image="nginx:1.27", container="nginx", port=80)
    c.run("kubectl create -f n.yaml")
    c.advance(30)
    c.run("kubectl delete deployment kubia web --wait=false")
    c.advance(5)
    names = {p["metadata"]["name"].split("-")[0] for p in c.list("Pod", "default")}
    assert names == {"kubia"}  # nginx exits on SIGTERM at once, node.js ignores it
    assert "Terminating" in _status(c)
    c.advance(30)
    assert c.list("Pod", "default") == []


def test_delete_waits_until_pod_is_gone():
    c = Cluster()
    c.files["p.yaml"] = ('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"k"},'
                         '"spec":{"containers":[{"name":"k","image":"luksa/kubia:v1"}]}}')
    c.run("kubectl create -f p.yaml")
    c.advance(20)
    t0 = c.now
    r = c.run("kubectl delete pod k")
    assert r.stdout == 'pod "k" deleted from default namespace\n'
    assert 29 <= c.now - t0 <= 31
    assert c.get("Pod", "default", "k") is None


def test_liveness_probe_restarts_v3_and_its_counter_starts_again():
    c = Cluster()
    c.files["p.yaml"] = ('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"v3"},"spec":{"containers":[{'
                         '"name":"app","image":"luksa/kubia:v3","livenessProbe":{"periodSeconds":2,'
                         '"failureThreshold":3,"httpGet":{"path":"/","port":8080}}}]}}')
    c.run("kubectl create -f p.yaml")
    c.advance(10)
    assert c.get("Pod", "default", "v3")["status"]["containerStatuses"][0]["restartCount"] == 0
    c.advance(30)  # probes 5, 6, 7 fail → killed and restarted; the new container answers 200 again
    st = c.get("Pod", "default", "v3")["status"]["containerStatuses"][0]
    assert st["restartCount"] >= 1
    assert st["lastState"]["terminated"]["exitCode"] == 137
    msgs = [e["message"] for e in c.list("Event", "default") if e["involvedObject"]["name"] == "v3"]
    assert "Liveness probe failed: HTTP probe failed with statuscode: 500" in msgs
    assert "Container app failed liveness probe, will be restarted" in msgs
    out = c.run("kubectl get pod v3").stdout.splitlines()[1].split()
    assert out[3].startswith(str(st["restartCount"]))
