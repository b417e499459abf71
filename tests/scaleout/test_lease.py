"""The sandbox lease (tutorial/sandbox/persistence/lease.py) against the test database (SQLite here; the same
SQL runs on PostgreSQL in test_two_processes.py)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.web.conftest import lesson_root, plain_static_storage  # noqa: F401  (Django set-up + fixtures)
from tutorial.sandbox.persistence import lease
from tutorial.sandbox.models import Sandbox

pytestmark = pytest.mark.django_db


def make_sandbox(owner="anon:a") -> Sandbox:
    from django.utils import timezone

    return Sandbox.objects.create(owner=owner, lesson_slug="x", snapshot={}, saved_at=timezone.now())


def test_free_lease_is_taken_and_a_live_one_is_not():
    first = lease.acquire(7, "p1/a", ttl=5, now=100.0)
    assert first.acquired and first.expires_at == 105.0
    second = lease.acquire(7, "p2/b", ttl=5, now=104.0)
    assert not second.acquired
    assert (second.holder, second.expires_at) == ("p1/a", 105.0)


def test_an_expired_lease_goes_to_the_next_caller():
    lease.acquire(7, "p1/a", ttl=5, now=100.0)
    taken = lease.acquire(7, "p2/b", ttl=5, now=105.5)
    assert taken.acquired and taken.holder == "p2/b"
    # The old holder's renewal now fails: it must stop driving.
    assert not lease.renew(7, "p1/a", now=105.6)
    assert lease.renew(7, "p2/b", ttl=5, now=106.0)
    assert lease.current(7).expires_at == 111.0


def test_steal_takes_a_live_lease():
    lease.acquire(7, "p1/a", ttl=5, now=100.0)
    assert lease.acquire(7, "p2/b", ttl=5, now=101.0, steal=True).acquired
    assert lease.current(7).holder == "p2/b"


def test_reacquire_by_the_holder_extends_it():
    lease.acquire(7, "p1/a", ttl=5, now=100.0)
    again = lease.acquire(7, "p1/a", ttl=5, now=103.0)
    assert again.acquired and again.expires_at == 108.0


def test_an_expired_but_untaken_lease_is_still_renewable():
    lease.acquire(7, "p1/a", ttl=5, now=100.0)
    assert lease.renew(7, "p1/a", ttl=5, now=200.0)


def test_release_only_by_the_holder():
    lease.acquire(7, "p1/a", ttl=5, now=100.0)
    assert not lease.release(7, "p2/b")
    assert lease.release(7, "p1/a")
    assert lease.current(7) is None
    assert lease.acquire(7, "p2/b", ttl=5, now=101.0).acquired


def test_leases_of_different_sandboxes_are_independent():
    assert lease.acquire(1, "p1/a", now=100.0).acquired
    assert lease.acquire(2, "p2/b", now=100.0).acquired
    assert not lease.acquire(1, "p2/b", now=100.0).acquired


def test_save_needs_the_lease():
    sandbox = make_sandbox()
    fields = dict(snapshot={"v": 1}, transcript=[], history=["kubectl get pods"], speed=5, paused=False)
    assert not lease.save_if_holder(sandbox, "p1/a", **fields)  # nobody holds it: nothing written
    assert Sandbox.objects.get(pk=sandbox.pk).snapshot == {}
    lease.acquire(sandbox.pk, "p1/a")
    assert lease.save_if_holder(sandbox, "p1/a", **fields)
    assert Sandbox.objects.get(pk=sandbox.pk).history == ["kubectl get pods"]
    lease.acquire(sandbox.pk, "p2/b", steal=True)
    assert not lease.save_if_holder(sandbox, "p1/a", **{**fields, "snapshot": {"v": 2}})
    assert Sandbox.objects.get(pk=sandbox.pk).snapshot == {"v": 1}


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["acquire", "steal", "renew", "release"]),
                          st.sampled_from(["p1/a", "p2/b", "p3/c"]),
                          st.floats(min_value=0, max_value=3)), max_size=25))
def test_at_most_one_holder_and_it_is_the_last_to_take_it(steps):
    """Model check: whatever the sequence, the stored holder is the one our model predicts."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sandbox_lease")
    now, holder, expires = 1000.0, None, 0.0
    for action, who, pause in steps:
        now += pause
        if action in ("acquire", "steal"):
            result = lease.acquire(9, who, ttl=2, now=now, steal=action == "steal")
            free = holder is None or holder == who or expires < now or action == "steal"
            assert result.acquired == free
            if free:
                holder, expires = who, now + 2
        elif action == "renew":
            assert lease.renew(9, who, ttl=2, now=now) == (holder == who)
            if holder == who:
                expires = now + 2
        else:
            assert lease.release(9, who) == (holder == who)
            if holder == who:
                holder = None
        stored = lease.current(9)
        assert (stored.holder if stored else None) == holder
