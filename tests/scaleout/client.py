"""A learner's browser, reduced to what the console needs: the session cookie from the lesson
page, then the console WebSocket sending JSON and receiving HTML fragments."""

from __future__ import annotations

import asyncio
import html
import json
import re
import urllib.request
from http.cookiejar import CookieJar

import websockets

TAG = re.compile(r"<[^>]+>")


def session_cookie(http_base: str, lang: str, slug: str) -> str:
    """GET the lesson page (which gives an anonymous learner their id) and return the Cookie header."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{http_base}/{lang}/lessons/{slug}/", timeout=10) as reply:
        assert reply.status == 200
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def text_of(fragment: str) -> str:
    return html.unescape(TAG.sub("", fragment))


class Console:
    def __init__(self, ws):
        self.ws = ws
        self.received: list[str] = []
        self.closed_code: int | None = None

    @classmethod
    async def open(cls, ws_base: str, http_base: str, cookie: str, lang: str, slug: str) -> "Console":
        ws = await websockets.connect(f"{ws_base}/ws/sandbox/{lang}/{slug}/", open_timeout=15,
                                      additional_headers={"Cookie": cookie, "Origin": http_base},
                                      max_size=2**24)
        return cls(ws)

    async def send(self, message: dict) -> None:
        await self.ws.send(json.dumps(message))

    async def command(self, line: str) -> None:
        await self.send({"command": line})

    def text(self) -> str:
        return text_of("".join(self.received))

    async def wait_for(self, pattern: str, timeout: float = 15.0, since: int = 0) -> re.Match:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            match = re.search(pattern, text_of("".join(self.received[since:])))
            if match:
                return match
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"{pattern!r} not seen; got: {self.text()[-1500:]}")
            try:
                self.received.append(await asyncio.wait_for(self.ws.recv(), remaining))
            except websockets.ConnectionClosed as closed:
                self.closed_code = closed.rcvd.code if closed.rcvd else None
                match = re.search(pattern, text_of("".join(self.received[since:])))
                if match:
                    return match
                raise AssertionError(f"closed ({self.closed_code}) before {pattern!r}: {self.text()[-1500:]}")

    async def wait_closed(self, timeout: float = 15.0) -> int | None:
        try:
            while True:
                self.received.append(await asyncio.wait_for(self.ws.recv(), timeout))
        except websockets.ConnectionClosed as closed:
            self.closed_code = closed.rcvd.code if closed.rcvd else None
        return self.closed_code

    def clock(self) -> int:
        """The last simulated time shown (seconds)."""
        found = re.findall(r'id="sim-clock"[^>]*>([\d:]+)<', "".join(self.received))
        assert found, "no clock shown yet"
        seconds = 0
        for part in found[-1].split(":"):
            seconds = seconds * 60 + int(part)
        return seconds

    async def close(self) -> None:
        await self.ws.close()
