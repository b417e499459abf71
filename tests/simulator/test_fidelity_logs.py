"""The kubelet's per-container log buffer (simulator/images.py serve/render_log) and `kubectl logs`
reading it: start-up lines as the images print them, one line per answered request (probes
included), timestamps, --since, the previous incarnation for -p, the 200-line cap."""
import json
import re

from hypothesis import given, settings, strategies as st

from simulator import Cluster, images

from .engine_helpers import cluster_with, deployment_yaml

HTTP_PROBE = {"httpGet": {"path": "/", "port": 8080}, "periodSeconds": 5}


def _pod(c):
    (pod,) = [p for p in c.list("Pod", "default")]
    return pod


def test_kubia_logs_probes_with_timestamps():
    c = cluster_with(deployment_yaml(replicas=1, readiness=HTTP_PROBE), settle=0)
    c.advance(30)
    name = _pod(c)["metadata"]["name"]
    out = c.run(f"kubectl logs {name}").stdout.splitlines()
    # luksa/kubia app.js: the start line, then request.connection.remoteAddress (IPv4-mapped)
    assert out[0] == "Kubia server starting..."
    assert len(out) > 4 and set(out[1:]) == {f"Received request from ::ffff:{_pod(c)['status']['podIP'].rsplit('.', 1)[0]}.1"}
    stamped = c.run(f"kubectl logs {name} --timestamps").stdout.splitlines()
    stamps = [line.split(" ", 1)[0] for line in stamped]
    assert all(re.fullmatch(r"2026-01-01T09:00:\d\d(\.\d{1,9})?Z", s) for s in stamps)
    assert stamps == sorted(stamps) and [line.split(" ", 1)[1] for line in stamped] == out
    recent = c.run(f"kubectl logs {name} --since=6s").stdout.splitlines()
    assert 1 <= len(recent) <= 2 and "Kubia server starting..." not in recent


def test_kubia_v3_counter_still_counts_probes():
    c = cluster_with(deployment_yaml(replicas=1, image="luksa/kubia:v3", readiness=HTTP_PROBE), settle=0)
    c.advance(60)
    pod = _pod(c)
    # the fifth request (a probe) gets the 500: the pod turns unready, as in the book
    assert any(cs["ready"] is False for cs in pod["status"]["containerStatuses"])
    assert "Readiness probe failed: HTTP probe failed with statuscode: 500" in c.run(
        f"kubectl describe pod {pod['metadata']['name']}").stdout


def test_nginx_access_log_line_and_limit():
    c = Cluster(seed=4)
    c.run("kubectl run web --image=nginx:1.27.5")
    c.advance(10)
    pod = _pod(c)
    uid = pod["metadata"]["uid"]
    eng = c._eng  # the kubelet's memory: no public API reaches it
    cstate = eng.kubelet["pods"][uid]["containers"]["web"]
    image = images.lookup("nginx:1.27.5")
    assert images.serve(image, cstate, "web", 80, "/nope", now=eng.now, client="10.244.2.7")[0] == 404
    last = c.run("kubectl logs web --tail=1").stdout
    # nginx.conf `main` format: $body_bytes_sent is the size of the page answered
    size = len(images.NGINX_404.encode())
    assert last == f'10.244.2.7 - - [01/Jan/2026:09:00:10 +0000] "GET /nope HTTP/1.1" 404 {size} "-" "curl/8.14.1" "-"\n'
    first = c.run("kubectl logs web").stdout.splitlines()
    assert first[0] == "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration"
    started = pod["status"]["containerStatuses"][0]["state"]["running"]["startedAt"]  # 2026-01-01T09:00:04Z
    assert f"{started[:10].replace('-', '/')} {started[11:19]} [notice] 1#1: nginx/1.27.5" in first
    for _ in range(300):
        images.serve(image, cstate, "web", 80, "/", now=eng.now)
    out = c.run("kubectl logs web").stdout.splitlines()
    assert len(out) == images.MAX_LOG_LINES and out[-1].endswith('"GET / HTTP/1.1" 200 615 "-" "curl/8.14.1" "-"')
    assert len(json.dumps(cstate["log"])) < 200 * 70  # entries, not rendered text


def test_previous_log_after_a_liveness_restart():
    live = {"httpGet": {"path": "/", "port": 8080}, "periodSeconds": 5, "failureThreshold": 1}
    text = json.loads(deployment_yaml(replicas=1, image="luksa/kubia:v3"))
    text["spec"]["template"]["spec"]["containers"][0]["livenessProbe"] = live
    c = cluster_with(json.dumps(text), settle=0)
    c.advance(45)
    name = _pod(c)["metadata"]["name"]
    assert _pod(c)["status"]["containerStatuses"][0]["restartCount"] >= 1
    prev = c.run(f"kubectl logs {name} -p").stdout.splitlines()
    assert prev[0] == "Kubia server starting..." and len(prev) == 1 + 5  # five probes, the fifth got 500
    cur = c.run(f"kubectl logs {name}").stdout.splitlines()
    assert cur[0] == "Kubia server starting..."


def test_requests_without_time_are_stamped_when_first_seen():
    image = images.lookup("luksa/kubia:v1")
    state = {}
    images.start_log(state, image, 5.0)
    images.serve(image, state, "p", 8080)
    images.stamp_pending(state, 9.0)
    lines = images.render_log(image, state["log"], "p", "10.244.1.1", lambda t: "2026-01-01T09:00:00Z")
    assert [round(t) for t, _ in lines] == [5, 9]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["luksa/kubia:v3", "nginx", "httpd", "jocatalin/kubernetes-bootcamp:v2"]),
                          st.integers(0, 400)), min_size=1, max_size=4))
def test_buffer_never_exceeds_the_cap(runs):
    for ref, n in runs:
        image = images.lookup(ref)
        state = {}
        for k in range(3):
            images.start_log(state, image, float(k))
            for i in range(n):
                images.serve(image, state, "p", image.ports[0], "/", now=float(k) + i / 1000)
            lines = images.render_log(image, state["log"], "p", "10.244.1.1", lambda t: "2026-01-01T09:00:00Z")
            assert len(lines) <= images.MAX_LOG_LINES
            assert [t for t, _ in lines] == sorted(t for t, _ in lines)
