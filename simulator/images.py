"""The fake image registry: which images exist, and how their containers behave.

Policy for an image reference (documented in simulator/ARCHITECTURE.md, "Images"):
- a repository in the catalogue below runs with its real behaviour (ports, HTTP answers, logs,
  SIGTERM handling); a tag it does not have fails to pull (ErrImagePull → ImagePullBackOff), as
  `nginx:1.161` does on a real node;
- a single-word Docker Hub name that is not a real official image (`nosuchimage`, a typo like
  `ngnix`) fails to pull too: Docker Hub's official images are a known, closed set;
- any other well-formed reference (a real official image we do not model such as `python:3.12`,
  or an image from a user/organisation namespace or another registry, `myorg/shop:1.0`,
  `ghcr.io/acme/api:2`) is a *generic* container: it pulls, starts, keeps running, and answers
  HTTP on any port with a short placeholder; the console says once that Rollout Lab does not know
  what it serves (notice_for_unknown).
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import lru_cache

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

def nginx_error(code: int, text: str, version: str) -> str:
    """nginx's built-in error page; the official image keeps `server_tokens on`, so the footer
    names the version (src/http/ngx_http_special_response.c ngx_http_error_tail_build)."""
    return (f"<html>\n<head><title>{code} {text}</title></head>\n<body>\n<center><h1>{code} {text}</h1></center>\n"
            f"<hr><center>nginx/{version}</center>\n</body>\n</html>\n")


def nginx_404(version: str) -> str:
    return nginx_error(404, "Not Found", version)


NGINX_404 = nginx_404("1.27.5")


class _AnyPort(tuple):
    """The ports of a process whose listening ports come from its arguments (agnhost) or are
    unknown (a generic image): any port may be open; serve() refuses the ones it does not use."""

    def __contains__(self, port) -> bool:
        return True


ANY_PORT = _AnyPort()


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
def _tags(*names: str) -> set[str]:
    return set(names)


_AGNHOST_TAGS = {f"2.{n}" for n in range(20, 57)}
_PAUSE_TAGS = {"3.1", "3.2", "3.3", "3.4.1", "3.5", "3.6", "3.7", "3.8", "3.9", "3.10", "latest"}
_ECHOSERVER = dict(app="echoserver", ports=(8080,), size_mb=45, term_seconds=0.3)
_SERVE_HOSTNAME = dict(app="serve-hostname", ports=(9376,), size_mb=5, term_seconds=0.1)
_HELLO_APP = dict(app="hello-app", ports=(8080,), size_mb=11, term_seconds=0.1)
_CATALOGUE.update({
    # upstream e2e test images (test/images/agnhost: netexec, serve-hostname, pause …)
    "e2e-test-images/agnhost": (_AGNHOST_TAGS, dict(app="agnhost", ports=ANY_PORT, size_mb=50,
                                                      term_seconds=0.1)),
    "pause": (_PAUSE_TAGS, dict(app="pause", ports=(), size_mb=0.3, term_seconds=0.0)),
    "echoserver": ({"1.4", "1.10"}, _ECHOSERVER),
    "serve_hostname": ({"latest", "1.1", "v1.4"}, _SERVE_HOSTNAME),
    "nginx-slim": ({"0.8", "0.26", "0.27"}, dict(app="nginx", ports=(80,), size_mb=50, term_seconds=0.3)),
    # kubernetes.io / GKE / minikube tutorials
    "google-samples/hello-app": ({"1.0", "2.0"}, _HELLO_APP),
    "google-samples/containers/gke/hello-app": ({"1.0", "2.0"}, _HELLO_APP),
    "kicbase/echo-server": ({"1.0", "latest"}, dict(app="echo-server", ports=(8080,), size_mb=3,
                                                   term_seconds=0.1)),
    "nginxdemos/hello": ({"latest", "plain-text", "0.4", "0.4-plain-text"},
                         dict(app="nginxdemos-hello", ports=(80,), size_mb=10, term_seconds=0.3)),
    "traefik/whoami": ({"latest", "v1.10", "v1.10.1", "v1.10.2", "v1.10.3", "v1.11"},
                       dict(app="whoami", ports=(80,), size_mb=3, term_seconds=0.1)),
    "hashicorp/http-echo": ({"latest", "0.2.3", "1.0", "1.0.0"},
                            dict(app="http-echo", ports=ANY_PORT, size_mb=4, term_seconds=0.1)),
    "paulbouwer/hello-kubernetes": ({"1.5", "1.7", "1.8", "1.9", "1.10"},
                                    dict(app="hello-kubernetes", ports=(8080,), size_mb=30,
                                         term_seconds=float("inf"))),
    # a shell image: alpine's /bin/sh is busybox
    "library/alpine": (_tags("latest", "3", "3.18", "3.19", "3.20", "3.21", "3.22", "edge"),
                       dict(app="busybox", ports=(), size_mb=3.5, term_seconds=float("inf"))),
})
_CATALOGUE["library/httpd"][0].update({"2.4.58", "2.4.62", "2.4.63"})

# Where a repository lives; several are published under more than one name.
_REGISTRY_OF = {"google-samples/kubernetes-bootcamp": "gcr.io",
                "google-samples/node-hello": "gcr.io",
                "google-samples/hello-app": "gcr.io",
                "google-samples/containers/gke/hello-app": "us-docker.pkg.dev",
                "e2e-test-images/agnhost": ("registry.k8s.io", "k8s.gcr.io"),
                "pause": ("registry.k8s.io", "k8s.gcr.io"),
                "echoserver": ("registry.k8s.io", "k8s.gcr.io"),
                "serve_hostname": ("registry.k8s.io", "k8s.gcr.io"),
                "nginx-slim": ("registry.k8s.io", "k8s.gcr.io")}

# Docker Hub's official images that exist but are not modelled: they run as generic containers.
OFFICIAL_GENERIC = {
    "ubuntu", "debian", "centos", "fedora", "rockylinux", "almalinux", "amazonlinux", "node", "python",
    "golang", "openjdk", "eclipse-temurin", "amazoncorretto", "ruby", "php", "perl", "rust", "gcc",
    "postgres", "mysql", "mariadb", "mongo", "memcached", "rabbitmq", "haproxy", "traefik", "caddy",
    "tomcat", "jetty", "wordpress", "ghost", "drupal", "joomla", "registry", "consul", "vault",
    "elasticsearch", "kibana", "logstash", "cassandra", "couchdb", "influxdb", "telegraf", "zookeeper",
    "nats", "eclipse-mosquitto", "sonarqube", "nextcloud", "owncloud", "adminer", "phpmyadmin",
    "bash", "docker", "hello-world", "swift", "erlang", "elixir", "clojure", "maven", "gradle",
}


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


_COMPONENT = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")
_TAG = re.compile(r"^[\w][\w.-]{0,127}$")
_DIGEST = re.compile(r"^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$")


def well_formed(ref: str) -> bool:
    """distribution/reference grammar: lower-case path components, a tag of word characters."""
    try:
        registry, repo, tag, digest = parse_reference(ref)
    except ValueError:
        return False
    if not repo or not all(_COMPONENT.match(part) for part in repo.split("/")):
        return False
    if tag and not _TAG.match(tag):
        return False
    return digest is None or bool(_DIGEST.match(digest))


def _homes() -> dict[tuple[str, str], str]:
    """(registry host, repository path) → catalogue repository, for every place an image lives
    (a registry path prefix such as gcr.io/kubernetes-e2e-test-images/… is part of the path)."""
    out = {}
    for name in _CATALOGUE:
        homes = _REGISTRY_OF.get(name, "docker.io")
        for home in (homes if isinstance(homes, tuple) else (homes,)):
            host, _, prefix = home.partition("/")
            out[(host, f"{prefix}/{name}" if prefix else name)] = name
    return out


_HOMES = _homes()


def _home(registry: str, repo: str) -> str | None:
    return _HOMES.get((registry, repo))


def classify(ref: str) -> str:
    """"known" (catalogue repository and tag), "missing" (fails to pull) or "generic"."""
    return _classify(ref) if isinstance(ref, str) else "missing"


@lru_cache(maxsize=4096)  # the kubelet asks for every container event; the answer never changes
def _classify(ref: str) -> str:
    try:
        registry, repo, tag, digest = parse_reference(ref)
    except ValueError:
        return "missing"
    if not well_formed(ref):
        return "missing"
    home = _home(registry, repo)
    if home is not None:
        tags, _ = _CATALOGUE[home]
        return "known" if digest is not None or tag in tags else "missing"
    if registry == "docker.io" and repo.startswith("library/"):
        return "generic" if repo[len("library/"):] in OFFICIAL_GENERIC else "missing"
    return "generic"


def lookup(ref: str) -> Image | None:
    """The image if it can be pulled from the (fake) registry, else None."""
    return _lookup(ref) if isinstance(ref, str) else None


@lru_cache(maxsize=4096)
def _lookup(ref: str) -> Image | None:
    kind = classify(ref)
    if kind == "missing":
        return None
    registry, repo, tag, digest = parse_reference(ref)
    if kind == "generic":
        return Image(repo=repo, app="generic", ports=ANY_PORT, size_mb=40, term_seconds=0.5,
                     version=tag or "latest")
    name = _home(registry, repo)
    tags, spec = _CATALOGUE[name]
    return Image(repo=name, version=tag or "latest", **spec)


def notice_for_unknown(ref: str) -> str:
    """What the console says, once, the first time an image of the generic kind is used."""
    return (f'Note: Rollout Lab does not know what the image "{ref}" serves: its containers start and keep '
            "running, and answer HTTP on any port with a placeholder page.\n")


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


def _flag(argv: list[str], name: str, default: str) -> str:
    """A Go flag's value from argv (`--name=v`, `-name=v`, `--name v`)."""
    for i, a in enumerate(argv):
        for prefix in (f"--{name}=", f"-{name}="):
            if a.startswith(prefix):
                return a[len(prefix):]
        if a in (f"--{name}", f"-{name}") and i + 1 < len(argv):
            return argv[i + 1]
    return default


