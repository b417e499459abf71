"""Rolling update arithmetic against upstream (pkg/controller/deployment/rolling.go, sync.go,
recreate.go, progress.go; traces in K8S-FACTS §10)."""
import re

from simulator import Cluster

from .engine_helpers import cluster_with, deployment_events, deployment_yaml, pods, rs_sizes


def names(msgs):
    """Replace RS names with old/new labels in order of first appearance."""
    seen = {}
    out = []
    for m in msgs:
        for rs in re.findall(r"kubia-[0-9a-z]+", m):
            seen.setdefault(rs, f"rs{len(seen) + 1}")
        out.append(re.sub(r"kubia-[0-9a-z]+", lambda x: seen[x.group(0)], m))
    return out


def test_first_rollout_creates_one_replicaset_at_full_size():
    c = cluster_with(deployment_yaml())
    assert names(deployment_events(c)) == ["Scaled up replica set rs1 to 3"]
    assert rs_sizes(c) == [(1, 3, 3)]
    d = c.get("Deployment", "default", "kubia")
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    conds = {x["type"]: (x["status"], x["reason"]) for x in d["status"]["conditions"]}
    assert conds == {"Available": ("True", "MinimumReplicasAvailable"),
                     "Progressing": ("True", "NewReplicaSetAvailable")}
    rs = c.list("ReplicaSet", "default")[0]
    assert rs["metadata"]["name"].startswith("kubia-")
    h = rs["metadata"]["labels"]["pod-template-hash"]
    assert re.fullmatch(r"[456789bcdf]{1,10}", h)
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/max-replicas"] == "4"
    for p in pods(c):
        assert re.fullmatch(rf"kubia-{h}-[bcdfghjklmnpqrstvwxz2456789]{{5}}", p["metadata"]["name"])


def test_default_strategy_3_replicas_alternates_like_the_website_example():
    # K8S-FACTS §10.4: maxSurge 1 / maxUnavailable 0 for 3 replicas at 25%/25%
    c = cluster_with(deployment_yaml())
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v2")
    c.advance(120)
    assert names(deployment_events(c)) == [
        "Scaled up replica set rs1 to 3",
        "Scaled up replica set rs2 to 1",
        "Scaled down replica set rs1 to 2 from 3",
        "Scaled up replica set rs2 to 2 from 1",
        "Scaled down replica set rs1 to 1 from 2",
        "Scaled up replica set rs2 to 3 from 2",
        "Scaled down replica set rs1 to 0 from 1",
    ]
    assert rs_sizes(c) == [(1, 0, 0), (2, 3, 3)]


def test_surge_1_unavailable_1_delayed_trace():
    # K8S-FACTS §10.1 "Delayed": (3,0) → (3,1) → (2,1) → (2,2) → … → (0,3)
    c = cluster_with(deployment_yaml(surge=1, unavailable=1))
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v2")
    seen = []
    for s in c.timeline("kubia"):
        if len(s["rs"]) == 2:
            pair = (s["rs"][0][2], s["rs"][1][2])
            if not seen or seen[-1] != pair:
                seen.append(pair)
    c.advance(120)
    for s in c.timeline("kubia"):
        if len(s["rs"]) == 2:
            pair = (s["rs"][0][2], s["rs"][1][2])
            if not seen or seen[-1] != pair:
                seen.append(pair)
    assert seen[0] == (2, 2)  # (3,1)→(2,1)→(2,2) happen in the same instant
    assert seen[-1] == (0, 3)
    assert (1, 3) in seen or (1, 2) in seen


def test_never_ready_image_stalls_at_upstream_sizes_10_replicas():
    # K8S-FACTS §10.3: 10 replicas at 25%/25% with a bad image stay at old 8 / new 5
    c = cluster_with(deployment_yaml(replicas=10), settle=90)
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v1000")
    c.advance(300)
    assert rs_sizes(c) == [(1, 8, 8), (2, 5, 0)]
    r = c.run("kubectl get rs")
    lines = r.stdout.splitlines()
    assert re.search(r"\s8\s+8\s+8\s", lines[1] + " ") or re.search(r"\s8\s+8\s+8\s", lines[2] + " ")
    statuses = {p["status"]["containerStatuses"][0]["state"].get("waiting", {}).get("reason") for p in pods(c)
                if "v1000" in p["spec"]["containers"][0]["image"]}
    assert statuses <= {"ErrImagePull", "ImagePullBackOff"} and statuses


