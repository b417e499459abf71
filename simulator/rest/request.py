"""One parsed API request and the look-ups every verb starts from (the live object, its
resourceVersion precondition): shared by objects.py (the verbs) and subresources.py."""
from __future__ import annotations

from ..api.errors import Conflict, NotFound
from ..kubectl.printers.context import PrintContext


class Request:
    """One parsed API request (what the router found in the path, plus query and headers)."""

    def __init__(self, cluster, method, rt, namespace, name, sub, query, headers, body):
        self.cluster, self.method, self.rt = cluster, method, rt
        self.namespace, self.name, self.sub = namespace, name, sub
        self.query, self.headers, self.body = query, headers, body or b""
        self.eng = cluster._eng  # noqa: SLF001 - the REST layer is part of the simulator

    def q(self, key: str, default: str = "") -> str:
        v = self.query.get(key, default)
        return v[0] if isinstance(v, list) else v

    def flag(self, key: str) -> bool:
        """A boolean query parameter as Go's strconv.ParseBool reads it (`true`, `True`, `1`, `t`)."""
        return self.q(key) in ("1", "t", "T", "true", "TRUE", "True")

    @property
    def kind(self) -> str:
        return self.rt.kind

    @property
    def store_ns(self) -> str:
        return self.namespace if self.rt.namespaced else ""

    @property
    def dry_run(self) -> bool:
        return self.q("dryRun") == "All"

    def print_context(self) -> PrintContext:
        return PrintContext(self.eng.epoch, self.eng.now)


def _not_found(req: Request, name: str | None = None) -> NotFound:
    return NotFound(req.rt.resource, name if name is not None else req.name)


def live_object(req: Request) -> dict:
    obj = req.eng.store.get(req.kind, req.store_ns, req.name)
    if obj is None:
        raise _not_found(req)
    return obj


def precondition_rv(req: Request, live: dict, rv) -> None:
    if rv and rv != live["metadata"].get("resourceVersion"):
        raise Conflict(f'Operation cannot be fulfilled on {req.rt.resource} "{req.name}": the object has been '
                       "modified; please apply your changes to the latest version and try again")
