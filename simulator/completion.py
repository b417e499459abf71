"""Tab completion for the console: candidates that replace the last (partial) word of a line.

Modelled on kubectl's cobra completion (`kubectl __complete`, pkg/cmd/util/completion.go and
pkg/cmd/completion): verbs and subcommands, resource types (plural, short and singular names),
object names of a type in the namespace the line selects (-n/--namespace, else default;
-A/--all-namespaces: every namespace), TYPE/NAME words, the command's own flags (long and
shorthand), flag values (-f files, -n namespaces, -o formats, --context/--cluster/--user), and
explain field paths (`deploy.spec.<Tab>`). Shell words complete file names (ls, cat), Service
names (curl), and after a pipe the filters the console knows.
"""
from __future__ import annotations

import re

from .kubectl import cli, resources
from .kubectl import commands_spec as spec
from .kubectl.commands_spec import Command, Flag

_KUBECTL = ("kubectl", "k")
_PIPE_FILTERS = ("grep", "head", "tail", "wc")

# Which positional arguments a command takes (cobra ValidArgsFunction of each verb).
_RESOURCE_COMMANDS = {("get",), ("describe",), ("delete",), ("edit",), ("label",), ("annotate",), ("patch",),
                      ("expose",), ("autoscale",), ("set", "image"), ("set", "env"), ("set", "resources"),
                      ("set", "selector"), ("set", "serviceaccount"), ("set", "subject")}
# polymorphichelpers: the kinds each verb can act on
_ROLLOUT_KINDS = ("Deployment", "DaemonSet", "StatefulSet")
_SCALE_KINDS = ("Deployment", "ReplicaSet", "ReplicationController", "StatefulSet")
_EXPOSE_KINDS = ("Deployment", "ReplicaSet", "ReplicationController", "Pod", "Service")
_POD_COMMANDS = {("logs",), ("exec",), ("attach",), ("port-forward",), ("cp",)}
_CONTEXT_COMMANDS = {("config", "use-context"), ("config", "get-contexts")}
_CONTEXT = "kind-kind"
_FILE_FLAGS = {"filename", "kubeconfig", "patch-file", "template"}
_FORMATS = re.compile(r"One of:? \(?([a-z0-9\-|, ']+)\)?")


def complete(cluster, text: str) -> list[str]:
    """Sorted candidates for the word at the end of `text` (each starts with that word)."""
    if not isinstance(text, str):
        return []
    words = text.split(" ")
    current = words[-1]
    before = [w for w in words[:-1] if w]
    if "|" in before:
        idx = len(before) - 1 - before[::-1].index("|")
        before = before[idx + 1:]
        if not before:
            return _match(_PIPE_FILTERS, current)
    if not before:
        from .shell import SHELL_WORDS

        return _match(set(SHELL_WORDS) | set(_KUBECTL), current)
    head = before[0]
    if head in ("cat", "ls"):
        return _match(cluster.files, current)
    if head == "curl":
        return _match(_object_names(cluster, "Service", "default"), current)
    if head == "help" and len(before) == 1:
        return []
    if head not in _KUBECTL:
        return []
    return _kubectl(cluster, before[1:], current)


def _match(options, prefix: str) -> list[str]:
    return sorted({o for o in options if o.startswith(prefix)})


# ---- kubectl ------------------------------------------------------------------------------------

def _kubectl(cluster, args: list[str], current: str) -> list[str]:
    if args[:1] == ["help"]:
        path, _ = cli.find(args[1:])
        cmd = spec.lookup(path)
        return _match(_subcommand_names(cmd), current) if cmd is not None else []
    path, rest = cli.find(args)
    cmd = spec.lookup(path)
    if cmd is None:
        return []
    flags = cli.flag_set(path)
    positional, pending, values = _scan(rest, flags)
    if pending is not None:  # the previous word is a flag that wants a value
        return _flag_values(cluster, path, pending, values, current, prefix="")
    if current.startswith("-"):
        return _flag_words(cluster, path, flags, values, current)
    if not path:
        return _match(_subcommand_names(spec.ROOT), current)
    if cmd.subcommands and not positional:
        subs = _subcommand_names(cmd)
        if not cmd.runnable or cmd.group or path == ("create",):
            return _match(subs, current)
        extra = _positionals(cluster, path, [], values, current)
        return sorted(set(_match(subs, current)) | set(extra))
    return _positionals(cluster, path, positional, values, current)


