"""`kubectl describe` through Cluster.run (kubectl pkg/cmd/describe/describe.go Run and
DescribeMatchingResources; the per-kind text itself is tested in test_printers_describe.py)."""
from ._cmd_fixtures import kubia_cluster, pod_names


def test_describe_deployment_has_new_replicaset_and_its_scaling_event():
    c = kubia_cluster()
    r = c.run("kubectl describe deployment kubia")
    assert r.exit_code == 0 and r.stderr == ""
    rs = c.list("ReplicaSet")[0]["metadata"]["name"]
    assert "OldReplicaSets:  <none>\n" in r.stdout
    assert f"NewReplicaSet:   {rs} (2/2 replicas created)\n" in r.stdout
    # deployment-controller event, Age 30s (sync.go: creation has no "from")
    assert f"  Normal  ScalingReplicaSet  30s   deployment-controller  Scaled up replica set {rs} to 2\n" in r.stdout


def test_describe_after_rollout_lists_old_replicaset():
    c = kubia_cluster()
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v2")
    c.advance(60)
    out = c.run("kubectl describe deploy/kubia").stdout
    old, new = sorted(c.list("ReplicaSet"), key=lambda rs: rs["metadata"]["creationTimestamp"])
    assert f"OldReplicaSets:  {old['metadata']['name']} (0/0 replicas created)\n" in out
    assert f"NewReplicaSet:   {new['metadata']['name']} (2/2 replicas created)\n" in out


def test_replicaset_pods_status_and_created_pod_events():
    c = kubia_cluster()
    out = c.run("kubectl describe rs").stdout
    assert "Pods Status:    2 Running / 0 Waiting / 0 Succeeded / 0 Failed\n" in out
    assert "Controlled By:  Deployment/kubia\n" in out
    for name in pod_names(c):
        assert f"replicaset-controller  Created pod: {name}\n" in out


def test_objects_are_separated_by_two_blank_lines():
    # describe.go: fmt.Fprintf(o.Out, "\n\n%s", s) between objects
    c = kubia_cluster()
    a, b = pod_names(c)
    out = c.run("kubectl describe pods").stdout
    assert out.count(f"\n\n\nName:             {b}\n") == 1
    assert out.startswith(f"Name:             {a}\n") and not out.endswith("\n\n")


def test_prefix_match_prints_each_match_followed_by_a_newline():
    # DescribeMatchingResources: NotFound for `TYPE NAME` → every object whose name starts with NAME, "%s\n"
    c = kubia_cluster()
    a, b = pod_names(c)
    r = c.run("kubectl describe pods kubia")
    assert r.exit_code == 0
    assert r.stdout.startswith(f"Name:             {a}\n")
    assert f"\n\nName:             {b}\n" in r.stdout and "\n\n\nName:" not in r.stdout
    assert r.stdout.endswith("\n\n")


def test_not_found_and_no_resources():
    c = kubia_cluster()
    r = c.run("kubectl describe pod nothere")
    assert (r.stdout, r.stderr, r.exit_code) == ("", 'Error from server (NotFound): pods "nothere" not found\n', 1)
    r = c.run("kubectl describe rc")
    assert (r.stdout, r.stderr, r.exit_code) == ("", "No resources found in default namespace.\n", 0)


def test_service_endpoints_line_and_show_events_false():
    c = kubia_cluster()
    c.run("kubectl expose deployment kubia --port=80 --target-port=8080")
    c.advance(1)
    ips = sorted(p["status"]["podIP"] for p in c.list("Pod"))
    out = c.run("kubectl describe svc kubia").stdout
    line = next(l for l in out.splitlines() if l.startswith("Endpoints:"))
    assert sorted(line.split()[1].split(",")) == [f"{ip}:8080" for ip in ips]
    assert "Events" not in c.run("kubectl describe svc kubia --show-events=false").stdout
