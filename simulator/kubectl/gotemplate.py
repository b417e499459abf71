"""Go text/template for `-o go-template=…`, `-o template=…`, `--template`, `-o go-template-file=…`
(cli-runtime pkg/printers/template.go GoTemplatePrinter: the object is JSON-decoded into
map[string]interface{} with whole numbers as int64, functions `exists` and `base64decode` are added,
missingkey=default unless --allow-missing-template-keys=false).

Covered: text, {{- -}} trimming, comments, pipelines, parenthesised pipelines, fields and field
chains on maps, variables ($, $x := / =), if/else if/else, range (lists, maps in key order, $i, $v
:=, else, break/continue), with/else, and the functions and, or, not, len, index, slice, print,
printf, println, eq, ne, lt, le, gt, ge, html, js, urlquery, exists, base64decode.
Not covered: define/template/block (parse error), method calls.

Cost is bounded by hard caps (template size, nesting, steps, output size) on top of the
simulator's own budget: a template cannot loop or print without limit.
"""
from __future__ import annotations

import base64
import html as _html
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from ..patching.goish import gofmt

MAX_TEMPLATE = 16_384  # characters of template text
MAX_DEPTH = 64  # nesting of blocks and parentheses
MAX_STEPS = 200_000  # nodes executed (range iterations included)
MAX_OUTPUT = 1_000_000  # characters written


class TemplateError(Exception):
    """A parse or execution error, in text/template's words (without the kubectl wrapping)."""


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


