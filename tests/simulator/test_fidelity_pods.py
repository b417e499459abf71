"""Pods that real exercises write: init containers run in order before the app containers
(kubelet pkg/kubelet/kuberuntime/kuberuntime_container.go computeInitContainerActions; statuses as
kubectl prints them, pkg/printers/internalversion/printers.go printPod: Init:N/M, Init:Error,
Init:CrashLoopBackOff, PodInitializing), and an emptyDir shared between them — the kubernetes.io
task "Configure Pod Initialization" (content/en/docs/tasks/configure-pod-container/
configure-pod-initialization.md: an init container writes index.html, nginx serves it)."""
from __future__ import annotations

import json

import pytest

from simulator import Cluster

INIT_DEMO = """apiVersion: v1
kind: Pod
metadata:
  name: init-demo
  labels: {app: init-demo}
spec:
  containers:
  - name: nginx
    image: nginx
    ports:
    - containerPort: 80
    volumeMounts:
    - name: workdir
      mountPath: /usr/share/nginx/html
  initContainers:
  - name: install
    image: busybox:1.28
    command:
    - sh
    - -c
    - "echo '<h1>Hello from init</h1>' > /work-dir/index.html; sleep 5"
    volumeMounts:
    - name: workdir
      mountPath: "/work-dir"
  dnsPolicy: Default
  volumes:
  - name: workdir
    emptyDir: {}
"""


def _run(c: Cluster, line: str, code: int = 0):
    r = c.run(line)
    assert r.exit_code == code, (line, r.stdout, r.stderr)
    return r


def _status(c: Cluster, name: str) -> str:
    return _run(c, f"kubectl get pod {name} --no-headers").stdout.split()[2]


def test_init_container_then_nginx_serves_what_it_wrote():
    c = Cluster(seed=0)
    c.files["init.yaml"] = INIT_DEMO
    _run(c, "kubectl apply -f init.yaml")
    c.advance(3)
    assert _status(c, "init-demo") == "Init:0/1"
    pod = json.loads(_run(c, "kubectl get pod init-demo -o json").stdout)
    assert pod["status"]["phase"] == "Pending"
    cond = {x["type"]: x for x in pod["status"]["conditions"]}["Initialized"]
    assert (cond["status"], cond["reason"], cond["message"]) == (
        "False", "ContainersNotInitialized", "containers with incomplete status: [install]")
    assert pod["status"]["containerStatuses"][0]["state"] == {"waiting": {"reason": "PodInitializing"}}
    c.advance(5)
    assert _status(c, "init-demo") == "PodInitializing"
    c.advance(10)
    assert _status(c, "init-demo") == "Running"
    pod = json.loads(_run(c, "kubectl get pod init-demo -o json").stdout)
    init = pod["status"]["initContainerStatuses"][0]
    assert (init["ready"], init["state"]["terminated"]["reason"], init["state"]["terminated"]["exitCode"]) == (
        True, "Completed", 0)
    # the main container started only after the init container finished
    started = pod["status"]["containerStatuses"][0]["state"]["running"]["startedAt"]
    assert started >= init["state"]["terminated"]["finishedAt"]
    _run(c, "kubectl expose pod init-demo --port=80")
    c.advance(2)
    assert _run(c, "curl -s http://init-demo").stdout == "<h1>Hello from init</h1>\n"
    assert "<hr><center>nginx/" in _run(c, "curl -s http://init-demo/other.html").stdout
    events = _run(c, "kubectl describe pod init-demo").stdout
    assert "Init Containers:\n  install:" in events


def test_failing_init_container_crash_loops_and_app_never_starts():
    c = Cluster(seed=0)
    c.files["bad.yaml"] = INIT_DEMO.replace(
        "echo '<h1>Hello from init</h1>' > /work-dir/index.html; sleep 5", "exit 1")
    _run(c, "kubectl apply -f bad.yaml")
    seen = set()
    for _ in range(60):
        c.advance(1)
        seen.add(_status(c, "init-demo"))
    assert {"Init:Error", "Init:CrashLoopBackOff"} <= seen
    assert "Running" not in seen and "PodInitializing" not in seen
    pod = json.loads(_run(c, "kubectl get pod init-demo -o json").stdout)
    assert "running" not in pod["status"]["containerStatuses"][0]["state"]


def test_failing_init_container_with_restart_never_fails_the_pod():
    c = Cluster(seed=0)
    c.files["bad.yaml"] = INIT_DEMO.replace(
        "echo '<h1>Hello from init</h1>' > /work-dir/index.html; sleep 5", "exit 3").replace(
        "  dnsPolicy: Default\n", "  dnsPolicy: Default\n  restartPolicy: Never\n")
    _run(c, "kubectl apply -f bad.yaml")
    c.advance(20)
    assert _status(c, "init-demo") == "Init:Error"  # the runtime sets reason Error, so not Init:ExitCode:3
    assert json.loads(_run(c, "kubectl get pod init-demo -o json").stdout)["status"]["phase"] == "Failed"


