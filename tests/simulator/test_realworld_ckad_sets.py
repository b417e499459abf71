"""CKAD/CKA exercise sets and the blue-green tutorial, typed as their solutions write them:
bmuschko/ckad-prep 5-pod-design.md ("Performing Rolling Updates for a Deployment"),
mmularski/ckad-exams task 15, ludwigprager/CNCF-lab ex4, ianlewis/kubernetes-bluegreen-deployment-tutorial.

bmuschko's transcript is from kubectl 1.1x: `deployment.extensions/deploy`, a DESIRED/CURRENT
deployments table, numeric pod-template-hash; current kubectl prints `deployment.apps/deploy`,
READY/UP-TO-DATE/AVAILABLE, SafeEncodeString hashes and Node-Selectors/Tolerations in templates.
"""
from pathlib import Path

import pytest

from simulator import Cluster

REF = Path(__file__).resolve().parents[1] / "fixtures" / "reference-manifests"
pytestmark = pytest.mark.skipif(not REF.exists(), reason="reference manifests not present")


def ok(c, line, **kw):
    r = c.run(line, **kw)
    assert r.exit_code == 0, (line, r.stdout, r.stderr)
    return r


def load(c, *names):
    for n in names:
        c.files[n] = (REF / n).read_text()


def test_bmuschko_rolling_updates_with_bare_type_rollout_history():
    c = Cluster(seed=2)
    load(c, "ckad-bmuschko-deploy.replicas3.yaml")
    assert ok(c, "kubectl create -f ckad-bmuschko-deploy.replicas3.yaml").stdout == "deployment.apps/deploy created\n"
    assert ok(c, "kubectl get deployments").stdout.splitlines()[1].split()[:3] == ["deploy", "0/3", "3"]
    assert ok(c, "kubectl set image deployment/deploy nginx=nginx:latest").stdout == "deployment.apps/deploy image updated\n"
    # `rollout history deploy` names a type only: every Deployment in the namespace
    assert ok(c, "kubectl rollout history deploy").stdout == (
        "deployment.apps/deploy \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n")
    rev2 = ok(c, "kubectl rollout history deploy --revision=2").stdout
    assert rev2.startswith("deployment.apps/deploy with revision #2\nPod Template:\n  Labels:\tapp=v1\n\tpod-template-hash=")
    assert "    Image:\tnginx:latest\n    Port:\t<none>\n    Host Port:\t<none>\n" in rev2
    assert ok(c, "kubectl scale deployments deploy --replicas=5").stdout == "deployment.apps/deploy scaled\n"
    assert ok(c, "kubectl rollout undo deployment/deploy --to-revision=1").stdout == "deployment.apps/deploy rolled back\n"
    assert ok(c, "kubectl rollout history deploy").stdout == (
        "deployment.apps/deploy \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n")
    assert "    Image:\tnginx\n" in ok(c, "kubectl rollout history deploy --revision=3").stdout
    ok(c, "kubectl rollout status deploy deploy")
    assert c.get("Deployment", "default", "deploy")["status"]["availableReplicas"] == 5


def test_rollout_verbs_on_a_bare_type():
    c = Cluster(seed=3)
    ok(c, "kubectl create deployment a --image=nginx:1.14.2")
    ok(c, "kubectl create deployment b --image=nginx:1.14.2")
    assert ok(c, "kubectl rollout pause deployment").stdout == "deployment.apps/a paused\ndeployment.apps/b paused\n"
    assert ok(c, "kubectl rollout resume deploy").stdout == "deployment.apps/a resumed\ndeployment.apps/b resumed\n"
    # since kubectl 1.25 (kubernetes commit 9d8286c "support recursive flag for rollout status")
    # rollout status visits every object in turn instead of refusing a collection
    r = c.run("kubectl rollout status deployment")
    assert r.exit_code == 0 and r.stderr == ""
    assert r.stdout.count('deployment "a"') >= 1 and r.stdout.endswith('deployment "b" successfully rolled out\n')


