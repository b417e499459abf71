"""dgkanatsios/CKAD-exercises c.pod_design.md, "Deployments" section, typed as written there.

Outputs follow current kubectl: create/scale/set image print `deployment.apps/NAME <verb>`
(pkg/cmd/create/create_deployment.go, scale/scale.go, set/set_image.go through PrintFlags with the
operation), rollout undo prints `rolled back` (rollout/rollout_undo.go), history prints the
`REVISION  CHANGE-CAUSE` table (polymorphichelpers/history.go). Verbs this simulator does not model
(`autoscale`, `exec`, `wait`, `create job`) answer one clear message whatever flags they carry.
"""
import re
from pathlib import Path

from simulator import Cluster

REF = Path(__file__).resolve().parents[1] / "fixtures" / "reference-manifests"


def ok(c, line, **kw):
    r = c.run(line, **kw)
    assert r.exit_code == 0, (line, r.stdout, r.stderr)
    return r


def images_of(c, name="nginx"):
    return {p["spec"]["containers"][0]["image"] for p in c.list("Pod")
            if p["metadata"]["name"].startswith(name + "-") and not p["metadata"].get("deletionTimestamp")}


def test_deployments_section_as_typed():
    c = Cluster(seed=11)
    r = ok(c, "kubectl create deploy nginx --image=nginx:1.18.0 --replicas=2 --port=80")
    assert r.stdout == "deployment.apps/nginx created\n"
    y = ok(c, "kubectl get deploy nginx -o yaml").stdout
    assert "  replicas: 2\n" in y and "        - containerPort: 80\n          protocol: TCP\n" in y
    assert "  labels:\n    app: nginx\n" in y  # create deployment labels app=NAME

    # "kubectl get rs -l run=nginx # if you created deployment by 'run' command": nothing here
    r = c.run("kubectl get rs -l run=nginx")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "No resources found in default namespace.\n")
    rs = ok(c, "kubectl get rs -l app=nginx").stdout.splitlines()
    assert rs[0].split() == ["NAME", "DESIRED", "CURRENT", "READY", "AGE"]
    rs_name = rs[1].split()[0]
    assert re.fullmatch(r"nginx-[bcdf-hj-np-tv-z2-9]{6,10}", rs_name)
    assert ok(c, f"kubectl get rs {rs_name} -o yaml").stdout.startswith("apiVersion: apps/v1\nkind: ReplicaSet\n")
    pod = ok(c, "kubectl get po -l app=nginx").stdout.splitlines()[1].split()[0]
    assert ok(c, f"kubectl get po {pod} -o yaml").stdout.startswith("apiVersion: v1\nkind: Pod\n")

    assert ok(c, "kubectl rollout status deploy nginx").stdout.endswith('deployment "nginx" successfully rolled out\n')
    assert ok(c, "kubectl set image deploy nginx nginx=nginx:1.19.8").stdout == "deployment.apps/nginx image updated\n"
    ok(c, "kubectl rollout status deploy nginx")
    assert ok(c, "kubectl rollout history deploy nginx").stdout == (
        "deployment.apps/nginx \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n")
    assert ok(c, "kubectl get deploy nginx").stdout.splitlines()[1].split()[:4] == ["nginx", "2/2", "2", "2"]
    assert sorted(l.split()[1] for l in ok(c, "kubectl get rs").stdout.splitlines()[1:]) == ["0", "2"]

    assert ok(c, "kubectl rollout undo deploy nginx").stdout == "deployment.apps/nginx rolled back\n"
    c.advance(40)  # "wait a bit"
    assert images_of(c) == {"nginx:1.18.0"}
    running = [l.split()[0] for l in ok(c, "kubectl get po").stdout.splitlines()[1:] if "Running" in l]
    assert ok(c, f"kubectl describe po {running[0]} | grep -i image").stdout.splitlines()[0].split() == \
        ["Image:", "nginx:1.18.0"]

    # the wrong image: the rollout hangs, one pod cannot pull
    ok(c, "kubectl set image deploy nginx nginx=nginx:1.91")
    c.advance(60)
    statuses = {l.split()[2] for l in ok(c, "kubectl get po").stdout.splitlines()[1:]}
    assert statuses & {"ErrImagePull", "ImagePullBackOff"}
    assert ok(c, "kubectl rollout undo deploy nginx --to-revision=2").stdout == "deployment.apps/nginx rolled back\n"
    assert ok(c, "kubectl describe deploy nginx | grep Image:").stdout.split() == ["Image:", "nginx:1.19.8"]
    assert ok(c, "kubectl rollout status deploy nginx").stdout.endswith("successfully rolled out\n")
    rev4 = ok(c, "kubectl rollout history deploy nginx --revision=4").stdout
    assert rev4.startswith("deployment.apps/nginx with revision #4\nPod Template:\n")
    assert "    Image:\tnginx:1.91\n" in rev4  # "You'll also see the wrong image displayed here"

    assert ok(c, "kubectl scale deploy nginx --replicas=5").stdout == "deployment.apps/nginx scaled\n"
    ok(c, "kubectl rollout status deploy nginx")
    assert "Replicas:               5 desired | 5 updated | 5 total | 5 available | 0 unavailable\n" in \
        ok(c, "kubectl describe deploy nginx").stdout

    # autoscale: HorizontalPodAutoscalers are not simulated; the flags must not be the complaint
    r = c.run("kubectl autoscale deploy nginx --min=5 --max=10 --cpu-percent=80")
    assert (r.exit_code, r.stdout, r.stderr) == (1, "", 'error: "kubectl autoscale" is not available in this simulator\n')
    r = c.run("kubectl get hpa nginx")
    assert r.stderr == 'Error from server (NotFound): horizontalpodautoscalers.autoscaling "nginx" not found\n'

    assert ok(c, "kubectl rollout pause deploy nginx").stdout == "deployment.apps/nginx paused\n"
    ok(c, "kubectl set image deploy nginx nginx=nginx:1.19.9")
    c.advance(20)
    assert images_of(c) == {"nginx:1.19.8"}  # "nothing going on, since we paused the rollout"
    assert ok(c, "kubectl rollout history deploy nginx").stdout.splitlines()[-2].split()[0] == "5"  # no new revision
    assert ok(c, "kubectl rollout resume deploy nginx").stdout == "deployment.apps/nginx resumed\n"
    hist = ok(c, "kubectl rollout history deploy nginx").stdout.splitlines()
    assert [l.split()[0] for l in hist[2:-1]] == ["3", "4", "5", "6"]
    assert "    Image:\tnginx:1.19.9\n" in ok(c, "kubectl rollout history deploy nginx --revision=6").stdout
    ok(c, "kubectl rollout status deploy nginx")
    assert images_of(c) == {"nginx:1.19.9"}

    assert ok(c, "kubectl delete deploy nginx").stdout == 'deployment.apps "nginx" deleted from default namespace\n'
    r = c.run("kubectl delete hpa nginx")
    assert (r.exit_code, r.stderr) == (1, 'Error from server (NotFound): horizontalpodautoscalers.autoscaling "nginx" not found\n')


