"""Tab completion for the console: verbs, resource types, object names and flags."""
from __future__ import annotations

from .kubectl import commands_spec as spec
from .kubectl import resources

_SHELL = ["cat", "clear", "curl", "echo", "help", "kubectl", "ls", "sleep"]
_TYPES = ["deployments", "replicasets", "pods", "services", "endpoints", "events", "replicationcontrollers",
          "namespaces", "nodes", "all"]


def complete(cluster, text: str) -> list[str]:
    words = text.split(" ")
    current = words[-1]
    before = [w for w in words[:-1] if w]
    if not before:
        return sorted(w for w in _SHELL + ["k"] if w.startswith(current))
    if before[0] in ("cat", "ls"):
        return sorted(f for f in cluster.files if f.startswith(current))
    if before[0] not in ("kubectl", "k"):
        return []
    args = before[1:]
    if current.startswith("-"):
        path = tuple(a for a in args if not a.startswith("-"))[:2]
        cmd = None
        while path and cmd is None:
            try:
                cmd = spec.lookup(path)
            except Exception:
                cmd = None
            if cmd is None:
                path = path[:-1]
        flags = [f"--{f.name}" for f in (cmd.flags if cmd else ()) if not f.hidden and not f.deprecated]
        return sorted(f for f in set(flags) if f.startswith(current))
    positional = [a for a in args if not a.startswith("-")]
    if args and args[-1] in ("-f", "--filename"):
        return sorted(f for f in cluster.files if f.startswith(current))
    if not positional:
        return sorted(c.name for c in spec.ROOT.children if c.name.startswith(current) and not c.hidden)
    verb = positional[0]
    try:
        group = spec.lookup((verb,))
    except Exception:
        group = None
    if group is not None and getattr(group, "children", None) and len(positional) == 1:
        return sorted(c.name for c in group.children if c.name.startswith(current))
    typed = positional[1:] if not (group and getattr(group, "children", None)) else positional[2:]
    if not typed:
        return sorted(t for t in _TYPES if t.startswith(current))
    try:
        rt = resources.resolve(typed[0].split(",")[0])
    except Exception:
        return []
    if not rt.simulated:
        return []
    ns = "default"
    for i, a in enumerate(args):
        if a in ("-n", "--namespace") and i + 1 < len(args):
            ns = args[i + 1]
    names = [o["metadata"]["name"] for o in cluster._eng.store.list(rt.kind, ns if rt.namespaced else "")]
    return sorted(n for n in names if n.startswith(current))
