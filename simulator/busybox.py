"""What a busybox container's command does: its output, exit code and how long it runs.

busybox images run `sh` by default, which exits at once without a terminal; a command or args
(`kubectl run … -- wget -qO- kubia`, `command: [sh, -c, 'echo hi; sleep 3600']`) is interpreted
here for the handful of applets lessons and CKAD drills use: echo, wget, hostname, sleep, true,
false, exit, cat of /etc/hostname, and `sh -c` lists joined by `;`, `&&`, `||`. Output is what
the applet writes on stdout ("o") or stderr ("e"); busybox texts from networking/wget.c and
libbb/progress.c (busybox 1.37). A `sleep` ends the simulated script: what comes after it is not
run (the container just lives that long); an endless loop (`while true`) runs forever silently.
"""
from __future__ import annotations

import re
import shlex

from . import images, limits
from .network import request_from

FOREVER = None
DNS_SUFFIXES = (".svc.cluster.local", ".svc", "")


class Outcome:
    def __init__(self):
        self.lines: list[tuple[str, str]] = []   # (stream "o"|"e", text without newline)
        self.exit_code = 0
        self.lifetime: float | None = 0.0        # seconds until the process exits; None: never
        self.stopped = False                      # a sleep/exit ended the script

    def out(self, text: str) -> None:
        self._write("o", text)

    def err(self, text: str) -> None:
        self._write("e", text)

    def _write(self, stream: str, text: str) -> None:
        parts = text.split("\n")
        if parts and parts[-1] == "":
            parts.pop()
        self.lines.extend((stream, p) for p in parts)


def run(eng, pod: dict, command: list | None, args: list | None, container: dict | None = None,
        env: dict | None = None) -> Outcome:
    words = [str(w) for w in (command or []) + (args or [])]
    result = Outcome()
    result.container = container  # where `> file` writes land (simulator/controllers/volumes.py)
    result.env = dict(env or {})  # the container's environment, for `$VAR` in `sh -c` scripts
    if not words:
        return result  # sh with no terminal reads EOF and exits 0
    text = " ".join(words)
    if "while true" in text or "tail -f" in text or "httpd" in words or "while :" in text:
        result.lifetime = FOREVER
        return result
    if words[0] in ("sh", "/bin/sh", "ash", "/bin/ash", "bash") and len(words) >= 3 and words[1] == "-c":
        _script(eng, pod, words[2], result)
    elif words[0] in ("sh", "/bin/sh") and len(words) == 1:
        pass
    else:
        _simple(eng, pod, words, result)
    return result


def _script(eng, pod, script: str, result: Outcome) -> None:
    """`sh -c` lists: commands separated by ;, && or || (no quoting inside the operators' words)."""
    script = _expand(script, getattr(result, "env", {}), pod)
    try:
        lexer = shlex.shlex(script, posix=True, punctuation_chars=";&|")
        lexer.whitespace_split = True
        tokens = list(lexer)
    except ValueError:
        result.err("sh: syntax error: unterminated quoted string")
        result.exit_code = 2
        return
    cmd: list[str] = []
    pending_op = None
    ran = 0
    for tok in tokens + [";"]:
        if tok in (";", "&&", "||", "\n"):
            if cmd:
                run_it = pending_op is None or (pending_op == "&&") == (result.exit_code == 0)
                if run_it:
                    ran += 1
                    if ran > limits.MAX_SCRIPT_COMMANDS:  # the kubelet runs scripts on the clock's time
                        result.err(f"sh: Rollout Lab runs at most {limits.MAX_SCRIPT_COMMANDS} commands of a script")
                        result.exit_code = 1
                        return
                    _simple(eng, pod, cmd, result)
                    if result.stopped:
                        return
            cmd, pending_op = [], (tok if tok in ("&&", "||") else None)
        else:
            cmd.append(tok)


_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def _expand(script: str, env: dict, pod: dict) -> str:
    """sh parameter expansion of `$VAR` / `${VAR}` outside single quotes (HOSTNAME is the pod's
    name); an unset variable expands to nothing."""
    values = {"HOSTNAME": pod["metadata"]["name"], **env}
    out, quoted = [], False
    for part in re.split(r"(')", script):
        if part == "'":
            quoted = not quoted
            out.append(part)
        elif quoted:
            out.append(part)
        else:
            out.append(_VAR.sub(lambda m: values.get(m.group(1) or m.group(2), ""), part))
    return "".join(out)


def _simple(eng, pod, words: list[str], result: Outcome) -> None:
    if any(w.startswith(">") for w in words[1:]):
        _redirect(eng, pod, words, result)
        return
    name, argv = words[0].rsplit("/", 1)[-1], words[1:]
    if name == "echo":
        newline = True
        if argv[:1] == ["-n"]:
            newline, argv = False, argv[1:]
        result.out(" ".join(argv) + ("\n" if newline else ""))
        result.exit_code = 0
    elif name == "hostname" or (name == "cat" and argv == ["/etc/hostname"]):
        result.out(pod["metadata"]["name"] + "\n")
        result.exit_code = 0
    elif name in ("true", ":"):
        result.exit_code = 0
    elif name == "false":
        result.exit_code = 1
    elif name == "exit":
        result.exit_code = int(argv[0]) if argv and argv[0].isdigit() else result.exit_code
        result.stopped = True
    elif name == "sleep":
        try:
            result.lifetime = float(argv[0]) if argv else 0.0
        except ValueError:
            result.err(f"sleep: invalid number '{argv[0]}'")
            result.exit_code = 1
            return
        result.stopped = True
    elif name == "wget":
        _wget(eng, pod, argv, result)
    else:
        result.err(f"sh: {words[0]}: not found")
        result.exit_code = 127