def test_custom_columns_prints_one_row_per_object():
    # "kubectl get po nginx1 -o custom-columns=Name:metadata.name,ANNOTATIONS:metadata.annotations.description"
    c = Cluster(seed=1)
    for i in (1, 2, 3):
        ok(c, f"kubectl run nginx{i} --image=nginx --restart=Never --labels=app=v1")
    ok(c, "kubectl annotate po nginx1 nginx2 nginx3 description='my description'")
    r = ok(c, "kubectl get po nginx1 -o custom-columns=Name:metadata.name,ANNOTATIONS:metadata.annotations.description")
    assert r.stdout == "Name     ANNOTATIONS\nnginx1   my description\n"
    r = ok(c, "kubectl get po -o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[0].image")
    assert r.stdout == ("NAME     IMAGE\n"
                        "nginx1   nginx\n"
                        "nginx2   nginx\n"
                        "nginx3   nginx\n")
    # get.go printGeneric: a single named object that is missing prints only its error
    for out in ("custom-columns=Name:metadata.name", "jsonpath={.metadata.name}", "yaml", "json"):
        r = c.run(f"kubectl get po nope -o {out}")
        assert (r.exit_code, r.stdout, r.stderr) == (1, "", 'Error from server (NotFound): pods "nope" not found\n'), out
    # several names: found ones print as a List, the missing one's error follows
    r = c.run("kubectl get po nginx2 nope -o custom-columns=Name:metadata.name")
    assert (r.exit_code, r.stdout, r.stderr) == (1, "Name\nnginx2\n", 'Error from server (NotFound): pods "nope" not found\n')
    r = ok(c, "kubectl get po -o jsonpath='{.items[*].metadata.name}'")
    assert r.stdout == "nginx1 nginx2 nginx3"


def test_unsimulated_verbs_answer_clearly_whatever_their_flags():
    c = Cluster()
    for line, verb in (("kubectl autoscale deploy nginx --min=5 --max=10 --cpu-percent=80", "autoscale"),
                       ("kubectl exec -it nginx -- /bin/sh", "exec"),
                       ("kubectl create job pi  --image=perl:5.34 -- perl -Mbignum=bpi -wle 'print bpi(2000)'", "create job")):
        r = c.run(line)
        assert (r.exit_code, r.stdout, r.stderr) == (1, "", f'error: "kubectl {verb}" is not available in this simulator\n'), line
    # kubectl wait is simulated (pkg/cmd/wait): a Job that does not exist is the builder's NotFound
    r = c.run("kubectl wait --for=condition=complete --timeout=300s job pi")
    assert (r.exit_code, r.stdout, r.stderr) == (1, "", 'Error from server (NotFound): jobs.batch "pi" not found\n')
    r = c.run("kubectl autoscale --help")
    assert r.exit_code == 0 and "Auto-scale" in r.stdout
