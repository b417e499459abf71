"""Idle sockets survive on the real Redis channel layer.

redis-py 8 gives every connection a 5 s socket_timeout by default, and channels-redis blocks on
BZPOPMIN for 5 s (its brpop_timeout) when it waits for a message: the read timed out first, the
channel layer raised, the dashboard consumer died with 1011 after ~6 s idle and consoles flashed
"Live messages between servers work again" every ~5.5 s (django/channels_redis issue 422).
tutorial/settings.py now sets the timeouts explicitly; this holds both kinds of socket idle for
30 s against a real daphne process and then checks they still answer.
"""

from __future__ import annotations

import asyncio
import json
import subprocess

import websockets

from tests.scaleout import services
from tests.scaleout.client import Console, session_cookie

SLUG = "first-deployment"
IDLE_SECONDS = 30

# Run inside the server's own environment (same database): an instructor, a class they teach and
# a logged-in session for them. Prints {"pk": ..., "session": ...}.
MAKE_INSTRUCTOR = """
import json
from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from tutorial.accounts.roles import set_instructor
from tutorial.classroom.services import create_classroom
User = get_user_model()
teacher, _ = User.objects.get_or_create(username="idle-teacher", defaults={"email": "t@example.com"})
teacher.set_password("x-unused-123"); teacher.save()
set_instructor(teacher)
classroom = create_classroom(owner=teacher, name="Idle", language="en", lessons=["first-deployment"])
session = SessionStore()
session[SESSION_KEY] = str(teacher.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = teacher.get_session_auth_hash()
session.create()
print(json.dumps({"pk": classroom.pk, "session": session.session_key}))
"""


def make_instructor(env: dict) -> dict:
    result = subprocess.run([services.python(), "manage.py", "shell", "-c", MAKE_INSTRUCTOR], cwd=services.ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_idle_dashboard_and_console_stay_connected_for_30_seconds(scaleout_env, tmp_path):
    server = services.Server(dict(scaleout_env)).start(tmp_path)
    try:
        instructor = make_instructor(scaleout_env)

        async def scenario():
            dashboard = await websockets.connect(
                f"{server.ws}/ws/classes/en/{instructor['pk']}/", open_timeout=15,
                additional_headers={"Cookie": f"sessionid={instructor['session']}", "Origin": server.http})
            first = await asyncio.wait_for(dashboard.recv(), 15)
            assert "Idle" in first or "id=" in first  # the grid and summary, rendered for the instructor

            cookie = session_cookie(server.http, "en", SLUG)
            console = await Console.open(server.ws, server.http, cookie, "en", SLUG)
            await console.wait_for(r"\S")  # the full state
            mark = len(console.received)

            # Idle: neither socket sends anything. A dashboard that dies shows up as a close here.
            dashboard_messages: list[str] = []
            loop = asyncio.get_running_loop()
            deadline = loop.time() + IDLE_SECONDS
            while (remaining := deadline - loop.time()) > 0:
                try:
                    dashboard_messages.append(await asyncio.wait_for(dashboard.recv(), remaining))
                except asyncio.TimeoutError:
                    break
                except websockets.ConnectionClosed as closed:
                    raise AssertionError(f"the idle dashboard was closed: {closed}") from None

            # The console stayed connected and never lost, then regained, the channel layer.
            await console.command("kubectl get deployments")
            await console.wait_for("No resources found", since=mark)
            idle_text = console.text()
            assert "work again" not in idle_text, idle_text[-1500:]
            assert console.closed_code is None
            # The dashboard still answers: the socket is open (a ping round trip through daphne).
            pong = await dashboard.ping()
            await asyncio.wait_for(pong, 10)
            await console.close()
            await dashboard.close()

        asyncio.run(scenario())
        log = server.log.read_text(errors="replace")
        assert "TimeoutError" not in log and "Traceback" not in log, log[-3000:]
    finally:
        server.stop()
