"""One evaluator per check kind of tutorial/content/README.md (details: VOCABULARY.md).

Every kind has a parser (exercise data → a normalised spec, or SpecError naming the problem) and
an evaluator (spec + the learner's cluster → Outcome). Evaluators read the cluster only through
the public `simulator.Cluster` API (get/list/select/timeline/service_timeline/history/traffic,
resolve_kind and label_selector_error when parsing).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from .comparisons import OPERATORS, Comparison, SpecError, comparison_body, parse_comparison

DEFAULT_NAMESPACE = "default"
# Annotations read here (k8s.io/api apps/v1 and kubectl: polymorphichelpers/history.go).
REVISION_ANNOTATION = "deployment.kubernetes.io/revision"
CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause"
TEMPLATE_KINDS = ("Deployment", "ReplicaSet", "ReplicationController")


@dataclass(frozen=True)
class Outcome:
    passed: bool
    actual: Any = None  # what was measured, for instructors and test failure messages


@dataclass(frozen=True)
class Condition:
    """One check body: its kind and normalised spec (used by checks and by `when:`)."""
    kind: str
    spec: dict


@dataclass
class Context:
    cluster: Any
    since: float | None = None

    def after(self, t) -> bool:
        return self.since is None or (isinstance(t, (int, float)) and t >= self.since)


# ---- shared parsing helpers -------------------------------------------------------------------

_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")


def _resolve_kind(word: str, where: str) -> str:
    """kubectl's resource word (`rc`, `deploy`, `pods`) → Kind, through the simulator's RESTMapper."""
    from simulator import Cluster

    if not isinstance(word, str) or not word:
        raise SpecError(f"{where}: needs a resource type such as deployment or pods")
    kind = Cluster.resolve_kind(word)
    if kind is None:
        # kubectl's words for an unknown type (cmd/util/helpers.go, "doesn't have a resource type")
        raise SpecError(f'{where}: the server doesn\'t have a resource type "{word}" the simulator serves')
    return kind


def _name(value, where: str) -> str:
    if not isinstance(value, str) or not _NAME.match(value) or len(value) > 253:
        raise SpecError(f"{where}: {value!r} is not an object name")
    return value


def _namespace(body: dict, default: str, where: str) -> str:
    ns = body.get("namespace", default) if isinstance(body, dict) else default
    return _name(ns, f"{where}: namespace")


def parse_object_ref(value, where: str) -> tuple[str, str]:
    """`deployment/kubia` → ("Deployment", "kubia")."""
    if not isinstance(value, str) or value.count("/") != 1:
        raise SpecError(f"{where}: objects are written <type>/<name>, e.g. deployment/kubia (got {value!r})")
    word, name = value.split("/")
    return _resolve_kind(word, where), _name(name, where)


def _only_keys(body: dict, allowed: set[str], where: str) -> None:
    for key in body:
        if key not in allowed:
            raise SpecError(f"{where}: unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")


def _mapping(body, where: str) -> dict:
    if not isinstance(body, dict):
        raise SpecError(f"{where}: must be a mapping")
    return body


def _object_body(body, namespace: str, where: str) -> dict:
    """`exists: deployment/kubia` or `exists: {object: deployment/kubia, namespace: x}`."""
    if isinstance(body, dict):
        _only_keys(body, {"object", "namespace"}, where)
        kind, name = parse_object_ref(body.get("object"), f"{where}: object")
        return {"kind": kind, "name": name, "namespace": _namespace(body, namespace, where)}
    kind, name = parse_object_ref(body, where)
    return {"kind": kind, "name": name, "namespace": namespace}


def _deployment_body(body: dict, namespace: str, where: str, extra: set[str]) -> dict:
    _only_keys(body, {"deployment", "namespace"} | extra, where)
    if "deployment" not in body:
        raise SpecError(f"{where}: needs deployment: <name>")
    return {"name": _name(body["deployment"], f"{where}: deployment"), "namespace": _namespace(body, namespace, where)}


def _bool(value, where: str) -> bool:
    if not isinstance(value, bool):
        raise SpecError(f"{where}: must be true or false, not {value!r}")
    return value


# ---- path lookup --------------------------------------------------------------------------------

_SEGMENT = re.compile(r"""\[(\d+)\]|\[(?:"([^"]*)"|'([^']*)')\]|((?:\\.|[^.\[\\])+)|\.""")


