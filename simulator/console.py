"""One console line: limits, shell words, `kubectl`/`k`, and simple pipes into grep/head/wc.

The console is a small shell: `kubectl` (alias `k`) and the few shell words a learner needs
(simulator/shell.py). Anything else answers like bash: `foo: command not found` (exit 127).
"""
from __future__ import annotations

from . import cpu_budget, limits
from .api.errors import KubeError
from .kubectl import cli
from .kubectl.dispatch import run_kubectl
from .kubectl.runtime import Context, Process
from .sed_word import run as run_sed
from .shell import PIPE_FILTERS, SHELL_WORDS, filter_text, run_shell


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
        if len(pipeline) + 1 > limits.MAX_PIPE_STAGES:
            proc.write("err", f"error: a pipeline is limited to {limits.MAX_PIPE_STAGES} commands\n")
            proc.finish(2)
            return
        run_pipeline(ctx, words, pipeline)
        return
    run_words(ctx, words)


def run_words(ctx: Context, words: list[str]) -> None:
    """Run one simple command (no pipes) into ctx.proc."""
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


def run_pipeline(ctx: Context, first: list[str], rest: list[list[str]]) -> None:
    """`cmd | grep … | sed … | kubectl apply -f -`: each stage runs to completion in turn (no
    streaming through pipes) and the next one reads its output: a filter (grep, head, tail, wc,
    sed, cat) as text, a `kubectl`/`k` stage as its standard input (`-f -`). Every stage's stderr
    goes to the terminal; the exit code is the last stage's, as in bash without pipefail. The text
    between two stages is capped (limits.MAX_PIPE_BYTES) and each stage checks the CPU budget."""
    text, code = _run_stage(ctx, first, None)
    if text is None:
        return
    for stage in rest:
        cpu_budget.check()
        if len(text) > limits.MAX_PIPE_BYTES:
            ctx.err(f"error: more than {limits.MAX_PIPE_BYTES // 1024} KB went through a pipe; the rest was cut\n")
            text = text[:limits.MAX_PIPE_BYTES]
        word = stage[0]
        if word in ("kubectl", "k"):
            text, code = _run_stage(ctx, stage, text)
            if text is None:
                return
        elif word == "sed":
            text, err, code, written = run_sed(stage, text, ctx.files)
            ctx.err(err)
            for name, new_text in written.items():
                ctx.files[name] = new_text
        elif word == "cat" and all(a == "-" for a in stage[1:]):
            code = 0  # cat with no file (or `-`) copies its input
        elif word in PIPE_FILTERS and word != "cat":
            text, err, code = filter_text(word, stage[1:], text, ctx.files)
            ctx.err(err)
        elif word in SHELL_WORDS:  # reads no input: runs on its own, the text before is dropped
            text, code = _run_stage(ctx, stage, None)
            if text is None:
                return
        else:
            ctx.err(f"{word}: command not found\n")
            text, code = "", 127
    ctx.out(text)
    ctx.proc.finish(code)


def _run_stage(ctx: Context, words: list[str], stdin: str | None):
    """One command of a pipeline to completion: (its stdout, exit code), or (None, _) when it
    would not end by itself (the pipeline is then over)."""
    inner = Process(" ".join(words))
    sub = Context(ctx.cluster, inner, ctx.env)
    if stdin is not None:
        sub.stdin = stdin
    run_words(sub, words)
    if not inner.done:
        inner.cancel()
        ctx.err(inner.stderr)
        ctx.err("error: streaming commands cannot be piped in this console\n")
        ctx.proc.finish(1)
        return None, 1
    ctx.err(inner.stderr)
    return inner.stdout, inner.exit_code or 0
