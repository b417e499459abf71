"""tutorial/sandbox/persistence/pg_async.py against the real PostgreSQL: the console's save and lease renewal
as single statements on the event loop keep lease.save_if_holder's and lease.renew's meaning."""

from __future__ import annotations

import json
import subprocess

from tests.scaleout import services


def test_async_save_and_renew_keep_the_lease_rules(scaleout_env):
    result = subprocess.run([services.python(), "tests/scaleout/pg_async_scenario.py"], cwd=services.ROOT,
                            env=scaleout_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    facts = json.loads(result.stdout.strip().splitlines()[-1])
    assert facts["enabled"] is True
    # The holder's save writes every field given, and leaves out the ones passed as None.
    assert facts["holder_saved"] is True and facts["instance_follows"] is True
    assert facts["after_holder"] == {
        "snapshot": {"format": 1, "data": "x" * 50, "big": 2 ** 70},
        "transcript": [{"kind": "output", "text": "é\u00a0"}],
        "history": ["old"], "speed": 5.0, "paused": True,
    }
    # Anyone else writes nothing.
    assert facts["other_saved"] is False and facts["after_other"] == facts["after_holder"]
    assert facts["renew_holder"] is True and facts["renew_other"] is False
    assert 55 < facts["expires_in"] <= 60
    # Once the lease was taken over, the old holder can neither save nor renew.
    assert facts["old_holder_after_steal"] is False and facts["renew_after_steal"] is False
    # No PostgreSQL: the error every caller already handles, after the pool's short wait.
    assert facts["unreachable"] == "OperationalError"
    assert facts["unreachable_seconds"] < 10
    assert facts["back"] is True and facts["back_seconds"] < 2


def run_pool_scenario(scaleout_env, which: str, connections: int) -> dict:
    env = dict(scaleout_env, CONSOLE_DATABASE_CONNECTIONS=str(connections))
    result = subprocess.run([services.python(), "tests/scaleout/pg_async_pool_scenario.py", which], cwd=services.ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_busy_pool_is_kept_and_its_waiters_are_served_within_its_connections(scaleout_env):
    """Issue 13: every connection held by a slow statement and more callers waiting than the pool's
    timeout allows. The pool was replaced on each timed-out wait, opening a new set of connections
    beside the busy ones (at 2,000 learners up to PostgreSQL's 100)."""
    facts = run_pool_scenario(scaleout_env, "busy", 3)
    # Never more backends than the pool's size (sampled every 10 ms over the whole scenario).
    assert facts["samples"] > 50
    assert facts["peak_backends"] <= facts["max_size"] == 3
    # Statements held the connections for 1.6 timeouts: the 12 waiters waited past one timeout,
    # then got a connection each, from the same pool.
    assert facts["served_outcomes"] == ["ok"]
    assert facts["served_min_seconds"] > facts["timeout"]
    assert facts["served_pool_kept"] is True
    # Held for 3.5 timeouts: the waiters give up after two waits (2 s here), with Django's
    # OperationalError that says the database is busy, and the pool is still the same.
    assert facts["refused_outcomes"] == ["OperationalError"]
    assert facts["refused_message"] == ("OperationalError: PostgreSQL is busy: no console connection came free "
                                        "in 2 s (3 in the pool)")
    assert facts["refused_seconds"][0] >= 2 * facts["timeout"] - 0.05  # two whole waits, not one
    assert facts["refused_pool_kept"] is True
    # Once the statements end, the same pool answers at once; one pool in the process.
    assert facts["after"][0] == "ok" and facts["after"][1] < facts["timeout"]
    assert facts["after_pool_kept"] is True and facts["open_pools"] == 1


def test_after_a_restart_and_an_outage_the_pool_works_again_and_stays_one(scaleout_env):
    """A pool whose connections died (PostgreSQL restarted, or went away for a while) must not be
    taken for a busy one: its dead connections are replaced, or the whole pool is."""
    facts = run_pool_scenario(scaleout_env, "restart", 3)
    assert facts["grown_backends"] == 3
    # Restart: the call meets a dead connection; the pool's idle ones are checked and reconnected
    # and the call runs again on a live one; the pool has its connections again, no more.
    assert facts["restart_outcomes"] == ["ok"] and facts["restart_dead_returned"] >= 1
    assert facts["restart_pool_kept"] is True  # its connections were replaced, it kept working
    assert 1 <= facts["restart_backends"] <= 3
    assert facts["restart_open_pools"] == 1
    # Away: each call fails cleanly within a timeout plus the health check (refused at once here),
    # and the pool was replaced: the old one is closed, never left open beside a new one.
    for outcome, seconds in facts["down"]:
        assert outcome.startswith("OperationalError: PostgreSQL unreachable"), outcome
        assert seconds < facts["timeout"] + 2.5
    assert facts["down_old_pool_closed"] is True
    assert facts["down_open_pools"] <= 1
    # Back: the very next call works, on one pool.
    assert facts["back"][0] == "ok" and facts["back"][1] < 2 * facts["timeout"] + 2.5
    assert facts["back_open_pools"] == 1
    # A pool left in its reconnection back-off while PostgreSQL is back: the wait times out, the
    # health check connects, so the pool is stuck (not busy): replaced, and the same call succeeds.
    assert facts["stuck"][0] == "ok" and facts["timeout"] <= facts["stuck"][1] < facts["timeout"] + 2.5
    assert facts["stuck_verdict"] == "stuck" and facts["stuck_closed"] is True
    assert facts["stuck_open_pools"] == 1
    assert facts["peak_backends"] <= 3


def test_a_lagging_event_loop_neither_replaces_the_pool_nor_goes_past_its_connections(scaleout_env):
    """Issue 13: under load the event loop lags past a wait's timeout; statements still end, so
    the pool is busy, not stuck: every call is written (none refused while the pool makes
    progress), the pool is the same one, and PostgreSQL never sees more than its connections
    (at 1,000 learners the replaced pools' connections made 23-29 backends of a budget of 16)."""
    facts = run_pool_scenario(scaleout_env, "lagging", 3)
    assert facts["calls"] == 6 * 8 * 3
    assert facts["outcomes"] == ["ok"]
    assert facts["pool_kept"] is True and facts["open_pools"] == 1
    assert facts["peak_backends"] <= facts["max_size"] == 3