def _redirect(eng, pod, words: list[str], result: Outcome) -> None:
    """`cmd > file` / `cmd >> file`: the command's stdout goes to the file (an emptyDir file is
    seen by the pod's other containers)."""
    from .controllers import volumes

    i = next(i for i, w in enumerate(words) if i and w.startswith(">"))
    op = ">>" if words[i].startswith(">>") else ">"
    target = words[i][len(op):] or (words[i + 1] if i + 1 < len(words) else "")
    if not target:
        result.err("sh: syntax error: unexpected newline")
        result.exit_code = 2
        return
    inner = Outcome()
    inner.container = getattr(result, "container", None)
    _simple(eng, pod, words[:i], inner)
    text = "".join(line + "\n" for stream, line in inner.lines if stream == "o")
    result.lines.extend((stream, line) for stream, line in inner.lines if stream != "o")
    result.exit_code, result.stopped = inner.exit_code, inner.stopped
    if inner.lifetime != 0.0:
        result.lifetime = inner.lifetime
    volumes.write(eng, pod, inner.container, target, text, append=(op == ">>"))


def _progress(name: str, size: int) -> str:
    """libbb/progress.c bb_progress_update, stderr not a terminal: no leading \\r, name in 20
    columns, the bar 80-48 = 32 wide (get_terminal_width falls back to 80), smart_ulltoa5 size, a
    0-second ETA, then a newline."""
    return f"{name[:20]:<20} 100% |{'*' * 32}| {size:>5}  0:00:00 ETA"


def _wget(eng, pod, argv: list[str], result: Outcome) -> None:
    quiet, out_name, spider, url = False, None, False, None
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-q", "--quiet"):
            quiet = True
        elif a == "--spider":
            spider = True
        elif a.startswith("--output-document="):
            out_name = a.split("=", 1)[1]
        elif a in ("-O", "--output-document", "-T", "--timeout", "-U", "--user-agent", "-t", "--tries"):
            if a in ("-O", "--output-document") and i + 1 < len(argv):
                out_name = argv[i + 1]
            i += 1
        elif a.startswith("-") and len(a) > 1 and not a.startswith("--"):
            flags = a[1:]
            if "O" in flags:  # -qO- / -O- / -qOfile
                head, _, tail = flags.partition("O")
                quiet |= "q" in head
                out_name = tail or (argv[i + 1] if i + 1 < len(argv) else "")
                if not tail:
                    i += 1
            elif "q" in flags:
                quiet = True
        elif not a.startswith("-"):
            url = a
        i += 1
    if url is None:
        result.err("BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\n"
                   "Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n"
                   "\t[--post-data STR | --post-file FILE] [-Y on/off]\n"
                   "\t[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...")
        result.exit_code = 1
        return
    answer = request_from(eng, url, client=get_ip(pod))
    host, port = answer.get("host") or url, answer.get("port") or 80
    if answer.get("exit") == 6 or answer.get("ip") is None:
        result.err(f"wget: bad address '{host}'")
        result.exit_code = 1
        return
    if not quiet:
        result.err(f"Connecting to {host} ({answer['ip']}:{port})")
    if answer["error"] is not None:
        if answer["exit"] == 28:
            result.err(f"wget: can't connect to remote host ({answer['ip']}): Connection timed out")
            result.lifetime = 127.0  # Linux: 6 SYN retries before connect() gives up
        elif answer["exit"] == 52:
            result.err("wget: error getting response: Connection reset by peer")
        else:
            result.err(f"wget: can't connect to remote host ({answer['ip']}): Connection refused")
        result.exit_code = 1
        return
    status = answer["status"]
    if not (200 <= status < 300):
        reason = {404: "Not Found", 500: "Internal Server Error", 503: "Service Unavailable"}.get(status, "")
        result.err(f"wget: server returned error: HTTP/1.1 {status} {reason}".rstrip())
        result.exit_code = 1
        return
    body = answer["body"]
    if spider:
        if not quiet:
            result.err("remote file exists")
        result.exit_code = 0
        return
    to_stdout = out_name == "-"
    name = out_name or (url.rstrip("/").rsplit("/", 1)[-1] if url.count("/") > 2 and not url.endswith("/") else "index.html")
    if not quiet:
        result.err("writing to stdout" if to_stdout else f"saving to '{name}'")
    if to_stdout:
        result.out(body)
    if not quiet:
        result.err(_progress("-" if to_stdout else name.rsplit("/", 1)[-1], len(body.encode())))
        result.err("written to stdout" if to_stdout else f"'{name}' saved")
    result.exit_code = 0


def get_ip(pod: dict) -> str | None:
    return (pod.get("status") or {}).get("podIP")


def is_busybox(image_ref: str) -> bool:
    image = images.lookup(image_ref)
    return image is not None and image.app == "busybox"