def test_progress_deadline_exceeded_and_rollout_status_error():
    c = cluster_with(deployment_yaml(progress_deadline=60))
    c.run("kubectl set image deployment kubia nodejs=nginx:1.161")
    r = c.run("kubectl rollout status deployment kubia")
    assert r.exit_code == 1
    assert r.stderr.strip().endswith('error: deployment "kubia" exceeded its progress deadline')
    assert r.stdout.startswith('Waiting for deployment "kubia" rollout to finish: 1 out of 3 new replicas have been updated...')
    d = c.get("Deployment", "default", "kubia")
    prog = [x for x in d["status"]["conditions"] if x["type"] == "Progressing"][0]
    assert prog["status"] == "False" and prog["reason"] == "ProgressDeadlineExceeded"
    assert re.fullmatch(r'ReplicaSet "kubia-[0-9a-z]+" has timed out progressing\.', prog["message"])
    assert 120 < c.now < 135  # set image at t=60, deadline 60 s after the last progress


def test_proportional_scaling_during_stuck_rollout():
    # website "Proportional scaling": 10 replicas, maxSurge 3, maxUnavailable 2, stuck at (8, 5); scale to 15 → (11, 7)
    c = cluster_with(deployment_yaml(replicas=10, surge=3, unavailable=2), settle=90)
    c.run("kubectl set image deployment kubia nodejs=nginx:1.161")
    c.advance(60)
    assert [x[1] for x in rs_sizes(c)] == [8, 5]
    r = c.run("kubectl scale deployment kubia --replicas=15")
    assert r.stdout == "deployment.apps/kubia scaled\n"
    c.advance(5)
    assert [x[1] for x in rs_sizes(c)] == [11, 7]
    msgs = names(deployment_events(c))
    assert "Scaled up replica set rs1 to 11 from 8" in msgs
    assert "Scaled up replica set rs2 to 7 from 5" in msgs


def test_recreate_waits_for_old_pods_to_be_gone():
    c = cluster_with(deployment_yaml(strategy="Recreate"))
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v2")
    c.advance(1)
    assert [x[1] for x in rs_sizes(c)] == [0]  # new RS not created while old pods terminate
    assert len(pods(c, terminating=True)) == 3
    c.advance(40)  # kubia ignores SIGTERM: the 30 s grace period runs out
    assert [x[1] for x in rs_sizes(c)] == [0, 3]
    assert names(deployment_events(c))[1:] == ["Scaled down replica set rs1 to 0 from 3",
                                              "Scaled up replica set rs2 to 3"]


