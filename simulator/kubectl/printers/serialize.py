"""`-o yaml`, `-o json`, `-o name` as kubectl prints them.

YAML: cli-runtime YAMLPrinter → sigs.k8s.io/yaml Marshal = encoding/json, then JSONToYAML, which
re-reads the JSON with go-yaml v2 and marshals the generic value with go-yaml v2.4 (vendored as
sigs.k8s.io/yaml/goyaml.v2). The emitter below reproduces what that pipeline prints for JSON data:
* map keys in go-yaml's sorter.go keyList order (natural: digit runs compared as numbers, a
  non-letter before a letter), block style, 2-space indent, sequences inside a mapping not
  indented (`containers:` then `- image: …` at the same column), `{}` / `[]` when empty;
* a string is plain unless resolve() would read it back as something else (null/bool/int/float/
  timestamp, goyaml.v2/resolve.go) or it is a base-60 float → double-quoted (`"1"`, `"true"`,
  `""`, `"2026-01-01T09:00:00Z"`); a plain string the libyaml emitter cannot write plain
  (yaml_emitter_analyze_scalar: indicators, `: `, ` #`, leading/trailing spaces) → single-quoted,
  or double-quoted when it also holds special characters; strings with a newline → literal block
  `|` / `|-` / `|+` (double-quoted if they have trailing spaces or space/newline mixes);
* no line folding (v2.4 keeps best_width unlimited unless FutureLineWrap is called).

JSON: cli-runtime JSONPrinter = json.MarshalIndent(obj, "", "    ") + "\\n" on the unstructured
map, so keys are sorted, `<`, `>`, `&`, U+2028 and U+2029 are \\u-escaped, other non-ASCII is kept.
"""
from __future__ import annotations

import functools
import math
import re
import unicodedata

from simulator.api import kinds as _kinds

# ---------------------------------------------------------------------------------------------
# numbers as Go prints them


def _shortest_digits(f: float) -> tuple[str, str, int]:
    """(sign, digits, exp): f = 0.d1d2d3… × 10^(exp+1), shortest round-trip digits (like Go's)."""
    text = repr(abs(f))
    mant, _, exp_s = text.partition("e")
    int_part, _, frac = mant.partition(".")
    digits = (int_part + frac).lstrip("0")
    lead_zeros = len(int_part + frac) - len((int_part + frac).lstrip("0"))
    exp = int(exp_s or 0) + len(int_part) - 1 - lead_zeros
    return ("-" if math.copysign(1, f) < 0 else ""), (digits.rstrip("0") or "0"), exp


def _fmt_e(sign: str, digits: str, exp: int) -> str:
    m = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{sign}{m}e{'-' if exp < 0 else '+'}{abs(exp):02d}"


def _fmt_f(sign: str, digits: str, exp: int) -> str:
    if exp < 0:
        return f"{sign}0.{'0' * (-exp - 1)}{digits}"
    if len(digits) <= exp + 1:
        return sign + digits + "0" * (exp + 1 - len(digits))
    return f"{sign}{digits[:exp + 1]}.{digits[exp + 1:]}"


def _go_float_g(f: float) -> str:
    """strconv.FormatFloat(f, 'g', -1, 64): shortest digits; %e when exp < -4 || exp >= 6
    (ftoa.go: `if shortest { eprec = 6 }`)."""
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    if f == 0:
        return "-0" if math.copysign(1, f) < 0 else "0"
    sign, digits, exp = _shortest_digits(f)
    eprec = 6
    if exp < -4 or exp >= eprec:
        return _fmt_e(sign, digits, exp)
    return _fmt_f(sign, digits, exp)


def _json_number(v) -> str:
    """encoding/json floatEncoder: 'f' unless abs < 1e-6 || abs >= 1e21, then 'e' with e-07 → e-7."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if math.isnan(v) or math.isinf(v):
        raise ValueError(f"json: unsupported value: {v}")
    if v == 0:
        return "-0" if math.copysign(1, v) < 0 else "0"
    sign, digits, exp = _shortest_digits(v)
    if abs(v) < 1e-6 or abs(v) >= 1e21:
        return re.sub(r"e([+-])0(\d)$", r"e\g<1>\2", _fmt_e(sign, digits, exp))
    return _fmt_f(sign, digits, exp)


def _yaml_number(v) -> str:
    """What go-yaml prints after re-reading the JSON number: ints stay ints, floats use 'g'."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    text = _json_number(v)
    if re.fullmatch(r"-?\d+", text):
        return text  # JSON wrote an integral float as an integer; YAML reads it back as an int
    return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(_go_float_g(float(text)), _go_float_g(float(text)))


