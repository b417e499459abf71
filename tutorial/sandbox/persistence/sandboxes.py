"""A learner's sandbox row: create, restore, save and reset their simulated cluster.

The simulator is reached only through its public API (`from simulator import Cluster`).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from tutorial.curriculum.catalogue import Lesson
from tutorial.exercises.replay import prepare
from tutorial.progress.services import forget_checks
from tutorial.sandbox.models import Sandbox

try:
    import orjson
except ImportError:  # pragma: no cover - requirements.txt installs it
    orjson = None

logger = logging.getLogger(__name__)

# How far the clock catches up after a reconnect or a server restart (simulated seconds).
CATCH_UP_CAP_SECONDS = 600.0
SPEEDS = (1, 5, 20)
DEFAULT_SEED = 0


def _cluster_class():
    from simulator import Cluster

    return Cluster


def prepare_cluster(lesson: Lesson):
    """(cluster, since): the lesson's files and set-up, run by the grader's own runner
    (tutorial.exercises.replay), and the simulated time from which the learner's work counts."""
    return prepare(lesson.for_grader(), DEFAULT_SEED)


def exercise_starts(lesson: Lesson, since: float) -> dict[str, float]:
    """Every exercise of the lesson starts when the set-up is over."""
    return {exercise.id: since for exercise in lesson.exercises}


def restore_cluster(snapshot: dict):
    """The live cluster of a saved snapshot. A sandbox still as its lesson's set-up left it (every
    new learner's) is a copy of the kept set-up cluster, sharing its objects (Cluster.copy)."""
    data = snapshot.get("data") if isinstance(snapshot, dict) else None
    # the length first: a big snapshot read anew from the database is not hashed for nothing
    setup = _SETUP_CLUSTERS.get(data) if isinstance(data, str) and len(data) <= _setup_longest() else None
    if setup is not None:
        return setup.copy()
    return _cluster_class().restore(snapshot)


# A new sandbox starts from its lesson's set-up, which is deterministic (one seed): run once per
# version of the lesson (its set-up and files) and kept, instead of once per new learner (the
# set-up of `deployment-basics` costs ~5 ms of CPU, on the path of every new learner's first page).
_PREPARED: dict[tuple, tuple[dict, float]] = {}
_SETUP_CLUSTERS: dict[str, object] = {}  # a set-up's snapshot data -> its cluster, never run itself
MAX_PREPARED = 64  # lessons × versions; a catalogue reload adds versions, so the dict is bounded


def _setup_longest() -> int:
    return max(map(len, _SETUP_CLUSTERS), default=-1)


def prepared(lesson: Lesson) -> tuple[dict, float]:
    """(snapshot, since) of a fresh sandbox of `lesson` (see prepare_cluster)."""
    key = (lesson.slug, tuple(lesson.setup), tuple(sorted(lesson.files.items())))
    found = _PREPARED.get(key)
    if found is None:
        cluster, since = prepare_cluster(lesson)
        found = (cluster.snapshot(), since)
        if len(_PREPARED) >= MAX_PREPARED:
            _PREPARED.clear()
            _SETUP_CLUSTERS.clear()
        _PREPARED[key] = found
        _SETUP_CLUSTERS[found[0]["data"]] = cluster
    return dict(found[0]), found[1]


