"""Rollout Lab settings. Everything that differs between machines comes from the environment.

DJANGO_SECRET_KEY     required in production; a fixed insecure key is used when unset
DJANGO_DEBUG          "1"/"true"/"yes"/"on" turns debug on (default off)
DJANGO_ALLOWED_HOSTS  comma-separated host names (default 127.0.0.1,localhost)
DJANGO_CSRF_TRUSTED_ORIGINS  comma-separated origins, e.g. https://lab.example.com
DJANGO_SECURE         "true" behind HTTPS: secure cookies, HSTS, SSL redirect (default: not DEBUG
                      and a secret key was given)
DATABASE_URL          e.g. postgres://user:pass@host/db (default SQLite file db.sqlite3 here)
REDIS_URL             e.g. redis://localhost:6379/0 (unset: in-memory channel layer, one process)
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
_secret = os.environ.get("DJANGO_SECRET_KEY", "")
# An insecure fallback keeps `make run` a one-command start; `check --deploy` flags it.
SECRET_KEY = _secret or "django-insecure-rollout-lab-local-development-key-only"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "daphne",  # first: makes `runserver` serve the ASGI application
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "django_htmx",
    "tutorial.lessons",
    "tutorial.sandbox",
    "tutorial.progress",
    "tutorial.accounts",
    "tutorial.classroom",
    "tutorial.kubeapi",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "tutorial.urls"
ASGI_APPLICATION = "tutorial.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tutorial.context_processors.language_links",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # SQLite: persistent connections (a file open per thread is cheap; Channels closes
        # connections around each database call otherwise). PostgreSQL uses the pool below.
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# PostgreSQL connection budget per server process (README, Deployment):
#   DATABASE_POOL_SIZE            Django's pool, shared by every thread of the process: page views,
#                                 Channels' database_sync_to_async, the consoles' threads
#                                 (CONSOLE_DATABASE_THREADS, tutorial/sandbox/db.py)
# + CONSOLE_DATABASE_CONNECTIONS  the consoles' async pool for saves and lease renewals, used on
#                                 the event loop (tutorial/sandbox/persistence/pg_async.py)
# = 8 + 8 = 16 by default: six processes fit PostgreSQL's default max_connections of 100.
# Persistent connections (CONN_MAX_AGE > 0) kept one connection per thread, and under ASGI every
# concurrent request may run in a thread of its own: a ramp of learners used all 100.
DATABASE_POOL_SIZE = int(os.environ.get("DATABASE_POOL_SIZE", "8"))
# A thread waits this long for a pooled connection before the request fails: longer is an outage
# (as pg_async's CONNECTION_TIMEOUT_SECONDS), and /healthz and the console must say so promptly.
DATABASE_POOL_TIMEOUT = float(os.environ.get("DATABASE_POOL_TIMEOUT", "3"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django refuses a pool with persistent connections; CONN_HEALTH_CHECKS (on) makes the pool
    # check each connection it hands out, so a restarted PostgreSQL costs no failed request.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(2, DATABASE_POOL_SIZE),
        "max_size": DATABASE_POOL_SIZE,
        "timeout": DATABASE_POOL_TIMEOUT,
        # psycopg_pool retries a lost connection with a doubling delay (1, 2, 4, 8 s...); after an
        # outage the pool could sit in that back-off while PostgreSQL is back (/healthz 503).
        # Giving an attempt up after 5 s lets the next request start a fresh one at once.
        "reconnect_timeout": 5.0,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        # Why SQLite broke down near 1,000 learners with the CPU idle: every console command saves
        # its sandbox, and in SQLite's default rollback-journal mode with synchronous=FULL each
        # commit waits for several fsyncs: ~150 commits/s on this machine, while 1,000 learners
        # send ~250 commands/s, so the writes queued without end. Write-ahead logging with
        # synchronous=NORMAL commits without an fsync (~9,000 commits/s measured); a power cut
        # may lose the last commits, never corrupt the file. Readers no longer wait for writers.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        # Take the write lock when a transaction starts: a deferred read-then-write transaction
        # fails with "database is locked" at once when another writer got in first.
        "transaction_mode": "IMMEDIATE",
        # Wait this long for the write lock (Python's default is 5 s) rather than fail a burst.
        "timeout": float(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# PostgreSQL connections for the consoles' saves and lease renewals, made on the event loop
# (tutorial/sandbox/persistence/pg_async.py), and threads for their rarer calls (tutorial/sandbox/persistence/db.py;
# they take their connections from DATABASE_POOL_SIZE).
CONSOLE_DATABASE_CONNECTIONS = int(os.environ.get("CONSOLE_DATABASE_CONNECTIONS", "8"))
CONSOLE_DATABASE_THREADS = int(os.environ.get("CONSOLE_DATABASE_THREADS", "2"))

# Live consoles one server process serves before it refuses new learners with a translated
# "server is full" (tutorial/admission.py; 0: no limit). README, Performance: one process keeps
# p95 < 50 ms up to about this many on this project's reference 2-core machine.
CONSOLE_CAPACITY = int(os.environ.get("CONSOLE_CAPACITY", "800"))
# Load the catalogue, compile templates and build a sandbox before accepting (tutorial/warmup.py).
WARM_UP = env_bool("DJANGO_WARM_UP", True)

REDIS_URL = os.environ.get("REDIS_URL", "")
REDIS_BLOCKING_SECONDS = 5  # channels_redis.core.RedisChannelLayer.brpop_timeout (4.3.0)
REDIS_SOCKET_TIMEOUT = max(float(os.environ.get("REDIS_SOCKET_TIMEOUT", "15")), REDIS_BLOCKING_SECONDS + 5)
REDIS_CONNECT_TIMEOUT = float(os.environ.get("REDIS_CONNECT_TIMEOUT", "3"))
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{
                "address": REDIS_URL,
                # channels-redis waits for a message with BZPOPMIN of REDIS_BLOCKING_SECONDS (its
                # brpop_timeout, 5 s); redis-py 8 reads with a 5 s socket_timeout by default, so an
                # idle read timed out first and killed idle sockets with 1011 (channels_redis
                # issue 422). The read timeout must outlast the blocking wait; it still bounds a
                # read from a Redis that stopped answering (a dead one resets the connection).
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_keepalive": True,
            }]},
        }
    }
else:
    # One process only: the in-memory layer does not deliver across processes.
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Accounts (tutorial/accounts): Django's auth views; password-reset mail goes to the console
# unless DJANGO_EMAIL_BACKEND names a real backend (its EMAIL_* settings then come from Django).
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "lessons:index"
LOGOUT_REDIRECT_URL = "lessons:index"
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Rollout Lab <noreply@localhost>")

# i18n: every URL is prefixed (/ko/..., /en/...), Korean is the default.
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Seoul"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LESSON_CONTENT_DIR = Path(os.environ.get("LESSON_CONTENT_DIR", BASE_DIR / "tutorial" / "content"))

# Security for HTTPS deployments (`manage.py check --deploy` is clean with these on).
SECURE = env_bool("DJANGO_SECURE", not DEBUG and bool(_secret))
if SECURE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# The learner's own kubectl (tutorial/kubeapi, README "Your own kubectl"): the API is served under
# /<KUBEAPI_PREFIX>/<sandbox id>/; KUBEAPI_PUBLIC_URL is the https origin learners reach (set it
# behind a TLS proxy); empty: https://<the page's host name>:<KUBEAPI_TLS_PORT> (`make run`'s
# self-signed endpoint, whose certificate KUBEAPI_TLS_DIR holds and the kubeconfig embeds).
KUBEAPI_PREFIX = os.environ.get("KUBEAPI_PREFIX", "k8s").strip("/") or "k8s"
KUBEAPI_PUBLIC_URL = os.environ.get("KUBEAPI_PUBLIC_URL", "").rstrip("/")
KUBEAPI_TLS_PORT = int(os.environ.get("KUBEAPI_TLS_PORT", "8443"))
KUBEAPI_TLS_DIR = Path(os.environ.get("KUBEAPI_TLS_DIR", BASE_DIR / "var" / "tls"))
