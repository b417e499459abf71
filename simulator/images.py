"""The fake image registry: which images exist, and how their containers behave.

Real public images with their real behaviour (DESIGN.md). Anything not listed does not exist on the
registry and fails to pull, as a real node would (ErrImagePull → ImagePullBackOff).
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass

NGINX_PAGE = """<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
"""

NGINX_404 = """<html>
<head><title>404 Not Found</title></head>
<body>
<center><h1>404 Not Found</h1></center>
<hr><center>nginx</center>
</body>
</html>
"""


@dataclass(frozen=True)
class Image:
    repo: str                 # normalised repository, e.g. "library/nginx", "luksa/kubia"
    app: str                  # behaviour key (see serve())
    ports: tuple[int, ...]    # ports the process listens on
    size_mb: float            # drives first-pull time
    term_seconds: float       # how long the process takes to exit on SIGTERM (None-like: grace)
    version: str = ""         # what the app reports about itself


def _nginx_tags() -> set[str]:
    tags = {"latest", "stable", "mainline", "alpine", "stable-alpine", "mainline-alpine",
            "1.7.9", "1.9.1", "1.10", "1.10.3", "1.11", "1.11.13", "1.12", "1.12.2", "1.13",
            "1.13.12", "1.14", "1.14.0", "1.14.1", "1.14.2", "1.15", "1.15.12", "1.16", "1.16.0",
            "1.16.1", "1.17", "1.17.10", "1.18", "1.18.0"}
    patch_max = {19: 10, 20: 2, 21: 6, 22: 1, 23: 4, 24: 0, 25: 5, 26: 3, 27: 5}
    for minor, top in patch_max.items():
        tags.add(f"1.{minor}")
        for p in range(top + 1):
            tags.add(f"1.{minor}.{p}")
    tags |= {f"{t}-alpine" for t in list(tags) if t[0].isdigit()}
    return tags


# repository -> (tags, factory of Image for a tag). term_seconds=inf: the process ignores SIGTERM
# and is killed when the grace period ends — node.js as PID 1 (kubia, bootcamp, node-hello) and
# busybox `sleep` install no SIGTERM handler, which is why the book's kubia pods stay Terminating
# for 30 s; nginx/httpd/redis exit at once.
_CATALOGUE: dict[str, tuple[set[str], dict]] = {
    "luksa/kubia": ({"latest", "v1", "v2", "v3", "v4"},
                    dict(app="kubia", ports=(8080,), size_mb=250, term_seconds=float("inf"))),
    "library/nginx": (_nginx_tags(), dict(app="nginx", ports=(80,), size_mb=70, term_seconds=0.3)),
    "library/httpd": ({"latest", "2.4", "2.4-alpine", "alpine", "2"},
                      dict(app="httpd", ports=(80,), size_mb=60, term_seconds=0.5)),
    "library/redis": ({"latest", "alpine", "6", "6.2", "7", "7.0", "7.2", "7.4", "7-alpine"},
                      dict(app="redis", ports=(6379,), size_mb=45, term_seconds=0.3)),
    "library/busybox": ({"latest", "1.28", "1.35", "1.36", "1.36.1", "1.37", "stable", "musl",
                         "glibc", "uclibc"},
                        dict(app="busybox", ports=(), size_mb=2, term_seconds=float("inf"))),
    "google-samples/kubernetes-bootcamp": ({"v1"}, dict(app="bootcamp", ports=(8080,), size_mb=80,
                                                         term_seconds=float("inf"))),
    "jocatalin/kubernetes-bootcamp": ({"v1", "v2"}, dict(app="bootcamp", ports=(8080,), size_mb=80,
                                                          term_seconds=float("inf"))),
    "google-samples/node-hello": ({"1.0"}, dict(app="node-hello", ports=(8080,), size_mb=250,
                                                  term_seconds=float("inf"))),
}
_REGISTRY_OF = {"google-samples/kubernetes-bootcamp": "gcr.io",
                "google-samples/node-hello": "gcr.io"}


def parse_reference(ref: str) -> tuple[str, str, str, str | None]:
    """Split an image reference into (registry, repository, tag, digest), docker-normalised."""
    ref = ref.strip()
    digest = None
    if "@" in ref:
        ref, digest = ref.split("@", 1)
    registry = "docker.io"
    parts = ref.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        registry, ref = parts[0], "/".join(parts[1:])
    tag = ""
    last = ref.rsplit("/", 1)[-1]
    if ":" in last:
        ref, tag = ref.rsplit(":", 1)
    if registry == "docker.io" and "/" not in ref:
        ref = "library/" + ref
    if not tag and not digest:
        tag = "latest"
    return registry, ref, tag, digest


def canonical(ref: str) -> str:
    """Fully qualified name as containerd reports it (`docker.io/library/nginx:1.14.2`)."""
    registry, repo, tag, digest = parse_reference(ref)
    out = f"{registry}/{repo}"
    if tag:
        out += f":{tag}"
    if digest:
        out += f"@{digest}"
    return out


def lookup(ref: str) -> Image | None:
    """The image if it exists on the (fake) registry, else None."""
    try:
        registry, repo, tag, digest = parse_reference(ref)
    except ValueError:
        return None
    entry = _CATALOGUE.get(repo)
    if entry is None or registry != _REGISTRY_OF.get(repo, "docker.io"):
        return None
    tags, spec = entry
    if digest is None and tag not in tags:
        return None
    version = tag or "latest"
    return Image(repo=repo, version=version, **spec)


def pull_seconds(image: Image, rng) -> float:
    """First pull on a node: roughly size over a ~50 MB/s link plus registry latency, jittered."""
    return round(0.8 + image.size_mb / 50.0 + rng.uniform(0, 1.5), 3)


def not_found_message(ref: str) -> str:
    """containerd's pull error for a missing tag/repository (what kubelet puts in events)."""
    full = canonical(ref)
    return (f'rpc error: code = NotFound desc = failed to pull and unpack image "{full}": '
            f'failed to resolve reference "{full}": {full}: not found')