def parse_path(path, where: str) -> tuple:
    """`spec.template.spec.containers[0].image` → ("spec", "template", …, 0, "image").
    A key holding dots is written `metadata.annotations["kubernetes.io/change-cause"]` or with `\\.`."""
    if not isinstance(path, str) or not path or path.startswith(".") or path.endswith("."):
        raise SpecError(f"{where}: path must be a dotted path such as spec.replicas (got {path!r})")
    parts: list = []
    pos, expect_key = 0, True
    while pos < len(path):
        m = _SEGMENT.match(path, pos)
        if not m or m.end() == pos:
            raise SpecError(f"{where}: cannot read path {path!r} at character {pos + 1}")
        index, dq, sq, key = m.groups()
        if index is not None:
            parts.append(int(index))
        elif dq is not None or sq is not None:
            parts.append(dq if dq is not None else sq)
        elif key is not None:
            if not expect_key:
                raise SpecError(f"{where}: cannot read path {path!r} at character {pos + 1}")
            parts.append(re.sub(r"\\(.)", r"\1", key))
        if m.group(0) == "." and path[m.end():m.end() + 1] in (".", ""):
            raise SpecError(f"{where}: empty part in path {path!r}")
        expect_key = m.group(0) == "."
        pos = m.end()
    return tuple(parts)


def lookup(obj, parts: tuple):
    cur = obj
    for part in parts:
        if isinstance(part, int):
            if not isinstance(cur, list) or part >= len(cur):
                return None
        elif not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


# ---- cluster reading helpers --------------------------------------------------------------------

def _annotations(obj: dict) -> dict:
    return (obj.get("metadata") or {}).get("annotations") or {}


def _terminating(obj: dict) -> bool:
    return bool((obj.get("metadata") or {}).get("deletionTimestamp"))


def _pod_ready(pod: dict) -> bool:
    for cond in (pod.get("status") or {}).get("conditions") or ():
        if cond.get("type") == "Ready":
            return cond.get("status") == "True"
    return False


def _containers(obj: dict) -> list[dict]:
    spec = obj.get("spec") or {}
    if obj.get("kind") != "Pod":
        spec = ((spec.get("template") or {}).get("spec")) or {}
    return [c for c in spec.get("containers") or () if isinstance(c, dict)]


def _revision(obj: dict) -> int:
    try:
        return int(_annotations(obj).get(REVISION_ANNOTATION, "0"))
    except (TypeError, ValueError):
        return 0


def owned_replica_sets(cluster, deployment: dict) -> list[dict]:
    """The ReplicaSets whose controller reference is this Deployment (what rollout history reads)."""
    uid = deployment["metadata"].get("uid")
    out = []
    for rs in cluster.list("ReplicaSet", deployment["metadata"].get("namespace")):
        for ref in rs["metadata"].get("ownerReferences") or ():
            if ref.get("controller") and ref.get("uid") == uid:
                out.append(rs)
    return out


def history_by_revision(cluster, deployment: dict) -> dict[int, dict]:
    """kubectl rollout history: revision → ReplicaSet (polymorphichelpers/history.go; revision 0 skipped)."""
    out = {}
    for rs in owned_replica_sets(cluster, deployment):
        rev = _revision(rs)
        if rev:
            out[rev] = rs
    return out


def window(samples: list[dict], since: float | None) -> list[dict]:
    """Samples from `since` on, led by the last one before `since`: the state the exercise started
    in (a sample taken at `since` itself already shows the first command's effect)."""
    if since is None:
        return list(samples)
    before = [s for s in samples if s.get("t", 0) < since]
    after = [s for s in samples if s.get("t", 0) >= since]
    return [before[-1], *after] if before else after


# ---- kinds ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Kind:
    parse: Callable[[Any, str, str], dict]       # (body, namespace, where) → spec
    evaluate: Callable[[Context, dict], Outcome]


def _parse_exists(body, namespace, where):
    return _object_body(body, namespace, where)