def test_rollback_renumbers_revisions():
    c = cluster_with(deployment_yaml())
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v2")
    c.advance(60)
    r = c.run("kubectl rollout undo deployment kubia")
    assert r.stdout == "deployment.apps/kubia rolled back\n"
    c.advance(60)
    revs = sorted(x[0] for x in rs_sizes(c))
    assert revs == [2, 3]
    h = c.run("kubectl rollout history deployment kubia").stdout
    assert h == "deployment.apps/kubia \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n"
    rs_v1 = [rs for rs in c.list("ReplicaSet", "default")
             if rs["spec"]["template"]["spec"]["containers"][0]["image"] == "luksa/kubia:v1"][0]
    assert rs_v1["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"
    assert rs_v1["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] == "1"
    again = c.run("kubectl rollout undo deployment kubia --to-revision=3")
    assert again.stdout == "deployment.apps/kubia skipped rollback (current template already matches revision 3)\n"
    missing = c.run("kubectl rollout undo deployment kubia --to-revision=7")
    assert missing.exit_code == 1
    assert missing.stderr == "error: unable to find specified revision 7 in history\n"


def test_pause_resume_canary():
    c = cluster_with(deployment_yaml())
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v4")
    r = c.run("kubectl rollout pause deployment kubia")
    assert r.stdout == "deployment.apps/kubia paused\n"
    c.advance(60)
    assert [x[1] for x in rs_sizes(c)] == [3, 1]  # one canary pod, rollout frozen
    d = c.get("Deployment", "default", "kubia")
    prog = [x for x in d["status"]["conditions"] if x["type"] == "Progressing"][0]
    assert (prog["status"], prog["reason"], prog["message"]) == ("Unknown", "DeploymentPaused", "Deployment is paused")
    assert c.run("kubectl rollout pause deployment kubia").stderr == 'error: deployments.apps "kubia" is already paused\n'
    assert "you cannot rollback a paused deployment" in c.run("kubectl rollout undo deployment kubia").stderr
    assert c.run("kubectl rollout resume deployment kubia").stdout == "deployment.apps/kubia resumed\n"
    c.advance(120)
    assert [x[1:] for x in rs_sizes(c)] == [(0, 0), (3, 3)]
    assert c.run("kubectl rollout resume deployment kubia").stderr == 'error: deployments.apps "kubia" is not paused\n'


def test_paused_template_change_creates_no_revision():
    c = cluster_with(deployment_yaml())
    c.run("kubectl rollout pause deployment kubia")
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v2")
    c.advance(30)
    assert [x[0] for x in rs_sizes(c)] == [1]
    assert c.run("kubectl get deploy kubia").stdout.splitlines()[1].split()[2] == "0"  # UP-TO-DATE 0


def test_min_ready_seconds_with_failing_readiness_probe_blocks_v3():
    probe = {"periodSeconds": 1, "httpGet": {"path": "/", "port": 8080}}
    c = cluster_with(deployment_yaml(min_ready=10, readiness=probe))
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v3")
    c.advance(120)
    # the v3 pod answered 4 probes, then 500s: it never stays ready 10 s, so it never becomes available
    assert [x[1:] for x in rs_sizes(c)] == [(3, 3), (1, 0)]
    v3 = [p for p in pods(c) if p["spec"]["containers"][0]["image"] == "luksa/kubia:v3"][0]
    assert v3["status"]["containerStatuses"][0]["ready"] is False
    events = [e["message"] for e in c.list("Event", "default") if e["involvedObject"]["name"] == v3["metadata"]["name"]]
    assert "Readiness probe failed: HTTP probe failed with statuscode: 500" in events
    r = c.run("kubectl rollout undo deployment kubia")
    assert r.exit_code == 0
    c.advance(60)
    assert [x[1:] for x in rs_sizes(c)] == [(3, 3), (0, 0)]


def test_min_ready_seconds_delays_availability():
    c = Cluster()
    c.files["d.yaml"] = deployment_yaml(replicas=1, min_ready=10)
    c.run("kubectl create -f d.yaml")
    c.advance(10)
    d = c.get("Deployment", "default", "kubia")
    assert d["status"].get("readyReplicas") == 1 and not d["status"].get("availableReplicas")
    c.advance(15)
    assert c.get("Deployment", "default", "kubia")["status"]["availableReplicas"] == 1


def test_revision_history_limit_cleans_old_replicasets():
    c = cluster_with(deployment_yaml(replicas=1, history_limit=1))
    for v in ("v2", "v3", "v4"):
        c.run(f"kubectl set image deployment kubia nodejs=luksa/kubia:{v}")
        c.advance(90)
    assert len(c.list("ReplicaSet", "default")) == 2


def test_rollout_with_change_cause_and_record():
    c = Cluster()
    c.files["kubia-deployment-v1.yaml"] = deployment_yaml()
    r = c.run("kubectl create -f kubia-deployment-v1.yaml --record")
    assert r.stderr == "Flag --record has been deprecated, --record will be removed in the future\n"
    c.advance(30)
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v2 --record")
    c.advance(60)
    h = c.run("kubectl rollout history deployment kubia").stdout
    assert h.splitlines()[2] == "1         kubectl create --filename=kubia-deployment-v1.yaml --record=true"
    assert h.splitlines()[3] == "2         kubectl set image deployment kubia nodejs=luksa/kubia:v2 --record=true"


def test_scale_down_prefers_not_ready_pods():
    c = cluster_with(deployment_yaml(replicas=3))
    c.run("kubectl scale deployment kubia --replicas=5")
    c.advance(0.5)  # two new pods still ContainerCreating
    young = {p["metadata"]["name"] for p in pods(c) if not p["status"].get("containerStatuses", [{}])[0].get("ready")}
    assert len(young) == 2
    c.run("kubectl scale deployment kubia --replicas=3")
    gone = {p["metadata"]["name"] for p in pods(c, terminating=True)} | (
        young - {p["metadata"]["name"] for p in c.list("Pod", "default")})
    assert gone == young
