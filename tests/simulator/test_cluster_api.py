"""Cluster.next_due() and Cluster.busy: what a front-end needs to drive the clock only when due."""

from hypothesis import given, settings, strategies as st

from simulator import Cluster

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: kubia
spec:
  replicas: 3
  selector:
    matchLabels: {app: kubia}
  template:
    metadata:
      labels: {app: kubia}
    spec:
      containers:
      - name: nodejs
        image: luksa/kubia:v1
"""


def settled_cluster() -> Cluster:
    c = Cluster(seed=0)
    c.files["d.yaml"] = DEPLOYMENT
    c.run("kubectl create -f d.yaml")
    c.run("kubectl rollout status deployment kubia")
    return c


def test_a_fresh_cluster_has_nothing_due_and_is_not_busy():
    c = Cluster(seed=0)
    assert c.next_due() is None
    assert not c.busy


def test_a_rollout_schedules_work_until_it_is_over():
    c = Cluster(seed=0)
    c.files["d.yaml"] = DEPLOYMENT
    c.run("kubectl create -f d.yaml")
    due = c.next_due()
    assert due is not None and due > c.now
    c.advance(60)
    # What stays scheduled is far away (the progress deadline check, 600 s after the last progress).
    due = c.next_due()
    assert due is None or due - c.now > 500


def test_advancing_short_of_next_due_changes_nothing_but_now():
    c = settled_cluster()
    c.run("kubectl set image deployment kubia nodejs=luksa/kubia:v2")
    due = c.next_due()
    before = c.snapshot()
    events = []
    c.subscribe(events.append)
    c.advance(max(0.0, (due - c.now) - 0.05))
    assert events == []
    after = c.snapshot()
    assert Cluster.restore(after).list("Pod") == Cluster.restore(before).list("Pod")


def test_a_streaming_command_is_busy_and_its_wake_is_due():
    c = settled_cluster()
    proc = c.start("sleep 5")
    assert c.busy and not proc.done
    assert c.next_due() == c.now + 5
    c.advance(5)
    assert proc.done and not c.busy
    watch = c.start("kubectl get pods -w")
    assert c.busy
    watch.cancel()
    c.advance(0.1)
    assert not c.busy


@settings(max_examples=15, deadline=None)
@given(st.lists(st.floats(min_value=0.05, max_value=20), min_size=1, max_size=6))
def test_jumping_to_each_due_time_equals_advancing_in_small_steps(jumps):
    """Driving by next_due() (as the site's scheduler does) reaches the same state as 0.1 s ticks."""
    a, b = Cluster(seed=0), Cluster(seed=0)
    for c in (a, b):
        c.files["d.yaml"] = DEPLOYMENT
        c.run("kubectl create -f d.yaml")
    for seconds in jumps:
        target = a.now + seconds
        while True:
            due = a.next_due()
            if due is None or due > target:
                break
            a.advance(due - a.now)
        a.advance(target - a.now)
        while b.now + 0.1 <= target:
            b.advance(0.1)
        b.advance(max(0.0, target - b.now))
    assert a.run("kubectl get pods,rs,deploy -o wide").stdout == b.run("kubectl get pods,rs,deploy -o wide").stdout


def test_changes_grows_with_every_watch_event_and_survives_a_snapshot():
    c = Cluster(seed=0)
    c.files["d.yaml"] = DEPLOYMENT
    events = []
    c.subscribe(events.append)
    start = c.changes
    c.run("kubectl create -f d.yaml")
    c.advance(30)
    assert c.changes - start >= len(events) > 0
    seen = c.changes
    c.run("kubectl get pods")
    c.advance(1)
    assert c.changes == seen  # nothing changed: reading and idle time leave it alone
    assert Cluster.restore(c.snapshot()).changes == seen
    c.run("kubectl delete deployment kubia")
    assert c.changes > seen


def test_close_frees_a_cluster_without_the_cycle_collector():
    """Cluster.close() cuts the references between the cluster's parts, so dropping a closed
    cluster leaves nothing for Python's cycle collector (the web console drops idle clusters)."""
    import gc

    from simulator import Cluster

    cluster = Cluster.restore(Cluster().snapshot())
    cluster.run("kubectl create deployment web --image=nginx --replicas=3")
    cluster.advance(30)
    assert "web" in cluster.run("kubectl get deploy").stdout
    gc.collect()
    gc.disable()
    try:
        gc.set_debug(gc.DEBUG_SAVEALL)
        cluster.close()
        del cluster
        found = gc.collect()
        leftovers = [type(o).__module__ for o in gc.garbage]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert found == 0, leftovers[:20]