def _eval_exists(ctx, spec):
    obj = ctx.cluster.get(spec["kind"], spec["namespace"], spec["name"])
    return Outcome(obj is not None, obj is not None)


def _eval_absent(ctx, spec):
    obj = ctx.cluster.get(spec["kind"], spec["namespace"], spec["name"])
    return Outcome(obj is None, obj is not None)


def _parse_field(body, namespace, where):
    body = _mapping(body, where)
    _only_keys(body, {"object", "path", "namespace", *OPERATORS}, where)
    spec = _object_body({"object": body.get("object"), "namespace": body.get("namespace", namespace)}, namespace, where)
    spec["path"] = parse_path(body.get("path"), f"{where}: path")
    spec["cmp"] = parse_comparison(body, where)
    return spec


def _eval_field(ctx, spec):
    obj = ctx.cluster.get(spec["kind"], spec["namespace"], spec["name"])
    if obj is None:
        return Outcome(False, None)
    value = lookup(obj, spec["path"])
    return Outcome(spec["cmp"].holds(value), value)


_COUNT_KEYS = {"kind", "selector", "ready", "phase", "image", "terminating", "namespace"}
_POD_PHASES = ("Pending", "Running", "Succeeded", "Failed", "Unknown")


def _parse_count(body, namespace, where):
    body = _mapping(body, where)
    _only_keys(body, _COUNT_KEYS | set(OPERATORS), where)
    kind = _resolve_kind(body.get("kind"), f"{where}: kind")
    spec = {"kind": kind, "namespace": _namespace(body, namespace, where), "cmp": parse_comparison(body, where)}
    if "selector" in body:
        from simulator import Cluster

        text = body["selector"]
        if not isinstance(text, str):
            raise SpecError(f"{where}: selector must be text such as \"app=kubia\"")
        problem = Cluster.label_selector_error(text)
        if problem:
            raise SpecError(f"{where}: selector {text!r}: {problem}")
        spec["selector"] = text
    if "ready" in body or "phase" in body:
        if kind != "Pod":
            raise SpecError(f"{where}: ready and phase apply to pods only")
    if "ready" in body:
        spec["ready"] = _bool(body["ready"], f"{where}: ready")
    if "phase" in body:
        if body["phase"] not in _POD_PHASES:
            raise SpecError(f"{where}: phase must be one of {', '.join(_POD_PHASES)}")
        spec["phase"] = body["phase"]
    if "image" in body:
        if kind != "Pod" and kind not in TEMPLATE_KINDS:
            raise SpecError(f"{where}: image applies to pods and to Deployments/ReplicaSets/ReplicationControllers")
        if not isinstance(body["image"], str) or not body["image"]:
            raise SpecError(f"{where}: image must be an image reference such as luksa/kubia:v2")
        spec["image"] = body["image"]
    spec["terminating"] = _bool(body.get("terminating", False), f"{where}: terminating")
    return spec


def matching_objects(ctx, spec) -> list[dict]:
    out = []
    for obj in ctx.cluster.select(spec["kind"], spec["namespace"], spec.get("selector", "")):
        if _terminating(obj) != spec["terminating"]:
            continue
        if "ready" in spec and _pod_ready(obj) != spec["ready"]:
            continue
        if "phase" in spec and (obj.get("status") or {}).get("phase") != spec["phase"]:
            continue
        if "image" in spec and not any(c.get("image") == spec["image"] for c in _containers(obj)):
            continue
        out.append(obj)
    return out


def _eval_count(ctx, spec):
    n = len(matching_objects(ctx, spec))
    return Outcome(spec["cmp"].holds(n), n)


def _parse_image(body, namespace, where):
    body = _mapping(body, where)
    spec = _deployment_body(body, namespace, where, {"container", *OPERATORS})
    if "container" in body:
        spec["container"] = _name(body["container"], f"{where}: container")
    spec["cmp"] = parse_comparison(body, where)
    return spec