# ---- what a running container does -------------------------------------------------------

MAX_LOG_LINES = 200           # the kubelet keeps the last lines of each container (and of its last run)
PROBE_AGENT = "kube-probe/1.34"  # the kubelet's prober User-Agent: kube-probe/<major>.<minor>
CURL_AGENT = "curl/8.14.1"


def serve(image: Image, state: dict, hostname: str, port: int, path: str = "/", *,
          now: float | None = None, client: str | None = None, agent: str = CURL_AGENT) -> tuple[int, str] | None:
    """Answer one HTTP request to a running container: (status, body), or None if the port is
    closed (connection refused). `state` is the container's own memory (request counters, the
    log it has written), reset when the container restarts. The request is logged as the app
    logs it, at `now` from `client` (None: the node's pod-network gateway, where node-side
    traffic such as probes and the console's curl comes from)."""
    answer = _answer(image, state, hostname, port, path)
    if answer is not None and answer[0]:
        append_log(state, image, ["r", now, client, path or "/", answer[0], len(answer[1].encode()), agent])
    return answer


def _answer(image: Image, state: dict, hostname: str, port: int, path: str) -> tuple[int, str] | None:
    if port not in image.ports:
        return None
    app = image.app
    if app in ("kubia", "nginx", "httpd", "bootcamp"):
        # every request the process answers, probes included (luksa/kubia app.js ++requestCount)
        state["requests"] = state.get("requests", 0) + 1
    if app == "kubia":
        if image.version == "latest":
            return 200, f"You've hit {hostname}\n"
        # luksa/kubia:v3 app.js: `if (++requestCount >= 5)` answers 500 from the fifth request on.
        if image.version == "v3" and state["requests"] >= 5:
            return 500, f"Some internal error has occurred! This is pod {hostname}\n"
        return 200, f"This is {image.version} running in pod {hostname}\n"
    if app == "nginx":
        return (200, NGINX_PAGE) if path in ("/", "/index.html", "") else (404, NGINX_404)
    if app == "httpd":
        return 200, "<html><body><h1>It works!</h1></body></html>\n"
    if app == "bootcamp":
        v = "2" if image.version == "v2" else "1"
        return 200, f"Hello Kubernetes bootcamp! | Running on: {hostname} | v={v}\n"
    if app == "node-hello":
        return 200, "Hello Kubernetes!"
    if app == "redis":
        return 0, ""  # redis drops HTTP requests: curl reports an empty reply
    return None


