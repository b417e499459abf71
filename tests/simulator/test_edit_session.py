"""Cluster.edit_begin / edit_finish: `kubectl edit` for a front-end with its own editor panel.

The texts are kubectl's (pkg/cmd/util/editor/editoptions.go): the header, "Edit cancelled, no
changes made." on stderr with exit 0, `error: %s %q is invalid` and the reopened buffer whose header
lists the failures, "Edit cancelled, no valid changes were saved." when a reopened buffer is saved
unchanged. The same scripted edit through the console (KUBE_EDITOR=sed) must end the same way.
"""
from __future__ import annotations

import json
import pathlib

import pytest

from simulator import Cluster
from simulator.cluster import EditResult
from simulator.kubectl.commands.edit import HEADER

KUBIA = (pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "reference-manifests" / "kubia-deployment-v1.yaml").read_text()


def _kubia() -> Cluster:
    c = Cluster(seed=0)
    c.files["kubia.yaml"] = KUBIA
    assert c.run("kubectl create -f kubia.yaml").exit_code == 0
    c.advance(30)
    return c


@pytest.fixture
def kubia():
    return _kubia()


def _image(c):
    d = c.get("Deployment", "default", "kubia")
    return d["spec"]["template"]["spec"]["containers"][0]["image"]


def test_begin_opens_kubectls_document(kubia):
    opened = kubia.edit_begin("kubectl edit deployment kubia")
    assert isinstance(opened, dict) and opened["stderr"] == ""
    assert opened["text"].startswith(HEADER + "apiVersion: apps/v1\nkind: Deployment\n")
    assert "  name: kubia\n" in opened["text"] and "image: luksa/kubia:v1" in opened["text"]
    # recorded like a console command, still running (no exit code yet)
    assert kubia.history[-1]["line"] == "kubectl edit deployment kubia" and kubia.history[-1]["exit"] is None


def test_save_applies_like_the_console(kubia):
    twin = _kubia()
    opened = kubia.edit_begin("k edit deploy/kubia")
    r = kubia.edit_finish(opened["token"], opened["text"].replace("luksa/kubia:v1", "luksa/kubia:v2"))
    assert (r.stdout, r.stderr, r.exit_code, r.reopen) == ("deployment.apps/kubia edited\n", "", 0, None)
    assert _image(kubia) == "luksa/kubia:v2" and kubia.history[-1]["exit"] == 0
    # the console's scripted editor reaches the same cluster
    c = twin.run("k edit deploy/kubia", env={"KUBE_EDITOR": "sed -i 's/luksa\\/kubia:v1/luksa\\/kubia:v2/'"})
    assert c.stdout == r.stdout
    kubia.advance(60)
    twin.advance(60)
    names = lambda cl: sorted(p["metadata"]["name"] for p in cl.list("Pod"))  # noqa: E731
    assert names(kubia) == names(twin)
    # the token is spent
    again = kubia.edit_finish(opened["token"], opened["text"])
    assert again.exit_code == 1 and "no longer open" in again.stderr


def test_cancel_and_unchanged_save(kubia):
    before = kubia.get("Deployment", "default", "kubia")
    opened = kubia.edit_begin("kubectl edit deploy kubia")
    r = kubia.edit_finish(opened["token"], None)
    assert (r.stdout, r.stderr, r.exit_code) == ("", "Edit cancelled, no changes made.\n", 0)
    opened = kubia.edit_begin("kubectl edit deploy kubia")
    # only comments changed: the objects compare equal, nothing is sent
    r = kubia.edit_finish(opened["token"], "# mine\n" + opened["text"])
    assert (r.stderr, r.exit_code) == ("Edit cancelled, no changes made.\n", 0)
    opened = kubia.edit_begin("kubectl edit deploy kubia")
    r = kubia.edit_finish(opened["token"], "# nothing left\n")
    assert (r.stderr, r.exit_code) == ("Edit cancelled, saved file was empty.\n", 0)
    assert kubia.get("Deployment", "default", "kubia") == before


def test_invalid_save_reopens_with_the_reasons(kubia):
    opened = kubia.edit_begin("kubectl edit deploy kubia")
    r = kubia.edit_finish(opened["token"], opened["text"].replace("replicas: 3", "replicas: -3"))
    assert isinstance(r, EditResult)
    assert (r.stdout, r.stderr, r.exit_code) == ("", 'error: deployments.apps "kubia" is invalid\n', 1)
    assert r.reopen.startswith(HEADER + '# deployments.apps "kubia" was not valid:\n'
                               "# * spec.replicas: Invalid value: -3: must be greater than or equal to 0\n#\n")
    assert "replicas: -3" in r.reopen and r.token and r.token != opened["token"]
    # saving the reopened text unchanged gives up, as kubectl does on the second pass
    r2 = kubia.edit_finish(r.token, r.reopen)
    assert r2.exit_code == 1 and r2.reopen is None
    assert r2.stderr.startswith('A copy of your changes has been stored to "/tmp/kubectl-edit-')
    assert r2.stderr.endswith("error: Edit cancelled, no valid changes were saved.\n")
    assert kubia.history[-1]["exit"] == 1
    assert kubia.get("Deployment", "default", "kubia")["spec"]["replicas"] == 3