def _eval_image(ctx, spec):
    d = ctx.cluster.get("Deployment", spec["namespace"], spec["name"])
    if d is None:
        return Outcome(False, None)
    containers = _containers(d)
    if "container" in spec:
        image = next((c.get("image") for c in containers if c.get("name") == spec["container"]), None)
    else:  # without a name: the only container (like `kubectl set image` would need)
        image = containers[0].get("image") if len(containers) == 1 else None
    return Outcome(spec["cmp"].holds(image), image)


def _parse_rollout_complete(body, namespace, where):
    spec = _object_body(body, namespace, where)
    if spec["kind"] != "Deployment":
        raise SpecError(f"{where}: rollout_complete applies to deployments")
    return spec


def rollout_complete(d: dict) -> bool:
    """What `kubectl rollout status` reports as success (polymorphichelpers/rollout_status.go), plus
    the Progressing condition the controller sets at the end (deployment/sync.go, NewRSAvailableReason)."""
    meta, spec, status = d.get("metadata") or {}, d.get("spec") or {}, d.get("status") or {}
    replicas = spec.get("replicas", 1)
    if int(status.get("observedGeneration") or 0) < int(meta.get("generation") or 0):
        return False
    updated = int(status.get("updatedReplicas") or 0)
    if updated != replicas or int(status.get("replicas") or 0) != updated:
        return False
    if int(status.get("availableReplicas") or 0) != updated:
        return False
    progressing = next((c for c in status.get("conditions") or () if c.get("type") == "Progressing"), None)
    return progressing is not None and progressing.get("reason") == "NewReplicaSetAvailable"


def _eval_rollout_complete(ctx, spec):
    d = ctx.cluster.get("Deployment", spec["namespace"], spec["name"])
    if d is None:
        return Outcome(False, None)
    done = rollout_complete(d)
    return Outcome(done, done)


def _parse_paused(body, namespace, where):
    body = _mapping(body, where)
    spec = _deployment_body(body, namespace, where, set(OPERATORS))
    spec["cmp"] = parse_comparison(body, where, allowed=("equals", "not_equals"))
    if not isinstance(spec["cmp"].expected, bool):
        raise SpecError(f"{where}: paused compares with true or false")
    return spec


def _eval_paused(ctx, spec):
    d = ctx.cluster.get("Deployment", spec["namespace"], spec["name"])
    if d is None:
        return Outcome(False, None)
    paused = bool((d.get("spec") or {}).get("paused"))
    return Outcome(spec["cmp"].holds(paused), paused)


def _parse_history(body, namespace, where):
    body = _mapping(body, where)
    spec = _deployment_body(body, namespace, where, {"revisions", "count", "change_cause"})
    facts = [k for k in ("revisions", "count", "change_cause") if k in body]
    if len(facts) != 1:
        raise SpecError(f"{where}: needs exactly one of revisions, count, change_cause")
    fact = spec["fact"] = facts[0]
    value = body[fact]
    if fact == "change_cause":
        value = _mapping(value, f"{where}: change_cause")
        _only_keys(value, {"revision", *OPERATORS}, f"{where}: change_cause")
        revision = value.get("revision", "latest")
        if revision != "latest" and not (isinstance(revision, int) and not isinstance(revision, bool) and revision > 0):
            raise SpecError(f"{where}: change_cause revision must be latest or a positive number")
        spec["revision"] = revision
        spec["cmp"] = parse_comparison(value, f"{where}: change_cause")
    else:
        spec["cmp"] = comparison_body(value, f"{where}: {fact}")
        if fact == "revisions" and spec["cmp"].op in ("equals", "not_equals"):
            exp = spec["cmp"].expected
            if not isinstance(exp, list) or not all(isinstance(x, int) and not isinstance(x, bool) for x in exp):
                raise SpecError(f"{where}: revisions {spec['cmp'].op} needs a list of numbers such as [2, 3]")
    return spec


def _eval_history(ctx, spec):
    d = ctx.cluster.get("Deployment", spec["namespace"], spec["name"])
    if d is None:
        return Outcome(False, None)
    history = history_by_revision(ctx.cluster, d)
    if spec["fact"] == "revisions":
        value = sorted(history)
    elif spec["fact"] == "count":
        value = len(history)
    else:
        rev = max(history, default=None) if spec["revision"] == "latest" else spec["revision"]
        rs = history.get(rev) if rev is not None else None
        # rollout_history.go prints "<none>" for a revision without the annotation
        value = None if rs is None else (_annotations(rs).get(CHANGE_CAUSE_ANNOTATION) or "<none>")
    return Outcome(spec["cmp"].holds(value), value)


