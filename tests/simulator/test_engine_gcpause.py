"""gcpause: the cyclic collector is paused for one burst of simulator work and handed back as
it was found (nested bursts, a host that disabled it, an exception inside the burst)."""
import gc

import pytest

from simulator import Cluster, gcpause


def test_paused_inside_and_enabled_after_even_on_error():
    seen = []

    @gcpause.while_paused
    def burst(fail):
        seen.append(gc.isenabled())
        with gcpause.paused():  # nested: still paused inside, not re-enabled by the inner exit
            seen.append(gc.isenabled())
        seen.append(gc.isenabled())
        if fail:
            raise RuntimeError("boom")
        return 7

    assert burst(False) == 7 and gc.isenabled()
    with pytest.raises(RuntimeError):
        burst(True)
    assert gc.isenabled()
    assert seen == [False] * 6


def test_a_host_that_disabled_the_collector_keeps_it_disabled():
    gc.disable()
    try:
        c = Cluster(seed=1)
        c.advance(5)
        with gcpause.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_rollout_leaves_the_collector_on_and_makes_no_cyclic_garbage():
    from .engine_helpers import cluster_with, deployment_yaml

    gc.collect()
    c = cluster_with(deployment_yaml(replicas=20))
    assert gc.isenabled()
    assert c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v2").exit_code == 0
    assert c.run("kubectl rollout status deployment kubia").exit_code == 0
    assert gc.isenabled()
    # what the pause relies on: the simulator's work leaves no reference cycles behind
    assert gc.collect() == 0


def _burst_survivors(n):
    with gcpause.paused():
        return [[i] for i in range(n)]


@pytest.fixture
def nothing_frozen():
    """A process that froze nothing itself. In the whole suite the web tests import tutorial.asgi,
    whose tune_gc() freezes the start-up heap, and gcpause then leaves promotion alone (tested
    below); so it is undone here and done again after."""
    frozen = gc.get_freeze_count()
    gc.unfreeze()
    yield
    if frozen:
        gc.freeze()


def test_a_big_burst_hands_its_survivors_to_the_oldest_generation(nothing_frozen):
    gc.collect()
    kept = _burst_survivors(gcpause.PROMOTE_FROM + 1000)
    assert gc.isenabled()
    assert gc.get_count()[0] < 100  # no young pass is owed for them
    assert not any(x is kept[0] for x in gc.get_objects(generation=0))
    assert any(x is kept[0] for x in gc.get_objects(generation=2))
    small = _burst_survivors(10)  # a small burst: the usual young passes
    assert any(x is small[0] for x in gc.get_objects(generation=0))


def test_a_host_that_froze_objects_keeps_them_frozen():
    gc.collect()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        _burst_survivors(gcpause.PROMOTE_FROM + 1000)
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
