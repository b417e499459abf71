"""`kubectl wait` (kubectl pkg/cmd/wait/wait.go, condition.go, delete.go, json.go at v0.34.5).

--for=condition=NAME[=VALUE] (VALUE defaults to true; both compared case-insensitively, and a
condition whose observedGeneration is older than metadata.generation does not count),
--for=jsonpath='{EXPR}'[=VALUE] (any value when none is given; nested objects or several values
are errors), --for=delete (an object already gone is met at once) and --for=create (polls until
the builder finds the objects). --timeout (default 30s) bounds the whole command; zero checks
once (`condition not met for deployments/x`), negative means a week. Each met object prints
through PrintFlags("condition met"): `deployment.apps/kubia condition met`, or -o name|yaml|….
A blocking command like `rollout status`: it yields until a store event or its deadline."""
from __future__ import annotations

from ...api import kinds
from ...api.errors import CLIError, KubeError, NotFound
from .. import builder
from ..jsonpath import JSONPathError, _Eval, go_value, parse_jsonpath
from ..printers.custom_columns import relaxed_jsonpath
from .patch import print_result

WEEK = 168 * 3600.0
_JSONPATH_FORMAT = ("jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or "
                    "--for=jsonpath='{.status.readyReplicas}'")


def _split_jsonpath_input(text: str) -> list[str]:
    """splitJSONPathInput: split on single `=`; `==` stays in the expression."""
    out, cur, i = [], [], 0
    while i < len(text):
        if text[i] == "=":
            if i < len(text) - 1 and text[i + 1] == "=":
                cur.append("==")
                i += 2
                continue
            out.append("".join(cur))
            cur = []
        else:
            cur.append(text[i])
        i += 1
    out.append("".join(cur))
    return out


def _go_quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Condition:
    """conditionFuncFor: the check one object is put to (None for delete/create)."""

    def __init__(self, spec: str):
        self.spec, self.kind = spec, spec.lower()
        if self.kind in ("delete", "create"):
            return
        if spec.startswith("condition="):
            name, _, value = spec[len("condition="):].partition("=")
            self.kind, self.name = "condition", name
            self.value = value if "=" in spec[len("condition="):] else "true"
            return
        if spec.startswith("jsonpath="):
            parts = _split_jsonpath_input(spec[len("jsonpath="):])
            if not 1 <= len(parts) <= 2:
                raise CLIError(_JSONPATH_FORMAT)
            expr = relaxed_jsonpath(parts[0])
            self.kind, self.value = "jsonpath", None
            if len(parts) == 2:
                self.value = parts[1].strip("'\"")
                if not self.value:
                    raise CLIError("jsonpath wait has to have a value after equal sign, like "
                                   "--for=jsonpath='{.status.readyReplicas}'=3")
            if not expr:
                raise CLIError("jsonpath expression cannot be empty")
            try:
                self.nodes = parse_jsonpath(expr).nodes
            except JSONPathError as err:
                raise CLIError(str(err)) from None
            return
        raise CLIError(f"unrecognized condition: {_go_quote(spec)}")

    def met(self, obj: dict) -> bool:
        if self.kind == "condition":
            return self._condition_met(obj)
        return self._jsonpath_met(obj)

    def _condition_met(self, obj: dict) -> bool:
        """ConditionalWait.checkCondition."""
        status = obj.get("status") or {}
        for c in status.get("conditions") or []:
            if not isinstance(c, dict) or str(c.get("type", "")).casefold() != self.name.casefold():
                continue
            if not isinstance(c.get("status"), str):
                continue
            generation = (obj.get("metadata") or {}).get("generation")
            if isinstance(generation, int):
                observed = c.get("observedGeneration", status.get("observedGeneration"))
                if isinstance(observed, int) and observed < generation:
                    return False
            return c["status"].casefold() == self.value.casefold()
        return False

    def _jsonpath_met(self, obj: dict) -> bool:
        """JSONPathWait.checkCondition, verifyParsedJSONPath, compareResults."""
        try:
            results = _Eval(allow_missing=True).results(self.nodes, obj)
        except JSONPathError as err:
            raise CLIError(str(err)) from None
        if not results or not results[0]:
            return False
        if len(results) > 1:
            raise CLIError("given jsonpath expression matches more than one list")
        if len(results[0]) > 1:
            raise CLIError("given jsonpath expression matches more than one value")
        if self.value is None:
            return True
        value = results[0][0]
        if isinstance(value, (dict, list)):
            raise CLIError("jsonpath leads to a nested object or list which is not supported")
        return go_value(value).strip() == self.value.strip()


