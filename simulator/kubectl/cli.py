"""kubectl's command line: shell words, then cobra/pflag parsing into an Invocation.

Follows spf13/cobra command.go (Find, stripFlags, argsMinusFirstX, legacyArgs, findSuggestions,
validateRequiredFlags) and spf13/pflag flag.go (parseLongArg, parseSingleShortArg, Set, deprecation
warnings), with kubectl's error layer: templater FlagErrorFunc (`%s\\nSee '%s --help' for usage.`),
cmdutil.UsageErrorf (`%s\\nSee '%s -h' for help and examples`) and DefaultSubCommandRun.
"""
from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass, field
from typing import Any

from simulator.api.errors import CLIError, RawError
from simulator.kubectl import commands_spec as spec
from simulator.kubectl.commands_spec import Command, Flag
from simulator.gofmt import go_quote  # noqa: F401  (re-exported: verbs import it from here)

# ------------------------------------------------------------------------------------------------
# Shell words
# ------------------------------------------------------------------------------------------------


_QUOTING_CHARS = re.compile(r"""['"\\#]""")  # what only the full loop below reads


def tokenize(line: str) -> list[str]:
    """POSIX shell word splitting as bash does it for a simple command (no expansion):
    single quotes literal, double quotes with \\ escaping $ ` " \\, backslash escapes outside
    quotes, `#` starts a comment only at the start of a word."""
    if _QUOTING_CHARS.search(line) is None:
        # no quote, backslash or `#`: the loop below would only split at blanks (most lines:
        # `kubectl get pods` in ~1 µs instead of one Python step per character)
        return [w for w in line.replace("\t", " ").replace("\n", " ").split(" ") if w]
    return _tokenize_quoted(line)


def _tokenize_quoted(line: str) -> list[str]:
    words: list[str] = []
    cur: list[str] = []
    in_word = False
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c in " \t\n":
            if in_word:
                words.append("".join(cur))
                cur, in_word = [], False
            i += 1
        elif c == "#" and not in_word:
            break
        elif c == "'":
            end = line.find("'", i + 1)
            if end < 0:
                raise _eof("'")
            cur.append(line[i + 1:end])
            in_word, i = True, end + 1
        elif c == '"':
            i += 1
            while True:
                if i >= n:
                    raise _eof('"')
                ch = line[i]
                if ch == '"':
                    i += 1
                    break
                if ch == "\\" and i + 1 < n and line[i + 1] in '$`"\\\n':
                    if line[i + 1] != "\n":
                        cur.append(line[i + 1])
                    i += 2
                    continue
                cur.append(ch)
                i += 1
            in_word = True
        elif c == "\\":
            if i + 1 < n:
                if line[i + 1] != "\n":  # backslash-newline is a line continuation
                    cur.append(line[i + 1])
                    in_word = True
                i += 2
            else:
                i += 1  # trailing backslash: bash would wait for more input
        else:
            cur.append(c)
            in_word = True
            i += 1
    if in_word:
        words.append("".join(cur))
    return words


def _eof(quote: str) -> RawError:
    # bash -c: "unexpected EOF while looking for matching `''" then a syntax error line; exit 2
    return RawError(f"bash: unexpected EOF while looking for matching `{quote}'\n"
                    "bash: syntax error: unexpected end of file", exit_code=2)


# ------------------------------------------------------------------------------------------------
# Go value parsing (strconv / time), with Go's error texts
# ------------------------------------------------------------------------------------------------


class _GoError(Exception):
    pass


def parse_bool(s: str) -> bool:
    if s in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if s in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise _GoError(f"strconv.ParseBool: parsing {go_quote(s)}: invalid syntax")


