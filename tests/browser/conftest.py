"""Browser tests: the real ASGI app under uvicorn in a thread, driven by Debian's Chromium.

Set-up from STACK-NOTES.md: pytest-django's live_server is WSGI only (no WebSockets), so the app
runs in-process (it sees the test database); Playwright uses /usr/bin/chromium.
"""

from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.web.conftest import lesson_root, plain_static_storage  # noqa: F401  (Django set-up + fixtures)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": ["--disable-dev-shm-usage", "--no-sandbox"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1440, "height": 900}, "locale": "ko-KR"}


@pytest.fixture(autouse=True, scope="session")
def allow_orm_beside_playwright():
    # Playwright's sync API keeps an event loop in this thread; Django would refuse the test
    # database's ORM calls. Session scope so it is set before pytest-django's db fixtures; the
    # browser tests run last (tests/conftest.py), so the async web tests keep the check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@contextmanager
def serve_site():
    """The real ASGI application on a free port, in a thread of this process."""
    import uvicorn
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from tutorial.asgi import application

    config = uvicorn.Config(ASGIStaticFilesHandler(application), host="127.0.0.1", port=0,
                            log_level="warning", lifespan="off", ws="websockets-sansio")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def live_url(transactional_db, lesson_root):  # noqa: F811
    """The site with the two sample lessons of tests/web/conftest.py."""
    with serve_site() as url:
        yield url


@pytest.fixture
def live_url_real_content(transactional_db):
    """The site with the real lessons of tutorial/content."""
    with serve_site() as url:
        yield url


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
