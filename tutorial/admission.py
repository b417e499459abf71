"""Admission control: a process serves at most CONSOLE_CAPACITY live consoles, then refuses new
learners cleanly instead of slowing everyone down.

Past its capacity a process answered every console late (p95 of seconds) and daphne dropped
WebSocket handshakes whose consumer had not accepted within its connect timeout. Here, in front of
the routes:

- the console socket (/ws/sandbox/...) of a learner beyond the capacity is accepted only to show a
  translated "server is full" line in the console, then closed with CLOSE_FULL: a 4xxx code, so
  htmx does not reconnect in a loop (it retries only 1006/1011/1012/1013, and an accepted socket
  resets its back-off). Nothing of the learner's sandbox is touched: it is not even loaded.
- the lesson page answers 503 with a friendly translated page and Retry-After, so a load balancer
  can try another process and a learner is told before typing anything.

Live consoles are counted here, per process (the event loop is single-threaded: the count is
exact), and so is a sandbox opened for the learner's own kubectl alone (tutorial/kubeapi/live.py:
kubectl then gets a 503 Status saying the server is full). Class dashboards and other sockets are
not counted and never refused.
"""

from __future__ import annotations

import asyncio
import re

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

CONSOLE_PATH = re.compile(r"^/ws/sandbox/(?P<lang>[a-z]{2})/")
LESSON_PAGE = re.compile(r"^/(?P<lang>[a-z]{2})/lessons/[-a-zA-Z0-9_]+/$")
CLOSE_FULL = 4013  # "try again later" (1013) in the application's range: no automatic reconnect
RETRY_AFTER_SECONDS = 60
# A refused client that never completes the close handshake is dropped after this long.
REFUSAL_TIMEOUT_SECONDS = 10.0


class Occupancy:
    """Live console sockets of this process against settings.CONSOLE_CAPACITY (0: no limit)."""

    def __init__(self) -> None:
        self.live = 0
        self.refused = 0

    @property
    def capacity(self) -> int:
        return settings.CONSOLE_CAPACITY

    def full(self) -> bool:
        return 0 < self.capacity <= self.live


OCCUPANCY = Occupancy()


def _language(code: str) -> str:
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def full_message(language: str) -> str:
    with translation.override(_language(language)):
        return _("The server is full right now, so no new console can start. Your work is saved: "
                 "reload this page in a few minutes to try again.")


class ConsoleAdmission:
    """WebSocket middleware: counts live consoles, refuses one past the capacity."""

    def __init__(self, application, occupancy: Occupancy = OCCUPANCY):
        self.application = application
        self.occupancy = occupancy

    async def __call__(self, scope, receive, send):
        match = CONSOLE_PATH.match(scope.get("path", "")) if scope["type"] == "websocket" else None
        if match is None:
            return await self.application(scope, receive, send)
        if self.occupancy.full():
            self.occupancy.refused += 1
            return await refuse_console(match["lang"], receive, send)
        # Counted before the first await: concurrent handshakes cannot overshoot the capacity.
        self.occupancy.live += 1
        try:
            return await self.application(scope, receive, send)
        finally:
            self.occupancy.live -= 1


async def refuse_console(language: str, receive, send) -> None:
    """Accept, show the message where console output goes (same fragment as the console's own
    error lines: #console-output, appended), close with CLOSE_FULL."""
    with translation.override(_language(language)):
        fragment = render_to_string("sandbox/_console_output.html", {
            "append": True, "entries": [{"kind": "error", "text": full_message(language) + "\n"}]})
    try:
        async with asyncio.timeout(REFUSAL_TIMEOUT_SECONDS):
            while True:
                message = await receive()
                if message["type"] == "websocket.connect":
                    await send({"type": "websocket.accept"})
                    await send({"type": "websocket.send", "text": fragment})
                    await send({"type": "websocket.close", "code": CLOSE_FULL})
                elif message["type"] == "websocket.disconnect":
                    return
    except TimeoutError:
        return


class LessonPageAdmission:
    """HTTP middleware: while the process is full, the lesson page (which would start a console)
    answers 503 with a translated page. Every other page is served as usual."""

    def __init__(self, application, occupancy: Occupancy = OCCUPANCY):
        self.application = application
        self.occupancy = occupancy

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope.get("method") in ("GET", "HEAD") and self.occupancy.full():
            match = LESSON_PAGE.match(scope.get("path", ""))
            if match and match["lang"] in dict(settings.LANGUAGES):
                self.occupancy.refused += 1
                return await self._full_page(match["lang"], scope, send)
        return await self.application(scope, receive, send)

    async def _full_page(self, language: str, scope, send) -> None:
        with translation.override(language):
            body = render_to_string("server_full.html", {
                "language": language, "message": full_message(language), "title": _("The server is full")})
        encoded = body.encode("utf-8")
        await send({"type": "http.response.start", "status": 503, "headers": [
            (b"content-type", b"text/html; charset=utf-8"),
            (b"content-length", str(len(encoded)).encode()),
            (b"retry-after", str(RETRY_AFTER_SECONDS).encode()),
            (b"cache-control", b"no-store"),
            (b"content-language", language.encode()),
        ]})
        await send({"type": "http.response.body", "body": b"" if scope.get("method") == "HEAD" else encoded})