def parse_int(s: str, bits: int = 64, base: int = 0) -> int:
    """strconv.ParseInt(s, base, bits) for base 0 (Go literal prefixes, underscores) or 10."""
    err = lambda what: _GoError(f"strconv.ParseInt: parsing {go_quote(s)}: {what}")
    body, neg = s, False
    if body[:1] in "+-" and body:
        neg, body = body[0] == "-", body[1:]
    b = base
    if base == 0:
        b = 10
        low = body.lower()
        if low.startswith("0x"):
            b, body = 16, body[2:]
        elif low.startswith("0b"):
            b, body = 2, body[2:]
        elif low.startswith("0o"):
            b, body = 8, body[2:]
        elif len(body) > 1 and body.startswith("0"):
            b, body = 8, body[1:]
        if "_" in body:
            # Go allows "_" between digits only in prefixed literals (strconv underscoreOK)
            prefixed = b != 10
            if not prefixed or "__" in body or body.endswith("_") or (b == 8 and body.startswith("_") and not s.lstrip("+-")[:2].lower() == "0o"):
                raise err("invalid syntax")
            body = body.replace("_", "")
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"[:b]
    if not body or any(c not in digits for c in body.lower()):
        raise err("invalid syntax")
    v = int(body, b)
    v = -v if neg else v
    lim = 1 << (bits - 1)
    if v >= lim or v < -lim:
        raise err("value out of range")
    return v


_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(s: str) -> float:
    """time.ParseDuration, returning seconds."""
    orig, q = s, go_quote(s)
    neg = False
    if s[:1] in "+-" and s:
        neg, s = s[0] == "-", s[1:]
    if s == "0":
        return 0.0
    if not s:
        raise _GoError(f"time: invalid duration {q}")
    total = 0.0
    while s:
        m = re.match(r"(\d*)(\.(\d*))?", s)
        whole, frac = m.group(1), m.group(3)
        if not whole and not frac:
            raise _GoError(f"time: invalid duration {q}")
        s = s[m.end():]
        u = re.match(r"[^\d.]*", s).group(0)
        if not u:
            raise _GoError(f"time: missing unit in duration {q}")
        if u not in _UNITS:
            raise _GoError(f"time: unknown unit {go_quote(u)} in duration {q}")
        s = s[len(u):]
        total += float(f"{whole or '0'}.{frac or '0'}") * _UNITS[u]
    if total > 9223372036.854775807:
        raise _GoError(f"time: invalid duration {q}")
    return -total if neg else total


def format_duration(seconds: float) -> str:
    """time.Duration.String() for the defaults we show ("0s", "5s", "1m0s", "20s")."""
    if seconds == 0:
        return "0s"
    h, rem = divmod(int(seconds), 3600)
    m, sec = divmod(rem, 60)
    out = ""
    if h:
        out += f"{h}h"
    if h or m:
        out += f"{m}m"
    return out + f"{sec}s"


def _read_csv(value: str) -> list[str]:
    """pflag stringSlice readAsCSV (encoding/csv, one record)."""
    if value == "":
        return []
    try:
        rows = list(csv.reader(io.StringIO(value), strict=True))
    except csv.Error:
        raise _GoError(f'parse error on line 1, column {len(value)}: bare " in non-quoted-field')
    return rows[0] if rows else []


# ------------------------------------------------------------------------------------------------
# Invocation
# ------------------------------------------------------------------------------------------------


@dataclass
class Invocation:
    path: tuple[str, ...]  # canonical command names, e.g. ("rollout", "undo")
    args: list[str]  # positional arguments after the command path
    flags: dict[str, Any]  # every flag of the command by long name: parsed value or default
    explicit: list[tuple[str, str]]  # flags the user set, in parse order: (long name, raw value)
    wants_help: bool = False
    deprecations: list[str] = field(default_factory=list)  # pflag stderr lines, in order
    dash_at: int | None = None  # cobra ArgsLenAtDash: how many args came before `--`
    words: list[str] = field(default_factory=list)  # every non-flag word as typed (record string)

    @property
    def command(self) -> Command:
        return spec.lookup(self.path)

    def changed(self, name: str) -> bool:
        return any(n == name for n, _ in self.explicit)

    @property
    def namespace(self) -> str:
        return self.flags.get("namespace") or ""

    def help_text(self) -> str:
        from simulator.kubectl.help import render_help

        return render_help(self.path)


def record_string(inv: Invocation) -> str:
    """The `kubernetes.io/change-cause` value `--record` writes (cli-runtime record_flags.go
    parseCommandArguments): "kubectl" + non-flag words + ` --name=value` per flag set, parse order."""
    parts = ["kubectl"] + list(inv.words)
    out = " ".join(parts)
    for name, raw in inv.explicit:
        out += f" --{name}={raw}"
    return out


# ------------------------------------------------------------------------------------------------
# Flag sets
# ------------------------------------------------------------------------------------------------


def _help_flag(cmd: Command) -> Flag:
    return Flag("help", "bool", False, "h", spec.HELP_FLAG_USAGE.format(name=cmd.name), no_opt_default="true")


