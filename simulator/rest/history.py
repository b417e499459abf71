"""kubectl's `Kubectl-Command` header (e.g. `kubectl set image`, sent with every request of one
invocation together with a `Kubectl-Session` id): one entry in the cluster's command history per
invocation, marked as coming from the learner's own kubectl, so exercise checks on commands
(`command: {used: "set image"}`) see it. kubectl/pkg/cmd/cmd.go addCmdHeaderHooks."""
from __future__ import annotations

from .. import limits

MAX_SESSIONS = 64


def record_command(cluster, headers: dict) -> None:
    command = headers.get("kubectl-command")
    if not command or not isinstance(command, str):
        return
    session = str(headers.get("kubectl-session") or "")[:64]
    seen = getattr(cluster, "_rest_sessions", None)
    if seen is None:
        seen = cluster._rest_sessions = []  # noqa: SLF001
    if session and session in seen:
        return
    if session:
        seen.append(session)
        del seen[:-MAX_SESSIONS]
    line = command.strip()[: limits.MAX_COMMAND_BYTES]
    cluster.history.append({"t": round(cluster.now, 3), "line": line, "exit": None, "source": "kubectl-api"})
    if len(cluster.history) > 1000:
        del cluster.history[: len(cluster.history) - 1000]
