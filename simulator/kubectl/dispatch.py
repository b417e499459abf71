"""`kubectl …`: parse with the cobra/pflag model, then run the verb's handler."""
from __future__ import annotations

import importlib

from ..api.errors import CLIError
from . import cli
from .runtime import Context

# command path → "module:function" under simulator/kubectl/commands/
HANDLERS = {
    ("get",): "get:run_get",
    ("describe",): "describe:run_describe",
    ("create",): "files:run_create",
    ("apply",): "files:run_apply",
    ("replace",): "files:run_replace",
    ("delete",): "delete:run_delete",
    ("scale",): "scale:run_scale",
    ("set", "image"): "set_image:run_set_image",
    ("rollout", "status"): "rollout:run_status",
    ("rollout", "history"): "rollout:run_history",
    ("rollout", "undo"): "rollout:run_undo",
    ("rollout", "pause"): "rollout:run_pause",
    ("rollout", "resume"): "rollout:run_resume",
    ("rollout", "restart"): "rollout:run_restart",
}


def run_kubectl(ctx: Context, argv: list[str]):
    inv = cli.parse(argv)
    for line in inv.deprecations:
        ctx.err(line + "\n")
    if inv.wants_help:
        ctx.out(inv.help_text())
        return None
    target = HANDLERS.get(inv.path)
    if target is None:
        raise CLIError(f'"kubectl {" ".join(inv.path)}" is not available in this simulator yet')
    module, func = target.split(":")
    handler = getattr(importlib.import_module(f"{__package__}.commands.{module}"), func)
    return handler(ctx, inv)