def _subcommand_names(cmd: Command) -> list[str]:
    return [c.name for c in cmd.subcommands if not c.hidden]


def _scan(words: list[str], flags: dict[str, Flag]):
    """Split the words after the command path into positionals and flag values; `pending` is a
    flag still waiting for its value (the word being completed)."""
    shorts = {f.shorthand: f for f in flags.values() if f.shorthand}
    positional, values, pending = [], {}, None
    i = 0
    while i < len(words):
        w = words[i]
        i += 1
        if w == "--":
            positional.extend(words[i:])
            break
        if w.startswith("--") and len(w) > 2:
            name, eq, val = w[2:].partition("=")
            f = flags.get(name.replace("_", "-"))
            if f is None:
                continue
            if eq or f.no_opt_default is not None:
                values[f.name] = val if eq else f.no_opt_default
            elif i < len(words):
                values[f.name] = words[i]
                i += 1
            else:
                pending = f
        elif w.startswith("-") and len(w) > 1:
            f = shorts.get(w[1])
            if f is None:
                continue
            if len(w) > 2 or f.no_opt_default is not None:
                values[f.name] = w[3:] if w[2:3] == "=" else (w[2:] if f.no_opt_default is None else f.no_opt_default)
            elif i < len(words):
                values[f.name] = words[i]
                i += 1
            else:
                pending = f
        else:
            positional.append(w)
    return positional, pending, values


def _flag_words(cluster, path, flags: dict[str, Flag], values: dict, current: str) -> list[str]:
    if current.startswith("--") and "=" in current:
        name, _, val = current[2:].partition("=")
        f = flags.get(name)
        if f is None or f.type == "bool":
            return []
        return _flag_values(cluster, path, f, values, val, prefix=f"--{name}=")
    visible = [f for f in flags.values() if not f.hidden and not f.deprecated]
    longs = [f"--{f.name}" for f in visible]
    if current.startswith("--"):
        return _match(longs, current)
    # a lone "-": shorthands and long names, as cobra lists them
    return _match(longs + [f"-{f.shorthand}" for f in visible if f.shorthand], current)


def _flag_values(cluster, path, f: Flag, values: dict, current: str, prefix: str) -> list[str]:
    if f.name in _FILE_FLAGS:
        options = _files(cluster, current)
    elif f.name == "namespace":
        options = _object_names(cluster, "Namespace", "")
    elif f.name == "output":
        options = _output_formats(f)
    elif f.name in ("context", "cluster", "user"):
        options = [_CONTEXT]
    else:
        return []
    return [prefix + o for o in _match(options, current)]


def _output_formats(f: Flag) -> list[str]:
    # the formats a command's -o accepts are listed in its usage text ("One of: (json, yaml, …)")
    m = _FORMATS.search(f.usage)
    if not m:
        return []
    return [w.strip(" '") for w in re.split(r"[|,]| or ", m.group(1)) if w.strip(" '")]


def _files(cluster, current: str) -> list[str]:
    """File names, and the folders of nested names (`manifests/`) as kubectl -f accepts them."""
    out = set()
    for name in cluster.files:
        if "/" in name:
            folder = name.split("/", 1)[0] + "/"
            out.add(name if current.startswith(folder) else folder)
        else:
            out.add(name)
    return sorted(out)