def flag_set(path: tuple[str, ...]) -> dict[str, Flag]:
    """Local flags of the command, the persistent flags of every ancestor, and cobra's -h/--help
    (the caller's own dict)."""
    return dict(_flags(path))


# The command tree is fixed data (frozen Commands and Flags), so a path's flags, its shorthands
# and its defaults are built once: one command used to merge its flag set ~10 times (finding
# the command, stripping flags, parsing, the typed words), a tenth of Cluster.start.
@functools.lru_cache(maxsize=512)
def _flags(path: tuple[str, ...]) -> dict[str, Flag]:
    """flag_set(path), shared: never modified."""
    cmds = spec.chain(path)
    out: dict[str, Flag] = {}
    for f in cmds[-1].flags + cmds[-1].persistent_flags:
        out[f.name] = f
    for c in reversed(cmds[:-1]):
        for f in c.persistent_flags:
            out.setdefault(f.name, f)
    out.setdefault("help", _help_flag(cmds[-1]))
    return out


def _normalize(name: str) -> str:
    # cliflag.WordSepNormalizeFunc: "_" in flag names reads as "-"
    return name.replace("_", "-")


@functools.lru_cache(maxsize=512)
def _shorts(path: tuple[str, ...]) -> dict[str, Flag]:
    """The flags of `path` by shorthand, shared: never modified."""
    return {f.shorthand: f for f in _flags(path).values() if f.shorthand}


