"""`kubectl edit` (kubectl pkg/cmd/edit/edit.go, pkg/cmd/util/editor/editoptions.go).

kubectl writes the objects as YAML under a comment header to a temp file, runs $KUBE_EDITOR (or
$EDITOR) on it, and sends the difference as a strategic merge patch (CreateTwoWayMergePatch with
the apiVersion/kind/name preconditions) with fieldValidation=Strict. An Invalid answer reopens the
editor on the edited text under a header listing the reasons; a second pass that changes nothing
gives up with "Edit cancelled, no valid changes were saved.".

The console has no terminal editor: a scripted editor `sed -i 's/…/…/'` is run by the sed
emulation below. The web's editor panel uses edit_document() and apply_edit().
"""
from __future__ import annotations

import re

from ... import limits, safe_regex  # learner patterns run with a bounded cost (RE2, or regex with a timeout)
from ...api import kinds
from ...api.decode import decode_stream
from ...api.errors import CLIError, KubeError, NotFound, RawError, StatusError
from ...objects import clone
from .. import cli, resources
from ...api.patch_handler import PatchInvalid, apply_patch_request
from ...patching.goish import go_json, gofmt
from ...patching.strategic_diff import two_way_merge_patch
from ..last_applied import set_last_applied
from ..patch_body import patch_body
from ..printers import serialize
from .common import get_object, name_of, namespace, object_namespace, read_file_objects, validation_directive
from .patch import print_result

HEADER = ("# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
          "# and an empty file will abort the edit. If an error occurs while saving this file will be\n"
          "# reopened with the relevant failures.\n"
          "#\n")
NO_EDITOR = ("error: kubectl edit needs an editor. In Rollout Lab, open the editor panel with the "
             "\"Edit\" button, or script the change: KUBE_EDITOR=\"sed -i 's/old/new/'\" kubectl edit …")
# a scripted editor that never stops producing new invalid text would loop forever in kubectl
MAX_PASSES = 5


# =============================================================================== the document
def _header(reasons: list[tuple[str, list[str]]]) -> str:
    """editHeader.writeTo: the fixed text, then one block per reason."""
    out = [HEADER]
    for head, other in reasons:
        out.append(f"# {_hash_on_line_break(head)}:\n" if other else f"# {_hash_on_line_break(head)}\n")
        for o in other:
            out.append(f"# * {_hash_on_line_break(o)}\n")
        out.append("#\n")
    return "".join(out)


def _hash_on_line_break(s: str) -> str:
    out = []
    for i, ch in enumerate(s):
        if ch == "\n" and i + 1 < len(s) and s[i + 1] != "#":
            out.append("\n# ")
        else:
            out.append(ch)
    return "".join(out)


def _document_object(objs: list[dict]) -> dict:
    """One object as is; several as a `List` (editoptions.go editFn)."""
    if len(objs) == 1:
        return objs[0]
    return {"apiVersion": "v1", "items": objs, "kind": "List", "metadata": {}}


def edit_document(cluster_engine, type_name_args: list[str], namespace: str = "default") -> str:
    """The text kubectl edit would open for `kubectl edit <type_name_args>` in `namespace`.
    Raises the KubeError kubectl would print (unknown type, NotFound, …)."""
    objs = _lookup(cluster_engine, type_name_args, namespace or "default")
    return _header([]) + serialize.to_yaml(_document_object(objs))


def _lookup(eng, args: list[str], ns: str) -> list[dict]:
    parsed = resources.parse_resource_args(list(args))
    out = []
    for rt, name in parsed.items:
        if name is None:
            kind = rt.kind if rt.simulated else None
            if kind is not None:
                out.extend(eng.store.list(kind, ns if rt.namespaced else ""))
            continue
        kind = rt.kind if rt.simulated else None
        obj = eng.store.get(kind, ns if rt.namespaced else "", name) if kind else None
        if obj is None:
            raise NotFound(rt.resource, name)
        out.append(obj)
    if not out:
        raise CLIError("edit cancelled, no objects found")
    return out


# =============================================================================== comments
def manual_strip(text: str) -> str:
    """cmdutil.ManualStrip: drop lines whose first non-blank is `#` (but not `#!`)."""
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("#") and not stripped.startswith("#!"):
            continue
        out.append(line + ("\n" if i < len(lines) - 1 else ""))
    return "".join(out)


