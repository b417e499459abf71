"""Rollout invariants (hypothesis) over replicas, maxSurge/maxUnavailable as ints and percents,
readiness delays and failing images."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import Cluster
from simulator.controllers.deployment_util import resolve_fenceposts

from .engine_helpers import deployment_yaml

int_or_pct = st.one_of(st.integers(0, 5), st.sampled_from(["0%", "10%", "25%", "33%", "50%", "100%"]))


def _bounds(replicas, surge, unavailable):
    s, u = resolve_fenceposts(surge, unavailable, replicas)
    return s, min(u, replicas)


def _check_samples(samples, replicas, surge, unavailable, after_first):
    for s in samples:
        if len(s["rs"]) < 2 or s["replicas"] != replicas:
            continue
        assert s["pods"] <= replicas + surge, s
        if after_first:
            assert s["available"] >= replicas - unavailable, s


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(replicas=st.integers(0, 30), surge=int_or_pct, unavailable=int_or_pct,
       delay=st.sampled_from([None, 0, 3, 12]), good=st.booleans(), seed=st.integers(0, 3))
def test_rollout_stays_inside_the_band(replicas, surge, unavailable, delay, good, seed):
    s, u = resolve_fenceposts(surge, unavailable, replicas)
    if surge in (0, "0%") and unavailable in (0, "0%"):
        return  # rejected by validation (both literally zero)
    probe = None if delay is None else {"initialDelaySeconds": delay, "periodSeconds": 1,
                                        "httpGet": {"path": "/", "port": 8080}}
    c = Cluster(seed=seed)
    c.files["d.yaml"] = deployment_yaml(replicas=replicas, surge=surge, unavailable=unavailable, readiness=probe)
    r = c.run("kubectl create -f d.yaml")
    assert r.exit_code == 0, r.stderr
    c.advance(120)
    first = c.timeline("kubia")[-1]
    assert first["available"] == replicas
    n_before = len(c.timeline("kubia"))
    image = "luksa/kubia:v2" if good else "luksa/kubia:nope"
    c.run(f"kubectl set image deployment kubia nodejs={image}")
    c.advance(400)
    surge_n, unav_n = _bounds(replicas, surge, unavailable)
    _check_samples(c.timeline("kubia")[n_before:], replicas, surge_n, unav_n, after_first=True)
    last = c.timeline("kubia")[-1]
    if good:
        # a healthy image always completes
        assert last["rs"][-1][2] == replicas and last["rs"][-1][5] == replicas
        assert all(r[2] == 0 for r in last["rs"][:-1])
    elif replicas > 0:
        # a never-ready image stalls exactly where the arithmetic says (K8S-FACTS §10.3)
        old, new = last["rs"][0][2], last["rs"][-1][2]
        assert new + old == min(replicas + surge_n, replicas + new) or old == replicas - unav_n
        assert new == min(surge_n + unav_n, replicas)
        assert old == replicas - min(unav_n, replicas) if new < replicas else True


def test_ten_replicas_default_stall_numbers():
    assert resolve_fenceposts("25%", "25%", 10) == (3, 2)
    assert resolve_fenceposts("25%", "25%", 1) == (1, 0)
    assert resolve_fenceposts(0, 0, 5) == (0, 1)
