"""The Rollout panel's controls: time steps (+1 s, +10 s, "until settled"), the panel's
Deployment and Service, the traffic strip, and replay of an earlier moment.

The panel itself is drawn by screen.py; these are the messages that change what it shows.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tutorial.sandbox.panels.rollout_panel import SETTLE_LIMIT_SECONDS, chosen_deployment, rollout_settled
from tutorial.sandbox.panels.traffic import service_names
from tutorial.sandbox.session.commands import Commands
from tutorial.sandbox.session.driving import Clock
from tutorial.sandbox.session.grading import Grader
from tutorial.sandbox.session.live import Live
from tutorial.sandbox.session.screen import Screen

STEPS = {1: 1.0, 10: 10.0}  # the +1 s / +10 s buttons


def step_seconds(value) -> float | None:
    """1 or 10 (as a number or its digits); None for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        return STEPS.get(value)
    if isinstance(value, str) and value.isdigit() and len(value) <= 2:  # int() of 5,000 digits raises
        return STEPS.get(int(value))
    return None


class RolloutControls:
    def __init__(self, live: Live, screen: Screen, clock: Clock, commands: Commands, grader: Grader):
        self.live, self.screen, self.clock, self.commands, self.grader = live, screen, clock, commands, grader

    async def step(self, value) -> None:
        """Let simulated time pass at once; streaming commands see every change on the way."""
        live, screen = self.live, self.screen
        if value == "settle":
            ref = screen.rollout.ref(live.cluster)
            if ref is None:
                await screen.error(live.t(_("There is no Deployment whose rollout could settle.")))
                return
            waited = 0.0
            while waited < SETTLE_LIMIT_SECONDS and not rollout_settled(live.cluster, ref):
                await self.clock.advance(1.0)  # in slices: other learners run meanwhile (driving.py)
                waited += 1.0
        else:
            seconds = step_seconds(value)
            if seconds is None:
                await screen.error(live.t(_('"step" must be 1, 10 or "settle".')))
                return
            await self.clock.advance(seconds)
        live.unsaved = True
        await self.commands.send_output()
        await screen.view()
        await screen.rollout_panel()
        await screen.controls()
        await self.grader.grade()

    async def choose_rollout(self, ref) -> None:
        if not isinstance(ref, str) or chosen_deployment(self.live.cluster, ref) != ref:
            await self.screen.error(self.live.t(_("There is no Deployment %(name)s.")) % {"name": str(ref)[:120]})
            return
        self.screen.rollout.pick(ref)
        await self.screen.rollout_panel()

    async def choose_service(self, ref) -> None:
        if not isinstance(ref, str) or ref not in service_names(self.live.cluster):
            await self.screen.error(self.live.t(_("There is no Service %(name)s.")) % {"name": str(ref)[:120]})
            return
        self.live.traffic.set(service=ref)
        await self.screen.rollout_panel()

    async def set_traffic(self, value) -> None:
        self.live.traffic.set(enabled=value in (True, "true", "1", 1, "on"))
        await self.screen.rollout_panel()

    async def replay(self, value) -> None:
        """{"replay": seconds}: the view as it was then; {"replay": "live"}: back to now."""
        if value in ("live", None, False):
            await self.screen.back_to_live()
            return
        try:
            at = float(value)
        except (TypeError, ValueError):
            at = float("nan")
        if isinstance(value, bool) or at != at or at in (float("inf"), float("-inf")):
            await self.screen.error(self.live.t(_('"replay" must be a number of seconds or "live".')))
            return
        at = min(max(at, 0.0), self.live.cluster.now)
        if at >= self.live.cluster.now:
            await self.screen.back_to_live()
            return
        await self.screen.show_moment(at)
