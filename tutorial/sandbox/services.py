"""Sandbox services: create, restore, save and reset a learner's simulated cluster.

The simulator is reached only through its public API (`from simulator import Cluster`).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from tutorial.lessons.catalogue import Lesson
from tutorial.sandbox.models import Sandbox

logger = logging.getLogger(__name__)

# `# advance N` in a lesson's setup lets N simulated seconds pass (tutorial/content/README.md).
SETUP_ADVANCE = re.compile(r"^#\s*advance\s+(\d+(?:\.\d+)?)\s*$")
# How far the clock catches up after a reconnect or a server restart (simulated seconds).
CATCH_UP_CAP_SECONDS = 600.0
MAX_TRANSCRIPT_ENTRIES = 400
MAX_TRANSCRIPT_CHARS = 200_000
MAX_HISTORY = 200
SPEEDS = (1, 5, 20)
DEFAULT_SEED = 0


def _cluster_class():
    from simulator import Cluster

    return Cluster


def run_setup(cluster, lines) -> None:
    """Run a lesson's setup lines on a fresh cluster; failures are logged, not fatal."""
    for raw in lines:
        line = str(raw).strip()
        advance = SETUP_ADVANCE.match(line)
        if advance:
            cluster.advance(float(advance.group(1)))
        elif line and not line.startswith("#"):
            result = cluster.run(line)
            if result.exit_code:
                logger.warning("Lesson setup %r exited %s: %s", line, result.exit_code, result.stderr.strip())


def new_cluster(lesson: Lesson):
    """A fresh cluster holding the lesson's working-directory files, after its setup commands."""
    cluster = _cluster_class()(seed=DEFAULT_SEED)
    for name, text in lesson.files.items():
        cluster.files[name] = text
    run_setup(cluster, lesson.setup)
    return cluster


def restore_cluster(snapshot: dict):
    return _cluster_class().restore(snapshot)


def sandbox_get_or_create(*, owner: str, user, lesson: Lesson) -> Sandbox:
    sandbox = Sandbox.objects.filter(owner=owner, lesson_slug=lesson.slug).first()
    if sandbox is not None:
        return sandbox
    cluster = new_cluster(lesson)
    try:
        with transaction.atomic():
            return Sandbox.objects.create(
                owner=owner,
                user=user if getattr(user, "is_authenticated", False) else None,
                lesson_slug=lesson.slug,
                snapshot=cluster.snapshot(),
                saved_at=timezone.now(),
            )
    except IntegrityError:  # two first visits at once: the other one won
        return Sandbox.objects.get(owner=owner, lesson_slug=lesson.slug)


def catch_up_seconds(*, saved_at: datetime, now: datetime, speed: float, paused: bool,
                     cap: float = CATCH_UP_CAP_SECONDS) -> float:
    """Simulated seconds that passed while nobody was connected (capped, never negative)."""
    if paused:
        return 0.0
    elapsed = (now - saved_at).total_seconds() * speed
    return max(0.0, min(elapsed, cap))


def sandbox_save(sandbox: Sandbox, *, snapshot: dict, transcript: list, history: list,
                 speed: float, paused: bool) -> None:
    sandbox.snapshot = snapshot
    sandbox.transcript = transcript
    sandbox.history = history
    sandbox.speed = speed
    sandbox.paused = paused
    sandbox.saved_at = timezone.now()
    # update() rather than save(): never resurrect a sandbox deleted meanwhile.
    Sandbox.objects.filter(pk=sandbox.pk).update(
        snapshot=snapshot, transcript=transcript, history=history, speed=speed, paused=paused,
        saved_at=sandbox.saved_at,
    )


def sandbox_reset(sandbox: Sandbox, lesson: Lesson) -> Sandbox:
    """A fresh cluster for the lesson; the command history (↑/↓) is kept, the transcript cleared."""
    sandbox_save(
        sandbox,
        snapshot=new_cluster(lesson).snapshot(),
        transcript=[],
        history=sandbox.history,
        speed=sandbox.speed,
        paused=False,
    )
    return sandbox


def transcript_append(transcript: list, kind: str, text: str) -> list:
    """Append to the transcript, merging consecutive output chunks and keeping it bounded."""
    if not text:
        return transcript
    if transcript and kind == "output" and transcript[-1].get("kind") == "output":
        transcript[-1] = {"kind": "output", "text": transcript[-1]["text"] + text}
    else:
        transcript.append({"kind": kind, "text": text})
    while len(transcript) > MAX_TRANSCRIPT_ENTRIES:
        transcript.pop(0)
    total = sum(len(entry.get("text", "")) for entry in transcript)
    while total > MAX_TRANSCRIPT_CHARS and transcript:
        total -= len(transcript.pop(0).get("text", ""))
    return transcript


def history_append(history: list, command: str) -> list:
    if command and (not history or history[-1] != command):
        history.append(command)
    del history[:-MAX_HISTORY]
    return history