_LEADING_KUBECTL = re.compile(r"^(?:kubectl|k)(?:\s+|$)")


def command_text(line: str) -> str:
    """A logged console line as `command:` patterns see it: whitespace collapsed, `kubectl`/`k` removed."""
    text = " ".join(str(line).split())
    return _LEADING_KUBECTL.sub("", text, count=1)


def _parse_command(body, namespace, where):
    body = _mapping(body, where)
    _only_keys(body, {"used", "not_used", "times", "after"}, where)
    keys = [k for k in ("used", "not_used") if k in body]
    if len(keys) != 1:
        raise SpecError(f"{where}: needs exactly one of used, not_used")
    times = None
    if "times" in body:
        if keys[0] != "used":
            raise SpecError(f"{where}: times goes with used (how many lines match)")
        times = comparison_body(body["times"], f"{where}: times")
    after = None
    if "after" in body:
        after = _line_matcher(body["after"], f"{where}: after")
    pattern = body[keys[0]]
    match = _line_matcher(pattern, f"{where}: {keys[0]}")
    return {"used": keys[0] == "used", "match": match, "pattern": pattern, "times": times, "after": after}


def _line_matcher(pattern, where: str):
    """A `command:` pattern: a regular expression when it starts with `^`, else a substring."""
    if not isinstance(pattern, str) or not pattern.strip():
        raise SpecError(f"{where}: needs a command text")
    if pattern.startswith("^"):
        try:
            regex = re.compile(pattern)
        except (re.error, RecursionError, OverflowError) as err:
            raise SpecError(f"{where}: invalid regular expression {pattern!r}: {err}") from None
        return regex.search
    needle = " ".join(pattern.split())
    return lambda text: needle in text


def _eval_command(ctx, spec):
    lines = [entry.get("line", "") for entry in ctx.cluster.history if ctx.after(entry.get("t"))]
    if spec.get("after") is not None:
        # only the lines after the last one matching `after` (e.g. since v4 was rolled out)
        marks = [i for i, line in enumerate(lines) if spec["after"](command_text(line))]
        lines = lines[marks[-1] + 1:] if marks else []
    hits = [line for line in lines if spec["match"](command_text(line))]
    if spec.get("times") is not None:
        return Outcome(spec["times"].holds(len(hits)), len(hits))
    return Outcome(bool(hits) == spec["used"], hits[:3])


TIMELINE_FACTS = ("min_available", "max_pods", "max_surge_seen", "rollouts_completed",
                  "new_pods_while_paused", "revisions_seen")


def _parse_timeline(body, namespace, where):
    body = _mapping(body, where)
    spec = _deployment_body(body, namespace, where, set(TIMELINE_FACTS))
    facts = [k for k in TIMELINE_FACTS if k in body]
    if len(facts) != 1:
        raise SpecError(f"{where}: needs exactly one fact ({', '.join(TIMELINE_FACTS)})")
    spec["fact"] = facts[0]
    spec["cmp"] = comparison_body(body[facts[0]], f"{where}: {facts[0]}")
    return spec


def _rolling_flags(samples: list[dict], since: float | None = None) -> list[bool]:
    """Which samples fall inside a rollout after the first: from a change of revision (to one above
    1) until the Deployment is complete again. A pod that dies in a finished rollout is no rollout.
    With `since`, only rollouts that started at `since` or later (the learner's) count: one the
    set-up left running is not the learner's."""
    flags, rolling, prev = [], False, None
    for s in samples:
        if prev is not None and s.get("revision") != prev.get("revision"):
            started = since is None or s.get("t", 0) >= since
            rolling = s.get("revision", 0) > 1 and started
        if s.get("complete"):
            rolling = False
        flags.append(rolling and s.get("revision", 0) > 1)
        prev = s
    return flags