def sandbox_get_or_create(*, owner: str, user, lesson: Lesson) -> Sandbox:
    sandbox = Sandbox.objects.filter(owner=owner, lesson_slug=lesson.slug).first()
    if sandbox is not None:
        return sandbox
    snapshot, since = prepared(lesson)
    try:
        with transaction.atomic():
            return Sandbox.objects.create(
                owner=owner,
                user=user if getattr(user, "is_authenticated", False) else None,
                lesson_slug=lesson.slug,
                snapshot=snapshot,
                exercise_since=exercise_starts(lesson, since),
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


def sandbox_save(sandbox: Sandbox, *, snapshot: dict, transcript: list | None, history: list | None,
                 speed: float, paused: bool, terminals: dict | None = None) -> None:
    """transcript/history/terminals None: unchanged since the last save, not written again (a clock
    save while a rollout runs would otherwise re-encode up to 200 KB of transcript)."""
    fields = save_fields(snapshot=snapshot, transcript=transcript, history=history, speed=speed, paused=paused,
                         terminals=terminals)
    # An UPDATE rather than save(): never resurrect a sandbox deleted meanwhile.
    if connection.vendor == "sqlite":
        _update_sqlite(sandbox.pk, fields)
    else:
        Sandbox.objects.filter(pk=sandbox.pk).update(**fields)
    apply_fields(sandbox, fields)


def json_text(value) -> str:
    """A JSON column's text, by orjson: the same values json.dumps writes (what Django's JSONField
    uses), ten times faster; what orjson cannot write (an integer beyond 64 bits, a key that is
    no string) goes through the standard library."""
    if orjson is not None:
        try:
            return orjson.dumps(value).decode()
        except TypeError:
            pass
    return json.dumps(value)


def sqlite_update(pk: int, fields: dict, placeholder: str = "%s") -> tuple[str, list]:
    """The ORM's UPDATE of a save as one statement and its parameters, with the JSON columns' text
    from json_text. On SQLite the ORM's json.dumps of a long transcript, at every command, was most
    of the save's CPU (≈1 ms of a database thread per command, 150 commands into a lesson;
    bench/profile_commands.py). `placeholder`: "?" for the sqlite3 module itself (sqlite_loop.py)."""
    meta = Sandbox._meta
    ops = connection.ops  # quoting and value adaptation only: no database call
    columns, values = [], []
    for name, value in fields.items():
        field = meta.get_field(name)
        columns.append(ops.quote_name(field.column))
        values.append(json_text(value) if isinstance(field, models.JSONField)
                      else field.get_db_prep_save(value, connection))
    assignments = ", ".join(f"{column} = {placeholder}" for column in columns)
    return (f"UPDATE {ops.quote_name(meta.db_table)} SET {assignments} "
            f"WHERE {ops.quote_name(meta.pk.column)} = {placeholder}", [*values, pk])


def _update_sqlite(pk: int, fields: dict) -> None:
    sql, params = sqlite_update(pk, fields)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def save_fields(*, snapshot: dict, transcript: list | None, history: list | None, speed: float,
                paused: bool, terminals: dict | None = None) -> dict:
    """The columns a save writes (also tutorial/sandbox/persistence/pg_async.py's)."""
    fields = {"snapshot": snapshot, "speed": speed, "paused": paused, "saved_at": timezone.now()}
    if transcript is not None:
        fields["transcript"] = transcript
    if history is not None:
        fields["history"] = history
    if terminals is not None:
        fields["terminals"] = terminals
    return fields


def apply_fields(sandbox: Sandbox, fields: dict) -> None:
    """The instance follows its row once the save is written."""
    for name, value in fields.items():
        setattr(sandbox, name, value)


def sandbox_reset(sandbox: Sandbox, lesson: Lesson) -> Sandbox:
    """A fresh cluster for the lesson; the command history (↑/↓) is kept, the transcript cleared.
    The exercises start again after the set-up (progress already earned is kept)."""
    snapshot, since = prepared(lesson)
    forget_checks(owner=sandbox.owner, lesson_slug=sandbox.lesson_slug)  # nothing judged on the fresh cluster
    sandbox.exercise_since = exercise_starts(lesson, since)
    Sandbox.objects.filter(pk=sandbox.pk).update(exercise_since=sandbox.exercise_since)
    sandbox_save(
        sandbox,
        snapshot=snapshot,
        transcript=[],
        history=sandbox.history,
        speed=sandbox.speed,
        paused=False,
        terminals={key: {"transcript": [], "history": (data or {}).get("history") or []}
                   for key, data in (sandbox.terminals or {}).items()},
    )
    return sandbox


def sandbox_exercise_since(sandbox: Sandbox, lesson: Lesson) -> dict[str, float]:
    """The sandbox's exercise start times, filling in exercises it does not know yet (a sandbox made
    before the lesson had them, or before starts were stored): set-up is deterministic, so the
    start is when a fresh set-up ends."""
    since = dict(sandbox.exercise_since or {})
    missing = [e.id for e in lesson.exercises if e.id not in since]
    if missing:
        start = prepared(lesson)[1]
        since.update({exercise_id: start for exercise_id in missing})
        sandbox.exercise_since = since
        Sandbox.objects.filter(pk=sandbox.pk).update(exercise_since=since)
    return since
