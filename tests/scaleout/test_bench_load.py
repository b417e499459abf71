"""bench/load.py runs end to end on two real processes (PostgreSQL + Redis) and prints every figure
it promises: per process and in total, console against echo, time to first command, the first
learner after a start, and PostgreSQL backends against the budget. A handful of learners only:
the figures themselves are for the lead's runs (README, Deployment), not for tests."""

from __future__ import annotations

import re
import subprocess

from tests.scaleout import services


def test_the_load_bench_drives_two_processes_and_prints_its_figures(scaleout_env):
    env = dict(scaleout_env, CONSOLE_CAPACITY="0")
    result = subprocess.run(
        [services.python(), "bench/load.py", "--learners", "6", "--processes", "2", "--lesson", "first-deployment",
         "--duration", "4", "--idle", "1", "--ramp", "1", "--think-min", "0.5", "--think-max", "1"],
        cwd=services.ROOT, env={**env, "PYTHONPATH": str(services.ROOT)}, capture_output=True, text=True, timeout=300)
    out = result.stdout
    assert result.returncode == 0, out[-3000:] + result.stderr[-3000:]
    assert re.search(r"\[start\] process 1: time to first command of its first learner \d+ ms", out), out
    assert re.search(r"\[start\] process 2: time to first command of its first learner \d+ ms", out), out
    for phase in ("console", "echo"):
        # Three learners per process, round-robin, none refused, no errors.
        assert len(re.findall(rf"\[{phase}\] process [12] http://127\.0\.0\.1:\d+: 3 connected, 0 refused \(full\), "
                              r"errors 0", out)) == 2, out
        assert re.search(rf"\[{phase}\] total: 6 connected, 0 refused, errors 0; round trip p50 [\d.]+", out), out
        assert re.search(rf"\[{phase}\] total: CPU \d+ % of a core, [\d.]+ ms per command; -?\d+ KB per idle", out), out
    assert re.search(r"time to first command during the ramp p50 [\d.]+ +p95 [\d.]+ +p99 [\d.]+ ms \(n=6\)", out), out
    probes = re.search(r"time to first command of a new learner under this load \(one every 1 s while it ran\): "
                       r"p50 [\d.]+ +p95 [\d.]+ +p99 [\d.]+ ms \(n=(\d+)\)(.*)", out)
    assert probes and int(probes.group(1)) >= 2 and "failed" not in probes.group(2), out
    assert re.search(r"console / echo: p95 [\d.]+x, CPU per command [\d.]+x", out), out
    peak = re.search(r"PostgreSQL backends: peak (\d+); budget 2 x 16 = 32", out)
    assert peak and 1 <= int(peak.group(1)) <= 32, out