def agnhost_subcommand(argv: list[str]) -> str:
    """The agnhost subcommand a container runs (`/agnhost netexec --http-port=8080`, or the args
    alone: the image's entrypoint is /agnhost)."""
    words = [w for w in argv if not w.endswith("agnhost")]
    return next((w for w in words if not w.startswith("-")), "")


def listens_on(image: Image, state: dict) -> tuple[int, ...] | None:
    """The ports a running container of an argument-driven image listens on (None: every port)."""
    argv = state.get("argv") or []
    if image.app == "agnhost":
        sub = agnhost_subcommand(argv)
        if sub == "netexec":
            return (int(_flag(argv, "http-port", "8080") or 8080),)
        if sub == "serve-hostname":
            return (int(_flag(argv, "port", "9376") or 9376),)
        return ()
    if image.app == "http-echo":
        listen = _flag(argv, "listen", ":5678")
        return (int(listen.rsplit(":", 1)[-1] or 5678),)
    if image.app == "generic":
        return None
    return image.ports


def _answer(image: Image, state: dict, hostname: str, port: int, path: str) -> tuple[int, str] | None:
    if port not in image.ports:
        return None
    try:
        ports = listens_on(image, state)
    except ValueError:
        return None
    if ports is not None and port not in ports:
        return None
    app = image.app
    if app in _SIMPLE_APPS:
        state["requests"] = state.get("requests", 0) + 1
        return _SIMPLE_APPS[app](image, state, hostname, port, path)
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
        release = _nginx_release(image.version)
        html = state.get("html")
        route = (path or "/").split("?", 1)[0]
        if html is None:  # the image's own html root
            return (200, NGINX_PAGE) if route in ("/", "/index.html") else (404, nginx_404(release))
        name = "index.html" if route.endswith("/") else route.lstrip("/")
        if name in html:
            return 200, html[name]
        # a directory without index.html: autoindex is off, so 403 (ngx_http_index_module)
        return (403, nginx_error(403, "Forbidden", release)) if route.endswith("/") else (404, nginx_404(release))
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


