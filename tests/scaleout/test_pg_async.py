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
