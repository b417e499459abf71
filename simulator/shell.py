"""The console's shell words: ls, cat, echo, sleep, clear, help, curl, sed (and head/tail/wc in pipes).

`curl` reaches a Service by name, ClusterIP or a pod IP like a shell inside the cluster would
(simulator/network.py answers). Pipelines themselves are run by console.py; grep is grep_word.py.
"""
from __future__ import annotations

import re

from .api.errors import CLIError
from .network import http_request

FOREVER_SECONDS = 10 * 365 * 86400.0  # longer than Cluster.advance ever moves the clock

SHELL_WORDS = {"ls", "cat", "echo", "sleep", "clear", "help", "curl", "grep", "head", "tail", "wc", "sed",
               "true", "false"}

HELP = """Rollout Lab console
  kubectl <command> …   (alias: k)   your own simulated Kubernetes cluster
  ls                    list the files in your working directory
  cat FILE              print a file
  curl [-s] URL         send an HTTP request from inside the cluster (a Service name, ClusterIP or pod IP)
  sleep N               let N seconds pass
  echo TEXT             print text
  clear                 clear the screen (Ctrl+L)
  help                  this help
  sed [-i] SCRIPT FILE   print (or with -i rewrite) a file through a sed script (s///, d, p)
  grep [-EFivcnowxq] PATTERN FILE   print the lines of a file that match a pattern
Pipes into grep, head, tail, wc -l, sed and kubectl … -f - work too, e.g.
`kubectl get pods | grep Running`, `kubectl get deploy web -o yaml | sed 's/v1/v2/' | kubectl apply -f -`.
"""


def run_shell(ctx, word: str, args: list[str]):
    return _WORDS[word](ctx, args)


def _ls(ctx, args):
    names = sorted(ctx.files)
    if args and not all(a.startswith("-") for a in args):
        wanted = [a for a in args if not a.startswith("-")]
        missing = [a for a in wanted if a not in ctx.files]
        for a in missing:
            ctx.err(f"ls: cannot access '{a}': No such file or directory\n")
        names = [a for a in wanted if a in ctx.files]
        ctx.exit_code = 2 if missing else 0
    if names:
        ctx.out("\n".join(names) + "\n")


def _cat(ctx, args):
    code = 0
    for a in args:
        if a in ctx.files:
            ctx.out(ctx.files[a])
        else:
            ctx.err(f"cat: {a}: No such file or directory\n")
            code = 1
    ctx.exit_code = code


def _echo(ctx, args):
    newline = True
    if args[:1] == ["-n"]:
        newline, args = False, args[1:]
    ctx.out(" ".join(args) + ("\n" if newline else ""))


def _sleep(ctx, args):
    if not args:
        ctx.err("sleep: missing operand\n")
        ctx.exit_code = 1
        return None
    total = 0.0
    for a in args:
        m = re.fullmatch(r"(\d+(?:\.\d+)?)([smhd]?)", a)
        if not m:
            ctx.err(f"sleep: invalid time interval '{a}'\n")
            ctx.exit_code = 1
            return None
        total += float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]
    until = ctx.now + total
    forever = until - ctx.now > FOREVER_SECONDS  # `sleep 999…9` is GNU's `sleep inf`: until Ctrl+C

    def wait():
        while ctx.eng.now < until:
            yield None if forever else until  # no wake-up at an unreachable time (next_due stays finite)
        return 0

    return wait()


def _clear(ctx, args):
    ctx.proc.clear_screen = True


def _help(ctx, args):
    ctx.out(HELP)


def _true(ctx, args):
    ctx.exit_code = 0


def _false(ctx, args):
    ctx.exit_code = 1


# ---- curl --------------------------------------------------------------------------------------

def _curl(ctx, args):
    silent = False
    include = False
    url = None
    for a in args:
        if a in ("-s", "--silent", "-sS", "-S"):
            silent = True
        elif a in ("-i", "--include"):
            include = True
        elif a.startswith("-"):
            continue
        else:
            url = a
    if url is None:
        ctx.err("curl: try 'curl --help' or 'curl --manual' for more information\n")
        ctx.exit_code = 2
        return
    answer = http_request(ctx.cluster, url)
    status, body, err = answer["status"], answer["body"], answer["error"]
    ctx.cluster.traffic.append({"t": round(ctx.now, 3), "url": url, "status": status, "pod": answer.get("pod"),
                                "version": answer.get("version")})
    if len(ctx.cluster.traffic) > 2000:
        del ctx.cluster.traffic[:1000]
    if err is not None:
        if not silent:
            ctx.err(err + "\n")
        ctx.exit_code = answer["exit"]
        return
    if include:
        reason = {200: "OK", 404: "Not Found", 500: "Internal Server Error"}.get(status, "")
        ctx.out(f"HTTP/1.1 {status} {reason}\r\n\r\n")
    ctx.out(body)


# ---- filters for pipes ----------------------------------------------------------------------------

def filter_text(word: str, args: list[str], text: str, files=None) -> tuple[str, str, int]:
    """(stdout, stderr, exit code) of a pipe filter (grep, head, tail, wc) reading `text` (grep
    reads the working directory's `files` when it names some)."""
    if word == "grep":
        from .grep_word import run as run_grep

        return run_grep(args, text, files)
    lines = text.splitlines(keepends=True)
    if word in ("head", "tail"):
        n = 10
        for i, a in enumerate(args):
            if a == "-n" and i + 1 < len(args) and args[i + 1].lstrip("-").isdigit():
                n = int(args[i + 1])
            elif re.fullmatch(r"-\d+", a):
                n = int(a[1:])
        return "".join(lines[:n] if word == "head" else lines[-n:] if n else []), "", 0
    if word == "wc":
        if "-l" in args:
            return f"{len(lines)}\n", "", 0
        return f"{len(lines):>7} {len(text.split()):>7} {len(text):>7}\n", "", 0
    raise CLIError(f"{word}: cannot be used in a pipe here")


PIPE_FILTERS = ("grep", "head", "tail", "wc", "sed", "cat")


def _filter_alone(ctx, args):
    ctx.err("this console has no standard input: use it after a pipe, e.g. `kubectl get pods | grep Running`\n")
    ctx.exit_code = 2


def _grep(ctx, args):
    """`grep PATTERN FILE…` on working-directory files; without files it would read the keyboard."""
    from .grep_word import run as run_grep

    out, err, code = run_grep(args, None, ctx.files)
    if code < 0:
        return _filter_alone(ctx, args)
    ctx.out(out)
    ctx.err(err)
    ctx.exit_code = code


def _sed(ctx, args):
    """`sed SCRIPT FILE…` prints, `sed -i SCRIPT FILE…` rewrites working-directory files."""
    from .sed_word import operands, run as run_sed

    if args and not operands(["sed", *args]) and not any(a in ("-i", "--in-place") or a.startswith("-i") for a in args):
        return _filter_alone(ctx, args)  # it would read the keyboard
    out, err, code, written = run_sed(["sed", *args], None, ctx.files)
    for name, text in written.items():
        ctx.files[name] = text
    ctx.out(out)
    ctx.err(err)
    ctx.exit_code = code


_WORDS = {"ls": _ls, "sed": _sed, "cat": _cat, "echo": _echo, "sleep": _sleep, "clear": _clear, "help": _help, "curl": _curl,
          "grep": _grep, "head": _filter_alone, "tail": _filter_alone, "wc": _filter_alone,
          "true": _true, "false": _false}