def _nginx_release(tag: str) -> str:
    version = nginx_version(tag)
    if version is not None:
        return ".".join(str(n) for n in version)
    base = tag.split("-")[0]
    return base if base.count(".") == 2 else {"0.8": "1.11.13"}.get(base, base + ".0" if base[:1].isdigit() else "1.27.5")


def _path_only(path: str) -> tuple[str, dict[str, str]]:
    from urllib.parse import parse_qs, urlsplit

    parts = urlsplit(path or "/")
    return parts.path or "/", {k: v[0] for k, v in parse_qs(parts.query).items()}


def _agnhost(image, state, hostname, port, path):
    """test/images/agnhost netexec (rootHandler `NOW: <time>`, /hostname, /echo?msg=, /healthz,
    /clientip, 404 otherwise) and serve-hostname (the hostname on every path)."""
    sub = agnhost_subcommand(state.get("argv") or [])
    if sub == "serve-hostname":
        return 200, hostname
    route, query = _path_only(path)
    if route == "/":
        return 200, f"NOW: {state.get('now_text', '2026-01-01 09:00:00 +0000 UTC')}"
    if route == "/hostname":
        return 200, hostname
    if route == "/echo":
        return 200, query.get("msg", "")
    if route in ("/healthz", "/readyz"):
        return 200, ""
    if route == "/clientip":
        return 200, f"{state.get('client', '10.244.0.1')}:40000"
    return 404, "404 page not found\n"