@functools.lru_cache(maxsize=512)
def _defaults(path: tuple[str, ...]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """Every flag's default value (shared: copy it), and the names of the list-valued ones,
    which each parse must copy again (a command may extend its own list)."""
    flags = _flags(path)
    values = {name: _default_value(f) for name, f in flags.items()}
    lists = tuple(name for name, f in flags.items() if f.type in ("stringSlice", "stringArray"))
    return values, lists


def _default_values(path: tuple[str, ...]) -> dict[str, Any]:
    """{name: default} for every flag of `path`, as _default_value gives each: a fresh dict
    with fresh lists."""
    shared, lists = _defaults(path)
    values = dict(shared)
    for name in lists:
        values[name] = list(values[name])
    return values


def _has_noopt_long(name: str, flags: dict[str, Flag]) -> bool:
    f = flags.get(_normalize(name))
    return f is not None and f.no_opt_default is not None


def _has_noopt_short(name: str, shorts: dict[str, Flag]) -> bool:
    if len(name) == 0:
        return False
    f = shorts.get(name[0])
    return f is not None and f.no_opt_default is not None


def _strip_flags(args: list[str], path: tuple[str, ...]) -> list[str]:
    """cobra stripFlags: the words that are not flags or (probable) flag values."""
    flags, shorts = _flags(path), _shorts(path)
    commands: list[str] = []
    args = list(args)
    while args:
        s = args.pop(0)
        if s == "--":
            break
        if s.startswith("--") and "=" not in s and not _has_noopt_long(s[2:], flags) or \
                (s.startswith("-") and not s.startswith("--") and "=" not in s and len(s) == 2
                 and not _has_noopt_short(s[1:], shorts)):
            if len(args) <= 1:
                break
            args.pop(0)
            continue
        if s and not s.startswith("-"):
            commands.append(s)
    return commands


def _args_minus_first(args: list[str], x: str, path: tuple[str, ...]) -> list[str]:
    """cobra argsMinusFirstX."""
    flags, shorts = _flags(path), _shorts(path)
    pos = 0
    while pos < len(args):
        s = args[pos]
        if s == "--":
            break
        if s.startswith("--") and "=" not in s and not _has_noopt_long(s[2:], flags) or \
                (s.startswith("-") and not s.startswith("--") and "=" not in s and len(s) == 2
                 and not _has_noopt_short(s[1:], shorts)):
            pos += 2
            continue
        if not s.startswith("-") and s == x:
            return args[:pos] + args[pos + 1:]
        pos += 1
    return args


def find(argv: list[str]) -> tuple[tuple[str, ...], list[str]]:
    """cobra Command.Find: the deepest command named by the non-flag words, and the rest of argv."""
    path: tuple[str, ...] = ()
    cmd, rest = spec.ROOT, list(argv)
    while True:
        words = _strip_flags(rest, path)
        if not words:
            return path, rest
        nxt = cmd.sub(words[0])
        if nxt is None:
            return path, rest
        rest = _args_minus_first(rest, words[0], path)
        path, cmd = path + (nxt.name,), nxt


# ------------------------------------------------------------------------------------------------
# pflag parsing
# ------------------------------------------------------------------------------------------------


def _flag_display(f: Flag) -> str:
    return f"-{f.shorthand}, --{f.name}" if f.shorthand else f"--{f.name}"


def _convert(f: Flag, value: str, current: Any, first: bool) -> Any:
    t = f.type
    if t == "bool":
        return parse_bool(value)
    if t in ("int",):
        return parse_int(value, 64)
    if t == "int32":
        return parse_int(value, 32)
    if t == "int64":
        return parse_int(value, 64)
    if t == "Level":  # klog Level.Set: strconv.ParseInt(value, 10, 32)
        return parse_int(value, 32, base=10)
    if t == "duration":
        return parse_duration(value)
    if t == "stringSlice":
        items = _read_csv(value)
        return items if first else list(current) + items
    if t == "stringArray":
        return [value] if first else list(current) + [value]
    return value


def _default_value(f: Flag) -> Any:
    if f.type in ("stringSlice", "stringArray"):
        return list(f.default)
    if f.type == "duration":
        return parse_duration(f.default)
    return f.default


def _usage_error(path: tuple[str, ...], msg: str) -> CLIError:
    # kubectl templater FlagErrorFunc (pkg/util/templates/templater.go)
    return CLIError(f"{msg}\nSee '{command_path(path)} --help' for usage.")


def command_path(path: tuple[str, ...]) -> str:
    return " ".join(("kubectl",) + path)


def _parse_flags(path: tuple[str, ...], argv: list[str]) -> tuple[dict, list, list, list, int | None]:
    flags, shorts = _flags(path), _shorts(path)
    values = _default_values(path)
    set_once: set[str] = set()
    explicit: list[tuple[str, str]] = []
    deprecations: list[str] = []
    positionals: list[str] = []
    dash_at = None

    def set_flag(f: Flag, value: str) -> None:
        try:
            values[f.name] = _convert(f, value, values[f.name], f.name not in set_once)
        except _GoError as e:
            raise _usage_error(path, f'invalid argument {go_quote(value)} for {go_quote(_flag_display(f))} flag: {e}')
        set_once.add(f.name)
        explicit.append((f.name, value))
        if f.deprecated:
            deprecations.append(f"Flag --{f.name} has been deprecated, {f.deprecated}")

    args = list(argv)
    while args:
        s = args.pop(0)
        if len(s) == 0 or s[0] != "-" or len(s) == 1:
            positionals.append(s)
            continue
        if s[1] == "-":
            if len(s) == 2:  # "--" terminates the flags
                dash_at = len(positionals)
                positionals.extend(args)
                break
            name = s[2:]
            if not name or name[0] in "-=":
                raise _usage_error(path, f"bad flag syntax: {s}")
            name, eq, val = name.partition("=")
            f = flags.get(_normalize(name))
            if f is None:
                raise _usage_error(path, f"unknown flag: --{name}")
            if eq:
                value = val
            elif f.no_opt_default is not None:
                value = f.no_opt_default
            elif args:
                value = args.pop(0)
            else:
                raise _usage_error(path, f"flag needs an argument: {s}")
            set_flag(f, value)
        else:
            shorthands = s[1:]
            while shorthands:
                c = shorthands[0]
                f = shorts.get(c)
                if f is None:
                    raise _usage_error(path, f"unknown shorthand flag: {_go_rune(c)} in -{shorthands}")
                if len(shorthands) > 2 and shorthands[1] == "=":
                    value, shorthands = shorthands[2:], ""
                elif f.no_opt_default is not None:
                    value, shorthands = f.no_opt_default, shorthands[1:]
                elif len(shorthands) > 1:
                    value, shorthands = shorthands[1:], ""
                elif args:
                    value, shorthands = args.pop(0), ""
                else:
                    raise _usage_error(path, f"flag needs an argument: {_go_rune(c)} in -{shorthands}")
                set_flag(f, value)
    return values, explicit, deprecations, positionals, dash_at


def _go_rune(c: str) -> str:
    # %q of a byte/rune: 'z'
    return "'\\''" if c == "'" else ("'\\\\'" if c == "\\" else f"'{c}'")


# ------------------------------------------------------------------------------------------------
# cobra's suggestions
# ------------------------------------------------------------------------------------------------


def levenshtein(s: str, t: str, ignore_case: bool = True) -> int:
    """cobra ld()."""
    if ignore_case:
        s, t = s.lower(), t.lower()
    prev = list(range(len(t) + 1))
    for i, cs in enumerate(s, 1):
        cur = [i]
        for j, ct in enumerate(t, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (cs != ct)))
        prev = cur
    return prev[-1]


