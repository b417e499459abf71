"""Where a request of the learner's own kubectl runs: on the sandbox's session in this process
(live.py), or, when another live process hosts it, there (remote.py, over the channel layer).
`run_api_request` is KubeApiApp's callback (tutorial/asgi.py wires it)."""

from __future__ import annotations

from simulator.rest import Response
from tutorial.sandbox.persistence.db import console_db
from tutorial.sandbox.realtime.consumer import hosted_elsewhere

from .asgi import ApiRequest, status
from .live import attached, run_on_session, unavailable
from .remote import NO_ANSWER, ask_host


async def run_api_request(sandbox_id: str, request: ApiRequest) -> Response:
    """KubeApiApp's callback: `cluster.api(...)` on the sandbox's live session, wherever it is."""
    try:
        pk = int(sandbox_id)
    except (TypeError, ValueError):
        return Response(404, {"Content-Type": "application/json"}, status(404, "NotFound", "no such sandbox"))
    attachment = await attached(pk)
    if attachment is None:
        answer = await ask_host(pk, request)
        if answer is not NO_ANSWER:
            return answer
        # Nobody answered for the process named by the lease: if that lease has expired too,
        # the process died (SIGKILL): host the sandbox here, as a browser window would.
        if await console_db(hosted_elsewhere)(pk):
            return unavailable("the server process hosting this sandbox did not answer; try again")
        attachment = await attached(pk, ask_others=False)
    if isinstance(attachment, Response):
        return attachment
    if attachment is None:
        return unavailable()
    return await run_on_session(attachment, request)
