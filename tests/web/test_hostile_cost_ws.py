"""Two learners on one process: while learner A sends command after command whose cost A controls,
learner B's console keeps answering (issue 13, "No command can stall the process").

Only the WebSocket contract is used (URL /ws/sandbox/<lang>/<slug>/, {"command": ...}, HTML
fragments back), so the test holds whatever the consumer looks like inside. The check is ordering,
not time: every hostile command is bounded (simulator/safe_regex.py, simulator/cpu_budget.py), so
A's commands return one by one and B's command, sent after all of A's, is answered while A still
has several waiting; without the bounds A's first command alone held the event loop for seconds.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.web.test_console import new_session, open_console

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

A40 = "a" * 40 + "!"
# The three commands of the issue (now linear-time), then backreferences, which the bounded
# backtracking engine gives up on after its budget.
CHEAP_NOW = [
    "echo aaaaaaaaaaaaaaaaaaaaaaaaaaaa! | sed -E 's/^(a+)+$/x/'",
    "echo aaaaaaaaaaaaaaaaaaaaaaaaaaaa! | grep -c -E '^(a+)+$'",
    "echo aaaaaaaaaaaaaaaaaaaaaaaaaaaa! | sed 's/^\\(a*\\)*$/x/'",
]
COSTLY = [
    f"echo {A40} | sed -E 's/^(a|a)*\\1$/x/'",
    f"echo {A40} | grep -E '^(a|aa)*\\1$'",
    f"echo {A40} | sed '/^\\(a\\|a\\)*\\1$/d'",
    f"echo {A40} | grep -w '^\\(a\\|a\\)*\\1$'",
    f"echo {A40} | sed -E 's/^(a|a)*\\1$/x/'",
    f"echo {A40} | grep -E '^(a|aa)*\\1$'",
]
TOO_COSTLY = "regular expression too costly"


async def poll(consoles: dict, until, timeout: float = 60.0) -> None:
    """Receive from every console in turn until `until()` holds (a generous liveness timeout, not
    a measured threshold)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not until():
        assert loop.time() < deadline, {name: con.output_text()[-500:] for name, con in consoles.items()}
        for con in consoles.values():
            message = await con.next_message(0.02)
            if message is not None:
                con.received.append(message)


async def test_a_second_console_answers_while_the_first_sends_hostile_commands(lesson_root):
    a, connected_a, _ = await open_console(await new_session("learner-a"))
    b, connected_b, _ = await open_console(await new_session("learner-b"))
    assert connected_a and connected_b
    await a.drain(0.3)
    await b.drain(0.3)
    consoles = {"a": a, "b": b}
    try:
        for line in CHEAP_NOW + COSTLY:
            await a.command(line)
        await b.command("echo b-still-answers")

        await poll(consoles, lambda: "b-still-answers\n" in b.output_text())
        # B was answered while A still had commands to go: A's last ones had not come back yet.
        assert a.output_text().count(TOO_COSTLY) < len(COSTLY)

        await poll(consoles, lambda: a.output_text().count(TOO_COSTLY) == len(COSTLY))
        text = a.output_text()
        assert text.count("aaaaaaaaaaaaaaaaaaaaaaaaaaaa!\n") == 2  # the sed commands printed their line
        assert "\n0\n" in text                                      # grep -c found no match
        for prog in ("sed", "grep"):
            assert f"{prog}: {TOO_COSTLY}: matching used more than 200 ms of CPU" in text

        # both sandboxes still work
        await a.command("kubectl create -f kubia-deployment.yaml")
        await b.command("kubectl get deployments")
        await poll(consoles, lambda: "deployment.apps/kubia created" in a.output_text()
                   and "No resources found in default namespace." in b.output_text())
    finally:
        await a.communicator.disconnect()
        await b.communicator.disconnect()
