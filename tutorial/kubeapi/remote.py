"""An API request for a sandbox hosted by another live process.

Not relayed yet (the bridge's "api" message is the next step, see README "Your own kubectl"):
the answer is a 503 Status with Retry-After, which kubectl reports clearly; once the host lets
the sandbox go (the learner's windows closed, its lease expired) the next request hosts it here.
"""
from __future__ import annotations


async def ask_host(sandbox_id: int, request):
    from .live import unavailable

    return unavailable("this sandbox is open on another server process right now; try again in a moment")
