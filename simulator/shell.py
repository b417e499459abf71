"""The console's shell words: ls, cat, echo, sleep, clear, help, curl (and grep/head/tail/wc in pipes).

`curl` reaches a Service by name (`kubia`, `kubia.default`, `kubia.default.svc.cluster.local`) or
ClusterIP, or a pod IP, like a shell inside the cluster would; a Service sends the request to a random
ready endpoint (kube-proxy), and the pod's image answers as the real app does.
"""
from __future__ import annotations

import re

from . import images
from .api.errors import CLIError
from .objects import get_path

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

    def wait():
        while ctx.eng.now < until:
            yield until
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


def _parse_url(url: str):
    m = re.fullmatch(r"(?:(https?)://)?([^/:]+)(?::(\d+))?(/.*)?", url)
    if not m:
        return None
    scheme, host, port, path = m.groups()
    return scheme or "http", host, int(port) if port else None, path or "/"


def http_request(cluster, url: str) -> dict:
    """One HTTP request from a pod inside the cluster. Returns status/body or a curl-style error."""
    return request_from(cluster._eng, url)


def request_from(eng, url: str, client: str | None = None) -> dict:
    """http_request on the engine, for callers inside the cluster (a busybox container's wget).
    Besides status/body/error/exit the answer says which host, port and address were dialled
    (`ip` None when the name does not resolve)."""
    parsed = _parse_url(url)
    if parsed is None:
        return {"status": 0, "body": "", "error": "curl: (3) URL rejected: Malformed input to a URL function", "exit": 3,
                "host": url, "port": None, "ip": None}
    answer = _request(eng, *parsed)
    scheme, host, port, _ = parsed
    answer.setdefault("host", host)
    answer.setdefault("port", port or (443 if scheme == "https" else 80))
    return answer


def _request(eng, scheme, host, port, path) -> dict:
    if scheme == "https":
        return {"status": 0, "body": "", "error": f"curl: (7) Failed to connect to {host} port {port or 443}: Connection refused", "exit": 7,
                "ip": host if re.fullmatch(r"[\d.]+", host) else None}
    svc = _find_service(eng, host)
    if svc is not None:
        port = port or 80
        ip = get_path(svc, "spec.clusterIP")
        svc_port = next((p for p in get_path(svc, "spec.ports") or () if p.get("port") == port), None)
        if svc_port is None:
            return {"status": 0, "body": "", "exit": 28, "ip": ip,
                    "error": f"curl: (28) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server"}
        ep = eng.store.get("Endpoints", svc["metadata"]["namespace"], svc["metadata"]["name"])
        addresses = [a for s in (ep or {}).get("subsets") or () for a in s.get("addresses") or ()]
        if not addresses:
            return {"status": 0, "body": "", "exit": 7, "ip": ip,
                    "error": f"curl: (7) Failed to connect to {host} port {port} after 1 ms: Couldn't connect to server"}
        addr = addresses[eng.rng.below(len(addresses))]
        ref = addr.get("targetRef") or {}
        pod = eng.store.get("Pod", ref.get("namespace", ""), ref.get("name", ""))
        from .controllers.endpoints import resolve_target_port
        target = resolve_target_port(pod, svc_port) if pod else None
        return dict(_pod_answer(eng, pod, target, path, host, port), ip=ip)
    pod = _find_pod_by_ip(eng, host)
    if pod is not None:
        return dict(_pod_answer(eng, pod, port or 80, path, host, port or 80), ip=host)
    if re.fullmatch(r"[\d.]+", host):
        return {"status": 0, "body": "", "exit": 28, "ip": host,
                "error": f"curl: (28) Failed to connect to {host} port {port or 80} after 0 ms: Couldn't connect to server"}
    return {"status": 0, "body": "", "exit": 6, "error": f"curl: (6) Could not resolve host: {host}", "ip": None}


def _find_service(eng, host: str):
    for svc in eng.store.list("Service"):
        ns, name = svc["metadata"]["namespace"], svc["metadata"]["name"]
        names = {f"{name}.{ns}", f"{name}.{ns}.svc", f"{name}.{ns}.svc.cluster.local"}
        if ns == "default":
            names.add(name)
        if host in names or host == get_path(svc, "spec.clusterIP"):
            return svc
    return None


def _find_pod_by_ip(eng, ip: str):
    for pod in eng.store.list("Pod"):
        if get_path(pod, "status.podIP") == ip and not pod["metadata"].get("deletionTimestamp"):
            return pod
    return None


