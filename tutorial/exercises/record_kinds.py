"""The check kinds that read what happened over time rather than the objects now: `command:`
(the console log), `timeline:` (a Deployment's samples), `service:` and `traffic:` (a Service's
samples and curl answers). Details: VOCABULARY.md."""
from __future__ import annotations

import functools
import re

from .check_base import (DEFAULT_NAMESPACE, Outcome, _deployment_body, _mapping, _name, _namespace, _only_keys,
                         window)
from .comparisons import SpecError, comparison_body

_LEADING_KUBECTL = re.compile(r"^(?:kubectl|k)(?:\s+|$)")


# Every grading reads the whole console log (up to 1,000 lines) once per `command:` check and per
# exercise (feedback.learner_actions): the same lines again and again, so short ones are remembered
# (4,096 lines of at most 200 characters: under 2 MB; a longer line is rare and worked out each time).
CACHED_LINE_CHARS = 200


def command_text(line: str) -> str:
    """A logged console line as `command:` patterns see it: whitespace collapsed, `kubectl`/`k` removed."""
    line = line if type(line) is str else str(line)
    return _command_text(line) if len(line) <= CACHED_LINE_CHARS else _uncached_command_text(line)


def _uncached_command_text(line: str) -> str:
    return _LEADING_KUBECTL.sub("", " ".join(line.split()), count=1)


_command_text = functools.lru_cache(maxsize=4096)(_uncached_command_text)


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


def command_fold(ctx, spec):
    """_eval_command as a fold over the log's entries (logscan.LogScan): (start, step, outcome).
    The state is (a line matching `after` was seen, hits since the last such line, the first three
    of them); lines before `since` are left out, as _eval_command leaves them."""
    after, match = spec.get("after"), spec["match"]

    def step(state, entry):
        if not ctx.after(entry.get("t")):
            return state
        marked, count, first = state
        line = entry.get("line", "")
        text = command_text(line)
        if after is not None:
            if after(text):  # only the lines after the last one matching `after` count
                return True, 0, ()
            if not marked:
                return state
        if match(text):
            return marked, count + 1, first + (line,) if len(first) < 3 else first
        return state

    def outcome(state):
        count, first = state[1], state[2]
        if spec.get("times") is not None:
            return Outcome(spec["times"].holds(count), count)
        return Outcome((count > 0) == spec["used"], list(first))

    return (False, 0, ()), step, outcome


TIMELINE_FACTS = ("min_available", "max_pods", "max_surge_seen", "rollouts_completed",
                  "new_pods_while_paused", "revisions_seen", "longest_stall")


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


def _longest_stall(samples: list[dict], since: float | None, now: float | None):
    """Longest simulated time one of the learner's rollouts spent without any change (no pod
    created, ready, available or removed): the time from a sample inside an unpaused rollout to
    the next sample, or to `now` while it still stands. A rollout stopped by a failing readiness
    probe stalls until the progress deadline and beyond (K8S-FACTS: the controller only marks it
    ProgressDeadlineExceeded, kubernetes pkg/controller/deployment/progress.go); pods that start
    normally move it every few seconds. None when no such rollout was seen."""
    in_window = window(samples, since)
    flags = _rolling_flags(samples, since)[len(samples) - len(in_window):]
    longest = None
    for i, (s, rolling) in enumerate(zip(in_window, flags)):
        if not rolling or s.get("paused"):
            continue
        end = in_window[i + 1].get("t") if i + 1 < len(in_window) else now
        if isinstance(end, (int, float)):
            longest = max(longest or 0.0, round(end - s.get("t", 0), 3))
    return longest


def timeline_fact(samples: list[dict], fact: str, since: float | None = None, now: float | None = None):
    """One fact over a Deployment's samples (simulator/timeline.py) from `since` on; None when
    there is nothing to measure. `samples` is the whole record: rollouts started before `since`
    are still known as rollouts. `now`: the cluster's time (a rollout stalled until now)."""
    if fact == "longest_stall":
        return _longest_stall(samples, since, now)
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
    value = timeline_fact(samples, spec["fact"], ctx.since, now=ctx.cluster.now)
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
    ep = ctx.get("Endpoints", namespace, name)
    return sum(len(s.get("addresses") or ()) for s in (ep or {}).get("subsets") or ())


def _eval_service(ctx, spec):
    svc = ctx.get("Service", spec["namespace"], spec["name"])
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
    """Host names that reach a Service from a pod in `default` (simulator/network.py _find_service)."""
    hosts = {f"{name}.{namespace}", f"{name}.{namespace}.svc", f"{name}.{namespace}.svc.cluster.local"}
    if namespace == DEFAULT_NAMESPACE:
        hosts.add(name)
    if cluster_ip:
        hosts.add(cluster_ip)
    return hosts


def _eval_traffic(ctx, spec):
    svc = ctx.get("Service", spec["namespace"], spec["name"])
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
