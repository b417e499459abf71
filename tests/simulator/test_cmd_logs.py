"""`kubectl logs` (kubectl pkg/cmd/logs/logs.go; kubelet validateContainerLogStatus errors; the
luksa/kubia app.js output: `Kubia server starting...` then `Received request from <addr>`)."""
from simulator import Cluster

from ._cmd_fixtures import kubia_cluster, pod_names


def test_kubia_logs_one_line_per_request_and_follow_streams():
    c = kubia_cluster()
    c.run("kubectl expose deployment kubia --port=80 --target-port=8080")
    c.advance(1)
    pod = pod_names(c)[0]
    assert c.run(f"kubectl logs {pod}").stdout == "Kubia server starting...\n"
    served = [c.run("curl -s kubia").stdout.split()[-1] for _ in range(6)].count(pod)
    out = c.run(f"kubectl logs {pod}").stdout.splitlines()
    assert out[0] == "Kubia server starting..." and len(out) == 1 + served
    assert all(l.startswith("Received request from ::ffff:10.244.") for l in out[1:])
    assert c.run(f"kubectl logs {pod} --tail=1").stdout.count("\n") == 1
    follow = c.start(f"kubectl logs -f {pod}")
    follow.read()
    for _ in range(50):  # the Service picks a pod at random (seeded)
        if c.run("curl -s kubia").stdout.split()[-1] == pod:
            break
    c.advance(2)
    assert follow.read().startswith("Received request from ::ffff:")
    follow.cancel()


def test_logs_of_a_deployment_picks_one_pod():
    c = kubia_cluster()
    r = c.run("kubectl logs deployment/kubia")
    assert r.stdout == "Kubia server starting...\n"
    assert r.stderr.startswith("Found 2 pods, using pod/kubia-")


def test_logs_errors():
    c = Cluster(seed=0)
    c.run("kubectl run bad --image=nginx:0.0.0-nope")
    c.advance(30)
    assert c.run("kubectl logs bad").stderr == (
        'Error from server (BadRequest): container "bad" in pod "bad" is waiting to start: '
        "trying and failing to pull image\n")
    assert c.run("kubectl logs nope").stderr == 'Error from server (NotFound): pods "nope" not found\n'
    c.run("kubectl run web --image=nginx:1.14.2")
    c.advance(30)
    assert c.run("kubectl logs web").stdout == ""  # nginx before 1.19 prints nothing at start-up
    # kubectl pkg/polymorphichelpers/logsforobject.go refuses it before asking the server
    assert c.run("kubectl logs web -c other").stderr == "error: container other is not valid for pod web\n"
    assert c.run("kubectl logs web -p").stderr == (
        'Error from server (BadRequest): previous terminated container "web" in pod "web" not found\n')
