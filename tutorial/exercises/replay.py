"""Run a lesson's set-up and command scripts against a Cluster: the runner the web uses to prepare
a sandbox, and the tests use to replay solutions and wrong attempts.

A script is a list of console lines; `# advance N` lets N simulated seconds pass, other lines
starting with `#` are comments. Commands run through `Cluster.run`, so they are logged in
`cluster.history` exactly as if the learner had typed them.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from .loader import ADVANCE, LessonExercises

log = logging.getLogger(__name__)
DEFAULT_SEED = 0
SETUP_GAP_SECONDS = 1.0


@dataclass(frozen=True)
class Step:
    line: str
    exit_code: int | None = None  # None for `# advance N`
    output: str = ""


def run_script(cluster, lines, *, label: str = "script") -> list[Step]:
    """Run each line in order; a failing command is logged and the script goes on (like a learner)."""
    steps = []
    for raw in lines:
        line = str(raw).strip()
        advance = ADVANCE.match(line)
        if advance:
            cluster.advance(float(advance.group(1)))
            steps.append(Step(line))
        elif line and not line.startswith("#"):
            result = cluster.run(line)
            if result.exit_code:
                log.info("%s: %r exited %s: %s", label, line, result.exit_code, result.stderr.strip())
            steps.append(Step(line, result.exit_code, result.output))
    return steps


def new_cluster(lesson: LessonExercises, seed: int = DEFAULT_SEED):
    """A fresh cluster with the lesson's working-directory files, after its set-up commands."""
    from simulator import Cluster

    cluster = Cluster(seed=seed)
    for name, body in lesson.files.items():
        cluster.files[name] = body
    run_script(cluster, lesson.setup, label=f"{lesson.slug} setup")
    return cluster


def prepare(lesson: LessonExercises, seed: int = DEFAULT_SEED):
    """(cluster, since): a fresh sandbox and the simulated time its exercises start at.

    Checks count commands and curl answers logged at `since` or later, so when the set-up's last
    command ran at the current instant (no `# advance` after it) the clock moves on one second:
    the set-up must not count as the learner's work."""
    cluster = new_cluster(lesson, seed)
    now = cluster.now
    if any(entry.get("t", 0) >= now for entry in (*cluster.history, *cluster.traffic)):
        cluster.advance(SETUP_GAP_SECONDS)
    return cluster, cluster.now


def replay(lesson: LessonExercises, commands, seed: int = DEFAULT_SEED):
    """(cluster, since, steps): set-up, then `commands` as a learner would type them."""
    cluster, since = prepare(lesson, seed)
    steps = run_script(cluster, commands, label=lesson.slug)
    return cluster, since, steps


__all__ = ["run_script", "new_cluster", "prepare", "replay", "Step"]
