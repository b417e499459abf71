"""Learner-supplied regular expressions (sed, grep, kubectl edit's sed editor) with a bounded cost.

Python's `re` backtracks: `sed -E 's/^(a+)+$/x/'` on 30 `a`s and a `!` runs for seconds, holding
the whole process. Patterns are compiled here instead, from the Python-syntax translation of the
POSIX expression (kubectl/commands/edit.py `_translate_regex`):

- RE2 (google-re2) first: linear time in the input whatever the pattern, and with `longest_match`
  the leftmost-longest match POSIX regexec gives (GNU sed/grep), where Python's `re` would take
  the first alternative (`echo ab | sed -E 's/a|ab/X/'` prints `X`).
- What RE2 cannot run (backreferences `\\1`, the lookarounds of `\\<`/`\\>` and grep -w, `\\'`,
  counts above 1000) goes to the `regex` module in POSIX mode with `timeout=`: a backtracking
  engine whose matching stops after limits.REGEX_MATCH_MS (all matching of one pattern together);
  counted repetitions that nest too deep for it to compile are refused ("Regular expression too
  big", as GNU regcomp says).

Every match also checks the command's CPU budget (cpu_budget.check).
"""
from __future__ import annotations

import re
import time

import re2
import regex

from . import cpu_budget, limits
from .cpu_budget import CPUBudgetExceeded

_RE2_OPTIONS_CACHE: dict[bool, "re2.Options"] = {}


class RegexTooCostly(CPUBudgetExceeded):
    """Matching spent its budget. A CPUBudgetExceeded, so a caller that does not catch it (kubectl
    edit's sed editor) still ends the command cleanly with the cluster rolled back."""

    def __init__(self, prog: str, ms: int):
        super().__init__(ms)
        self.prog = prog

    def render(self) -> str:
        # GNU regex's own messages name the expression's problem ("Regular expression too big");
        # this one says which budget was spent.
        return f"{self.prog}: regular expression too costly: matching used more than {self.ms} ms of CPU"


def _re2_options(ignore_case: bool):
    opts = _RE2_OPTIONS_CACHE.get(ignore_case)
    if opts is None:
        opts = re2.Options()
        opts.longest_match = True   # POSIX leftmost-longest, as GNU regexec
        opts.log_errors = False     # a refused pattern falls back quietly
        opts.case_sensitive = not ignore_case
        _RE2_OPTIONS_CACHE[ignore_case] = opts
    return opts


class Pattern:
    """The part of `re.Pattern` sed and grep use: search, finditer, groups."""

    __slots__ = ("_rx", "_linear", "groups", "prog", "_spent")

    def __init__(self, rx, linear: bool, prog: str):
        self._rx = rx
        self._linear = linear
        self.groups = rx.groups
        self.prog = prog
        self._spent = 0.0   # CPU seconds the backtracking engine has used for this pattern

    @property
    def linear(self) -> bool:
        """True when RE2 runs it (no backtracking possible)."""
        return self._linear

    def search(self, text: str):
        cpu_budget.check()
        if self._linear:
            return self._rx.search(text)
        return self._bounded(lambda timeout: self._rx.search(text, timeout=timeout))

    def finditer(self, text: str):
        cpu_budget.check()
        if self._linear:
            return _checked(self._rx.finditer(text))
        return self._bounded(lambda timeout: list(self._rx.finditer(text, timeout=timeout)))

    def _bounded(self, call):
        budget = limits.REGEX_MATCH_MS / 1000.0
        left = min(budget - self._spent, cpu_budget.remaining(budget))
        if left <= 0:
            raise RegexTooCostly(self.prog, limits.REGEX_MATCH_MS)
        started = time.thread_time()
        try:
            return call(left)
        except TimeoutError:
            cpu_budget.check()  # the command's own budget ran out first: say that one
            raise RegexTooCostly(self.prog, limits.REGEX_MATCH_MS) from None
        finally:
            self._spent += time.thread_time() - started


def _checked(matches):
    """RE2's matches one by one, checking the CPU budget now and then: each costs a few µs of
    Python, so `s/./X/g` over a megabyte is long even in linear time."""
    for n, m in enumerate(matches, 1):
        if n % 1024 == 0:
            cpu_budget.check()
        yield m


class RegexTooBig(re.error):
    """GNU regcomp's REG_ESIZE: counted repetitions nest into more than the engine should build."""

    def __init__(self):
        super().__init__("Regular expression too big")


def gnu_message(err: re.error) -> str:
    """The GNU regcomp text for a pattern neither engine compiles."""
    return str(err) if isinstance(err, RegexTooBig) else "Invalid preceding regular expression"


_MAX_EXPANDED_SIZE = 20_000  # atoms once counted repetitions are unrolled (`(a{999}){999}` is 998,001)


def _expanded_size(pattern: str) -> int:
    """How big `pattern` becomes when `{m,n}` repetitions are unrolled, as the backtracking
    engine does when it compiles (it takes minutes over `((a{999}){999}){999}`). Python syntax,
    as _translate_regex writes it; a rough count is enough."""
    stack = [[0, 0]]          # per open group: [size so far, size of the last atom]
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        atom = None
        if c == "\\":
            i += 2
            atom = 1
        elif c == "[":
            j = i + 1
            if j < n and pattern[j] == "^":
                j += 1
            if j < n and pattern[j] == "]":
                j += 1
            while j < n and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            i = j + 1
            atom = 1
        elif c == "(":
            stack.append([0, 0])
            i += 1
            if pattern.startswith("?", i):  # (?:  (?=  (?<=  (?P<name>
                close = pattern.find(">", i) + 1 if pattern.startswith("?P<", i) else 0
                i = close or i + (3 if pattern.startswith("?<", i) else 2)
            continue
        elif c == ")" and len(stack) > 1:
            inner = stack.pop()
            i += 1
            atom = inner[0]
        elif c == "{":
            j = pattern.find("}", i)
            counts = pattern[i + 1:j].split(",") if j > 0 else []
            if 1 <= len(counts) <= 2 and all(x.isdigit() or x == "" for x in counts) and counts[0] != "":
                top = stack[-1]
                times = max(int(x) for x in counts if x)
                top[0] += top[1] * (max(times, 1) - 1)
                top[1] *= max(times, 1)
                i = j + 1
                continue
            i += 1
            atom = 1
        else:
            i += 1
            atom = 0 if c in "*+?|^$" else 1
        top = stack[-1]
        top[0] += atom
        top[1] = atom
        if top[0] > _MAX_EXPANDED_SIZE:
            return top[0]
    return max(sum(level[0] for level in stack), 0)


def compile(pattern: str, flags: int = 0, prog: str = "sed") -> Pattern:  # noqa: A001 - re's name
    """A bounded Pattern for `pattern` in Python `re` syntax; `flags` may hold re.IGNORECASE.
    Raises re.error when neither engine accepts the pattern."""
    ignore_case = bool(flags & re.IGNORECASE)
    try:
        return Pattern(re2.compile(pattern, _re2_options(ignore_case)), True, prog)
    except re2.error:
        pass
    if _expanded_size(pattern) > _MAX_EXPANDED_SIZE:
        raise RegexTooBig()
    try:
        rx = regex.compile(pattern, regex.V0 | regex.POSIX | (regex.IGNORECASE if ignore_case else 0))
    except (regex.error, OverflowError, RecursionError) as err:
        raise re.error(str(err)) from None
    return Pattern(rx, False, prog)
