"""`grep` (`kubectl get pods | grep -c Running`, `grep -n image web.yaml`) as GNU grep 3 reads it.

Patterns are POSIX: basic by default (`a\\|b`, `\\(x\\)\\1`), extended with -E, fixed strings with -F,
translated by the same code as sed (kubectl/commands/edit.py `_translate_regex`) and run through
simulator/safe_regex.py, so a pattern like `^(a+)+$` cannot hold the process. Options: -E -F -G
-i/-y -v -c -o -w -x -n -q -s -h -H, -e PATTERN (several allowed), combined (`-vic`), `--`.
Reads the working directory's files when given, else the pipe's text. Exit status as GNU grep:
0 a line was selected, 1 none, 2 an error (a missing file too).
"""
from __future__ import annotations

import re

from . import safe_regex
# the POSIX BRE/ERE translation sed uses, so both words read patterns alike
from .kubectl.commands.edit import SedError, _translate_regex
from .safe_regex import RegexTooCostly

USAGE = "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"
_LONG = {"--extended-regexp": "E", "--fixed-strings": "F", "--basic-regexp": "G", "--ignore-case": "i",
         "--invert-match": "v", "--count": "c", "--only-matching": "o", "--word-regexp": "w",
         "--line-regexp": "x", "--line-number": "n", "--quiet": "q", "--silent": "q", "--no-messages": "s",
         "--no-filename": "h", "--with-filename": "H"}
_FLAGS = set("EFGiyvcowxnqshH")


def _parse(args: list[str]):
    """(set of one-letter options, patterns, operands) or an error text."""
    opts: set[str] = set()
    patterns: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            rest.extend(args[i + 1:])
            break
        if a in ("-e", "--regexp"):
            if i + 1 >= len(args):
                return "grep: option requires an argument -- 'e'\n" + USAGE
            patterns.append(args[i + 1])
            i += 2
            continue
        if a.startswith("--regexp="):
            patterns.append(a.split("=", 1)[1])
        elif a.startswith("--color") or a.startswith("--colour"):
            pass
        elif a.startswith("--"):
            if a not in _LONG:
                return f"grep: unrecognized option '{a}'\n" + USAGE
            opts.add(_LONG[a])
        elif a.startswith("-") and len(a) > 1:
            body = a[1:]
            for k, f in enumerate(body):
                if f == "e":
                    value = body[k + 1:]
                    if not value:
                        if i + 1 >= len(args):
                            return "grep: option requires an argument -- 'e'\n" + USAGE
                        i += 1
                        value = args[i]
                    patterns.append(value)
                    break
                if f not in _FLAGS:
                    return f"grep: invalid option -- '{f}'\n" + USAGE
                opts.add("i" if f == "y" else f)
        else:
            rest.append(a)
        i += 1
    if not patterns:
        if not rest:
            return USAGE
        patterns.append(rest.pop(0))
    return opts, patterns, rest


def _compile(opts: set[str], patterns: list[str]):
    """One bounded pattern for all of them (GNU: a line matches when any pattern does; a pattern
    holding newlines is several patterns)."""
    alternatives = []
    for pat in (p for given in patterns for p in given.split("\n")):
        if "F" in opts:
            body = re.escape(pat)
        else:
            body = _translate_regex(pat, "E" in opts, "grep: ")
        if "x" in opts:
            body = f"^(?:{body})$"
        elif "w" in opts:
            body = rf"(?<!\w)(?:{body})(?!\w)"
        alternatives.append(f"(?:{body})")
    return safe_regex.compile("|".join(alternatives), re.IGNORECASE if "i" in opts else 0, prog="grep")


def run(args: list[str], stdin: str | None, files=None) -> tuple[str, str, int]:
    """(stdout, stderr, exit code) of `grep ARGS [FILE]…`: the working directory's FILEs (`-` or
    none: `stdin`, None when there is no standard input; exit code -1 when grep would then read
    the keyboard)."""
    parsed = _parse(args)
    if isinstance(parsed, str):
        return "", parsed, 2
    opts, patterns, operands = parsed
    if not operands and stdin is None:
        return "", "", -1
    try:
        rx = _compile(opts, patterns)
    except SedError as err:
        return "", f"{err}\n", 2
    except safe_regex.RegexTooBig as err:
        return "", f"grep: {err}\n", 2
    except re.error:
        return "", "grep: Invalid regular expression\n", 2
    sources = [(n, stdin if n == "-" else (files or {}).get(n)) for n in operands] or [("-", stdin)]
    named = ("H" in opts or len(sources) > 1) and "h" not in opts
    out, err, selected, missing = [], [], 0, False
    for name, text in sources:
        if text is None:
            missing = True
            if "s" not in opts:
                err.append(f"grep: {name}: No such file or directory\n")
            continue
        label = ("(standard input)" if name == "-" else name) + ":" if named else ""
        try:
            found = _grep_text(rx, opts, text, label, out)
        except RegexTooCostly as exc:
            return "".join(out), "".join(err) + exc.render() + "\n", 2
        selected += found
        if "q" in opts and selected:
            return "", "".join(err), 0  # GNU: -q with a selected line is a success, errors or not
    code = 2 if missing else 0 if selected else 1  # (-q with a selected line returned 0 above)
    return ("" if "q" in opts else "".join(out)), "".join(err), code


def _grep_text(rx, opts: set[str], text: str, label: str, out: list[str]) -> int:
    """Select the lines of one input into `out`; returns how many were selected."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    selected = 0
    invert = "v" in opts
    for number, line in enumerate(lines, 1):
        if "o" in opts and not invert:
            hits = [m.group(0) for m in rx.finditer(line) if m.group(0)]
            chosen = bool(hits)
        else:
            hits = None
            chosen = (rx.search(line) is not None) != invert
        if not chosen:
            continue
        selected += 1
        if "q" in opts:
            break
        if "c" in opts or ("o" in opts and invert):
            continue
        prefix = label + (f"{number}:" if "n" in opts else "")
        if hits is not None:
            out.extend(f"{prefix}{h}\n" for h in hits)
        else:
            out.append(f"{prefix}{line}\n")
    if "c" in opts:
        out.append(f"{label}{selected}\n")
    return selected
