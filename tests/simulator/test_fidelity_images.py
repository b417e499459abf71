"""The image catalogue and the policy for images it does not know (simulator/images.py, documented
in simulator/ARCHITECTURE.md "Images"). Behaviour sources: kubernetes test/images/agnhost
(netexec/netexec.go rootHandler `NOW: …`, /hostname, /echo; serveHostname/serve_hostname.go, port
9376), kubernetes.io tutorials (registry.k8s.io/echoserver in "Create an External Load Balancer",
kicbase/echo-server in the minikube hello tutorial), GoogleCloudPlatform/kubernetes-engine-samples
hello-app/main.go, hashicorp/http-echo (-text, -listen :5678), nginx
src/http/ngx_http_special_response.c (server_tokens on: `nginx/<version>` in error pages)."""
from __future__ import annotations

import pytest

from simulator import Cluster, images


def _run(c: Cluster, line: str, code: int = 0):
    r = c.run(line)
    assert r.exit_code == code, (line, r.stdout, r.stderr)
    return r


@pytest.mark.parametrize("ref,kind", [
    ("nginx", "known"), ("nginx:1.25.5", "known"), ("nginx:1.161", "missing"), ("luksa/kubia:v9", "missing"),
    ("nosuchimage:1", "missing"), ("ngnix", "missing"), ("Nginx", "missing"),
    ("python:3.12", "generic"), ("myorg/shop:1.0", "generic"), ("ghcr.io/acme/api:2", "generic"),
    ("registry.k8s.io/e2e-test-images/agnhost:2.39", "known"), ("registry.k8s.io/e2e-test-images/agnhost:9.9", "missing"),
    ("registry.k8s.io/pause:3.9", "known"), ("k8s.gcr.io/echoserver:1.4", "known"),
    ("gcr.io/google-samples/hello-app:1.0", "known"), ("alpine:3.20", "known"), ("traefik/whoami", "known"),
])
def test_policy(ref, kind):
    assert images.classify(ref) == kind
    assert (images.lookup(ref) is None) == (kind == "missing")


@pytest.fixture
def c():
    return Cluster(seed=0)


def test_unknown_repository_runs_as_a_generic_container_and_is_noted_once(c):
    r = _run(c, "kubectl create deployment shop --image=myorg/shop:1.0 --port=8080")
    assert r.stdout == "deployment.apps/shop created\n"
    assert r.stderr == images.notice_for_unknown("myorg/shop:1.0")
    assert _run(c, "kubectl create deployment shop2 --image=myorg/shop:1.0").stderr == ""
    c.advance(30)
    assert "Running" in _run(c, "kubectl get pods -l app=shop").stdout
    _run(c, "kubectl expose deploy shop --port=80 --target-port=8080")
    c.advance(3)
    assert "an image whose behaviour Rollout Lab does not know" in _run(c, "curl -s http://shop").stdout


def test_missing_images_still_fail_to_pull(c):
    _run(c, "kubectl create deployment typo --image=ngnix")
    _run(c, "kubectl create deployment tag --image=nginx:1.161")
    c.advance(20)
    out = _run(c, "kubectl get pods").stdout
    assert out.count("ImagePullBackOff") + out.count("ErrImagePull") == 2


def test_agnhost_listens_where_its_arguments_say(c):
    _run(c, "kubectl create deployment agn --image=registry.k8s.io/e2e-test-images/agnhost:2.39 "
            "-- /agnhost netexec --http-port=8080")
    _run(c, "kubectl create deployment sh --image=registry.k8s.io/e2e-test-images/agnhost:2.39 -- /agnhost serve-hostname")
    c.advance(30)
    _run(c, "kubectl expose deploy agn --port=80 --target-port=8080")
    _run(c, "kubectl expose deploy sh --name=sh-wrong --port=80 --target-port=8080")
    _run(c, "kubectl expose deploy sh --port=80 --target-port=9376")
    c.advance(3)
    pod = c.list("Pod", "default")
    agn = next(p["metadata"]["name"] for p in pod if p["metadata"]["name"].startswith("agn-"))
    assert _run(c, "curl -s http://agn/hostname").stdout == agn
    assert _run(c, "curl -s http://agn/echo?msg=hi").stdout == "hi"
    assert _run(c, "curl -s http://agn/").stdout.startswith("NOW: ")
    assert _run(c, "curl -s http://agn/nope").stdout == "404 page not found\n"
    assert _run(c, "curl -s http://sh").stdout.startswith("sh-")
    assert _run(c, "curl http://sh-wrong", 7).stderr.startswith("curl: (7) Failed to connect")


def test_tutorial_images(c):
    _run(c, "kubectl create deployment hello --image=gcr.io/google-samples/hello-app:2.0 --port=8080")
    _run(c, "kubectl create deployment echo --image=registry.k8s.io/echoserver:1.4 --port=8080")
    _run(c, "kubectl create deployment mk --image=kicbase/echo-server:1.0 --port=8080")
    _run(c, "kubectl create deployment pause --image=registry.k8s.io/pause:3.9")
    c.advance(30)
    for name in ("hello", "echo", "mk"):
        _run(c, f"kubectl expose deploy {name} --port=8080")
    c.advance(3)
    body = _run(c, "curl -s http://hello:8080").stdout
    assert body.startswith("Hello, world!\nVersion: 2.0.0\nHostname: hello-")
    assert "real path=/x" in _run(c, "curl -s http://echo:8080/x").stdout
    assert _run(c, "curl -s http://mk:8080/").stdout.startswith("Request served by mk-")
    assert "Running" in _run(c, "kubectl get pods -l app=pause").stdout


def test_http_echo_and_agnhost_without_a_server_exit(c):
    _run(c, "kubectl create deployment he --image=hashicorp/http-echo -- /http-echo -text=hi")
    _run(c, "kubectl create deployment bare --image=hashicorp/http-echo")
    c.advance(60)
    out = _run(c, "kubectl get pods").stdout
    assert [l for l in out.splitlines() if l.startswith("he-")][0].split()[2] == "Running"
    assert [l for l in out.splitlines() if l.startswith("bare-")][0].split()[2] in ("CrashLoopBackOff", "Completed")
    _run(c, "kubectl expose deploy he --port=80 --target-port=5678")
    c.advance(3)
    assert _run(c, "curl -s http://he").stdout == "hi\n"


def test_nginx_error_page_names_the_version(c):
    _run(c, "kubectl create deployment web --image=nginx:1.25.5 --port=80")
    c.advance(30)
    _run(c, "kubectl expose deploy web --port=80")
    c.advance(3)
    assert "<hr><center>nginx/1.25.5</center>" in _run(c, "curl -s http://web/missing").stdout
    assert images.nginx_404("1.14.2").endswith("<hr><center>nginx/1.14.2</center>\n</body>\n</html>\n")


def test_alpine_runs_shell_commands_like_busybox(c):
    _run(c, "kubectl run a --image=alpine:3.20 --restart=Never -- sh -c 'echo hi; sleep 3600'")
    c.advance(20)
    assert _run(c, "kubectl logs a").stdout == "hi\n"
    assert "Running" in _run(c, "kubectl get pod a").stdout
