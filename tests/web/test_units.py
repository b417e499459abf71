"""Small pure pieces of the site: completion, rate limit, transcript bounds, clock catch-up."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from tutorial.sandbox.limits import TokenBucket
from tutorial.sandbox.panels.completion import apply_completion
from tutorial.sandbox.panels.fragments import format_clock
from tutorial.sandbox.persistence.sandboxes import catch_up_seconds
from tutorial.sandbox.session.terminals import (
    MAX_TRANSCRIPT_CHARS,
    MAX_TRANSCRIPT_ENTRIES,
    history_append,
    transcript_append,
)


def test_completion_of_the_last_word():
    assert apply_completion("kubectl roll", ["rollout"]) == ("kubectl rollout ", [])
    assert apply_completion("kubectl get deploy", ["deployment", "deployments"]) == (
        "kubectl get deployment", ["deployment", "deployments"])
    assert apply_completion("kubectl x", []) == ("kubectl x", [])


def test_completion_with_whole_line_candidates():
    assert apply_completion("kubectl rollout st", ["kubectl rollout status"]) == ("kubectl rollout status ", [])
    assert apply_completion("cat kubia-", ["cat kubia-v1.yaml", "cat kubia-v2.yaml"]) == (
        "cat kubia-v", ["cat kubia-v1.yaml", "cat kubia-v2.yaml"])


@given(st.text(max_size=30), st.lists(st.text(max_size=12), max_size=6))
def test_completion_never_loses_what_was_typed(text, candidates):
    value, listing = apply_completion(text, candidates)
    assert isinstance(value, str) and isinstance(listing, list)
    if not [c for c in candidates if c]:
        assert value == text


def test_token_bucket_allows_bursts_then_the_rate():
    bucket = TokenBucket(rate=20, capacity=20, now=0.0)
    assert all(bucket.take(0.0) for _ in range(20))
    assert not bucket.take(0.0)
    assert bucket.take(0.05)  # one token back after 1/20 s
    assert not bucket.take(0.05)
    assert sum(bucket.take(10.0) for _ in range(100)) == 20  # never more than the capacity


def test_transcript_merges_output_and_stays_bounded():
    transcript: list = []
    transcript_append(transcript, "input", "kubectl get pods -w")
    transcript_append(transcript, "output", "NAME  READY\n")
    transcript_append(transcript, "output", "kubia  1/1\n")
    assert transcript == [{"kind": "input", "text": "kubectl get pods -w"},
                          {"kind": "output", "text": "NAME  READY\nkubia  1/1\n"}]
    for index in range(MAX_TRANSCRIPT_ENTRIES * 2):
        transcript_append(transcript, "input" if index % 2 else "info", "x" * 1000)
    assert len(transcript) <= MAX_TRANSCRIPT_ENTRIES
    assert sum(len(e["text"]) for e in transcript) <= MAX_TRANSCRIPT_CHARS


def test_history_skips_repeats():
    history: list = []
    for command in ["a", "a", "b", "a"]:
        history_append(history, command)
    assert history == ["a", "b", "a"]


def test_catch_up_is_scaled_and_capped():
    saved = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert catch_up_seconds(saved_at=saved, now=saved + timedelta(seconds=30), speed=1, paused=False) == 30
    assert catch_up_seconds(saved_at=saved, now=saved + timedelta(seconds=30), speed=5, paused=False) == 150
    assert catch_up_seconds(saved_at=saved, now=saved + timedelta(hours=3), speed=1, paused=False) == 600
    assert catch_up_seconds(saved_at=saved, now=saved + timedelta(hours=3), speed=1, paused=True) == 0
    assert catch_up_seconds(saved_at=saved, now=saved - timedelta(seconds=5), speed=1, paused=False) == 0


def test_clock_format():
    assert format_clock(0) == "0:00"
    assert format_clock(75.9) == "1:15"
    assert format_clock(3725) == "1:02:05"


def test_a_new_sandbox_starts_from_its_lessons_set_up_run_once_per_version(lesson_root):
    """persistence/sandboxes.prepared: the same snapshot as running the set-up anew (it is
    deterministic), and a changed set-up is run again."""
    import dataclasses

    from tutorial.curriculum.catalogue import get_catalogue
    from tutorial.sandbox.persistence.sandboxes import prepare_cluster, prepared

    lesson = get_catalogue().get("first-deployment")
    fresh, since = prepare_cluster(lesson)
    snapshot, kept_since = prepared(lesson)
    assert (snapshot, kept_since) == (fresh.snapshot(), since)
    assert prepared(lesson)[0] == snapshot and prepared(lesson)[0] is not snapshot  # a copy each time
    changed = dataclasses.replace(lesson, setup=(*lesson.setup, "kubectl create namespace extra"))
    other, _ = prepared(changed)
    assert other != snapshot and "extra" in [n["metadata"]["name"] for n in
                                             prepare_cluster(changed)[0].list("Namespace")]


def test_a_new_sandbox_is_a_copy_of_its_lessons_set_up_sharing_its_objects(lesson_root):
    """restore_cluster of a sandbox still at its lesson's set-up copies the kept set-up cluster
    (Cluster.copy): its objects are the set-up's own, not decoded again; two learners' clusters
    go on independently; any other snapshot is restored from its JSON."""
    from tutorial.curriculum.catalogue import get_catalogue
    from tutorial.sandbox.persistence.sandboxes import prepared, restore_cluster

    lesson = get_catalogue().get("first-deployment")
    snapshot, _since = prepared(lesson)
    loaded = {**snapshot, "data": "".join(list(snapshot["data"]))}  # as read back from the database
    one, two = restore_cluster(loaded), restore_cluster(loaded)
    assert one.snapshot() == two.snapshot() == snapshot
    stored = [list(cluster._eng.store.all_objects()) for cluster in (one, two)]  # list() gives copies
    assert stored[0] and all(a is b for a, b in zip(*stored))
    one.run("kubectl create namespace mine")
    assert "mine" not in [n["metadata"]["name"] for n in two.list("Namespace")]
    later = one.snapshot()
    again = restore_cluster(later)
    assert again.snapshot() == later
    assert not any(a is b for a, b in zip(again._eng.store.all_objects(), one._eng.store.all_objects()))


@given(st.lists(st.tuples(st.sampled_from(["input", "output", "info", "clear"]),
                          st.text(max_size=3000)), max_size=300))
def test_a_terminal_counts_its_transcript_as_it_goes(steps):
    """Terminal keeps the transcript's character count instead of adding it up per line: the
    same bounds, and the count always what a sum would give."""
    from tutorial.sandbox.session.terminals import Terminal

    terminal, reference = Terminal("1"), []
    for kind, text in steps:
        if kind == "clear":
            terminal.clear()
            reference = []
            continue
        terminal.note(kind, text)
        transcript_append(reference, kind, text)
    assert terminal.transcript == reference
    assert terminal.chars in (None, sum(len(e["text"]) for e in terminal.transcript))
    assert len(terminal.transcript) <= MAX_TRANSCRIPT_ENTRIES


def test_a_console_pool_whose_statements_end_while_a_caller_waits_is_busy_not_stuck():
    """pg_async.ConsolePool.judge: under a lagging event loop a timed-out wait can find no
    connection available and none in use (each handed to a waiter whose task has not run yet).
    When statements of the pool ended during that wait, it works: BUSY, with no health check and
    no replacement; without such progress it is looked at as before (the health check)."""
    import asyncio

    from tutorial.sandbox.persistence import pg_async

    class HandedOut:  # every connection handed to a waiter: none available, none in use
        max_size = 3

        def get_stats(self):
            return {"pool_available": 0, "pool_size": 3}

    async def scenario():
        pool = pg_async.ConsolePool(HandedOut())
        loop = asyncio.get_running_loop()
        waited_since = loop.time()
        pool.succeeded_at = loop.time()  # a statement ended after the wait began
        assert await pool.judge(waited_since) == pg_async.BUSY
        assert pool.probing is None and pool.verdict is None
        pool.succeeded_at = waited_since - 1  # nothing ended during the wait: the health check
        probed = []

        async def no_answer():
            probed.append(1)
            return False

        original, pg_async._postgres_answers = pg_async._postgres_answers, no_answer
        try:
            pool.replace = lambda: asyncio.sleep(0)
            assert await pool.judge(waited_since) == pg_async.UNREACHABLE and probed
        finally:
            pg_async._postgres_answers = original

    asyncio.run(scenario())
