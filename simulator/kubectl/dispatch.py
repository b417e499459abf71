"""`kubectl …`: parse with the cobra/pflag model, then run the verb's handler.

Each module under simulator/kubectl/commands/ declares `HANDLES = {command path: handler}`;
the table is built from those, so adding a verb never means editing this file.
"""
from __future__ import annotations

import importlib
import pkgutil

from ..api.errors import CLIError
from . import cli, commands
from .runtime import Context

_HANDLERS: dict | None = None


def handlers() -> dict:
    global _HANDLERS
    if _HANDLERS is None:
        table = {}
        for info in pkgutil.iter_modules(commands.__path__):
            module = importlib.import_module(f"{commands.__name__}.{info.name}")
            table.update(getattr(module, "HANDLES", {}))
        _HANDLERS = table
    return _HANDLERS


def run_kubectl(ctx: Context, argv: list[str]):
    inv = cli.parse(argv)
    for line in inv.deprecations:
        ctx.err(line + "\n")
    if inv.wants_help:
        ctx.out(inv.help_text())
        return None
    handler = handlers().get(inv.path)
    if handler is None:
        raise CLIError(f'"kubectl {" ".join(inv.path)}" is not available in this simulator')
    if inv.changed("dry-run"):  # Complete() reads --dry-run before the command does anything
        from . import klog
        from .commands.common import DRY_RUN_WARNING_SITE, dry_run_warning

        warning = dry_run_warning(inv)
        if warning:
            ctx.err(klog.warning(ctx.eng, DRY_RUN_WARNING_SITE, warning))
    try:
        return handler(ctx, inv)
    finally:
        from ..image_notices import take  # the one-time note about a generic image

        for note in take(ctx.eng):
            ctx.err(note)