def strip_comments(text: str) -> str:
    """cmdutil.StripComments: the YAML as JSON (comments and layout gone), or ManualStrip when it
    does not parse."""
    try:
        return patch_body(text, "")
    except KubeError:
        return manual_strip(text)
    except Exception:  # noqa: BLE001 - any parse trouble means "compare the text"
        return manual_strip(text)


def has_lines(text: str) -> bool:
    return any(line.strip() and not line.strip().startswith("#") for line in text.splitlines())


# =============================================================================== sed
class SedError(Exception):
    """sed's own complaint (printed as is), after which kubectl reports the editor failure."""


class _Cmd:
    __slots__ = ("addr1", "addr2", "name", "regex", "repl", "global_", "nth", "print_", "flags")

    def __init__(self):
        self.addr1 = self.addr2 = None
        self.name = ""
        self.regex = None
        self.repl = ""
        self.global_ = False
        self.nth = 1
        self.print_ = False
        self.flags = 0


_CLASSES = {"alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z", "lower": "a-z",
            "space": " \\t\\n\\r\\f\\v", "blank": " \\t", "xdigit": "0-9A-Fa-f", "cntrl": "\\x00-\\x1f\\x7f",
            "print": "\\x20-\\x7e", "graph": "\\x21-\\x7e",
            "punct": re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")}


def _translate_regex(pat: str, extended: bool, where: str) -> str:
    """A POSIX BRE (or ERE with -E) as GNU sed reads it, in Python's re syntax."""
    out, i, n = [], 0, len(pat)
    depth = 0
    at_start = True
    while i < n:
        c = pat[i]
        if c == "[":
            j = i + 1
            body = []
            if j < n and pat[j] == "^":
                body.append("^")
                j += 1
            if j < n and pat[j] == "]":
                body.append("\\]")
                j += 1
            while j < n and pat[j] != "]":
                if pat.startswith("[:", j):
                    end = pat.find(":]", j + 2)
                    if end < 0:
                        raise SedError(f"{where}unterminated address regex")
                    cls = pat[j + 2:end]
                    if cls not in _CLASSES:
                        raise SedError(f"{where}Invalid character class name")
                    body.append(_CLASSES[cls])
                    j = end + 2
                    continue
                ch = pat[j]
                body.append("\\" + ch if ch in "\\[" else ch)
                j += 1
            if j >= n:
                raise SedError(f"{where}unterminated address regex")
            out.append("[" + "".join(body) + "]")
            i = j + 1
            at_start = False
            continue
        if c == "\\" and i + 1 < n:
            d = pat[i + 1]
            i += 2
            if not extended and d in "(){}+?|":
                if d == "(":
                    depth += 1
                    out.append("(")
                    at_start = True
                    continue
                if d == ")":
                    depth -= 1
                    if depth < 0:
                        raise SedError(f"{where}Unmatched ) or \\)")
                out.append(d)
                at_start = d == "|"
                continue
            if d.isdigit() and d != "0":
                out.append("\\" + d)
            elif d in "wWsSbB":
                out.append("\\" + d)
            elif d == "n":
                out.append("\\n")
            elif d == "t":
                out.append("\\t")
            elif d == "<":
                out.append("\\b(?=\\w)")
            elif d == ">":
                out.append("\\b(?<=\\w)")
            elif d == "`":
                out.append("\\A")
            elif d == "'":
                out.append("\\Z")
            else:
                out.append(re.escape(d))
            at_start = False
            continue
        if extended:
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth < 0:
                    raise SedError(f"{where}Unmatched ) or \\)")
            out.append(c if c in "(){}+?|.*^$" else re.escape(c))
            at_start = c in "(|"
            i += 1
            continue
        if c == "*" and at_start:
            out.append("\\*")
        elif c == "^":
            out.append("^" if at_start else "\\^")
        elif c == "$":
            rest = pat[i + 1:]
            out.append("$" if rest == "" or rest.startswith(("\\)", "\\|")) else "\\$")
        elif c in ".*":
            out.append(c)
        else:
            out.append(re.escape(c))
        at_start = False
        i += 1
    if depth > 0:
        raise SedError(f"{where}Unmatched ( or \\(")
    return "".join(out)


def _translate_replacement(rep: str, groups: int, where: str) -> str:
    out, i = [], 0
    while i < len(rep):
        c = rep[i]
        if c == "&":
            out.append("\\g<0>")
        elif c == "\\" and i + 1 < len(rep):
            d = rep[i + 1]
            i += 1
            if d.isdigit():
                if int(d) > groups:
                    raise SedError(f"{where}invalid reference \\{d} on `s' command's RHS")
                out.append(f"\\g<{d}>")
            elif d == "n":
                out.append("\n")
            elif d == "t":
                out.append("\t")
            else:
                out.append(d.replace("\\", "\\\\"))
        else:
            out.append(c.replace("\\", "\\\\"))
        i += 1
    return "".join(out)


def _parse_script(script: str, number: int, extended: bool) -> list[_Cmd]:
    """GNU sed's compile.c for the commands a scripted edit needs: [addr[,addr]] s, d, p."""
    cmds: list[_Cmd] = []
    i, n = 0, len(script)

    def where(pos: int) -> str:
        return f"sed: -e expression #{number}, char {pos}: "

    def read_delimited(pos: int, delim: str, what: str) -> tuple[str, int]:
        buf = []
        while pos < n:
            ch = script[pos]
            if ch == "\\" and pos + 1 < n:
                nxt = script[pos + 1]
                buf.append(nxt if nxt == delim and delim not in "&" else ch + nxt)
                pos += 2
                continue
            if ch == delim:
                return "".join(buf), pos + 1
            if ch == "\n":
                break
            buf.append(ch)
            pos += 1
        raise SedError(where(n if pos >= n else pos + 1) + what)

    def read_address(pos: int):
        if pos < n and script[pos].isdigit():
            j = pos
            while j < n and script[j].isdigit():
                j += 1
            return ("line", int(script[pos:j])), j
        if pos < n and script[pos] == "$":
            return ("last", None), pos + 1
        if pos < n and script[pos] in "/\\":
            delim = "/"
            if script[pos] == "\\":
                if pos + 1 >= n:
                    raise SedError(where(n) + "unexpected `,'")
                delim, pos = script[pos + 1], pos + 1
            body, j = read_delimited(pos + 1, delim, "unterminated address regex")
            try:
                return ("re", safe_regex.compile(_translate_regex(body, extended, where(j)))), j
            except re.error as err:
                raise SedError(where(j) + safe_regex.gnu_message(err)) from None
        return None, pos

    while i < n:
        while i < n and script[i] in " \t\n;":
            i += 1
        if i >= n:
            break
        cmd = _Cmd()
        cmd.addr1, i = read_address(i)
        if cmd.addr1 is not None and i < n and script[i] == ",":
            cmd.addr2, i = read_address(i + 1)
            if cmd.addr2 is None:
                raise SedError(where(i) + "unexpected `,'")
        while i < n and script[i] in " \t":
            i += 1
        if i >= n:
            raise SedError(where(n) + "missing command")
        c = script[i]
        cmd.name = c
        i += 1
        if c == "s":
            if i >= n:
                raise SedError(where(n) + "unterminated `s' command")
            delim = script[i]
            if delim in "\\\n":
                raise SedError(where(i + 1) + "unterminated `s' command")
            pat, i = read_delimited(i + 1, delim, "unterminated `s' command")
            rep, i = read_delimited(i, delim, "unterminated `s' command")
            nth_seen = g_seen = False
            flags = 0
            while i < n and script[i] not in ";\n}#":
                f = script[i]
                if f == "g":
                    if g_seen:
                        raise SedError(where(i + 1) + "multiple `g' options to `s' command")
                    g_seen = True
                elif f == "p":
                    if cmd.print_:
                        raise SedError(where(i + 1) + "multiple `p' options to `s' command")
                    cmd.print_ = True
                elif f in "iI":
                    flags |= re.IGNORECASE
                elif f.isdigit():
                    if nth_seen:
                        raise SedError(where(i + 1) + "multiple number options to `s' command")
                    j = i
                    while j < n and script[j].isdigit():
                        j += 1
                    cmd.nth = int(script[i:j])
                    if cmd.nth == 0:
                        raise SedError(where(j) + "number option to `s' command may not be zero")
                    nth_seen = True
                    i = j
                    continue
                elif f in " \t":
                    pass
                elif f in "wW":
                    raise SedError(where(i + 1) + "missing filename in r/R/w/W commands")
                else:
                    raise SedError(where(i + 1) + "unknown option to `s'")
                i += 1
            end = i
            cmd.global_ = g_seen
            cmd.flags = flags
            try:
                translated = _translate_regex(pat, extended, where(end))
                cmd.regex = safe_regex.compile(translated, flags) if pat else None
            except re.error as err:
                raise SedError(where(end) + safe_regex.gnu_message(err)) from None
            groups = cmd.regex.groups if cmd.regex is not None else 9
            cmd.repl = _translate_replacement(rep, groups, where(end))
        elif c in "dp":
            pass
        elif c == "#":
            while i < n and script[i] != "\n":
                i += 1
            continue
        elif c in "aAbcDeFgGhHilLnNqQrRtTvwWxyz=:{}":
            raise SedError(f"sed: -e expression #{number}, char {i}: the `{c}' command is not available "
                           "in Rollout Lab's sed (use s///, d or p)")
        else:
            raise SedError(where(i) + f"unknown command: `{c}'")
        cmds.append(cmd)
        while i < n and script[i] in " \t":
            i += 1
        if i < n and script[i] not in ";\n}#":
            raise SedError(where(i + 1) + "extra characters after command")
    return cmds


class SedScript:
    """A parsed `sed [-i[SUFFIX]] [-n] [-E] (-e SCRIPT | SCRIPT)…` editor command."""

    def __init__(self, words: list[str]):
        self.in_place = False
        self.quiet = False
        extended = False
        scripts: list[str] = []
        rest: list[str] = []
        it = iter(range(1, len(words)))
        for k in it:
            w = words[k]
            if w == "--":
                rest.extend(words[k + 1:])
                break
            if w in ("-i", "--in-place") or w.startswith(("--in-place=", "-i")) and not w.startswith("-i-"):
                self.in_place = True
                continue
            if w in ("-n", "--quiet", "--silent"):
                self.quiet = True
            elif w in ("-E", "-r", "--regexp-extended"):
                extended = True
            elif w in ("-s", "-u", "--separate", "--unbuffered"):
                pass
            elif w == "-e" or w == "--expression":
                try:
                    scripts.append(words[next(it) + 0])
                except StopIteration:
                    raise SedError("sed: option requires an argument -- 'e'") from None
            elif w.startswith("--expression="):
                scripts.append(w.split("=", 1)[1])
            elif w.startswith("-e") and len(w) > 2:
                scripts.append(w[2:])
            elif w.startswith("-") and len(w) > 1:
                flags = w[1:]
                if all(f in "nErsu" for f in flags):
                    self.quiet |= "n" in flags
                    extended |= bool(set(flags) & set("Er"))
                    continue
                raise SedError(f"sed: invalid option -- '{flags[0]}'")
            else:
                rest.append(w)
        if not scripts:
            if not rest:
                raise SedError("Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...")
            scripts.append(rest.pop(0))
        self.commands: list[_Cmd] = []
        for number, script in enumerate(scripts, 1):
            self.commands.extend(_parse_script(script, number, extended))

    def run(self, text: str) -> tuple[str, str]:
        """(new file text, what sed printed on stdout)."""
        lines = text.split("\n")
        trailing_newline = text.endswith("\n")
        if trailing_newline:
            lines.pop()
        out: list[str] = []
        printed: list[str] = []
        active = [False] * len(self.commands)
        last_re = None
        size = 0
        for idx, line in enumerate(lines):
            is_last = idx == len(lines) - 1
            deleted = False
            for ci, cmd in enumerate(self.commands):
                if not self._selected(cmd, ci, active, idx + 1, is_last, line):
                    continue
                if cmd.name == "d":
                    deleted = True
                    break
                if cmd.name == "p":
                    printed.append(line)
                    size += len(line)
                    continue
                regex = cmd.regex or last_re
                if regex is None:
                    raise SedError("sed: no previous regular expression")
                last_re = regex
                line, hit = _substitute(regex, cmd, line)
                if hit and cmd.print_:
                    printed.append(line)
                    size += len(line)
            if not deleted and not self.quiet:
                printed.append(line)
                size += len(line)
            if size > limits.MAX_OUTPUT_BYTES:  # `s/a/aaaa…/g` repeated or `p` on a huge line
                raise SedError(f"sed: the output is larger than {limits.MAX_OUTPUT_BYTES // 1024} KB "
                               "(a Rollout Lab limit)")
        result = "\n".join(printed) + ("\n" if printed and trailing_newline else "")
        if self.in_place:
            return result, ""
        return text, result

    @staticmethod
    def _selected(cmd: _Cmd, ci: int, active: list[bool], lineno: int, is_last: bool, line: str) -> bool:
        def match(addr) -> bool:
            kind, value = addr
            if kind == "line":
                return lineno == value
            if kind == "last":
                return is_last
            return value.search(line) is not None

        if cmd.addr1 is None:
            return True
        if cmd.addr2 is None:
            return match(cmd.addr1)
        if active[ci]:
            if match(cmd.addr2) or (cmd.addr2[0] == "line" and lineno >= cmd.addr2[1]):
                active[ci] = False
            return True
        if match(cmd.addr1):
            active[ci] = not (cmd.addr2[0] == "line" and cmd.addr2[1] <= lineno)
            return True
        return False


def _substitute(regex, cmd: _Cmd, line: str) -> tuple[str, bool]:
    """GNU sed's do_subst: like re.sub, but an empty match right after a match is skipped."""
    out, pos, count, hit, prev_end = [], 0, 0, False, -1
    grown = 0
    for m in regex.finditer(line):
        if m.start() == m.end() and m.start() == prev_end:
            continue
        prev_end = m.end()
        count += 1
        if count == cmd.nth or (cmd.global_ and count > cmd.nth):
            out.append(line[pos:m.start()])
            out.append(m.expand(cmd.repl))
            grown += len(out[-1])
            if grown > limits.MAX_OUTPUT_BYTES:
                raise SedError(f"sed: a line grew larger than {limits.MAX_OUTPUT_BYTES // 1024} KB "
                               "(a Rollout Lab limit)")
            pos = m.end()
            hit = True
            if not cmd.global_:
                break
    out.append(line[pos:])
    return "".join(out), hit


def parse_editor(value: str) -> tuple[SedScript, str]:
    """The editor command and how kubectl names it in errors (editor.go defaultEnvEditor: a
    value with quotes or backslashes runs through the shell)."""
    words = cli.tokenize(value)
    shown = f"/bin/bash -c {value}" if any(c in value for c in "\"'\\") else value
    if not words or words[0].rsplit("/", 1)[-1] not in ("sed", "gsed"):
        raise CLIError(f"the console cannot run the editor {cli.go_quote(value)}: use the editor panel, or a "
                       "scripted editor such as KUBE_EDITOR=\"sed -i 's/old/new/'\"")
    return SedScript(words), shown


# =============================================================================== the edit loop
class _Session:
    """One `kubectl edit`: the objects as first fetched and what each pass left behind."""

    def __init__(self, ctx, inv, infos: list[dict]):
        self.ctx, self.inv, self.infos = ctx, inv, infos
        self.reasons: list[tuple[str, list[str]]] = []
        self.file = ""
        self.original = ""
        self.edited = ""
        self.contains_error = False
        self.reopen: str | None = None

    def temp_file(self) -> str:
        """os.CreateTemp("", "kubectl-edit-*.yaml"): a random decimal number in the name. It is
        client-side randomness, so it must not draw from the cluster's PRNG (the cluster's generated
        names would then depend on edits): a hash of the cluster's seed, its state (resourceVersion,
        clock) and this command's count of temp files — deterministic, and nothing to snapshot."""
        import hashlib

        self.temp_files = getattr(self, "temp_files", 0) + 1
        eng = self.ctx.eng
        key = f"{getattr(self.ctx.cluster, 'seed', 0)}:{eng.store.resource_version}:{eng.now}:{self.temp_files}"
        number = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=4).digest(), "big")
        return f"/tmp/kubectl-edit-{number}.yaml"

    def buffer(self) -> str:
        head = _header(self.reasons)
        if not self.contains_error:
            self.original = head + serialize.to_yaml(_document_object(self.infos))
            return self.original
        return head + manual_strip(self.edited)

    def preserved(self, err: KubeError, path: str) -> KubeError:
        if path:
            self.ctx.err(f"A copy of your changes has been stored to {cli.go_quote(path)}\n")
        return err

    def after_editor(self, edited: str, file: str) -> int | None:
        """Everything after the editor exits; an exit code, or None to open the editor again."""
        ctx = self.ctx
        previous, self.edited = self.edited, edited
        if self.contains_error and strip_comments(previous) == strip_comments(edited):
            raise self.preserved(CLIError("Edit cancelled, no valid changes were saved."), file)
        if strip_comments(self.original) == strip_comments(edited):
            ctx.err("Edit cancelled, no changes made.\n")
            return 0
        if not has_lines(edited):
            ctx.err("Edit cancelled, saved file was empty.\n")
            return 0
        self.file, self.reasons = file, []
        updated = [item for item in decode_stream(edited, "edited-file")]
        bad = next((u for u in updated if isinstance(u, KubeError)), None)
        if bad is not None or not updated:
            self.contains_error = True
            message = bad.render() if bad is not None else "no objects passed to edit"
            message = message[len("error: "):] if message.startswith("error: ") else message
            self.reasons.append((f"The edited file had a syntax error: {message}", []))
            return None
        self.contains_error = False
        return self.patch_all(updated, file)

    def patch_all(self, updated: list[dict], file: str) -> int | None:
        ctx, inv = self.ctx, self.inv
        cmd_ns = namespace(inv)
        for obj in updated:
            k = kinds.by_kind(obj.get("kind", ""))
            obj_ns = (obj.get("metadata") or {}).get("namespace") or ""
            if k is not None and k.namespaced and obj_ns and obj_ns != cmd_ns:
                raise self.preserved(CLIError(
                    f"the namespace from the provided object \"{obj_ns}\" does not match the namespace "
                    f"\"{cmd_ns}\". You must pass '--namespace={obj_ns}' to perform this operation."), file)
        retryable = notfound = 0
        invalid = []
        for obj in updated:
            obj = self.annotate(obj)
            uid = (obj.get("metadata") or {}).get("uid")
            original = next((o for o in self.infos if o["metadata"].get("uid") == uid), None)
            if original is None:
                raise self.preserved(CLIError(f"no original object found for {_go_object(obj)}"), file)
            if obj == original:
                print_result(ctx, inv, original, "skipped", "none")
                continue
            if (obj.get("apiVersion"), obj.get("kind"), (obj.get("metadata") or {}).get("name")) != \
                    (original.get("apiVersion"), original.get("kind"), original["metadata"].get("name")):
                raise self.preserved(CLIError("At least one of apiVersion, kind and name was changed"), file)
            patch = two_way_merge_patch(original, obj, original["kind"])
            if inv.flags.get("output-patch"):
                ctx.out(f"Patch: {go_json(patch)}\n")
            k = kinds.by_kind(original["kind"])
            res = k.resource if k else original["kind"]
            name = original["metadata"]["name"]
            try:
                live = ctx.eng.store.get(original["kind"], original["metadata"].get("namespace", ""), name)
                if live is None:
                    raise NotFound(res, name)
                # edit.go sends its --validate directive (Strict by default)
                directive = validation_directive(inv) if inv is not None else "Strict"
                merged, _ = apply_patch_request(live, "strategic", go_json(patch), field_validation=directive)
                merged["kind"], merged["apiVersion"] = live["kind"], live["apiVersion"]
                result = ctx.eng.api.update(merged)
                ctx.eng.settle()
            except StatusError as err:
                if err.reason == "Invalid":
                    invalid.append(obj)
                    causes = getattr(err, "causes", None)
                    if causes is None and isinstance(err, PatchInvalid):
                        causes = [("patch", f"Invalid value: {cli.go_quote(err.value)}: {err.detail}")]
                    self.reasons.append((f"{res} {cli.go_quote(name)} was not valid",
                                         [f"{f}: {m}" for f, m in (causes or [])]))
                    ctx.err(f"error: {res} {cli.go_quote(name)} is invalid\n")
                elif err.reason == "NotFound":
                    notfound += 1
                    ctx.err(f"error: {res} {cli.go_quote(name)} could not be found on the server\n")
                else:
                    retryable += 1
                    ctx.err(f"error: {res} {cli.go_quote(name)} could not be patched: {err.message}\n")
                continue
            except KubeError as err:
                retryable += 1
                text = err.render()
                text = text[len("error: "):] if text.startswith("error: ") else text
                ctx.err(f"error: {res} {cli.go_quote(name)} could not be patched: {text}\n")
                continue
            print_result(ctx, inv, result, "edited", "none")
        if retryable:
            ctx.err(f"You can run `kubectl replace -f {file}` to try this update again.\n")
            return 1
        if notfound:
            ctx.err(f"The edits you made on deleted resources have been saved to {cli.go_quote(file)}\n")
            return 1
        if not invalid:
            return 0
        self.contains_error = True
        return None

    def annotate(self, obj: dict) -> dict:
        """visitAnnotation: --save-config and --record change the edited object itself."""
        if self.inv.flags.get("save-config"):
            obj = set_last_applied(obj, obj)
        if self.inv.flags.get("record"):
            obj = clone(obj)
            obj.setdefault("metadata", {}).setdefault("annotations", {})["kubernetes.io/change-cause"] = \
                cli.record_string(self.inv)
        return obj