def test_invalid_then_fixed(kubia):
    opened = kubia.edit_begin("kubectl edit deploy kubia")
    r = kubia.edit_finish(opened["token"], opened["text"].replace("replicas: 3", "replicas: -3"))
    fixed = r.reopen.replace("replicas: -3", "replicas: 5")
    r2 = kubia.edit_finish(r.token, fixed)
    assert (r2.stdout, r2.exit_code) == ("deployment.apps/kubia edited\n", 0)
    assert kubia.get("Deployment", "default", "kubia")["spec"]["replicas"] == 5


def test_syntax_error_reopens(kubia):
    opened = kubia.edit_begin("kubectl edit deploy kubia")
    r = kubia.edit_finish(opened["token"], opened["text"] + "\n  bad: [\n")
    assert r.exit_code == 1 and r.reopen is not None
    assert r.reopen.startswith(HEADER + "# The edited file had a syntax error: ")


def test_immediate_failures_are_results(kubia):
    r = kubia.edit_begin("kubectl edit deploy nope")
    assert (r.stdout, r.stderr, r.exit_code) == ("", 'Error from server (NotFound): deployments.apps "nope" not found\n', 1)
    assert kubia.history[-1] == {"t": kubia.now, "line": "kubectl edit deploy nope", "exit": 1}
    r = kubia.edit_begin("kubectl edit frobs x")
    assert r.exit_code == 1 and r.stderr == kubia.run("kubectl get frobs x").stderr


@pytest.mark.parametrize("line", ["kubectl get pods", "kubectl edit --help", "ls", "kubectl edit deploy kubia | cat",
                                  "kubectl edit deploy kubia -o json", "kubectl edit --bogus", "", "kubectl 'x"])
def test_not_an_editor_edit(kubia, line):
    assert kubia.edit_begin(line) is None


def test_editor_in_env_runs_in_the_console(kubia):
    assert kubia.edit_begin("kubectl edit deploy kubia", env={"KUBE_EDITOR": "vi"}) is None


def test_rejected_changes_keep_the_cluster(kubia):
    before = kubia.get("Deployment", "default", "kubia")
    opened = kubia.edit_begin("kubectl edit deploy kubia")
    r = kubia.edit_finish(opened["token"], opened["text"].replace("kind: Deployment", "kind: ReplicaSet", 1))
    assert r.exit_code == 1 and "At least one of apiVersion, kind and name was changed" in r.stderr
    assert kubia.get("Deployment", "default", "kubia") == before
    r = kubia.edit_finish("edit-999", "x")
    assert r.exit_code == 1
    r = kubia.edit_finish(None, "x")
    assert r.exit_code == 1


def test_edit_survives_time_passing(kubia):
    opened = kubia.edit_begin("kubectl edit deploy kubia")
    kubia.advance(20)
    kubia.run("kubectl scale deploy kubia --replicas=2")
    r = kubia.edit_finish(opened["token"], opened["text"].replace("luksa/kubia:v1", "luksa/kubia:v2"))
    assert r.exit_code == 0
    d = kubia.get("Deployment", "default", "kubia")
    # a two-way patch from the document opened: replicas untouched by the edit stays as scaled
    assert d["spec"]["replicas"] == 2 and _image(kubia) == "luksa/kubia:v2"
    assert json.loads(json.dumps(kubia.snapshot()))  # nothing of the edit leaks into the snapshot


def test_edit_begin_finds_edit_however_it_is_quoted_and_skips_other_commands():
    """edit_begin looks for the letters of `edit` before parsing (it runs before every command of
    the web console): quotes, backslashes and escaped newlines inside the word still open it."""
    from simulator import Cluster

    c = Cluster(seed=0)
    for line in ("kubectl edit ns default", "k 'ed'it ns default", 'kubectl e"di"t ns default',
                 "kubectl e\\dit ns default", "kubectl ed\\\nit ns default"):
        opened = c.edit_begin(line)
        assert isinstance(opened, dict) and "name: default" in opened["text"], line
    for line in ("kubectl get pods", "kubectl describe ns default", "kubectl edi ns default", "echo edit"):
        assert c.edit_begin(line) is None, line
