"""The differential suite: every script runs through the console and through the real kubectl
against the REST layer; stdout, stderr and exit codes must match, or be a difference listed in
KNOWN_DIFFERENCES.md (known.py). Sizes are printed at the end of the run (conftest.py)."""
from __future__ import annotations

import difflib
from concurrent.futures import ThreadPoolExecutor

import pytest

from . import known
from .corpus import all_scripts
from .harness import oracle_or_skip, run_script

SCRIPTS = all_scripts()
STATS = {"scripts": 0, "commands": 0, "known": {}}
_RESULTS: dict = {}
PARALLEL = 3  # scripts run at once (each has its own clusters and server)


def _run_all():
    if not _RESULTS:
        with ThreadPoolExecutor(PARALLEL) as pool:
            for script, run in zip(SCRIPTS, pool.map(lambda s: run_script(s.name, s.seed, s.files, list(s.steps)), SCRIPTS)):
                _RESULTS[script.name] = run
    return _RESULTS


def _diff(a: str, b: str) -> str:
    return "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True), "console", "kubectl", n=1))


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_console_matches_real_kubectl(script):
    oracle_or_skip()
    run = _run_all()[script.name]
    STATS["scripts"] += 1
    problems = []
    for o in run.outcomes:
        STATS["commands"] += 1
        for i, stream in enumerate(("stdout", "stderr", "exit")):
            c, k = o.console[i], o.oracle[i]
            if stream != "exit":
                c, k = known.normalise(o.line, stream, c), known.normalise(o.line, stream, k)
            if c == k:
                continue
            why = known.explain(o.line, stream, str(c), str(k))
            if why:
                STATS["known"][why] = STATS["known"].get(why, 0) + 1
                continue
            detail = _diff(c, k) if stream != "exit" else f"console exit {c}, kubectl exit {k}"
            problems.append(f"$ {o.line}\n[{stream}]\n{detail}")
    assert not problems, "\n".join(problems)