# ---- what a container writes to stdout ----------------------------------------------------
# The kubelet keeps entries, not text: ["s", t] the process started, ["r", t, client, path,
# status, bytes, agent] one request answered. Text is rendered on read (render_log), so a
# snapshot stores a few numbers per line instead of nginx's fifteen start-up lines per pod.

def start_log(state: dict, image: Image | None, now: float) -> None:
    """A new incarnation: the previous one's log is kept for `logs -p`, a new one begins."""
    if state.get("log") is not None:
        state["prev_log"] = state["log"]
    state["log"], state["log_lines"] = [], 0
    append_log(state, image, ["s", now])


def append_log(state: dict, image: Image | None, entry: list) -> None:
    log = state.setdefault("log", [])
    log.append(entry)
    weight = state.get("log_lines", 0) + _lines_of(image, entry)
    while weight > MAX_LOG_LINES and len(log) > 1:
        weight -= _lines_of(image, log.pop(0))
    state["log_lines"] = weight


def _lines_of(image: Image | None, entry: list) -> int:
    if entry[0] == "s":
        return len(startup_lines(image, 0.0, "", lambda t: "2026-01-01T00:00:00Z")) if image else 0
    return 1


# the nginx patch release each catalogue minor version stands for (_nginx_tags)
_NGINX_PATCH = {19: 10, 20: 2, 21: 6, 22: 1, 23: 4, 24: 0, 25: 5, 26: 3, 27: 5}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def nginx_version(tag: str) -> tuple[int, int, int] | None:
    """The nginx release behind a tag; None for releases before 1.19 (no entrypoint scripts)."""
    base = tag.split("-")[0]
    if base in ("latest", "stable", "mainline", "alpine", ""):
        return 1, 27, _NGINX_PATCH[27]
    try:
        nums = [int(p) for p in base.split(".")]
    except ValueError:
        return None
    if len(nums) < 2 or nums[0] != 1 or nums[1] < 19:
        return None
    patch = nums[2] if len(nums) > 2 else _NGINX_PATCH.get(nums[1], 0)
    return 1, nums[1], patch


def startup_lines(image: Image, started: float, hostname: str, stamp) -> list[str]:
    """What the app prints when it starts. `stamp(t)` is the RFC 3339 time of t (UTC)."""
    when = stamp(started)
    if image.app == "kubia":
        return ["Kubia server starting..."]  # luksa/kubia app.js
    if image.app == "bootcamp":
        # server.js: console.log("Kubernetes Bootcamp App Started At:", startTime, "| Running On: ", host, "\n")
        return [f"Kubernetes Bootcamp App Started At: {_js_iso(when)} | Running On:  {hostname} ", ""]
    if image.app == "nginx":
        return _nginx_start(image.version, when)
    return []


def _nginx_start(tag: str, when: str) -> list[str]:
    """docker-nginx's docker-entrypoint.sh and the scripts of /docker-entrypoint.d, then nginx's
    start-up notices (error log on stderr, which `kubectl logs` shows too)."""
    version = nginx_version(tag)
    if version is None:
        return []
    stamp = when[:10].replace("-", "/") + " " + when[11:19]  # nginx error log time: 2026/01/01 09:00:07
    lines = [
        "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
        "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
        "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
        "10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf",
        "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
    ]
    if version[1] >= 25:
        lines.append("/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh")
    lines.append("/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh")
    if version[1] >= 21:
        lines.append("/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh")
    lines.append("/docker-entrypoint.sh: Configuration complete; ready for start up")
    if version[1] >= 21:
        v = ".".join(str(n) for n in version)
        lines += [f'{stamp} [notice] 1#1: using the "epoll" event method',
                  f"{stamp} [notice] 1#1: nginx/{v}",
                  f"{stamp} [notice] 1#1: OS: Linux 6.8.0-1027-gcp",
                  f"{stamp} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576",
                  f"{stamp} [notice] 1#1: start worker processes",
                  f"{stamp} [notice] 1#1: start worker process 29",
                  f"{stamp} [notice] 1#1: start worker process 30"]
    return lines


def _js_iso(stamp: str) -> str:
    """JavaScript Date.toISOString(): milliseconds always present."""
    if "." in stamp:
        head, frac = stamp[:-1].split(".")
        return f"{head}.{(frac + '000')[:3]}Z"
    return stamp[:-1] + ".000Z"