def test_two_init_containers_run_in_order():
    c = Cluster(seed=0)
    two = INIT_DEMO.replace("  dnsPolicy: Default\n", """  - name: second
    image: busybox:1.28
    command: [sh, -c, "echo second >> /work-dir/log.txt; sleep 2"]
    volumeMounts:
    - name: workdir
      mountPath: /work-dir
  dnsPolicy: Default
""").replace("echo '<h1>Hello from init</h1>' > /work-dir/index.html; sleep 5",
             "echo first > /work-dir/log.txt; echo '<h1>Hello from init</h1>' > /work-dir/index.html; sleep 5")
    c.files["two.yaml"] = two
    _run(c, "kubectl apply -f two.yaml")
    c.advance(4)
    assert _status(c, "init-demo") == "Init:0/2"
    c.advance(6)
    assert _status(c, "init-demo") == "Init:1/2"
    c.advance(15)
    assert _status(c, "init-demo") == "Running"
    _run(c, "kubectl expose pod init-demo --port=80")
    c.advance(2)
    assert _run(c, "curl -s http://init-demo/log.txt").stdout == "first\nsecond\n"


def test_empty_html_root_is_forbidden():
    c = Cluster(seed=0)
    c.files["empty.yaml"] = INIT_DEMO.replace(
        "echo '<h1>Hello from init</h1>' > /work-dir/index.html; sleep 5", "sleep 1")
    _run(c, "kubectl apply -f empty.yaml")
    c.advance(20)
    _run(c, "kubectl expose pod init-demo --port=80")
    c.advance(2)
    r = _run(c, "curl -s http://init-demo/")
    assert r.stdout.startswith("<html>\n<head><title>403 Forbidden</title></head>")


def test_logs_of_an_init_container():
    c = Cluster(seed=0)
    c.files["init.yaml"] = INIT_DEMO.replace(
        "echo '<h1>Hello from init</h1>' > /work-dir/index.html; sleep 5", "echo preparing; sleep 2")
    _run(c, "kubectl apply -f init.yaml")
    c.advance(1)
    r = _run(c, "kubectl logs init-demo", 1)
    # logsforobject.go notes the default container when there are init containers (podcmd.AllContainerNames)
    assert r.stderr == ('Defaulted container "nginx" out of: nginx, install (init)\n'
                        'Error from server (BadRequest): container "nginx" in pod "init-demo" is waiting to start: '
                        "PodInitializing\n")
    c.advance(20)
    assert _run(c, "kubectl logs init-demo -c install").stdout == "preparing\n"
    assert _run(c, "kubectl logs init-demo --all-containers").stdout.startswith("preparing\n/docker-entrypoint.sh")


def test_volume_files_are_capped():
    from simulator.controllers import volumes

    c = Cluster(seed=0)
    big = "x" * 5000
    script = "; ".join(f"echo {big} > /work-dir/f{i}.txt" for i in range(8)) + "; sleep 1"
    c.files["init.yaml"] = INIT_DEMO.replace(
        "echo '<h1>Hello from init</h1>' > /work-dir/index.html; sleep 5", script)
    _run(c, "kubectl apply -f init.yaml")
    c.advance(20)
    uid = c.get("Pod", "default", "init-demo")["metadata"]["uid"]
    stored = c._eng.kubelet["pods"][uid]["volumes"]["workdir"]  # noqa: SLF001 - the kubelet's record
    assert sum(len(v) for v in stored.values()) <= volumes.MAX_POD_BYTES


MYAPP = """apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
  labels:
    app.kubernetes.io/name: MyApp
spec:
  containers:
  - name: myapp-container
    image: busybox:1.28
    command: ['sh', '-c', 'echo The app is running! && sleep 3600']
  initContainers:
  - name: init-myservice
    image: busybox:1.28
    command: ['sh', '-c', "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done"]
  - name: init-mydb
    image: busybox:1.28
    command: ['sh', '-c', "until nslookup mydb.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for mydb; sleep 2; done"]
"""


def test_init_containers_wait_for_their_services():
    # kubernetes.io concepts/workloads/pods/init-containers.md "Init containers in use"
    c = Cluster(seed=0)
    c.files["myapp.yaml"] = MYAPP
    _run(c, "kubectl apply -f myapp.yaml")
    c.advance(10)
    assert _status(c, "myapp-pod") == "Init:0/2"
    log = _run(c, "kubectl logs myapp-pod -c init-myservice").stdout
    assert log.startswith("Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n"
                          "nslookup: can't resolve 'myservice.default.svc.cluster.local'\nwaiting for myservice\n")
    _run(c, "kubectl create service clusterip myservice --tcp=80:9376")
    c.advance(5)
    assert _status(c, "myapp-pod") == "Init:1/2"
    _run(c, "kubectl create service clusterip mydb --tcp=80:9377")
    c.advance(10)
    assert _status(c, "myapp-pod") == "Running"
    assert "Name:      mydb.default.svc.cluster.local" in _run(c, "kubectl logs myapp-pod -c init-mydb").stdout
    assert _run(c, "kubectl logs myapp-pod").stdout == "The app is running!\n"