def suggestions_for(typed: str, parent: Command = spec.ROOT) -> list[str]:
    """cobra SuggestionsFor: available commands within distance 2, by prefix, or by SuggestFor."""
    out = []
    for c in parent.subcommands:
        if c.hidden or (not c.runnable and not c.subcommands):
            continue
        if levenshtein(typed, c.name) <= 2 or c.name.lower().startswith(typed.lower()):
            out.append(c.name)
        for alt in c.suggest_for:
            if typed.lower() == alt.lower():
                out.append(c.name)
    return out


def unknown_command_error(word: str) -> CLIError:
    sugg = suggestions_for(word)
    tail = ""
    if sugg:
        tail = "\n\nDid you mean this?\n" + "".join(f"\t{s}\n" for s in sugg)
    return CLIError(f'unknown command {go_quote(word)} for "kubectl"{tail}'.rstrip("\n"))


# ------------------------------------------------------------------------------------------------
# parse
# ------------------------------------------------------------------------------------------------


def usage_errorf(path: tuple[str, ...], msg: str) -> CLIError:
    """cmdutil.UsageErrorf."""
    return CLIError(f"{msg}\nSee '{command_path(path)} -h' for help and examples")


def parse(argv: list[str]) -> Invocation:
    """Parse the words after `kubectl` the way kubectl's cobra tree does, raising the exact errors."""
    argv = list(argv)
    if argv[:1] == ["help"]:
        return _help_command(argv[1:])
    path, rest = find(argv)
    cmd = spec.lookup(path)
    if not path:
        # cobra Find -> legacyArgs runs before any flag parsing: a root with leftover words is an
        # unknown command even when later flags are bad too (`kubectl rolling-update ... --image=x`)
        words = _strip_flags(rest, path)
        if words:
            raise unknown_command_error(words[0])
    if path and not cmd.supported and not cmd.subcommands:
        # A verb the console does not simulate answers the same clear message whatever flags it was
        # typed with (`kubectl autoscale deploy x --min=2 --max=5`, `kubectl exec -it pod -- sh`),
        # instead of tripping over flags it never declared; `--help` still prints its help.
        before_dash = rest[:rest.index("--")] if "--" in rest else rest
        if not any(w in ("-h", "--help") or w.startswith("--help=") for w in before_dash):
            raise CLIError(f'"kubectl {" ".join(path)}" is not available in this simulator')
    values, explicit, deprecations, positionals, dash_at = _parse_flags(path, rest)
    words = list(_typed_words(argv, path))
    inv = Invocation(path, positionals, values, explicit, bool(values.get("help")), deprecations, dash_at, words)
    if inv.wants_help:
        return inv
    # cobra legacyArgs: the root with args is an unknown command; with none, kubectl prints help
    if not path:
        if positionals:
            raise unknown_command_error(positionals[0])
        inv.wants_help = True
        return inv
    if cmd.group:
        _default_subcommand_run(inv)
    check_args(inv)
    return inv


def _typed_words(argv: list[str], path: tuple[str, ...]) -> list[str]:
    """Non-flag words as typed, for record_string (pflag ParseAll over os.Args[1:]); `path` is
    find(argv)'s."""
    flags, shorts = _flags(path), _shorts(path)
    out, args = [], list(argv)
    while args:
        s = args.pop(0)
        if s == "--":
            out.extend(args)
            break
        if len(s) < 2 or s[0] != "-":
            out.append(s)
            continue
        if s.startswith("--"):
            name = s[2:]
            f = flags.get(_normalize(name.split("=", 1)[0]))
            if f and "=" not in name and f.no_opt_default is None and args:
                args.pop(0)
        else:
            sh = s[1:]
            while sh:
                f = shorts.get(sh[0])
                if f is None:
                    break
                if len(sh) > 2 and sh[1] == "=":
                    break
                if f.no_opt_default is not None:
                    sh = sh[1:]
                    continue
                if len(sh) == 1 and args:
                    args.pop(0)
                break
    return out


