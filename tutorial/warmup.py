"""Warm a server process up before it accepts connections, so that its first learner is not slow.

The first learner after a process start waited 244–255 ms (bench/load.py) for what later ones get
in about 30: loading the lesson catalogue (YAML and Markdown of every lesson), compiling the
templates, importing the simulator's kubectl modules and the Redis client on first use, loading
the translation catalogues, opening PostgreSQL connections. daphne implements no ASGI lifespan
protocol, but it imports the application before it listens: tutorial/asgi.py calls warm_up() at
import, which does all of that without writing anything (on PostgreSQL it opens Django's pool;
no query is sent). A failure is logged, never raised: a cold process is slower, not broken.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.template.loader import render_to_string
from django.urls import resolve, reverse, translate_url
from django.utils import translation

logger = logging.getLogger(__name__)

POOL_OPEN_TIMEOUT_SECONDS = 3.0


def _compile_templates() -> int:
    """Every project template, through the engine's cached loader (what rendering uses)."""
    engine = engines["django"].engine
    count = 0
    for folder in engine.dirs:
        for path in sorted(Path(folder).rglob("*")):
            if path.suffix in (".html", ".txt") and path.is_file():
                engine.get_template(path.relative_to(folder).as_posix())
                count += 1
    return count


def _exercise_simulator(catalogue) -> int:
    """Each lesson's sandbox as a new learner gets it, then a command and a snapshot round trip:
    imports the simulator modules that load on first use and fills their caches."""
    from tutorial.sandbox.persistence.sandboxes import prepared, restore_cluster

    built = 0
    for lesson in catalogue.lessons:
        snapshot, _since = prepared(lesson)  # kept: new learners' sandboxes start from it
        built += 1
    if built:
        cluster = restore_cluster(snapshot)
        cluster.run("kubectl get all")
        restore_cluster(cluster.snapshot())
    return built


def warm_up() -> dict:
    """Returns what was warmed (logged too); never raises."""
    if not getattr(settings, "WARM_UP", True):
        return {}
    from tutorial.curriculum.catalogue import get_catalogue

    started = time.perf_counter()
    done: dict = {}
    steps = (
        ("catalogue", lambda: len(get_catalogue().lessons)),
        ("templates", _compile_templates),
        ("sandboxes", lambda: _exercise_simulator(get_catalogue())),
        ("urls and translations", _urls_and_translations),
        ("database pool", _open_database_pool),
        ("channel layer", _load_channel_layer),
    )
    for name, step in steps:
        try:
            done[name] = step()
        except Exception:  # a cold process still works, just slower for its first learner
            logger.exception("Warm-up step %r failed", name)
            done[name] = "failed"
    done["ms"] = round((time.perf_counter() - started) * 1000)
    logger.info("Warmed up before accepting connections: %s", done)
    return done


def _load_channel_layer() -> str:
    """The channel layer object, and with channels-redis the client modules its first message
    imports (redis.asyncio, msgpack: ~120 ms of imports inside the first console's connect). No
    connection is made: channels-redis binds its connections to the serving event loop."""
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if type(layer).__module__.startswith("channels_redis"):
        import msgpack  # noqa: F401
        import redis.asyncio  # noqa: F401
    return type(layer).__name__


def _open_database_pool() -> int:
    """PostgreSQL: open Django's connection pool now (its min_size connections, no query), so the
    first request does not wait for connections to be made. SQLite has no pool: nothing to do."""
    from django.db import connections

    pool = getattr(connections["default"], "pool", None)
    if pool is None:
        return 0
    pool.open(wait=True, timeout=POOL_OPEN_TIMEOUT_SECONDS)  # PostgreSQL down: logged, the pool keeps trying
    return pool.get_stats().get("pool_size", 0)


def _urls_and_translations() -> int:
    """The URL resolver fills its reverse tables per language on first use (the language links
    of every page reverse and translate URLs); the .mo catalogues load on first gettext."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):  # i18n_patterns resolve only the active language's prefix
            resolve(f"/{code}/lessons/")
            translation.gettext("Console")
            translate_url(reverse("lessons:lesson", args=["warm-up"]), code)
            render_to_string("sandbox/_console_output.html", {"entries": [{"kind": "info", "text": "-"}]})
    return len(settings.LANGUAGES)