def _go_object(obj: dict) -> str:
    return "&unstructured.Unstructured{Object:" + gofmt(obj) + "}"


def _infos(ctx, inv) -> list[dict]:
    if inv.flags.get("filename"):
        out = []
        for _, item in read_file_objects(ctx, inv):
            if isinstance(item, KubeError):
                raise item
            ns = object_namespace(item, inv)
            k = kinds.by_kind(item["kind"])
            name = (item.get("metadata") or {}).get("name", "")
            live = ctx.eng.store.get(item["kind"], ns, name)
            if live is None:
                raise NotFound(k.resource if k else item["kind"], name)
            out.append(live)
        return out
    return _lookup(ctx.eng, inv.args, namespace(inv))


def run_edit(ctx, inv):
    validation_directive(inv)  # Complete: an unknown --validate value stops the command
    fmt = inv.flags.get("output") or ""
    if fmt == "json":
        raise CLIError("the console's editor works on YAML; drop -o json")
    editor = ctx.env.get("KUBE_EDITOR") or ctx.env.get("EDITOR") or ""
    infos = [clone(o) for o in _infos(ctx, inv)]
    if not editor:
        raise RawError(NO_EDITOR)
    try:
        sed, shown = parse_editor(editor)
    except SedError as err:
        ctx.err(str(err) + "\n")
        raise CLIError(f"there was a problem with the editor {cli.go_quote(_shown(editor))}") from None
    session = _Session(ctx, inv, infos)
    for _ in range(MAX_PASSES):
        buf = session.buffer()
        file = session.temp_file()
        try:
            new_text, printed = sed.run(buf)
        except SedError as err:
            ctx.err(str(err) + "\n")
            raise session.preserved(CLIError(f"there was a problem with the editor {cli.go_quote(shown)}"),
                                    session.file) from None
        if printed:
            ctx.out(printed)
        code = session.after_editor(new_text, file)
        if code is not None:
            ctx.exit_code = code
            return None
    raise session.preserved(CLIError("Edit cancelled, no valid changes were saved."), session.file)


