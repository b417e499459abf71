"""The session's Rollout panel: time steps, the panel's Deployment, the traffic strip.

The panel (chart, "why" log, traffic strip) is re-rendered when the cluster changed, at most twice
a second, and each of its parts is sent only when its HTML differs from what was sent (a hash of
each part is kept, not the HTML). Mixed into SandboxSession.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tutorial.sandbox.panels import fragments
from tutorial.sandbox.panels.rollout_panel import SETTLE_LIMIT_SECONDS, chosen_deployment, rollout_settled
from tutorial.sandbox.session.state import rollout_state
from tutorial.sandbox.panels.traffic import service_names

STEPS = {1: 1.0, 10: 10.0}  # the +1 s / +10 s buttons


class RolloutPanel:
    async def _step(self, value) -> None:
        """Let simulated time pass at once; streaming commands see every change on the way."""
        if value == "settle":
            ref = self.rollout.ref(self.cluster)
            if ref is None:
                await self._send_error(self._t(_("There is no Deployment whose rollout could settle.")))
                return
            waited = 0.0
            while waited < SETTLE_LIMIT_SECONDS and not rollout_settled(self.cluster, ref):
                await self._advance(1.0)  # in slices: other learners run meanwhile (driving.py)
                waited += 1.0
        else:
            seconds = STEPS.get(value) if isinstance(value, int) and not isinstance(value, bool) else None
            if seconds is None and isinstance(value, str) and value.isdigit():
                seconds = STEPS.get(int(value))
            if seconds is None:
                await self._send_error(self._t(_('"step" must be 1, 10 or "settle".')))
                return
            await self._advance(seconds)
        self.unsaved = True
        await self._send_command_output()
        await self._send_view()
        await self._send_rollout()
        await self._send_controls()
        await self._grade()

    async def _choose_rollout(self, ref) -> None:
        if not isinstance(ref, str) or chosen_deployment(self.cluster, ref) != ref:
            await self._send_error(self._t(_("There is no Deployment %(name)s.")) % {"name": str(ref)[:120]})
            return
        self.rollout.pick(ref)
        await self._send_rollout()

    async def _choose_service(self, ref) -> None:
        if not isinstance(ref, str) or ref not in service_names(self.cluster):
            await self._send_error(self._t(_("There is no Service %(name)s.")) % {"name": str(ref)[:120]})
            return
        self.traffic.set(service=ref)
        await self._send_rollout()

    async def _set_traffic(self, value) -> None:
        self.traffic.set(enabled=value in (True, "true", "1", 1, "on"))
        await self._send_rollout()

    def _rollout_context(self) -> dict:
        return rollout_state(self.cluster, self.rollout, self.traffic, self.language, at=self.replay_at)

    async def _send_rollout(self) -> None:
        """The parts of the Rollout panel whose HTML changed since they were last sent."""
        self.rollout_dirty = False
        self.traffic.changed = False
        parts = fragments.rollout_parts(self._rollout_context(), self.language)
        changed = [html for name, html in parts.items() if self.rollout_sent.get(name) != hash(html)]
        self.rollout_sent = {name: hash(html) for name, html in parts.items()}
        if changed:
            await self.send("".join(changed))