def timeline_fact(samples: list[dict], fact: str, since: float | None = None):
    """One fact over a Deployment's samples (simulator/timeline.py) from `since` on; None when
    there is nothing to measure. `samples` is the whole record: rollouts started before `since`
    are still known as rollouts."""
    if fact == "min_available":
        in_window = window(samples, since)
        flags = _rolling_flags(samples, since)[len(samples) - len(in_window):]
        return min((s["available"] for s, rolling in zip(in_window, flags) if rolling), default=None)
    samples = window(samples, since)
    if fact == "max_pods":
        return max((s["pods"] for s in samples), default=None)
    if fact == "max_surge_seen":
        return max((s["pods"] - s["replicas"] for s in samples), default=None)
    if fact == "rollouts_completed":
        # The first sample is the baseline (a rollout that finished before the window is not
        # counted); after it, every entry into `complete` with a revision not completed before counts.
        count, done_rev, prev = 0, None, None
        for s in samples:
            if s.get("complete"):
                entering = prev is not None and (not prev.get("complete") or prev.get("revision") != s.get("revision"))
                if entering and s.get("revision") != done_rev:
                    count += 1
                done_rev = s.get("revision")
            prev = s
        return count
    if fact == "new_pods_while_paused":
        # `updated` is status.updatedReplicas: the pods of the ReplicaSet matching the current
        # template. Paused before the template changed there is no such ReplicaSet (sync.go
        # getAllReplicaSetsAndSyncRevision with createIfNotExisted=false): 0, while `revision` still
        # names the old one.
        return max((int(s.get("updated") or 0) for s in samples if s.get("paused")), default=0)
    if fact == "revisions_seen":
        return sorted({s["revision"] for s in samples if s.get("revision")})
    raise SpecError(f"unknown timeline fact {fact!r}")


def _eval_timeline(ctx, spec):
    samples = ctx.cluster.timeline(spec["name"], spec["namespace"])
    value = timeline_fact(samples, spec["fact"], ctx.since)
    return Outcome(spec["cmp"].holds(value), value)


def _parse_service(body, namespace, where):
    body = _mapping(body, where)
    _only_keys(body, {"name", "namespace", "never_mixed", "selects", "endpoints"}, where)
    if "name" not in body:
        raise SpecError(f"{where}: needs name: <service name>")
    spec = {"name": _name(body["name"], f"{where}: name"), "namespace": _namespace(body, namespace, where)}
    facts = [k for k in ("never_mixed", "selects", "endpoints") if k in body]
    if len(facts) != 1:
        raise SpecError(f"{where}: needs exactly one of never_mixed, selects, endpoints")
    fact = spec["fact"] = facts[0]
    if fact == "never_mixed":
        if body[fact] is not True:
            raise SpecError(f"{where}: never_mixed can only be true")
    elif fact == "selects":
        labels = _mapping(body[fact], f"{where}: selects")
        if not labels or not all(isinstance(k, str) and isinstance(v, (str, int, float)) and not isinstance(v, bool)
                                 for k, v in labels.items()):
            raise SpecError(f"{where}: selects needs labels such as {{version: v2}}")
        spec["labels"] = {k: str(v) for k, v in labels.items()}
    else:
        spec["cmp"] = comparison_body(body[fact], f"{where}: endpoints")
    return spec


def ready_endpoints(ctx, namespace: str, name: str) -> int:
    ep = ctx.cluster.get("Endpoints", namespace, name)
    return sum(len(s.get("addresses") or ()) for s in (ep or {}).get("subsets") or ())


def _eval_service(ctx, spec):
    svc = ctx.cluster.get("Service", spec["namespace"], spec["name"])
    if spec["fact"] == "never_mixed":
        samples = window(ctx.cluster.service_timeline(spec["name"], spec["namespace"]), ctx.since)
        mixed = [s["t"] for s in samples if sum(1 for n in (s.get("ready") or {}).values() if n > 0) > 1]
        return Outcome(not mixed, mixed[:1])
    if svc is None:
        return Outcome(False, None)
    if spec["fact"] == "selects":
        selector = (svc.get("spec") or {}).get("selector") or {}
        return Outcome(all(selector.get(k) == v for k, v in spec["labels"].items()), selector)
    n = ready_endpoints(ctx, spec["namespace"], spec["name"])
    return Outcome(spec["cmp"].holds(n), n)