def test_mmularski_task15_rolling_update_in_a_namespace():
    c = Cluster(seed=5)
    load(c, "ckad-mmularski-namespace.yaml", "ckad-mmularski-rolling-demo.nginx-1.21.yaml", "ckad-mmularski-rolling-demo.yaml")
    assert ok(c, "kubectl apply -f ckad-mmularski-namespace.yaml").stdout == "namespace/exam-1-task-15 created\n"
    assert ok(c, "kubectl apply -f ckad-mmularski-rolling-demo.nginx-1.21.yaml").stdout == "deployment.apps/rolling-demo created\n"
    ok(c, "kubectl -n exam-1-task-15 rollout status deploy rolling-demo")
    started = c.now
    assert ok(c, "kubectl apply -f ckad-mmularski-rolling-demo.yaml").stdout == "deployment.apps/rolling-demo configured\n"
    c.advance(0.5)
    # maxSurge 2 / maxUnavailable 1 on 3 replicas: at most 5 pods, at least 2 available
    rs = [l.split() for l in ok(c, "kubectl get rs -n exam-1-task-15").stdout.splitlines()[1:]]
    assert sum(int(r[1]) for r in rs) <= 5 and len(rs) == 2
    ok(c, "kubectl -n exam-1-task-15 rollout status deploy rolling-demo")
    hist = ok(c, "kubectl rollout history deploy rolling-demo -n exam-1-task-15").stdout
    assert hist == "deployment.apps/rolling-demo \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n"
    d = c.get("Deployment", "exam-1-task-15", "rolling-demo")
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.22"
    assert d["spec"]["strategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 2}}
    # the task's point: availability never fell below replicas - maxUnavailable = 2 during the update
    during = [s for s in c.timeline("rolling-demo", namespace="exam-1-task-15") if s["t"] >= started]
    assert during and min(s["available"] for s in during) >= 2 and max(s["pods"] for s in during) <= 5


def test_cncf_lab_ex4_generated_then_edited_strategy():
    c = Cluster(seed=7)
    load(c, "cncf-lab-ex4-nginx-deploy.yaml")
    gen = ok(c, "kubectl create deployment nginx-deploy --image=nginx:1.13 --replicas=4 -o yaml --dry-run=client").stdout
    assert "  replicas: 4\n" in gen and "      - image: nginx:1.13\n        name: nginx\n" in gen and "status: {}\n" in gen
    assert c.list("Deployment") == []  # client dry run sends nothing
    ok(c, "kubectl apply -f cncf-lab-ex4-nginx-deploy.yaml")
    ok(c, "kubectl rollout status deploy nginx-deploy")
    ok(c, "kubectl set image deploy nginx-deploy nginx=nginx:1.14")
    c.advance(1)
    sizes = sorted(int(l.split()[1]) for l in ok(c, "kubectl get rs").stdout.splitlines()[1:])
    assert sizes == [2, 3]  # maxUnavailable 2: old 4→2, maxSurge 1: new 0→3 (total 5)
    ok(c, "kubectl rollout status deploy nginx-deploy")
    r = ok(c, "kubectl rollout undo deploy nginx-deploy")
    assert r.stdout == "deployment.apps/nginx-deploy rolled back\n"
    assert r.stderr == ""  # kubectl v1.34.5 rollout_undo.go has no last-applied warning
    ok(c, "kubectl rollout status deploy nginx-deploy")
    assert ok(c, "kubectl get deploy nginx-deploy -o jsonpath='{.spec.template.spec.containers[0].image}'").stdout == "nginx:1.13"


def test_blue_green_tutorial():
    c = Cluster(seed=9)
    load(c, "bg-blue-deploy.yaml", "bg-blue-deploy.apps-v1.yaml", "bg-green-deploy.apps-v1.yaml", "bg-service.yaml",
         "bg-service-1.11.yaml")
    # the tutorial's extensions/v1beta1 Deployment was removed in 1.16
    r = c.run("kubectl apply -f bg-blue-deploy.yaml")
    assert r.exit_code == 1 and r.stderr == (
        'error: resource mapping not found for name: "nginx-1.10" namespace: "" from "bg-blue-deploy.yaml": '
        'no matches for kind "Deployment" in version "extensions/v1beta1"\nensure CRDs are installed first\n')
    assert ok(c, "kubectl apply -f bg-blue-deploy.apps-v1.yaml").stdout == "deployment.apps/nginx-1.10 created\n"
    assert ok(c, "kubectl apply -f bg-service.yaml").stdout == "service/nginx created\n"
    ok(c, "kubectl rollout status deploy nginx-1.10")
    assert ok(c, "kubectl apply -f bg-green-deploy.apps-v1.yaml").stdout == "deployment.apps/nginx-1.11 created\n"
    ok(c, "kubectl rollout status deploy/nginx-1.11")
    before = {a["targetRef"]["name"].rsplit("-", 2)[0] for s in c.get("Endpoints", "default", "nginx")["subsets"]
              for a in s["addresses"]}
    assert before == {"nginx-1.10"}
    assert ok(c, "kubectl apply -f bg-service-1.11.yaml").stdout == "service/nginx configured\n"
    c.advance(1)
    after = {a["targetRef"]["name"].rsplit("-", 2)[0] for s in c.get("Endpoints", "default", "nginx")["subsets"]
             for a in s["addresses"]}
    assert after == {"nginx-1.11"}
