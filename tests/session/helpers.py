"""A fake client and a session opened on a test lesson, without Channels."""

from __future__ import annotations

import html
import re

from channels.db import database_sync_to_async

from tutorial.curriculum.catalogue import get_catalogue
from tutorial.sandbox.persistence.sandboxes import sandbox_exercise_since, sandbox_get_or_create
from tutorial.sandbox.session.hub import Hub
from tutorial.sandbox.session.messages import from_dict


class FakeClient:
    """Collects the frames a session renders for it."""

    def __init__(self, language: str = "en", *, read_only: bool = False):
        self.language = language
        self.read_only = read_only
        self.frames: list[str] = []
        self.ended: tuple[int, str | None] | None = None

    async def deliver(self, text: str) -> None:
        self.frames.append(text)

    async def end(self, code: int, text: str | None) -> None:
        self.ended = (code, text)

    def output(self, terminal: str = "1") -> str:
        """The terminal's text as a learner reads it: full renders restart it, appends extend it."""
        suffix = "" if terminal == "1" else f"-{terminal}"
        text = ""
        for frame in self.frames:
            for match in re.finditer(rf'(<pre id="console-output{re.escape(suffix)}"[^>]*>)(.*?)</pre>', frame, re.S):
                body = html.unescape(re.sub(r"<[^>]+>", "", match.group(2)))
                text = text + body if 'hx-swap-oob="beforeend"' in match.group(1) else body
        return text

    def views(self) -> list[str]:
        return [m for frame in self.frames for m in re.findall(r'<section id="cluster-view".*?</section>', frame, re.S)]


def message(**fields):
    return from_dict(fields)


@database_sync_to_async
def _sandbox(owner: str, slug: str):
    lesson = get_catalogue().get(slug)
    sandbox = sandbox_get_or_create(owner=owner, user=None, lesson=lesson)
    sandbox.exercise_since = sandbox_exercise_since(sandbox, lesson)
    return sandbox, lesson


async def open_session(hub: Hub, client: FakeClient, *, owner: str = "anon:session-test",
                       slug: str = "first-deployment"):
    sandbox, lesson = await _sandbox(owner, slug)
    return await hub.attach(sandbox, lesson, client.language, client, owner=owner)


async def settle(session, seconds: float) -> None:
    """Let simulated time pass now (as the +10 s button does), under the session's lock."""
    async with session.lock, session.outbox.batched():
        session.live.traffic.advance(session.cluster, seconds)
        await session.tick(float("inf"))
