"""The process warms up before it accepts (tutorial/warmup.py): catalogue, templates, a sandbox of
every lesson, URL tables and translations, without the database, and never fails start-up."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template import engines

from tutorial import warmup
from tutorial.curriculum import catalogue


def test_warm_up_loads_everything_the_first_learner_needs_without_the_database():
    # No django_db mark: any database access would raise here, be logged and reported as failed.
    done = warmup.warm_up()
    lessons = len(catalogue.get_catalogue().lessons)
    assert done["catalogue"] == lessons and done["sandboxes"] == lessons and lessons > 0
    assert done["templates"] >= 20 and done["urls and translations"] == len(settings.LANGUAGES)
    assert "failed" not in done.values()
    assert done["database pool"] == 0  # SQLite here: no pool to open
    assert done["channel layer"] == "InMemoryChannelLayer"
    assert Path(settings.LESSON_CONTENT_DIR) in catalogue._cache
    loader = engines["django"].engine.template_loaders[0]
    assert "lessons/lesson.html" in getattr(loader, "get_template_cache", {})  # compiled, cached


def test_a_failing_step_is_logged_and_the_others_still_run(monkeypatch, caplog):
    def broken():
        raise OSError("templates folder unreadable")

    monkeypatch.setattr(warmup, "_compile_templates", broken)
    done = warmup.warm_up()
    assert done["templates"] == "failed"
    assert done["sandboxes"] > 0 and done["urls and translations"] == len(settings.LANGUAGES)
    assert "Warm-up step 'templates' failed" in caplog.text


def test_it_can_be_turned_off(settings):
    settings.WARM_UP = False
    assert warmup.warm_up() == {}