# ---------------------------------------------------------------------------------------------
# go-yaml key order (sorter.go)


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch).startswith("L")


def _is_digit(ch: str) -> bool:
    return unicodedata.category(ch) == "Nd"


def _key_less(a: str, b: str) -> bool:
    digits = False
    for i in range(min(len(a), len(b))):
        ca, cb = a[i], b[i]
        if ca == cb:
            digits = _is_digit(ca)
            continue
        al, bl = _is_letter(ca), _is_letter(cb)
        if al and bl:
            return ca < cb
        if al or bl:
            return al if digits else bl
        an = bn = 0
        if ca == "0" or cb == "0":
            j = i - 1
            while j >= 0 and _is_digit(a[j]):
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and _is_digit(a[ai]):
            an = an * 10 + (ord(a[ai]) - ord("0"))
            ai += 1
        bi = i
        while bi < len(b) and _is_digit(b[bi]):
            bn = bn * 10 + (ord(b[bi]) - ord("0"))
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ca < cb
    return len(a) < len(b)


def _key_cmp(a: str, b: str) -> int:
    return -1 if _key_less(a, b) else (1 if _key_less(b, a) else 0)


def yaml_sorted_keys(keys) -> list[str]:
    return sorted(keys, key=functools.cmp_to_key(_key_cmp))


# ---------------------------------------------------------------------------------------------
# scalar styles (resolve.go + emitterc.go yaml_emitter_analyze_scalar / select_scalar_style)

_RESOLVE_MAP = {
    "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
    "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
    "", "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF",
    "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "<<",
}
_YAML_STYLE_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_BASE60_FLOAT = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_TIMESTAMP = [
    # go-yaml's allowedTimestampFormats, as regular expressions (time.Parse with 1-digit fields)
    re.compile(r"^\d{4}-\d{1,2}-\d{1,2}[Tt]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"),
    re.compile(r"^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?$"),
    re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$"),
]


def _go_parse_int(s: str) -> bool:
    """strconv.ParseInt/ParseUint(s, 0, 64) succeed (or fail only with ErrRange)?"""
    m = re.fullmatch(r"[+-]?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]*|[1-9][0-9]*)", s)
    return m is not None


def _resolves_to_non_string(s: str) -> bool:
    if s in _RESOLVE_MAP:
        return True
    hint = s[0] if s else ""
    if hint == ".":
        try:
            float(s)
            return bool(re.fullmatch(r"\.[0-9]+([eE][-+]?[0-9]+)?", s))
        except ValueError:
            return False
    if hint and (hint in "+-" or hint.isdigit() and hint.isascii()):
        if any(p.match(s) for p in _TIMESTAMP):
            return True
        plain = s.replace("_", "")
        if _go_parse_int(plain):
            return True
        if _YAML_STYLE_FLOAT.match(plain):
            return True
        if re.fullmatch(r"-?0b[01]+", plain):
            return True
    return False


def _is_printable(ch: str) -> bool:
    o = ord(ch)
    return (o == 0x0A or 0x20 <= o <= 0x7E or o == 0x85 or 0xA0 <= o <= 0xD7FF
            or 0xE000 <= o <= 0xFFFD and o != 0xFEFF or 0x10000 <= o <= 0x10FFFF)


_BREAKS = "\r\n\x85\u2028\u2029"