def _resource(obj: dict) -> str:
    k = kinds.by_kind(obj["kind"])
    return k.plural if k else obj["kind"].lower() + "s"


def _timeout(inv) -> float:
    value = inv.flags.get("timeout")
    seconds = 30.0 if value is None else float(value)
    return WEEK if seconds < 0 else seconds


def run_wait(ctx, inv):
    cond = _Condition(inv.flags.get("for") or "")
    timeout = _timeout(inv)
    deadline = ctx.now + timeout
    return _run(ctx, inv, cond, timeout, deadline)


def _select(ctx, inv):
    return builder.select(ctx, inv, allow_empty_selector=False, select_all=bool(inv.flags.get("all")))


def _run(ctx, inv, cond: _Condition, timeout: float, deadline: float):
    if cond.kind == "create":
        # RunWait: poll the builder (every 0.5s) until it finds the objects, within the timeout
        while True:
            found = _select(ctx, inv)
            if not any(isinstance(e, NotFound) for e in found.errors) and (found.targets or found.errors):
                break
            if ctx.eng.now >= deadline:
                raise CLIError("timed out waiting for the condition")
            yield min(deadline, ctx.eng.now + 0.5)
    found = _select(ctx, inv)
    errors = [e for e in found.errors if not (cond.kind == "delete" and isinstance(e, NotFound))]
    visited = 0
    for target in found.targets:
        visited += 1
        obj = target.obj
        if cond.kind == "create":
            print_result(ctx, inv, obj, "condition met", "none")
            continue
        if cond.kind == "delete":
            result = yield from _wait_deleted(ctx, obj, timeout, deadline)
        else:
            result = yield from _wait_condition(ctx, obj, cond, timeout, deadline)
        print_result(ctx, inv, result, "condition met", "none")
    if errors:
        for err in errors:
            ctx.err(err.render() + "\n")
        return 1
    if visited == 0 and cond.kind != "delete":
        raise CLIError("no matching resources found")
    return 0


def _live(ctx, obj: dict) -> dict | None:
    m = obj["metadata"]
    return ctx.eng.store.get(obj["kind"], m.get("namespace", ""), m["name"])


def _events(ctx, obj: dict, on_change, deadline: float, timeout_error: str):
    """Listen to the store for this object until on_change says done; the shared deadline."""
    m = obj["metadata"]
    state = {"done": False, "result": None, "error": None}

    def listener(etype, o):
        if state["done"] or o["kind"] != obj["kind"] or o["metadata"].get("namespace", "") != m.get("namespace", "") \
                or o["metadata"]["name"] != m["name"]:
            return
        try:
            on_change(etype, o, state)
        except KubeError as err:
            state["error"], state["done"] = err, True
        if state["done"]:
            ctx.proc.wake = ctx.eng.now  # resume now rather than at the deadline

    unlisten = ctx.eng.store.listen(listener)
    ctx.proc.on_finish(unlisten)
    try:
        while not state["done"]:
            if ctx.eng.now >= deadline:
                raise CLIError(timeout_error)
            yield deadline
    finally:
        unlisten()
    if state["error"] is not None:
        raise state["error"]
    return state["result"]


def _wait_condition(ctx, obj: dict, cond: _Condition, timeout: float, deadline: float):
    """getObjAndCheckCondition: one GET when the timeout is zero, else a watch from the current state."""
    name = f'{_resource(obj)}/{obj["metadata"]["name"]}'
    live = _live(ctx, obj)
    if live is None:
        k = kinds.by_kind(obj["kind"])
        raise NotFound(k.resource if k else _resource(obj), obj["metadata"]["name"])
    if cond.met(live):
        return live
    if timeout == 0:
        raise CLIError(f"condition not met for {name}")

    def on_change(etype, o, state):
        if etype != "DELETED" and cond.met(o):
            state["result"], state["done"] = o, True

    return (yield from _events(ctx, obj, on_change, deadline, f"timed out waiting for the condition on {name}"))


def _wait_deleted(ctx, obj: dict, timeout: float, deadline: float):
    """IsDeleted: gone (or replaced by a new uid) is met at once; else wait for the DELETED event."""
    name = f'{_resource(obj)}/{obj["metadata"]["name"]}'
    live = _live(ctx, obj)
    if live is None or live["metadata"].get("uid") != obj["metadata"].get("uid"):
        return obj
    if timeout == 0:
        raise CLIError(f"condition not met for {name}")

    def on_change(etype, o, state):
        if etype == "DELETED":
            state["result"], state["done"] = live, True

    return (yield from _events(ctx, obj, on_change, deadline, f"timed out waiting for the condition on {name}"))


HANDLES = {
    ("wait",): run_wait,
}