# ------------------------------------------------------------------------------------- lexing
_KEYWORDS = {"if", "else", "end", "range", "with", "define", "template", "block", "break", "continue"}
_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<decl>:=)
  | (?P<assign>=)
  | (?P<pipe>\|)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<comma>,)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<raw>`[^`]*`)
  | (?P<char>'(?:[^'\\\n]|\\.)+')
  | (?P<number>[+-]?(?:0[xX][0-9a-fA-F_]+|(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?))
  | (?P<var>\$[A-Za-z0-9_]*)
  | (?P<field>(?:\.[A-Za-z0-9_]+)+)
  | (?P<dot>\.)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
""", re.X)


@dataclass
class _Tok:
    kind: str
    text: str
    pos: int


def _lex_action(body: str, base: int, line: int) -> list[_Tok]:
    toks, i = [], 0
    while i < len(body):
        m = _TOKEN.match(body, i)
        if not m:
            raise TemplateError(f"template: output:{line}: unexpected {_quote_char(body[i])} in command")
        kind = m.lastgroup
        if kind != "ws":
            text = m.group()
            # a field right after a closing paren or variable chains onto it
            toks.append(_Tok(kind, text, base + i))
        i = m.end()
    return toks


def _quote_char(ch: str) -> str:
    return f'"{ch}"'


# ------------------------------------------------------------------------------------- parsing
@dataclass
class Node:
    pos: int = 0
    text: str = ""  # how text/template prints the node in errors


@dataclass
class Text(Node):
    value: str = ""


@dataclass
class Pipe(Node):
    decl: list[str] = field(default_factory=list)
    assign: bool = False
    cmds: list[list[Node]] = field(default_factory=list)


@dataclass
class Operand(Node):
    kind: str = ""  # field, var, dot, string, number, bool, nil, ident, pipe, chain
    value: Any = None
    fields: list[str] = field(default_factory=list)
    inner: Pipe | None = None


@dataclass
class Action(Node):
    pipe: Pipe | None = None


@dataclass
class Block(Node):
    kind: str = ""  # if, range, with
    pipe: Pipe | None = None
    body: list[Node] = field(default_factory=list)
    orelse: list[Node] = field(default_factory=list)


@dataclass
class Control(Node):
    kind: str = ""  # break, continue


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.items = self._split(text)
        self.i = 0
        self.vars: list[list[str]] = [["$"]]

    def _line(self, pos: int) -> int:
        return 1 + self.text.count("\n", 0, pos)

    def _split(self, text: str) -> list[tuple[str, Any, int]]:
        """[("text", str, pos) | ("action", tokens, pos)] with trim markers (`{{- `, ` -}}`) applied
        and comments (`{{/* … */}}`, right after `{{` or `{{- `) dropped, as text/template's lexer."""
        ws = " \t\r\n"
        out: list = []
        i = 0
        trim_next = False
        while i < len(text):
            j = text.find("{{", i)
            chunk = text[i:] if j < 0 else text[i:j]
            if trim_next:
                chunk = chunk.lstrip(ws)
            if j < 0:
                if chunk:
                    out.append(("text", chunk, i))
                break
            k = j + 2
            if text[k:k + 1] == "-" and text[k + 1:k + 2] in tuple(ws):
                chunk = chunk.rstrip(ws)
                k += 2
            if chunk:
                out.append(("text", chunk, i))
            if text.startswith("/*", k):
                end = text.find("*/", k + 2)
                if end < 0:
                    raise TemplateError(f"template: output:{self._line(j)}: unclosed comment")
                rest = end + 2
                trim_next = text.startswith(" -}}", rest) or text.startswith("\t-}}", rest)
                if trim_next:
                    rest += 2
                if not text.startswith("}}", rest):
                    raise TemplateError(f"template: output:{self._line(j)}: comment ends before closing delimiter")
                i = rest + 2
                continue
            close = self._find_close(text, k)
            if close < 0:
                raise TemplateError(f"template: output:{self._line(j)}: unclosed action")
            body_end = close
            trim_next = close - 2 >= k and text[close - 1] == "-" and text[close - 2] in ws
            if trim_next:
                body_end = close - 1
            out.append(("action", _lex_action(text[k:body_end], k, self._line(j)), j))
            i = close + 2
        return out

    @staticmethod
    def _find_close(text: str, k: int) -> int:
        """The `}}` ending an action, skipping quoted strings."""
        i = k
        while i < len(text):
            c = text[i]
            if c in "\"'`":
                end = i + 1
                while end < len(text) and text[end] != c:
                    end += 2 if (c != "`" and text[end] == "\\") else 1
                i = end + 1
                continue
            if text.startswith("}}", i):
                return i
            i += 1
        return -1

    def parse(self) -> list[Node]:
        nodes, end = self._list(0)
        if end is not None:
            raise TemplateError(f"template: output:{self._line(end[1])}: unexpected {{{{{end[0]}}}}}")
        return nodes

    def _list(self, depth: int) -> tuple[list[Node], tuple[str, int, list] | None]:
        if depth > MAX_DEPTH:
            raise TemplateError("template: output: nesting is too deep")
        nodes: list[Node] = []
        while self.i < len(self.items):
            kind, value, pos = self.items[self.i]
            self.i += 1
            if kind == "text":
                nodes.append(Text(pos, "", value))
                continue
            toks = value
            if not toks:
                raise TemplateError(f"template: output:{self._line(pos)}: missing value for command")
            head = toks[0]
            if head.kind == "ident" and head.text in ("end", "else"):
                return nodes, (head.text, pos, toks[1:])
            if head.kind == "ident" and head.text in ("if", "range", "with"):
                nodes.append(self._block(head.text, toks[1:], pos, depth))
                continue
            if head.kind == "ident" and head.text in ("break", "continue"):
                nodes.append(Control(pos, head.text, head.text))
                continue
            if head.kind == "ident" and head.text in ("define", "template", "block"):
                raise TemplateError(f"template: output:{self._line(pos)}: {{{{{head.text}}}}} is not supported here")
            nodes.append(Action(pos, "", self._pipe(toks, pos, decl_ok=True)))
        return nodes, None

    def _block(self, kind: str, toks: list[_Tok], pos: int, depth: int) -> Block:
        self.vars.append([])
        pipe = self._pipe(toks, pos, decl_ok=True, range_vars=(kind == "range"))
        body, end = self._list(depth + 1)
        block = Block(pos, kind, kind, pipe, body, [])
        if end is None:
            raise TemplateError(f"template: output:{self._line(pos)}: unexpected EOF")
        if end[0] == "else":
            rest = end[2]
            if rest and rest[0].kind == "ident" and rest[0].text in ("if", "with") and kind == rest[0].text:
                # {{else if …}} / {{else with …}}: a nested block sharing this one's {{end}}
                self.vars.pop()
                self.vars.append([])
                inner = self._block_chain(rest[0].text, rest[1:], end[1], depth + 1)
                block.orelse = [inner]
                self.vars.pop()
                return block
            orelse, end2 = self._list(depth + 1)
            if end2 is None or end2[0] != "end":
                raise TemplateError(f"template: output:{self._line(pos)}: unexpected EOF" if end2 is None
                                    else f"template: output:{self._line(end2[1])}: expected end; found {{{{else}}}}")
            block.orelse = orelse
        self.vars.pop()
        return block

    def _block_chain(self, kind, toks, pos, depth) -> Block:
        pipe = self._pipe(toks, pos, decl_ok=True)
        body, end = self._list(depth + 1)
        block = Block(pos, kind, kind, pipe, body, [])
        if end is None:
            raise TemplateError(f"template: output:{self._line(pos)}: unexpected EOF")
        if end[0] == "else":
            rest = end[2]
            if rest and rest[0].kind == "ident" and rest[0].text == kind:
                block.orelse = [self._block_chain(kind, rest[1:], end[1], depth + 1)]
                return block
            orelse, end2 = self._list(depth + 1)
            if end2 is None or end2[0] != "end":
                raise TemplateError(f"template: output:{self._line(pos)}: unexpected EOF")
            block.orelse = orelse
        return block

    def _declared(self, name: str) -> bool:
        return any(name in scope for scope in self.vars)

    def _pipe(self, toks: list[_Tok], pos: int, decl_ok: bool = False, range_vars: bool = False) -> Pipe:
        pipe = Pipe(pos)
        line = self._line(pos)
        # declarations: $x := … / $i, $v := … / $x = …
        if decl_ok and toks and toks[0].kind == "var":
            names = [toks[0].text]
            j = 1
            if range_vars and len(toks) > 2 and toks[1].kind == "comma" and toks[2].kind == "var":
                names.append(toks[2].text)
                j = 3
            if j < len(toks) and toks[j].kind in ("decl", "assign"):
                if toks[j].kind == "assign":
                    if not self._declared(names[0]):
                        raise TemplateError(f'template: output:{line}: undefined variable "{names[0]}"')
                    pipe.assign = True
                pipe.decl = names
                if toks[j].kind == "decl":
                    self.vars[-1].extend(names)
                toks = toks[j + 1:]
        cmds: list[list[Node]] = [[]]
        j = 0
        while j < len(toks):
            t = toks[j]
            if t.kind == "pipe":
                if not cmds[-1]:
                    raise TemplateError(f"template: output:{line}: missing command")
                cmds.append([])
                j += 1
                continue
            node, j = self._operand(toks, j, line)
            cmds[-1].append(node)
        if not cmds[-1]:
            raise TemplateError(f"template: output:{line}: missing value for command" if len(cmds) == 1
                                else f"template: output:{line}: missing command")
        pipe.cmds = cmds
        pipe.text = " | ".join(" ".join(n.text for n in c) for c in cmds)
        return pipe

    def _operand(self, toks: list[_Tok], j: int, line: int) -> tuple[Operand, int]:
        t = toks[j]
        j += 1
        if t.kind == "lparen":
            depth, k = 1, j
            while k < len(toks) and depth:
                depth += {"lparen": 1, "rparen": -1}.get(toks[k].kind, 0)
                k += 1
            if depth:
                raise TemplateError(f"template: output:{line}: unclosed left paren")
            inner = self._pipe(toks[j:k - 1], t.pos)
            node = Operand(t.pos, f"({inner.text})", "pipe", inner=inner)
            j = k
        elif t.kind == "rparen":
            raise TemplateError(f"template: output:{line}: unexpected right paren")
        elif t.kind == "field":
            node = Operand(t.pos, t.text, "field", fields=t.text[1:].split("."))
        elif t.kind == "dot":
            node = Operand(t.pos, ".", "dot")
        elif t.kind == "var":
            if not self._declared(t.text):
                raise TemplateError(f'template: output:{line}: undefined variable "{t.text}"')
            node = Operand(t.pos, t.text, "var", t.text)
        elif t.kind in ("string", "raw", "char"):
            node = Operand(t.pos, t.text, "string", _unquote(t.text, line))
        elif t.kind == "number":
            node = Operand(t.pos, t.text, "number", _number(t.text, line))
        elif t.kind == "ident":
            if t.text in ("true", "false"):
                node = Operand(t.pos, t.text, "bool", t.text == "true")
            elif t.text == "nil":
                node = Operand(t.pos, "nil", "nil")
            elif t.text in _KEYWORDS:
                raise TemplateError(f"template: output:{line}: unexpected <{t.text}> in command")
            elif t.text not in FUNCS:
                raise TemplateError(f'template: output:{line}: function "{t.text}" not defined')
            else:
                node = Operand(t.pos, t.text, "ident", t.text)
        else:
            raise TemplateError(f"template: output:{line}: unexpected {_quote_char(t.text)} in operand")
        # a field chain right after an operand: (…).a.b, $x.a
        while j < len(toks) and toks[j].kind == "field" and toks[j].pos == toks[j - 1].pos + len(toks[j - 1].text):
            node = Operand(node.pos, node.text + toks[j].text, "chain", fields=toks[j].text[1:].split("."),
                           inner=Pipe(node.pos, cmds=[[node]], text=node.text))
            j += 1
        return node, j


def _unquote(text: str, line: int) -> Any:
    if text[0] == "`":
        return text[1:-1]
    body = text[1:-1]
    try:
        value = body.encode("latin-1", "backslashreplace").decode("unicode_escape") if "\\" in body else body
    except UnicodeDecodeError:
        raise TemplateError(f"template: output:{line}: invalid syntax: {text}") from None
    if text[0] == "'":
        return ord(value) if len(value) == 1 else 0
    return value


def _number(text: str, line: int) -> int | float:
    t = text.replace("_", "")
    try:
        if t.lower().startswith(("0x", "-0x", "+0x")):
            return int(t, 16)
        if any(c in t for c in ".eE"):
            return float(t)
        return int(t)
    except ValueError:
        raise TemplateError(f"template: output:{line}: bad number syntax: {text!r}") from None


# ------------------------------------------------------------------------------------- values
_MISSING = object()  # text/template's invalid reflect.Value (a missing map entry)


def _type_name(v: Any) -> str:
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int64"
    if isinstance(v, float):
        return "float64"
    if isinstance(v, str):
        return "string"
    if isinstance(v, dict):
        return "map[string]interface {}"
    if isinstance(v, list):
        return "[]interface {}"
    return "interface {}"


def truth(v: Any) -> bool:
    if v is _MISSING or v is None:
        return False
    if isinstance(v, (bool, int, float)):
        return bool(v)
    if isinstance(v, (str, list, dict)):
        return len(v) > 0
    return True


def fmt_value(v: Any) -> str:
    """fmt.Fprint of a value as text/template prints it."""
    if v is _MISSING:
        return "<no value>"
    if v is None:
        return "<nil>"
    if isinstance(v, float):
        return _go_float(v)
    return gofmt(v)


def _go_float(v: float) -> str:
    """%v of a float64 (strconv 'g' with the shortest representation)."""
    if v != v:
        return "NaN"
    if v in (float("inf"), float("-inf")):
        return "+Inf" if v > 0 else "-Inf"
    r = repr(v)
    if "e" in r or "E" in r:
        mant, exp = r.split("e")
        sign = "-" if exp.startswith("-") else "+"
        return f"{mant.rstrip('0').rstrip('.') if '.' in mant else mant}e{sign}{abs(int(exp)):02d}"
    if abs(v) >= 1e21 or (v != 0 and abs(v) < 1e-4):
        return _go_float_exp(v)
    return r[:-2] if r.endswith(".0") else r


def _go_float_exp(v: float) -> str:
    s = f"{v:e}"
    mant, exp = s.split("e")
    mant = mant.rstrip("0").rstrip(".")
    return f"{mant}e{exp[0]}{abs(int(exp)):02d}"


# ------------------------------------------------------------------------------------- functions
def _f_len(x):
    if isinstance(x, (str, list, dict)):
        return len(x)
    raise TemplateError(f"error calling len: len of type {_type_name(x)}")


def _f_index(item, *keys):
    v = item
    for k in keys:
        if isinstance(v, dict):
            if not isinstance(k, str):
                raise TemplateError(f"error calling index: value has type {_type_name(k)}; should be string")
            v = v.get(k, _MISSING)
        elif isinstance(v, (list, str)):
            if not isinstance(k, int) or isinstance(k, bool):
                raise TemplateError(f"error calling index: cannot index slice/array with type {_type_name(k)}")
            if not 0 <= k < len(v):
                raise TemplateError(f"error calling index: index out of range: {k}")
            v = v[k]
        elif v is None or v is _MISSING:
            raise TemplateError("error calling index: index of untyped nil")
        else:
            raise TemplateError(f"error calling index: can't index item of type {_type_name(v)}")
    return v


def _f_slice(item, *idx):
    if not isinstance(item, (str, list)):
        raise TemplateError(f"error calling slice: can't slice item of type {_type_name(item)}")
    if len(idx) > 2:
        raise TemplateError("error calling slice: too many slice indexes")
    lo = idx[0] if idx else 0
    hi = idx[1] if len(idx) > 1 else len(item)
    if not (0 <= lo <= hi <= len(item)):
        raise TemplateError(f"error calling slice: index out of range: {hi if hi > len(item) else lo}")
    return item[lo:hi]


def _f_exists(item, *keys):
    """cli-runtime printers/template.go exists: whether `index` would find every key."""
    v = item
    for k in keys:
        if isinstance(v, dict):
            if not isinstance(k, str) or k not in v:
                return False
            v = v[k]
        elif isinstance(v, (list, str)):
            if not isinstance(k, int) or isinstance(k, bool) or not 0 <= k < len(v):
                return False
            v = v[k]
        else:
            return False
    return v is not None


def _f_base64decode(v):
    if not isinstance(v, str):
        raise TemplateError(f"wrong type for value; expected string; got {_type_name(v)}")
    try:
        return base64.b64decode(v, validate=True).decode("utf-8", "replace")
    except ValueError as err:
        raise TemplateError(f"error calling base64decode: base64 decode failed: {err}") from None


def _sprint(args, spaces_always: bool) -> str:
    out = []
    for i, a in enumerate(args):
        if i and (spaces_always or (not isinstance(a, str) and not isinstance(args[i - 1], str))):
            out.append(" ")
        out.append(fmt_value(a))
    return "".join(out)


_VERB = re.compile(r"%([-+# 0]*)(\d+|\*)?(?:\.(\d+|\*)?)?([a-zA-Z%])")


def _f_printf(fmt, *args):
    if not isinstance(fmt, str):
        raise TemplateError(f"wrong type for value; expected string; got {_type_name(fmt)}")
    out, ai, pos = [], 0, 0
    for m in _VERB.finditer(fmt):
        out.append(fmt[pos:m.start()])
        pos = m.end()
        flags, width, prec, verb = m.group(1), m.group(2), m.group(3), m.group(4)
        if verb == "%":
            out.append("%")
            continue
        if ai >= len(args):
            out.append(f"%!{verb}(MISSING)")
            continue
        a = args[ai]
        ai += 1
        out.append(_pad(_format_one(a, verb, prec), flags, width))
    out.append(fmt[pos:])
    if ai < len(args):
        out.append("%!(EXTRA " + ", ".join(f"{_type_name(a)}={fmt_value(a)}" for a in args[ai:]) + ")")
    return "".join(out)


def _format_one(a, verb: str, prec: str | None) -> str:
    if verb in "vs":
        return fmt_value(a) if not isinstance(a, str) else a
    if verb == "q":
        from ..gofmt import go_quote
        return go_quote(a) if isinstance(a, str) else f"%!q({_type_name(a)}={fmt_value(a)})"
    if verb == "d":
        return str(a) if isinstance(a, int) and not isinstance(a, bool) else f"%!d({_type_name(a)}={fmt_value(a)})"
    if verb in "fFeg":
        if isinstance(a, (int, float)) and not isinstance(a, bool):
            if verb == "g":
                return _go_float(float(a))
            p = int(prec) if prec else 6
            return f"{float(a):.{p}{'f' if verb in 'fF' else 'e'}}"
        return f"%!{verb}({_type_name(a)}={fmt_value(a)})"
    if verb == "t":
        return ("true" if a else "false") if isinstance(a, bool) else f"%!t({_type_name(a)}={fmt_value(a)})"
    if verb in "xX":
        if isinstance(a, int) and not isinstance(a, bool):
            return format(a, verb)
        if isinstance(a, str):
            return a.encode().hex() if verb == "x" else a.encode().hex().upper()
    return f"%!{verb}({_type_name(a)}={fmt_value(a)})"


def _pad(s: str, flags: str, width: str | None) -> str:
    if not width or width == "*":
        return s
    w = int(width)
    return s.ljust(w) if "-" in flags else (s.rjust(w, "0") if "0" in flags else s.rjust(w))


def _basic(v):
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number" if isinstance(v, int) else "float"
    if isinstance(v, str):
        return "string"
    if v is None or v is _MISSING:
        return "nil"
    return None


def _f_eq(a, *bs):
    if not bs:
        raise TemplateError("error calling eq: missing argument for comparison")
    for b in bs:
        ka, kb = _basic(a), _basic(b)
        if ka is None or kb is None:
            raise TemplateError("error calling eq: non-comparable types " if ka is None and kb is None
                                else f"error calling eq: non-comparable type {fmt_value(a if ka is None else b)}: "
                                f"{_type_name(a if ka is None else b)}")
        if ka != kb and "nil" not in (ka, kb):
            raise TemplateError("error calling eq: incompatible types for comparison")
        if (a if a is not _MISSING else None) == (b if b is not _MISSING else None):
            return True
    return False


def _cmp(name):
    def f(a, b):
        ka, kb = _basic(a), _basic(b)
        if ka is None or kb is None or ka in ("nil", "bool") or kb in ("nil", "bool"):
            raise TemplateError(f"error calling {name}: invalid type for comparison")
        if ka != kb:
            raise TemplateError(f"error calling {name}: incompatible types for comparison")
        return {"lt": a < b, "le": a <= b, "gt": a > b, "ge": a >= b}[name]
    return f


def _js(s: str) -> str:
    out = []
    for ch in s:
        if ch in "\\'\"":
            out.append("\\" + ch)
        elif ch in "<>&=":
            out.append(f"\\u{ord(ch):04X}")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


FUNCS = {
    "len": _f_len, "index": _f_index, "slice": _f_slice, "exists": _f_exists,
    "base64decode": _f_base64decode,
    "print": lambda *a: _sprint(a, False), "println": lambda *a: _sprint(a, True) + "\n",
    "printf": _f_printf,
    "eq": _f_eq, "ne": lambda a, b: not _f_eq(a, b), "lt": _cmp("lt"), "le": _cmp("le"),
    "gt": _cmp("gt"), "ge": _cmp("ge"),
    "html": lambda *a: _html.escape(_sprint(a, False)).replace("&#x27;", "&#39;"),
    "js": lambda *a: _js(_sprint(a, False)),
    "urlquery": lambda *a: urllib.parse.quote_plus(_sprint(a, False)),
    # and/or/not are evaluated lazily in _call
    "and": None, "or": None, "not": None,
}


# ------------------------------------------------------------------------------------- execution
class _Exec:
    def __init__(self, source: str, missing_key_error: bool):
        self.source = source
        self.missing_key_error = missing_key_error
        self.out: list[str] = []
        self.size = 0
        self.steps = 0

    def _where(self, node: Node) -> str:
        before = self.source[:node.pos]
        line = before.count("\n") + 1
        col = node.pos - (before.rfind("\n") + 1) if "\n" in before else node.pos
        return f'template: output:{line}:{col}: executing "output" at <{node.text}>: '

    def fail(self, node: Node, msg: str):
        raise TemplateError(self._where(node) + msg)

    def step(self):
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise TemplateError(f"template: output: stopped after {MAX_STEPS} steps "
                                "(Rollout Lab's limit for one template)")

    def write(self, s: str):
        self.size += len(s)
        if self.size > MAX_OUTPUT:
            raise TemplateError(f"template: output: more than {MAX_OUTPUT} characters of output "
                                "(Rollout Lab's limit for one template)")
        self.out.append(s)

    def run(self, nodes: list[Node], dot: Any, scope: list[dict]) -> None:
        for n in nodes:
            self.step()
            if isinstance(n, Text):
                self.write(n.value)
            elif isinstance(n, Action):
                v = self.pipe(n.pipe, dot, scope)
                if not n.pipe.decl:
                    self.write(fmt_value(v))
            elif isinstance(n, Block):
                self.block(n, dot, scope)
            elif isinstance(n, Control):
                raise _Break() if n.kind == "break" else _Continue()

    def block(self, n: Block, dot: Any, scope: list[dict]) -> None:
        inner = scope + [{}]
        v = self.pipe(n.pipe, dot, inner)
        if n.kind == "if":
            self.run(n.body if truth(v) else n.orelse, dot, inner)
        elif n.kind == "with":
            if truth(v):
                self.run(n.body, v, inner)
            else:
                self.run(n.orelse, dot, inner)
        else:  # range
            if v is _MISSING or v is None:
                items: list = []
            elif isinstance(v, dict):
                items = [(k, v[k]) for k in sorted(v)]
            elif isinstance(v, list):
                items = list(enumerate(v))
            elif isinstance(v, int) and not isinstance(v, bool):
                items = [(i, i) for i in range(max(0, min(v, MAX_STEPS)))]
            else:
                self.fail(n.pipe.cmds[0][0], f"range can't iterate over {fmt_value(v)}")
            if not items:
                self.run(n.orelse, dot, inner)
                return
            for key, elem in items:
                self.step()
                if n.pipe.decl:
                    if len(n.pipe.decl) == 2:
                        inner[-1][n.pipe.decl[0]] = key
                        inner[-1][n.pipe.decl[1]] = elem
                    else:
                        inner[-1][n.pipe.decl[0]] = elem
                try:
                    self.run(n.body, elem, inner)
                except _Break:
                    break
                except _Continue:
                    continue

    def pipe(self, p: Pipe, dot: Any, scope: list[dict]) -> Any:
        value: Any = _MISSING
        first = True
        for cmd in p.cmds:
            value = self.command(cmd, dot, scope, None if first else value, first)
            first = False
        if p.decl:
            if p.assign:
                for s in reversed(scope):
                    if p.decl[0] in s:
                        s[p.decl[0]] = value
                        break
            elif len(p.decl) == 1:
                scope[-1][p.decl[0]] = value
        return value

    def command(self, cmd: list[Node], dot: Any, scope: list[dict], piped: Any, first: bool) -> Any:
        head = cmd[0]
        if head.kind == "ident":
            args = cmd[1:]
            return self.call(head, args, dot, scope, piped, first)
        if len(cmd) > 1 or not first:
            self.fail(head, f"can't give argument to non-function {head.text}")
        return self.operand(head, dot, scope)

    def call(self, head: Operand, args: list[Node], dot, scope, piped, first: bool):
        name = head.value
        final = [] if first else [piped]
        if name in ("and", "or"):
            if not args and not final:
                self.fail(head, f"wrong number of args for {name}: want at least 1 got 0")
            v = None
            for a in args:
                v = self.operand(a, dot, scope)
                if truth(v) != (name == "and"):
                    return v
            if final:
                v = final[0]
            return v
        values = [self.operand(a, dot, scope) for a in args] + final
        if name == "not":
            if len(values) != 1:
                self.fail(head, f"wrong number of args for not: want 1 got {len(values)}")
            return not truth(values[0])
        try:
            return FUNCS[name](*values)
        except TemplateError as err:
            self.fail(head if not args else Operand(head.pos, " ".join([head.text] + [a.text for a in args])),
                      str(err))
        except TypeError:
            self.fail(head, f"wrong number of args for {name}: got {len(values)}")

    def operand(self, n: Operand, dot, scope):
        k = n.kind
        if k == "dot":
            return dot
        if k in ("string", "number", "bool"):
            return n.value
        if k == "nil":
            self.fail(n, "nil is not a command")
        if k == "var":
            for s in reversed(scope):
                if n.value in s:
                    return s[n.value]
            return _MISSING
        if k == "field":
            return self.fields(n, dot, n.fields)
        if k == "pipe":
            return self.pipe(n.inner, dot, scope + [{}])
        if k == "chain":
            base = self.operand(n.inner.cmds[0][0], dot, scope)
            return self.fields(n, base, n.fields)
        if k == "ident":
            return self.call(n, [], dot, scope, None, True)
        self.fail(n, "unknown operand")

    def fields(self, n: Operand, v: Any, names: list[str]) -> Any:
        for i, name in enumerate(names):
            if isinstance(v, dict):
                if name in v:
                    v = v[name]
                elif self.missing_key_error:
                    self.fail(n, f'map has no entry for key "{name}"')
                else:
                    v = _MISSING
            elif v is None or v is _MISSING:
                self.fail(n, f"nil pointer evaluating interface {{}}.{name}")
            else:
                self.fail(n, f"can't evaluate field {name} in type {_type_name(v)}")
        return v


def parse(text: str) -> list[Node]:
    if len(text) > MAX_TEMPLATE:
        raise TemplateError(f"template: output: the template is longer than {MAX_TEMPLATE} characters "
                            "(Rollout Lab's limit)")
    try:
        return _Parser(text).parse()
    except RecursionError:
        raise TemplateError("template: output: nesting is too deep") from None


def execute(text: str, data: Any, missing_key_error: bool = False) -> str:
    nodes = parse(text)
    ex = _Exec(text, missing_key_error)
    scope = [{"$": data}]
    try:
        ex.run(nodes, data, scope)
    except (_Break, _Continue):
        pass
    except RecursionError:
        raise TemplateError("template: output: nesting is too deep") from None
    except (TypeError, ValueError, OverflowError) as err:  # a value Go would have refused
        raise TemplateError(f"template: output: {err}") from None
    return "".join(ex.out)