def _analyze(s: str) -> dict:
    """yaml_emitter_analyze_scalar: which styles the emitter allows for this text."""
    r = dict(flow_plain=True, block_plain=True, single=True, block=True, multiline=False)
    if not s:
        r.update(flow_plain=False, block_plain=False, block=False)
        return r
    block_ind = flow_ind = False
    line_breaks = special = False
    leading_space = leading_break = trailing_space = trailing_break = False
    break_space = space_break = previous_space = previous_break = False
    if s.startswith("---") or s.startswith("..."):
        block_ind = flow_ind = True
    preceded_by_ws = True
    n = len(s)
    for i, ch in enumerate(s):
        followed_by_ws = i + 1 >= n or s[i + 1] in " \t" + _BREAKS
        if i == 0:
            if ch in "#,[]{}&*!|>'\"%@`":
                flow_ind = block_ind = True
            if ch in "?:":
                flow_ind = True
                if followed_by_ws:
                    block_ind = True
            if ch == "-" and followed_by_ws:
                flow_ind = block_ind = True
        else:
            if ch in ",?[]{}":
                flow_ind = True
            if ch == ":":
                flow_ind = True
                if followed_by_ws:
                    block_ind = True
            if ch == "#" and preceded_by_ws:
                flow_ind = block_ind = True
        if not _is_printable(ch) or ch == "\ufeff":
            special = True
        if ch in _BREAKS:
            line_breaks = True
        if ch == " ":
            if i == 0:
                leading_space = True
            if i == n - 1:
                trailing_space = True
            if previous_break:
                break_space = True
            previous_space, previous_break = True, False
        elif ch in _BREAKS:
            if i == 0:
                leading_break = True
            if i == n - 1:
                trailing_break = True
            if previous_space:
                space_break = True
            previous_space, previous_break = False, True
        else:
            previous_space = previous_break = False
        preceded_by_ws = ch in " \t" + _BREAKS
    r["multiline"] = line_breaks
    if leading_space or leading_break or trailing_space or trailing_break:
        r["flow_plain"] = r["block_plain"] = False
    if trailing_space:
        r["block"] = False
    if break_space:
        r["flow_plain"] = r["block_plain"] = r["single"] = False
    if space_break or special:
        r.update(flow_plain=False, block_plain=False, single=False, block=False)
    if line_breaks:
        r["flow_plain"] = r["block_plain"] = False
    if flow_ind:
        r["flow_plain"] = False
    if block_ind:
        r["block_plain"] = False
    return r


