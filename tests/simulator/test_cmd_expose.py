"""`kubectl expose` (kubectl pkg/cmd/expose/expose.go RunExpose, createService)."""
from ._cmd_fixtures import kubia_cluster, pod_names


def test_expose_deployment_takes_match_labels_and_serves_traffic():
    c = kubia_cluster()
    r = c.run("kubectl expose deployment kubia --port=80 --target-port=8080")
    assert (r.stdout, r.stderr, r.exit_code) == ("service/kubia exposed\n", "", 0)
    svc = c.get("Service", "default", "kubia")
    assert svc["spec"]["selector"] == {"app": "kubia"}
    assert svc["spec"]["ports"] == [{"port": 80, "protocol": "TCP", "targetPort": 8080}]
    assert svc["metadata"]["labels"] == {"app": "kubia"}  # the exposed object's labels
    c.advance(1)
    assert c.run("curl -s kubia").stdout.startswith("This is v1 running in pod kubia-")


def test_expose_without_port_uses_container_ports_and_dry_run_prints_the_service():
    c = kubia_cluster()
    r = c.run("kubectl expose deploy kubia --name=kubia-np --type=NodePort --dry-run=client -o yaml")
    assert r.stdout == ("apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    app: kubia\n  name: kubia-np\n"
                        "spec:\n  ports:\n  - port: 8080\n    protocol: TCP\n    targetPort: 8080\n"
                        "  selector:\n    app: kubia\n  type: NodePort\nstatus:\n  loadBalancer: {}\n")
    assert c.get("Service", "default", "kubia-np") is None


def test_expose_pod_uses_its_labels_and_errors():
    c = kubia_cluster()
    pod = pod_names(c)[0]
    assert c.run(f"kubectl expose pod {pod} --port=80 --name=one").exit_code == 0
    sel = c.get("Service", "default", "one")["spec"]["selector"]
    assert sel["app"] == "kubia" and "pod-template-hash" in sel
    c.run("kubectl run np --image=busybox")
    r = c.run("kubectl expose pod np")
    assert (r.stderr, r.exit_code) == ("error: couldn't find port via --port flag or introspection\n", 1)
    r = c.run("kubectl expose deployment kubia --port=80")
    r = c.run("kubectl expose deployment kubia --port=80")
    assert r.stderr == 'Error from server (AlreadyExists): services "kubia" already exists\n'
    assert c.run("kubectl expose ns default").stderr == "error: cannot expose a Namespace\n"
    assert c.run("kubectl expose deploy nope --port=80").stderr == (
        'Error from server (NotFound): deployments.apps "nope" not found\n')
