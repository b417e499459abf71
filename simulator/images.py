"""The fake image registry: which images exist, and how their containers behave.

Real public images with their real behaviour (DESIGN.md). Anything not listed does not exist on the
registry and fails to pull, as a real node would (ErrImagePull → ImagePullBackOff).
"""
from __future__ import annotations

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


# repository -> (tags, factory of Image for a tag)
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

def serve(image: Image, state: dict, hostname: str, port: int, path: str = "/") -> tuple[int, str] | None:
    """Answer one HTTP request to a running container: (status, body), or None if the port is
    closed (connection refused). `state` is the container's own memory (request counters), reset
    when the container restarts."""
    if port not in image.ports:
        return None
    app = image.app
    if app == "kubia":
        state["requests"] = state.get("requests", 0) + 1
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
        state["requests"] = state.get("requests", 0) + 1
        return 200, f"Hello Kubernetes bootcamp! | Running on: {hostname} | v={v}\n"
    if app == "node-hello":
        return 200, "Hello Kubernetes!"
    if app == "redis":
        return 0, ""  # redis drops HTTP requests: curl reports an empty reply
    return None


def runs_forever(image: Image, command: list[str] | None, args: list[str] | None) -> float | None:
    """How long the main process runs before exiting 0 (None = until stopped).

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