def _shown(editor: str) -> str:
    return f"/bin/bash -c {editor}" if any(c in editor for c in "\"'\\") else editor


def apply_edit(ctx, original_text: str, edited_text: str, inv=None) -> str | None:
    """Finish an edit made in the web's editor panel: `original_text` is what edit_document()
    returned, `edited_text` what the learner saved. Writes kubectl's output to ctx and sets
    ctx.exit_code; returns the text to reopen the editor with (header listing the failures) when
    kubectl would reopen it, else None."""
    if inv is None:
        from types import SimpleNamespace

        inv = SimpleNamespace(flags={"namespace": "default"}, args=[], path=("edit",))
    objs = [o for o in decode_stream(original_text, "original") if not isinstance(o, KubeError)]
    infos: list[dict] = []
    for o in objs:
        for item in (o.get("items") if o.get("kind") == "List" else [o]) or []:
            live = ctx.eng.store.get(item["kind"], (item.get("metadata") or {}).get("namespace", ""),
                                     (item.get("metadata") or {}).get("name", ""))
            infos.append(clone(live) if live is not None else item)
    session = _Session(ctx, inv, infos)
    session.original = original_text
    try:
        code = session.after_editor(edited_text, session.temp_file())
    except KubeError as err:
        ctx.err(err.render() + "\n")
        ctx.exit_code = err.exit_code
        return None
    if code is None:
        ctx.exit_code = 1
        return session.buffer()
    ctx.exit_code = code
    return None


HANDLES = {
    ("edit",): run_edit,
}
