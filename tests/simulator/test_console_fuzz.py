"""Hostile and random console input: kubectl-style answers, never a crash, and a failed command
leaves the cluster as it was (issue: kubectl console, fuzzing acceptance)."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import Cluster

from .cmd_helpers import cluster_state
from .engine_helpers import deployment_yaml

WORDS = ["kubectl", "k", "get", "describe", "create", "apply", "delete", "scale", "set", "image", "rollout",
         "status", "history", "undo", "pause", "resume", "restart", "patch", "label", "annotate", "expose",
         "run", "edit", "deploy", "deployment", "kubia", "pods", "po", "rs", "svc", "all", "-f", "d.yaml",
         "bad.yaml", "-o", "yaml", "json", "wide", "name", "jsonpath={.items[*].metadata.name}", "-l",
         "app=kubia", "--replicas=3", "--replicas=-1", "--replicas=99999999999", "nodejs=luksa/kubia:v2",
         "*=nginx", "--to-revision=9", "-p", "{}", "'{\"spec\":{\"replicas\":2}}'", "--type", "json", "merge",
         "-n", "nope", "-A", "--watch=false", "--dry-run=client", "--record", "|", "grep", "x", "curl", "kubia",
         "ls", "cat", "sleep", "1", "\"", "'", "--", "-", "--bogus", "-z", "ns", "namespace", "ev", "ep"]

BAD_FILES = ["", "{", "a: b: c", "- - -", "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: 3",
             "kind: Deployment\napiVersion: apps/v1beta1\nmetadata: {name: x}",
             "a: &a [*a, *a]", "\x00\x01", "{\"apiVersion\": \"v1\", \"kind\": \"Service\", \"metadata\": {\"name\": \"s\"}}"]


def _cluster():
    c = Cluster(seed=1)
    c.files["d.yaml"] = deployment_yaml()
    c.run("kubectl create -f d.yaml")
    c.advance(20)
    return c


BASE = _cluster()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=7), bad=st.sampled_from(BAD_FILES))
def test_random_command_lines_never_crash(words, bad):
    c = Cluster.restore(BASE.snapshot())
    c.files["bad.yaml"] = bad
    before = cluster_state(c)
    line = " ".join(words)
    r = c.run(line, timeout=30)
    assert "internal error" not in r.stderr, (line, r.stderr)
    assert isinstance(r.exit_code, int)
    if r.exit_code != 0 and not r.stdout and not line.startswith(("sleep", "curl")) and "|" not in words \
            and " -w" not in line and "status" not in words:
        after = cluster_state(c)
        after.pop("now"), before.pop("now")
        after.pop("traffic", None), before.pop("traffic", None)
        assert after == before, line


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=300))
def test_arbitrary_text_as_a_command(text):
    c = Cluster.restore(BASE.snapshot())
    r = c.run(text, timeout=5)
    assert "internal error" not in r.stderr


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=400))
def test_arbitrary_manifest_text(text):
    c = Cluster.restore(BASE.snapshot())
    c.files["m.yaml"] = text
    for verb in ("create", "apply", "replace", "delete"):
        r = c.run(f"kubectl {verb} -f m.yaml", timeout=5)
        assert "internal error" not in r.stderr, (verb, r.stderr)


def test_yaml_alias_bomb_is_refused():
    c = Cluster()
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
        for i in range(8))
    c.files["bomb.yaml"] = bomb
    r = c.run("kubectl apply -f bomb.yaml")
    assert r.exit_code == 1 and "internal error" not in r.stderr and r.stderr.startswith("error:")


def test_deeply_nested_json_is_refused():
    c = Cluster()
    c.files["deep.json"] = "[" * 5000 + "]" * 5000
    r = c.run("kubectl create -f deep.json")
    assert r.exit_code == 1 and "internal error" not in r.stderr
