"""persistence/sandboxes.sandbox_save: on SQLite one UPDATE with the JSON columns' text written by
orjson (json_text) instead of the ORM's json.dumps; what is read back is what was saved."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from tutorial.sandbox.models import Sandbox
from tutorial.sandbox.persistence.sandboxes import json_text, sandbox_save

pytestmark = pytest.mark.django_db


def test_a_save_reads_back_as_saved_and_leaves_what_it_was_not_given():
    sandbox = Sandbox.objects.create(owner="anon:save", lesson_slug="first-deployment", snapshot={"format": 0},
                                     transcript=[{"kind": "info", "text": "kept"}], history=["kept"],
                                     saved_at=timezone.now())
    other = Sandbox.objects.create(owner="anon:other", lesson_slug="first-deployment", snapshot={"format": 0},
                                   saved_at=timezone.now())
    transcript = [{"kind": "input", "text": "echo 안녕하세요 \u00a0é"}, {"kind": "output", "text": "a\tb\n\"q\"\\"}]
    snapshot = {"format": 1, "now": 12.5, "data": "eJx=", "big": 2 ** 70, "nested": {"list": [1, 2.5, None, True]}}
    sandbox_save(sandbox, snapshot=snapshot, transcript=transcript, history=None, speed=5.0, paused=True,
                 terminals={"2": {"transcript": [], "history": ["kubectl get pods"]}})
    row = Sandbox.objects.get(pk=sandbox.pk)
    assert row.snapshot == snapshot and row.transcript == transcript
    assert row.history == ["kept"]  # None: not written
    assert row.terminals == {"2": {"transcript": [], "history": ["kubectl get pods"]}}
    assert (row.speed, row.paused) == (5.0, True)
    assert abs((row.saved_at - timezone.now()).total_seconds()) < 60
    assert (sandbox.snapshot, sandbox.speed) == (snapshot, 5.0)  # the instance follows its row
    assert Sandbox.objects.get(pk=other.pk).snapshot == {"format": 0}  # only its own row


def test_json_text_writes_what_the_standard_library_reads():
    import json

    for value in ({"a": [1, "é", None]}, [2 ** 70], {"k": 1.5e300}, "x", {1: "non-string key"}):
        assert json.loads(json_text(value)) == json.loads(json.dumps(value))
    assert connection.vendor in ("sqlite", "postgresql")