def _parse_traffic(body, namespace, where):
    body = _mapping(body, where)
    _only_keys(body, {"service", "namespace", "errors", "requests"}, where)
    if "service" not in body:
        raise SpecError(f"{where}: needs service: <service name>")
    spec = {"name": _name(body["service"], f"{where}: service"), "namespace": _namespace(body, namespace, where)}
    facts = [k for k in ("errors", "requests") if k in body]
    if len(facts) != 1:
        raise SpecError(f"{where}: needs exactly one of errors, requests")
    spec["fact"] = facts[0]
    spec["cmp"] = comparison_body(body[facts[0]], f"{where}: {facts[0]}")
    return spec


_URL = re.compile(r"^(?:https?://)?([^/:]+)")


def service_hosts(name: str, namespace: str, cluster_ip: str | None) -> set[str]:
    """Host names that reach a Service from a pod in `default` (simulator/shell.py _find_service)."""
    hosts = {f"{name}.{namespace}", f"{name}.{namespace}.svc", f"{name}.{namespace}.svc.cluster.local"}
    if namespace == DEFAULT_NAMESPACE:
        hosts.add(name)
    if cluster_ip:
        hosts.add(cluster_ip)
    return hosts


def _eval_traffic(ctx, spec):
    svc = ctx.cluster.get("Service", spec["namespace"], spec["name"])
    hosts = service_hosts(spec["name"], spec["namespace"], ((svc or {}).get("spec") or {}).get("clusterIP"))
    answers = []
    for entry in ctx.cluster.traffic:
        m = _URL.match(str(entry.get("url", "")))
        if m and m.group(1) in hosts and ctx.after(entry.get("t")):
            answers.append(entry)
    if spec["fact"] == "errors":
        # curl's own failures (no connection) are logged with status 0: errors too
        value = sum(1 for a in answers if not (isinstance(a.get("status"), int) and 200 <= a["status"] < 300))
    else:
        value = len(answers)
    return Outcome(spec["cmp"].holds(value), value)


KINDS: dict[str, Kind] = {
    "exists": Kind(_parse_exists, _eval_exists),
    "absent": Kind(_parse_exists, _eval_absent),
    "field": Kind(_parse_field, _eval_field),
    "count": Kind(_parse_count, _eval_count),
    "image": Kind(_parse_image, _eval_image),
    "rollout_complete": Kind(_parse_rollout_complete, _eval_rollout_complete),
    "paused": Kind(_parse_paused, _eval_paused),
    "history": Kind(_parse_history, _eval_history),
    "command": Kind(_parse_command, _eval_command),
    "timeline": Kind(_parse_timeline, _eval_timeline),
    "service": Kind(_parse_service, _eval_service),
    "traffic": Kind(_parse_traffic, _eval_traffic),
}


def parse_condition(body, where: str, namespace: str = DEFAULT_NAMESPACE, *, ignore: tuple[str, ...] = ()) -> Condition:
    """A mapping holding exactly one check kind (plus `ignore` keys such as id/message/namespace)."""
    body = _mapping(body, where)
    kinds = [k for k in body if k in KINDS]
    unknown = [k for k in body if k not in KINDS and k not in ignore and k != "namespace"]
    if unknown:
        raise SpecError(f"{where}: unknown key {unknown[0]!r} (check kinds: {', '.join(KINDS)})")
    if len(kinds) != 1:
        raise SpecError(f"{where}: needs exactly one check kind ({', '.join(KINDS)}), found {len(kinds)}")
    kind = kinds[0]
    namespace = _namespace(body, namespace, where)
    return Condition(kind, KINDS[kind].parse(body[kind], namespace, f"{where}: {kind}"))


def evaluate(cond: Condition, ctx: Context) -> Outcome:
    return KINDS[cond.kind].evaluate(ctx, cond.spec)


__all__ = ["KINDS", "Condition", "Context", "Outcome", "Comparison", "SpecError", "parse_condition",
           "evaluate", "timeline_fact", "rollout_complete", "command_text", "window", "parse_path", "lookup"]