def _double_quoted(s: str) -> str:
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif not _is_printable(ch) or ch == "\ufeff" or ch in _BREAKS:
            esc = {"\0": "\\0", "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f",
                   "\r": "\\r", "\x1b": "\\e", "\x85": "\\N", "\xa0": "\\_", "\u2028": "\\L", "\u2029": "\\P"}.get(ch)
            if esc is None:
                esc = f"\\x{o:02X}" if o <= 0xFF else (f"\\u{o:04X}" if o <= 0xFFFF else f"\\U{o:08X}")
            out.append(esc)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _single_quoted(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _literal(s: str, indent: int) -> str:
    """A literal block scalar: header then content lines at `indent` (empty lines stay empty)."""
    chomp = ""
    if not s or s[-1] not in _BREAKS:
        chomp = "-"
    elif len(s) == 1 or s[-2] in _BREAKS:
        chomp = "+"
    hint = "2" if s and (s[0] == " " or s[0] in _BREAKS) else ""
    lines = s.split("\n")
    if s.endswith("\n"):
        lines = lines[:-1]
    body = "\n".join((" " * indent + line) if line else "" for line in lines)
    return f"|{hint}{chomp}\n{body}"


def _scalar(s: str, *, key: bool = False, indent: int = 0) -> str:
    """One string as go-yaml writes it: plain, single-, double-quoted or literal."""
    can_plain = not _resolves_to_non_string(s) and not (s and (s[0] in "+-" or s[0].isdigit())
                                                         and ":" in s and _BASE60_FLOAT.match(s))
    a = _analyze(s)
    if any(ch in s for ch in "\r\x85\u2028\u2029"):
        # libyaml would write these breaks raw inside quotes and they would fold on reading;
        # we escape them instead (a deliberate deviation for text no kubectl object carries)
        return _double_quoted(s)
    if "\n" in s:
        # literal requested; not allowed in a simple key or when analysis forbids block styles
        if key or not a["block"]:
            return _double_quoted(s)
        return _literal(s, indent)
    if can_plain:
        if a["block_plain"] and s:
            return s
        return _single_quoted(s) if a["single"] else _double_quoted(s)
    return _double_quoted(s)


# ---------------------------------------------------------------------------------------------
# YAML block emitter


def _yaml_value_inline(v, indent: int) -> str | None:
    """Text after `key: ` / `- ` for a scalar or empty collection; None for a block collection."""
    if v is None:
        return "null"
    if isinstance(v, bool) or isinstance(v, (int, float)):
        return _yaml_number(v)
    if isinstance(v, str):
        return _scalar(v, indent=indent + 2)
    if isinstance(v, dict):
        return "{}" if not v else None
    if isinstance(v, (list, tuple)):
        return "[]" if not v else None
    return _scalar(str(v), indent=indent + 2)


def _emit_map(m: dict, indent: int, out: list[str], first_prefix: str | None = None) -> None:
    """Block mapping at `indent`; `first_prefix` replaces the indentation of the first key (`- `)."""
    for i, k in enumerate(yaml_sorted_keys(str(k) for k in m)):
        v = m[k] if k in m else m.get(next(kk for kk in m if str(kk) == k))
        pad = first_prefix if (i == 0 and first_prefix is not None) else " " * indent
        key = _scalar(k, key=True)
        inline = _yaml_value_inline(v, indent)
        if inline is not None:
            out.append(f"{pad}{key}: {inline}\n")
        elif isinstance(v, dict):
            out.append(f"{pad}{key}:\n")
            _emit_map(v, indent + 2, out)
        else:
            out.append(f"{pad}{key}:\n")
            _emit_seq(v, indent, out)  # go-yaml: a sequence in a mapping is not indented


def _emit_seq(seq, indent: int, out: list[str], first_prefix: str | None = None) -> None:
    for i, v in enumerate(seq):
        pad = first_prefix if (i == 0 and first_prefix is not None) else " " * indent
        inline = _yaml_value_inline(v, indent)
        if inline is not None:
            out.append(f"{pad}- {inline}\n")
        elif isinstance(v, dict):
            _emit_map(v, indent + 2, out, first_prefix=pad + "- ")
        else:
            _emit_seq(v, indent + 2, out, first_prefix=pad + "- ")


def to_yaml(obj) -> str:
    """`kubectl get -o yaml` for one object (or any JSON-shaped value)."""
    out: list[str] = []
    inline = _yaml_value_inline(obj, -2) if not isinstance(obj, str) else _scalar(obj, indent=2)
    if inline is not None:
        return inline + "\n"
    if isinstance(obj, dict):
        _emit_map(obj, 0, out)
    else:
        _emit_seq(obj, 0, out)
    return "".join(out)


def to_yaml_documents(objs) -> str:
    """cli-runtime YAMLPrinter over several objects: `---` before every document but the first."""
    return "---\n".join(to_yaml(o) for o in objs)


def list_object(items) -> dict:
    """What `kubectl get <type> -o yaml|json` prints for a list query."""
    return {"apiVersion": "v1", "items": list(items), "kind": "List", "metadata": {"resourceVersion": ""}}


# ---------------------------------------------------------------------------------------------
# JSON


def _json_string(s: str) -> str:
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "<>&" or ch in "\u2028\u2029":
            out.append(f"\\u{o:04x}")
        elif o < 0x20:
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}.get(ch, f"\\u{o:04x}"))
        elif 0xD800 <= o <= 0xDFFF:
            out.append("\\ufffd")  # invalid UTF-8 becomes U+FFFD
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _emit_json(v, indent: int, out: list[str], sort_keys: bool = True) -> None:
    if v is None:
        out.append("null")
    elif isinstance(v, bool) or isinstance(v, (int, float)):
        out.append(_json_number(v))
    elif isinstance(v, str):
        out.append(_json_string(v))
    elif isinstance(v, dict):
        if not v:
            out.append("{}")
            return
        out.append("{\n")
        # encoding/json sorts map keys; a struct (typed object, already in field order) keeps its own
        keys = sorted((str(k), k) for k in v) if sort_keys else [(str(k), k) for k in v]
        for i, (ks, k) in enumerate(keys):
            out.append(" " * (indent + 4) + _json_string(ks) + ": ")
            _emit_json(v[k], indent + 4, out, sort_keys)
            out.append(",\n" if i < len(keys) - 1 else "\n")
        out.append(" " * indent + "}")
    elif isinstance(v, (list, tuple)):
        if not v:
            out.append("[]")
            return
        out.append("[\n")
        for i, item in enumerate(v):
            out.append(" " * (indent + 4))
            _emit_json(item, indent + 4, out, sort_keys)
            out.append(",\n" if i < len(v) - 1 else "\n")
        out.append(" " * indent + "]")
    else:
        out.append(_json_string(str(v)))


def to_json(obj, sort_keys: bool = True) -> str:
    """`kubectl get -o json`: json.MarshalIndent(obj, "", "    ") plus a newline. `sort_keys=False`
    for a typed object whose dicts are already in struct order (printers/typed_order.py)."""
    out: list[str] = []
    _emit_json(obj, 0, out, sort_keys)
    out.append("\n")
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# name


def name_prefix(kind: str) -> str:
    k = _kinds.by_kind(kind)
    return k.name_prefix if k else kind.lower()


def to_name(obj: dict) -> str:
    """`-o name` (cli-runtime NamePrinter): `deployment.apps/kubia`, `pod/kubia-…`, plus newline-free."""
    kind = obj.get("kind") if isinstance(obj, dict) else ""
    meta = obj.get("metadata") if isinstance(obj, dict) else None
    name = meta.get("name", "") if isinstance(meta, dict) else ""
    return f"{name_prefix(kind if isinstance(kind, str) else '')}/{name}"
