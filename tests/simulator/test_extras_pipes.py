"""Pipes into sed and into kubectl (`-f -` reads the pipe), and sed on working-directory files.

kubectl: cli-runtime resource/visitor.go FileVisitorForSTDIN names the stream "STDIN" in errors.
sed: the script language is edit.py's GNU sed emulation; GNU sed prints to stdout without -i,
rewrites its FILE operands with -i, and refuses -i without files ("sed: no input files").
"""
import pytest

from simulator import Cluster

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.26
"""


@pytest.fixture
def c():
    c = Cluster(seed=5)
    c.files["web.yaml"] = DEPLOY
    return c


def image(c, name="web"):
    return c.get("Deployment", "default", name)["spec"]["template"]["spec"]["containers"][0]["image"]


def test_cat_into_kubectl_apply_stdin(c):
    r = c.run("cat web.yaml | kubectl apply -f -")
    assert (r.stdout, r.stderr, r.exit_code) == ("deployment.apps/web created\n", "", 0)
    assert image(c) == "nginx:1.26"


def test_get_yaml_through_sed_back_into_apply(c):
    c.run("kubectl apply -f web.yaml")
    r = c.run("kubectl get deploy web -o yaml | sed 's/nginx:1.26/nginx:1.27/' | kubectl apply -f -")
    assert (r.stdout, r.stderr, r.exit_code) == ("deployment.apps/web configured\n", "", 0)
    assert image(c) == "nginx:1.27"
    assert c.get("Deployment", "default", "web")["metadata"]["generation"] == 2


def test_dry_run_yaml_into_create(c):
    r = c.run("kubectl create deployment api --image=nginx --dry-run=client -o yaml | kubectl create -f -")
    assert r.stdout == "deployment.apps/api created\n" and r.exit_code == 0
    assert image(c, "api") == "nginx"


def test_stdin_errors_name_the_stream_STDIN(c):
    r = c.run('echo "kind: Foo" | kubectl apply -f -')
    assert 'from "STDIN"' in r.stderr and r.exit_code == 1


def test_without_a_pipe_dash_f_dash_explains(c):
    r = c.run("kubectl apply -f -")
    assert r.exit_code == 1 and "`-f -`" in r.stderr
    assert c.list("Deployment") == []


def test_sed_filter_prints_and_selects(c):
    c.run("kubectl apply -f web.yaml")
    assert c.run("kubectl get deploy | sed -n 1p").stdout == "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\n"
    assert c.run("kubectl get deploy | sed 1d | sed 's/^web /WEB /' | head -1").stdout.startswith("WEB   ")


def test_sed_on_files(c):
    out = c.run("sed 's/nginx:1.26/nginx:1.25/' web.yaml")
    assert "image: nginx:1.25" in out.stdout and c.files["web.yaml"] == DEPLOY
    r = c.run("sed -i 's/nginx:1.26/nginx:1.25/' web.yaml")
    assert (r.stdout, r.stderr, r.exit_code) == ("", "", 0)
    assert c.files["web.yaml"] == DEPLOY.replace("nginx:1.26", "nginx:1.25")


def test_sed_errors(c):
    assert c.run("echo x | sed -i 's/x/y/'").stderr == "sed: no input files\n"
    r = c.run("sed 's/a/b/' nope.yaml")
    assert (r.stderr, r.exit_code) == ("sed: can't read nope.yaml: No such file or directory\n", 2)
    r = c.run("echo x | sed 's/a/b'")
    assert r.stderr == "sed: -e expression #1, char 5: unterminated `s' command\n" and r.exit_code == 1


def test_last_stage_exit_code_and_unknown_stage(c):
    assert c.run("kubectl get deploy nope | cat").exit_code == 0  # bash without pipefail
    r = c.run("kubectl get pods | frobnicate")
    assert r.exit_code == 127 and "frobnicate: command not found" in r.stderr


def test_stdin_reaches_only_the_stage_after_it(c):
    r = c.run("cat web.yaml | kubectl apply -f - -f -")  # the second `-` finds the stream used up
    assert r.stdout == "deployment.apps/web created\n"
