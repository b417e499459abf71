"""One console line: limits, shell words, `kubectl`/`k`, and simple pipes into grep/head/wc.

The console is a small shell: `kubectl` (alias `k`) and the few shell words a learner needs
(simulator/shell.py). Anything else answers like bash: `foo: command not found` (exit 127).
"""
from __future__ import annotations

from . import limits
from .api.errors import KubeError
from .kubectl import cli
from .kubectl.runtime import Context, Process


def execute(cluster, proc: Process, line, env: dict | None) -> None:
    if not isinstance(line, str):
        proc.write("err", "error: a command must be text\n")
        proc.finish(2)
        return
    if len(line.encode("utf-8", "surrogatepass")) > limits.MAX_COMMAND_BYTES:
        proc.write("err", f"error: the command is too long (limit {limits.MAX_COMMAND_BYTES} bytes)\n")
        proc.finish(2)
        return
    if "\x00" in line:
        proc.write("err", "error: the command contains a NUL character\n")
        proc.finish(2)
        return
    ctx = Context(cluster, proc, env)
    try:
        words = cli.tokenize(line)
    except KubeError as err:
        proc.write("err", err.render() + "\n")
        proc.finish(err.exit_code if err.exit_code != 1 else 2)
        return
    if not words:
        proc.finish(0)
        return
    words, pipeline = _split_pipeline(words)
    if not words or (pipeline is not None and not all(pipeline)):
        proc.write("err", "bash: syntax error near unexpected token `|'\n")
        proc.finish(2)
        return
    if pipeline is not None:
        from .shell import run_pipeline
        run_pipeline(ctx, words, pipeline)
        return
    run_words(ctx, words)


def run_words(ctx: Context, words: list[str]) -> None:
    """Run one simple command (no pipes) into ctx.proc."""
    from .kubectl.dispatch import run_kubectl
    from .shell import SHELL_WORDS, run_shell

    proc = ctx.proc
    head = words[0]
    try:
        if head in ("kubectl", "k"):
            result = run_kubectl(ctx, words[1:])
        elif head in SHELL_WORDS:
            result = run_shell(ctx, head, words[1:])
        else:
            proc.write("err", f"{head}: command not found\n")
            proc.finish(127)
            return
    except KubeError as err:
        proc.write("err", err.render() + "\n")
        proc.finish(err.exit_code)
        return
    if result is None:
        proc.finish(ctx.exit_code)
        return
    proc._gen = _guard(ctx, result)
    proc.resume(ctx.now)


def _guard(ctx: Context, gen):
    """Run a command's generator; its return value (or ctx.exit_code) is the exit code."""
    code = yield from gen
    return code if isinstance(code, int) else ctx.exit_code


def _split_pipeline(words: list[str]):
    if "|" not in words:
        return words, None
    parts, cur = [], []
    for w in words:
        if w == "|":
            parts.append(cur)
            cur = []
        else:
            cur.append(w)
    parts.append(cur)
    return parts[0], parts[1:]