def _default_subcommand_run(inv: Invocation) -> None:
    """cmdutil.DefaultSubCommandRun for group commands: extra words are an unknown command,
    nothing at all prints the command's help on stderr and exits 1."""
    if inv.args:
        raise usage_errorf(inv.path, f'unknown command {go_quote(" ".join(inv.args))}')
    raise RawError(inv.help_text().rstrip("\n"), exit_code=1)


def _help_command(args: list[str]) -> Invocation:
    """cobra's `help [command]`."""
    path, rest = find(args)
    words = _strip_flags(rest, path)
    if words:
        from simulator.kubectl.help import render_usage

        topic = "[" + " ".join(f"`{a}`" for a in args) + "]"
        raise RawError(f"Unknown help topic {topic}\n" + render_usage(()).rstrip("\n"), exit_code=0)
    return Invocation(path, [], _default_values(path), [], True)


# ------------------------------------------------------------------------------------------------
# Argument checks kubectl makes before talking to the server (cobra required flags, then each
# command's Complete/Validate). Later, server-dependent errors belong to the verbs.
# ------------------------------------------------------------------------------------------------

# cli-runtime pkg/resource/builder.go missingResourceError (printed with kubectl's `error: ` prefix)
MISSING_RESOURCE = ("You must provide one or more resources by argument or filename.\n"
                    "Example resource specifications include:\n"
                    "   '-f rsrc.yaml'\n"
                    "   '--filename=rsrc.json'\n"
                    "   '<resource> <name>'\n"
                    "   '<resource>'")
SUGGEST_API_RESOURCES = 'Use "kubectl api-resources" for a complete list of supported resources.'
LOGS_USAGE_ERR = ("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
                  "POD or TYPE/NAME is a required argument for the logs command")


def resources_and_pairs(args: list[str], pair_type: str) -> tuple[list[str], list[str]]:
    """cmdutil.GetResourcesAndPairs: leading resource words, then KEY=VAL / KEY- pairs."""
    resources, pairs, found = [], [], False
    for a in args:
        non_resource = ("=" in a and not a.startswith("=")) or (a.endswith("-") and a != "-")
        if non_resource:
            found = True
            pairs.append(a)
        elif found:
            raise CLIError(f"all resources must be specified before {pair_type} changes: {a}")
        else:
            resources.append(a)
    return resources, pairs


def _no_files(inv: Invocation) -> bool:
    return not inv.flags.get("filename") and not inv.flags.get("kustomize")


def _required_flags(inv: Invocation) -> None:
    # cobra validateRequiredFlags: flags visited in sorted order
    missing = sorted(f.name for f in inv.command.flags if f.required and not inv.changed(f.name))
    if missing:
        raise CLIError('required flag(s) "' + '", "'.join(missing) + '" not set')


def _missing_resource_unless_selected(inv: Invocation, args: list[str]) -> None:
    if not args and _no_files(inv) and not inv.flags.get("selector") and not inv.flags.get("field-selector") \
            and not inv.flags.get("all"):
        raise CLIError(MISSING_RESOURCE)


def _exactly_one_name(inv: Invocation) -> None:
    # cmdutil NameFromCommandArgs: counts the words before `--`
    n = len(inv.args) if inv.dash_at is None else inv.dash_at
    if n != 1:
        raise usage_errorf(inv.path, f"exactly one NAME is required, got {n}")