def _echoserver(image, state, hostname, port, path):
    """registry.k8s.io/echoserver (nginx + lua): the request it received, echoed back."""
    route, _ = _path_only(path)
    query = path.split("?", 1)[1] if "?" in path else "nil"
    version = "nginx: 1.10.0 - lua: 10001" if image.version == "1.4" else "nginx: 1.13.3 - lua: 10008"
    return 200, (f"\n\nHostname: {hostname}\n\nPod Information:\n\t-no pod information available-\n\n"
                 f"Server values:\n\tserver_version={version}\n\nRequest Information:\n"
                 f"\tclient_address={state.get('client', '10.244.0.1')}\n\tmethod=GET\n\treal path={route}\n"
                 f"\tquery={query}\n\trequest_version=1.1\n\trequest_scheme=http\n"
                 f"\trequest_uri=http://{hostname}:{port}{path or '/'}\n\nRequest Headers:\n\taccept=*/*\n"
                 f"\thost={hostname}:{port}\n\tuser-agent={CURL_AGENT}\n\nRequest Body:\n\t-no body in request-\n\n")


def _echo_server(image, state, hostname, port, path):
    """kicbase/echo-server (minikube's hello-minikube): who served the request and the request."""
    return 200, (f"Request served by {hostname}\n\nHTTP/1.1 GET {path or '/'}\n\nHost: {hostname}:{port}\n"
                 f"Accept: */*\nUser-Agent: {CURL_AGENT}\n")


def _hello_app(image, state, hostname, port, path):
    """google-samples/hello-app main.go: `Hello, world!`, `Version: 1.0.0`, `Hostname: …`."""
    version = "2.0.0" if image.version.startswith("2") else "1.0.0"
    return 200, f"Hello, world!\nVersion: {version}\nHostname: {hostname}\n"


def _nginxdemos_hello(image, state, hostname, port, path):
    if "plain-text" in image.version:
        return 200, (f"Server address: {state.get('pod_ip', '10.244.0.2')}:{port}\nServer name: {hostname}\n"
                     f"Date: {state.get('date_text', '01/Jan/2026:09:00:00 +0000')}\nURI: {path or '/'}\n"
                     f"Request ID: {state.get('requests', 0):032x}\n")
    return 200, (f"<!DOCTYPE html>\n<html>\n<head>\n<title>Hello World</title>\n</head>\n<body>\n"
                 f"<p><span>Server&nbsp;name:</span> <span>{hostname}</span></p>\n"
                 f"<p><span>URI:</span> <span>{path or '/'}</span></p>\n</body>\n</html>\n")


def _whoami(image, state, hostname, port, path):
    """traefik/whoami: hostname, addresses, then the request as received."""
    return 200, (f"Hostname: {hostname}\nIP: 127.0.0.1\nIP: {state.get('pod_ip', '10.244.0.2')}\n"
                 f"RemoteAddr: {state.get('client', '10.244.0.1')}:40000\nGET {path or '/'} HTTP/1.1\n"
                 f"Host: {hostname}:{port}\nUser-Agent: {CURL_AGENT}\nAccept: */*\n\n")


def _http_echo(image, state, hostname, port, path):
    """hashicorp/http-echo: the -text argument on every path."""
    return 200, _flag(state.get("argv") or [], "text", "") + "\n"


def _hello_kubernetes(image, state, hostname, port, path):
    return 200, (f"<!DOCTYPE html>\n<html>\n<head>\n<title>Hello Kubernetes!</title>\n</head>\n<body>\n"
                 f"<h1>Hello world!</h1>\n<p>pod: {hostname}</p>\n</body>\n</html>\n")


def _serve_hostname(image, state, hostname, port, path):
    return 200, hostname


def _generic(image, state, hostname, port, path):
    return 200, (f"Rollout Lab placeholder: {hostname} runs {image.repo}:{image.version}, an image whose "
                 "behaviour Rollout Lab does not know.\n")


_SIMPLE_APPS = {"agnhost": _agnhost, "echoserver": _echoserver, "echo-server": _echo_server,
                "hello-app": _hello_app, "nginxdemos-hello": _nginxdemos_hello, "whoami": _whoami,
                "http-echo": _http_echo, "hello-kubernetes": _hello_kubernetes,
                "serve-hostname": _serve_hostname, "generic": _generic}


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
    words = [str(w) for w in (command or []) + (args or [])]
    if image.app == "agnhost":
        # /agnhost without a known long-running subcommand prints its usage and exits
        return None if agnhost_subcommand(words) in ("netexec", "serve-hostname", "pause", "porter",
                                                     "test-webserver", "liveness", "fake-gitserver") else 0.0
    if image.app == "http-echo":
        return None if _flag(words, "text", "") else 0.0  # "Missing -text option!" and exit
    if image.app != "busybox":
        return None
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