def _namespace(values: dict) -> str | None:
    if values.get("all-namespaces") in ("true", True):
        return None
    return values.get("namespace") or "default"


def _object_names(cluster, kind: str, ns: str | None) -> list[str]:
    store = cluster._eng.store
    return [o["metadata"]["name"] for o in store.list(kind, ns)]


def _type_words(kinds: tuple[str, ...] | None) -> list[str]:
    """Plural and short names of every type (restricted to `kinds`), singular names of served ones."""
    out = []
    for rt in resources.RESOURCE_TYPES:
        if kinds is not None and rt.kind not in kinds:
            continue
        out.append(rt.plural)
        out.extend(rt.short_names)
        if rt.simulated:
            out.append(rt.singular)
    return out


def _kinds_for(path: tuple[str, ...]) -> tuple[str, ...] | None:
    if path[:1] == ("rollout",):
        return _ROLLOUT_KINDS
    if path == ("scale",) or path == ("autoscale",):
        return _SCALE_KINDS
    if path == ("expose",):
        return _EXPOSE_KINDS
    return None


def _resolve(word: str):
    try:
        return resources.resolve(word)
    except Exception:  # an unknown type: nothing to offer
        return None


def _names_of(cluster, rt, values: dict) -> list[str]:
    if rt is None or not rt.simulated:
        return []
    ns = _namespace(values) if rt.namespaced else ""
    return _object_names(cluster, rt.kind, ns)


def _positionals(cluster, path, positional: list[str], values: dict, current: str) -> list[str]:
    if path == ("explain",):
        return _explain_paths(current) if not positional else []
    if path in _CONTEXT_COMMANDS:
        return _match([_CONTEXT], current)
    if path in _POD_COMMANDS:
        if positional:
            return []
        return _match(_object_names(cluster, "Pod", _namespace(values)), current)
    takes_types = path in _RESOURCE_COMMANDS or path[:1] == ("rollout",) or path in (("scale",),)
    if not takes_types:
        return []
    if path[:1] == ("set",) and positional and any("=" in p for p in positional):
        return []
    if "/" in current:  # TYPE/NAME
        word, _, partial = current.partition("/")
        names = _names_of(cluster, _resolve(word), values)
        return [f"{word}/{n}" for n in _match(names, partial)]
    if not positional:
        words = _type_words(_kinds_for(path))
        if path == ("get",):
            words.append("all")
        return _match(words, current)
    first = positional[0]
    if path == ("set", "image"):
        target = first.split("/", 1) if "/" in first else positional[:2]
        if len(target) == 2:
            return _match(_containers(cluster, _resolve(target[0]), target[1], values), current)
    if "/" in first or "," in first or first == "all":
        return []  # TYPE/NAME words or several types: names are not expected after them
    return _match(_names_of(cluster, _resolve(first), values), current)


def _containers(cluster, rt, name: str, values: dict) -> list[str]:
    """`kubectl set image deploy/x <Tab>`: `container=` for each container of the template."""
    if rt is None or not rt.simulated:
        return []
    obj = cluster._eng.store.get(rt.kind, _namespace(values) or "default", name)
    if obj is None:
        return []
    spec_ = obj.get("spec") or {}
    pod = (spec_.get("template") or {}).get("spec") if "template" in spec_ else spec_
    return [c.get("name", "") + "=" for c in (pod or {}).get("containers") or []]


def _explain_paths(current: str) -> list[str]:
    from .kubectl import explain

    head, dot, rest = current.partition(".")
    if not dot:
        return _match(_type_words(tuple(explain.SCHEMAS)), current)
    rt = _resolve(head)
    node = explain.SCHEMAS.get(rt.kind) if rt is not None else None
    if node is None:
        return []
    *parents, partial = rest.split(".")
    for name in parents:
        children = node[2]
        if name not in children:
            return []
        node = children[name]
    base = current[: len(current) - len(partial)]
    return [base + name for name in _match(node[2], partial)]