def _common_log_time(stamp: str) -> str:
    """$time_local / Apache %t in UTC: 01/Jan/2026:09:00:07 +0000."""
    y, mo, d = stamp[:4], int(stamp[5:7]), stamp[8:10]
    return f"{d}/{_MONTHS[mo - 1]}/{y}:{stamp[11:19]} +0000"


def request_line(image: Image, entry: list, client: str, hostname: str, started: float, stamp,
                 count: int) -> str | None:
    """The line the app logs for one answered request (None: it logs nothing)."""
    _, t, _, path, status, size, agent = entry
    if image.app == "kubia":
        return f"Received request from ::ffff:{client}"  # app.js: request.connection.remoteAddress
    if image.app == "nginx":
        # nginx.conf log_format main: $remote_addr - $remote_user [$time_local] "$request" $status
        # $body_bytes_sent "$http_referer" "$http_user_agent" "$http_x_forwarded_for"
        return (f'{client} - - [{_common_log_time(stamp(t))}] "GET {path} HTTP/1.1" {status} {size} '
                f'"-" "{agent}" "-"')
    if image.app == "httpd":
        # httpd.conf: CustomLog /proc/self/fd/1 common — "%h %l %u %t \"%r\" %>s %b"
        return f'{client} - - [{_common_log_time(stamp(t))}] "GET {path} HTTP/1.1" {status} {size}'
    if image.app == "bootcamp":
        uptime = f"{max(t - started, 0.0):.3f}"
        return (f"Running On: {hostname} | Total Requests: {count} | App Uptime: {uptime} seconds | "
                f"Log Time: {_js_iso(stamp(t))}")
    return None


def stamp_pending(state: dict, now: float) -> None:
    """Give requests logged without a time (by a caller that did not pass `now`) the current
    time: the first moment the kubelet or a reader sees them, never before they happened."""
    for key in ("prev_log", "log"):
        for entry in state.get(key) or ():
            if entry[1] is None:
                entry[1] = now


def render_log(image: Image, entries: list, hostname: str, gateway: str, stamp) -> list[tuple[float, str]]:
    """(time, text) of every line a log's entries stand for. Lines written at one simulated
    instant get increasing sub-millisecond offsets (a process writes them one after another), so
    their times order them as the runtime's nanosecond stamps would."""
    out: list[tuple[float, str]] = []
    started, count, last = 0.0, 0, 0.0
    for entry in entries:
        t = entry[1] if entry[1] is not None else last
        last = t
        if entry[0] == "s":
            started, count = t, 0
            out += [(t, line) for line in startup_lines(image, t, hostname, stamp)]
        elif entry[0] == "o":  # ["o", t, stream, text]: a line a command wrote (simulator/busybox.py)
            out.append((t, entry[3]))
        elif entry[0] == "r":
            count += 1
            line = request_line(image, ["r", t, *entry[2:]], entry[2] or gateway, hostname, started, stamp, count)
            if line is not None:
                out.append((t, line))
    timed, prev, i, floor = [], None, 0, float("-inf")
    for t, line in out:
        i = i + 1 if t == prev else 0
        prev = t
        floor = max(t + 0.000137 * i + (zlib.crc32(line.encode()) % 100_000) * 1e-9 + 0.000012, floor + 1e-6)
        timed.append((floor, line))
    return timed


def runs_forever(image: Image, command: list[str] | None, args: list[str] | None) -> float | None:
    """How long the main process runs before exiting 0 (None = until stopped). busybox commands
    are interpreted by simulator/busybox.py; this is the quick answer for callers without a pod.

    Servers run until stopped. busybox runs `sh`, which exits at once without a terminal, unless
    the container runs something long-lived like `sleep 3600`.
    """
    if image.app != "busybox":
        return None
    words = [str(w) for w in (command or []) + (args or [])]
    text = " ".join(words)
    if "sleep" in words or "sleep " in text:
        tokens = text.replace(";", " ").split()
        for i, w in enumerate(tokens):
            if w == "sleep" and i + 1 < len(tokens):
                try:
                    return float(tokens[i + 1])
                except ValueError:
                    return None
    if "while true" in text or "tail -f" in text or "httpd" in words:
        return None
    return 0.0
