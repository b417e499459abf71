"""Hostile argv for the verbs in describe/label/expose/run/create_sub/set_misc/logs: a command never
crashes the simulator (only KubeError texts reach the console) and a failed command leaves the cluster
as it was (objects, files, clock)."""
import base64
import json
import zlib

from hypothesis import HealthCheck, given, settings, strategies as st

from ._cmd_fixtures import kubia_cluster

BASE = kubia_cluster()
SNAP = BASE.snapshot()
INTERNAL = "error: internal error in the simulator"

VERBS = ["describe", "label", "annotate", "expose", "run", "create deployment", "create namespace",
         "create service clusterip", "create service nodeport", "set resources", "set env", "set selector", "logs"]
WORDS = st.sampled_from([
    "deploy", "deployment/kubia", "kubia", "pods", "pod", "svc", "service/kubia", "rs", "ep", "ns", "default", "nope",
    "app=kubia", "app-", "a=b", "a=b=c", "x-", "-", "=", "--overwrite", "--all", "-l", "app=kubia", "--list",
    "--port=80", "--port=abc", "--target-port=8080", "--type=NodePort", "--name=n1", "--image=nginx",
    "--image=luksa/kubia:v2", "--tcp=80:8080", "--tcp=x", "--replicas=2", "--dry-run=client", "-o", "yaml", "json",
    "--limits=cpu=1", "--requests=memory=1Gi", "-c", "nodejs", "--restart=Never", "--", "sleep", "10", "--tail=2",
    "--selector=app=kubia", "FOO=bar", "1A=b", "--show-events=false", "-n", "other", "--record", "é", "a,b",
])


def state(c):
    data = json.loads(zlib.decompress(base64.b64decode(c.snapshot()["data"])))
    data.pop("history")  # the command log records every line, failed or not
    return data


BEFORE = state(BASE)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(verb=st.sampled_from(VERBS), words=st.lists(WORDS, max_size=6))
def test_random_argv_never_crashes_and_failures_change_nothing(verb, words):
    from simulator import Cluster

    c = Cluster.restore(SNAP)
    r = c.run(f"kubectl {verb} " + " ".join(f"'{w}'" for w in words))
    assert INTERNAL not in r.stderr, r.stderr
    assert r.exit_code in (0, 1), (r.exit_code, r.stderr)
    if r.exit_code != 0 and not r.stdout:
        assert state(c) == BEFORE