def _pod_answer(eng, pod, port, path, host, shown_port) -> dict:
    if pod is None or port is None:
        return {"status": 0, "body": "", "exit": 7,
                "error": f"curl: (7) Failed to connect to {host} port {shown_port} after 1 ms: Couldn't connect to server"}
    uid = pod["metadata"]["uid"]
    ref = eng.kubelet["pods"].get(uid)
    for c in get_path(pod, "spec.containers") or ():
        image = images.lookup(c.get("image", ""))
        cstate = (ref or {}).get("containers", {}).get(c.get("name"))
        running = any(s.get("name") == c.get("name") and "running" in (s.get("state") or {})
                      for s in get_path(pod, "status.containerStatuses") or ())
        if image is None or cstate is None or not running or port not in image.ports:
            continue
        answer = images.serve(image, cstate, pod["metadata"]["name"], port, path, now=eng.now)
        if answer is None:  # a port the process does not listen on (images.listens_on)
            continue
        status, body = answer
        if status == 0:
            return {"status": 0, "body": "", "exit": 52, "error": "curl: (52) Empty reply from server",
                    "pod": pod["metadata"]["name"]}
        return {"status": status, "body": body, "error": None, "exit": 0, "pod": pod["metadata"]["name"],
                "version": (pod["metadata"].get("labels") or {}).get("pod-template-hash") or c.get("image")}
    return {"status": 0, "body": "", "exit": 7,
            "error": f"curl: (7) Failed to connect to {host} port {shown_port} after 1 ms: Couldn't connect to server"}


# ---- filters for pipes ----------------------------------------------------------------------------

def _filter(word: str, args: list[str], text: str) -> tuple[str, int]:
    lines = text.splitlines(keepends=True)
    if word == "grep":
        invert = "-v" in args
        ignore = "-i" in args
        pats = [a for a in args if not a.startswith("-")]
        if not pats:
            return "Usage: grep [OPTION]... PATTERNS [FILE]...\n", 2
        try:
            rx = re.compile(pats[0], re.I if ignore else 0)
        except re.error:
            rx = re.compile(re.escape(pats[0]), re.I if ignore else 0)
        kept = [ln for ln in lines if bool(rx.search(ln)) != invert]
        return "".join(kept), 0 if kept else 1
    if word in ("head", "tail"):
        n = 10
        for i, a in enumerate(args):
            if a == "-n" and i + 1 < len(args) and args[i + 1].lstrip("-").isdigit():
                n = int(args[i + 1])
            elif re.fullmatch(r"-\d+", a):
                n = int(a[1:])
        return "".join(lines[:n] if word == "head" else lines[-n:] if n else []), 0
    if word == "wc":
        if "-l" in args:
            return f"{len(lines)}\n", 0
        return f"{len(lines):>7} {len(text.split()):>7} {len(text):>7}\n", 0
    raise CLIError(f"{word}: cannot be used in a pipe here")


PIPE_FILTERS = ("grep", "head", "tail", "wc", "sed", "cat")


def run_pipeline(ctx, first: list[str], rest: list[list[str]]) -> None:
    """`cmd | grep … | sed … | kubectl apply -f -`: each stage runs to completion in turn (no
    streaming through pipes) and the next one reads its output: a filter (grep, head, tail, wc,
    sed, cat) as text, a `kubectl`/`k` stage as its standard input (`-f -`). Every stage's stderr
    goes to the terminal; the exit code is the last stage's, as in bash without pipefail."""
    text, code = _run_stage(ctx, first, None)
    if text is None:
        return
    for stage in rest:
        word = stage[0]
        if word in ("kubectl", "k"):
            text, code = _run_stage(ctx, stage, text)
            if text is None:
                return
        elif word == "sed":
            from .sed_word import run as run_sed

            text, err, code, written = run_sed(stage, text, ctx.files)
            ctx.err(err)
            for name, new_text in written.items():
                ctx.files[name] = new_text
        elif word == "cat" and all(a == "-" for a in stage[1:]):
            code = 0  # cat with no file (or `-`) copies its input
        elif word in PIPE_FILTERS and word != "cat":
            text, code = _filter(word, stage[1:], text)
        elif word in SHELL_WORDS:  # reads no input: runs on its own, the text before is dropped
            text, code = _run_stage(ctx, stage, None)
            if text is None:
                return
        else:
            ctx.err(f"{word}: command not found\n")
            text, code = "", 127
    ctx.out(text)
    ctx.proc.finish(code)


def _run_stage(ctx, words: list[str], stdin: str | None):
    """One command of a pipeline to completion: (its stdout, exit code), or (None, _) when it
    would not end by itself (the pipeline is then over)."""
    from .console import run_words
    from .kubectl.runtime import Context, Process

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


def _filter_alone(ctx, args):
    ctx.err("this console has no standard input: use it after a pipe, e.g. `kubectl get pods | grep Running`\n")
    ctx.exit_code = 2


def _sed(ctx, args):
    """`sed SCRIPT FILE…` prints, `sed -i SCRIPT FILE…` rewrites working-directory files."""
    from .sed_word import run as run_sed

    from .sed_word import operands

    if args and not operands(["sed", *args]) and not any(a in ("-i", "--in-place") or a.startswith("-i") for a in args):
        return _filter_alone(ctx, args)  # it would read the keyboard
    out, err, code, written = run_sed(["sed", *args], None, ctx.files)
    for name, text in written.items():
        ctx.files[name] = text
    ctx.out(out)
    ctx.err(err)
    ctx.exit_code = code


_WORDS = {"ls": _ls, "sed": _sed, "cat": _cat, "echo": _echo, "sleep": _sleep, "clear": _clear, "help": _help, "curl": _curl,
          "grep": _filter_alone, "head": _filter_alone, "tail": _filter_alone, "wc": _filter_alone,
          "true": _true, "false": _false}
