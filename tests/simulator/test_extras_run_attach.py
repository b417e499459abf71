"""`kubectl run -i/-t/--rm` as kubectl does it without a terminal, and busybox commands.

kubectl pkg/cmd/run/run.go (Validate messages, OnFailure default with -i, deferred --rm delete,
`pod NS/NAME terminated (REASON)` with the container's exit code), pkg/cmd/exec/exec.go SetupTTY
("Unable to use a TTY - input is not a terminal or the right kind of file"), delete's v1.34
`pod "NAME" deleted from NS namespace`. busybox networking/wget.c and libbb/progress.c texts.
"""
import pytest

from simulator import Cluster

PROGRESS = "-                    100% |********************************|    49  0:00:00 ETA\n"


@pytest.fixture(scope="module")
def base():
    c = Cluster(seed=2)
    c.run("kubectl create deployment kubia --image=luksa/kubia:v1 --replicas=2")
    c.run("kubectl expose deployment kubia --port=80 --target-port=8080")
    c.advance(30)
    return c.snapshot()


@pytest.fixture
def c(base):
    return Cluster.restore(base)


def body(c):
    pods = sorted(p["metadata"]["name"] for p in c.list("Pod", "default") if p["metadata"]["name"].startswith("kubia"))
    return {f"This is v1 running in pod {p}\n" for p in pods}


def test_rm_it_wget_through_the_service(c):
    p = c.start("kubectl run busybox --image=busybox --rm -it --restart=Never -- wget -O- kubia")
    c.advance(10)
    assert p.done and p.exit_code == 0
    streams = [s for s, _ in p.chunks]
    texts = [t for _, t in p.chunks]
    assert texts[0] == "Unable to use a TTY - input is not a terminal or the right kind of file\n"
    ip = c.get("Service", "default", "kubia")["spec"]["clusterIP"]
    assert texts[1:3] == [f"Connecting to kubia ({ip}:80)\n", "writing to stdout\n"]
    assert texts[3] in body(c) and streams[3] == "out"
    assert texts[4:] == [PROGRESS, "written to stdout\n", 'pod "busybox" deleted from default namespace\n']
    assert streams[:3] == ["err"] * 3 and streams[4:6] == ["err", "err"]
    pod = c.get("Pod", "default", "busybox")
    assert pod is None or pod["metadata"].get("deletionTimestamp")


def test_quiet_wget_with_i_only(c):
    r = c.run("kubectl run tmp --image=busybox --restart=Never --rm -i -- wget -qO- http://kubia")
    assert r.exit_code == 0 and r.stderr == ""
    first, deleted = r.stdout.splitlines(keepends=True)
    assert first in body(c) and deleted == 'pod "tmp" deleted from default namespace\n'


def test_generated_pod_has_stdin_and_tty(c):
    r = c.run("kubectl run shell --image=busybox -it --dry-run=client -o yaml")
    assert r.exit_code == 1  # attach and dry-run do not mix
    assert "can't be used with attached containers options" in r.stderr
    c.run("kubectl run shell --image=busybox -it -- echo hi")
    spec = c.get("Pod", "default", "shell")["spec"]
    assert spec["restartPolicy"] == "Always"  # the flag's default; OnFailure only for an empty --restart=
    assert {k: spec["containers"][0].get(k) for k in ("stdin", "stdinOnce", "tty")} == \
        {"stdin": True, "stdinOnce": True, "tty": True}


def test_failed_command_exit_code_after_the_delete(c):
    r = c.run("kubectl run t3 --image=busybox --restart=Never --rm -i -- wget -qO- nope")
    assert r.stdout == 'pod "t3" deleted from default namespace\n'
    assert r.stderr == "wget: bad address 'nope'\npod default/t3 terminated (Error)\n"
    assert r.exit_code == 1


def test_validation_messages(c):
    assert c.run("kubectl run a --image=busybox -t -- echo").stderr == \
        "error: -i/--stdin is required for containers with -t/--tty=true\n"
    assert c.run("kubectl run a --image=busybox --rm -- echo").stderr == \
        "error: --rm should only be used for attached containers\n"
    assert c.get("Pod", "default", "a") is None


def test_pod_that_never_runs_times_out_and_is_removed(c):
    t0 = c.now
    r = c.run("kubectl run bad --image=nosuchimage:1 --rm -i --restart=Never --pod-running-timeout=20s")
    assert c.now - t0 == pytest.approx(20.0)
    assert r.stdout == 'pod "bad" deleted from default namespace\n'
    assert r.stderr == "error: timed out waiting for the condition\n" and r.exit_code == 1


def test_attach_without_rm_keeps_the_pod_and_logs_match(c):
    r = c.run("kubectl run hello --image=busybox -i --restart=Never -- sh -c 'echo one; echo two && false || echo three'")
    assert (r.stdout, r.exit_code) == ("one\ntwo\nthree\n", 0)
    c.advance(5)
    assert c.run("kubectl logs hello").stdout == "one\ntwo\nthree\n"
    assert c.get("Pod", "default", "hello")["status"]["phase"] == "Succeeded"


def test_busybox_commands_in_a_detached_pod(c):
    c.run("kubectl run w --image=busybox --restart=Never -- wget -O /tmp/x kubia")
    c.run("kubectl run h --image=busybox --restart=Never -- hostname")
    c.run("kubectl run s --image=busybox -- sh -c 'echo up; sleep 3600'")
    c.run("kubectl run u --image=busybox --restart=Never -- frob")
    c.advance(20)
    logs = c.run("kubectl logs w").stdout.splitlines()
    assert logs[1:] == ["saving to '/tmp/x'", "x                    100% |********************************|    49  0:00:00 ETA",
                        "'/tmp/x' saved"]
    assert c.run("kubectl logs h").stdout == "h\n"
    assert c.run("kubectl logs s").stdout == "up\n"
    assert c.get("Pod", "default", "s")["status"]["phase"] == "Running"
    assert c.run("kubectl logs u").stdout == "sh: frob: not found\n"
    term = c.get("Pod", "default", "u")["status"]["containerStatuses"][0]["state"]["terminated"]
    assert term["exitCode"] == 127


def test_wget_errors(c):
    c.run("kubectl create deployment nobody --image=nginx --replicas=0")
    c.run("kubectl expose deployment nobody --port=80")
    r = c.run("kubectl run e1 --image=busybox --restart=Never --rm -i -- wget -q -O- nobody")
    ip = c.get("Service", "default", "nobody")["spec"]["clusterIP"]
    assert r.stderr.startswith(f"wget: can't connect to remote host ({ip}): Connection refused\n")
    c.run("kubectl run web --image=nginx --port=80")
    c.advance(30)
    web_ip = c.get("Pod", "default", "web")["status"]["podIP"]
    r = c.run(f"kubectl run e2 --image=busybox --restart=Never --rm -i -- wget -O- http://{web_ip}/missing")
    assert r.stderr == (f"Connecting to {web_ip} ({web_ip}:80)\n"
                        "wget: server returned error: HTTP/1.1 404 Not Found\npod default/e2 terminated (Error)\n")
    assert r.exit_code == 1