def check_args(inv: Invocation) -> None:
    _required_flags(inv)
    p, a, f = inv.path, inv.args, inv.flags
    if p == ("get",):
        if not (f["watch"] or f["watch-only"]) and not a and _no_files(inv):
            raise RawError(f"You must specify the type of resource to get. {SUGGEST_API_RESOURCES}\n\n"
                           "error: Required resource not specified.\n"
                           'Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\n'
                           "See 'kubectl get -h' for help and examples")
        if f["show-labels"] and f["output"] not in ("", "wide"):
            raise CLIError(f"--show-labels option cannot be used with {f['output']} printer")
        if f["output-watch-events"] and not (f["watch"] or f["watch-only"]):
            raise usage_errorf(p, "--output-watch-events option can only be used with --watch or --watch-only")
    elif p == ("describe",):
        if not a and _no_files(inv):
            raise CLIError(f"You must specify the type of resource to describe. {SUGGEST_API_RESOURCES}")
    elif p == ("explain",):
        if not a:
            raise CLIError(f"You must specify the type of resource to explain. {SUGGEST_API_RESOURCES}")
        if len(a) > 1:
            raise CLIError("We accept only this format: explain RESOURCE")
    elif p == ("create",):
        if _no_files(inv):
            # create.go: writes this, then DefaultSubCommandRun (unknown command, or help; exit 1)
            head = "Error: must specify one of -f and -k\n\n"
            if a:
                raise RawError(head + usage_errorf(p, f'unknown command {go_quote(" ".join(a))}').render())
            raise RawError(head + inv.help_text().rstrip("\n"))
        if a:
            raise usage_errorf(p, f"Unexpected args: {_go_list(a)}")
    elif p[:1] == ("create",) and len(p) >= 2:
        if spec.lookup(p).supported:
            _exactly_one_name(inv)
    elif p == ("apply",):
        if a:
            raise usage_errorf(p, f"Unexpected args: {_go_list(a)}")
        if _no_files(inv):
            raise CLIError("must specify one of -f and -k")
    elif p == ("replace",):
        if _no_files(inv):
            raise usage_errorf(p, "Must specify --filename to replace")
    elif p in (("delete",), ("expose",), ("edit",)):
        _missing_resource_unless_selected(inv, a)
    elif p == ("scale",):
        if f["replicas"] < 0:
            raise CLIError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
        if f["current-replicas"] < -1:
            raise CLIError("The --current-replicas must specify an integer of -1 or greater")
        _missing_resource_unless_selected(inv, a)
    elif p == ("patch",):
        if f["patch"] and f["patch-file"]:
            raise CLIError("cannot specify --patch and --patch-file together")
        if not f["patch"] and not f["patch-file"]:
            raise CLIError("must specify --patch or --patch-file containing the contents of the patch")
        if f["local"] and a:
            raise CLIError("cannot specify --local and server resources")
        if f["type"] and f["type"].lower() not in ("json", "merge", "strategic"):
            raise CLIError(f"--type must be one of [json merge strategic], not {go_quote(f['type'])}")
        _missing_resource_unless_selected(inv, a)
    elif p == ("run",):
        if not a or inv.dash_at == 0:
            raise usage_errorf(p, "NAME is required for run")
    elif p == ("logs",):
        if not a and not f["selector"]:
            raise usage_errorf(p, LOGS_USAGE_ERR)
        if len(a) == 1 and f["selector"]:
            raise usage_errorf(p, "only a selector (-l) or a POD name is allowed")
    elif p in (("set", "image"), ("set", "env"), ("set", "resources")):
        kind = {"image": "image", "env": "env", "resources": "resources"}[p[1]]
        resources, _ = resources_and_pairs(a, kind) if kind != "resources" else (a, [])
        if not resources and _no_files(inv) and not f.get("selector") and not f.get("local"):
            raise CLIError(MISSING_RESOURCE)
    elif p in (("label",), ("annotate",)):
        what = "label" if p == ("label",) else "annotation"
        resources, pairs = resources_and_pairs(a, what)
        if f["all"] and f["selector"]:
            raise CLIError("cannot set --all and --selector at the same time")
        if f["all"] and f["field-selector"]:
            raise CLIError("cannot set --all and --field-selector at the same time")
        if f["local"]:
            if resources:
                raise CLIError("can only use local files by -f pod.yaml or --filename=pod.json when --local=true is set")
            if _no_files(inv):
                raise CLIError("one or more files must be specified as -f pod.yaml or --filename=pod.json")
        elif not resources and _no_files(inv):
            raise CLIError("one or more resources must be specified as <resource> <name> or <resource>/<name>")
        if not pairs and not f["list"]:
            raise CLIError(f"at least one {what} update is required")
    elif p[:1] == ("rollout",) and len(p) == 2:
        if not a and _no_files(inv):
            raise CLIError("required resource not specified")
        if p[1] in ("status", "history") and f["revision"] < 0:
            raise CLIError(f"revision must be a positive integer: {f['revision']}")


def _go_list(items: list[str]) -> str:
    """fmt %v of a []string."""
    return "[" + " ".join(items) + "]"
