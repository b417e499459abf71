"""CJK-friendly emphasis for markdown-it-py: `**카나리 배포(canary release)**도` is emphasis.

CommonMark decides whether `*`/`**` may open or close emphasis from the characters beside the
run ("flanking"). A closing run after punctuation must be followed by whitespace or punctuation,
so `**…)**도` stays literal: Korean attaches particles (도, 로, 는) straight to the word, with no
space. The markdown-cjk-friendly proposal (github.com/tats-u/markdown-cjk-friendly, spec.md)
fixes this by letting a CJK character on the other side of the run count like whitespace or
punctuation in that clause. Unlike its full-width-language variants we keep soft line breaks
as spaces: Korean separates words with spaces. (mdit-py-cjk-friendly implements the idea but
requires markdown-it-py < 4 and joins lines without a space, which is wrong for Korean.)
"""

from __future__ import annotations

import unicodedata

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline.state_inline import Scanned, StateInline

# Hangul, Han, kana, CJK symbols and full-width forms: the scripts written without spaces
# between a word and what follows it (ranges from the proposal's definition of a CJK character).
_CJK_RANGES = (
    (0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x2FF0, 0x2FFF), (0x3000, 0x303F), (0x3040, 0x30FF),
    (0x3100, 0x312F), (0x3130, 0x318F), (0x3190, 0x31FF), (0x3200, 0x32FF), (0x3300, 0x33FF),
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xA960, 0xA97F), (0xAC00, 0xD7AF), (0xD7B0, 0xD7FF),
    (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF),
)


def is_cjk(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _CJK_RANGES)


def _punct(char: str) -> bool:
    return isMdAsciiPunct(ord(char)) or isPunctChar(char)


def scan_delims_cjk(state: StateInline, start: int, canSplitWord: bool) -> Scanned:
    """StateInline.scanDelims with the CJK relaxation of the flanking rules."""
    src, maximum, marker = state.src, state.posMax, state.src[start]
    last = src[start - 1] if start > 0 else " "
    pos = start
    while pos < maximum and src[pos] == marker:
        pos += 1
    following = src[pos] if pos < maximum else " "
    # A combining mark (e.g. a variation selector) belongs to the character before it.
    if unicodedata.combining(last) and start > 1:
        last = src[start - 2]

    last_punct, next_punct = _punct(last), _punct(following)
    last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(following))
    last_cjk, next_cjk = is_cjk(last), is_cjk(following)

    left_flanking = not next_space and (not next_punct or last_space or last_punct or last_cjk)
    right_flanking = not last_space and (not last_punct or next_space or next_punct or next_cjk)
    # `_` inside a word stays literal (snake_case); beside CJK text it may open or close.
    can_open = left_flanking and (canSplitWord or not right_flanking or last_punct or last_cjk)
    can_close = right_flanking and (canSplitWord or not left_flanking or next_punct or next_cjk)
    return Scanned(can_open, can_close, pos - start)


class _CjkStateInline(StateInline):
    def scanDelims(self, start: int, canSplitWord: bool) -> Scanned:  # noqa: N802 (upstream name)
        return scan_delims_cjk(self, start, canSplitWord)


def cjk_friendly_emphasis(md: MarkdownIt) -> None:
    """Plugin: the inline parser of `md` uses the CJK-friendly flanking rules."""
    inline = md.inline

    def parse(src, md_, env, tokens):  # same signature as ParserInline.parse
        state = _CjkStateInline(src, md_, env, tokens)
        inline.tokenize(state)
        for rule in inline.ruler2.getRules(""):
            rule(state)
        return state.tokens

    inline.parse = parse  # type: ignore[method-assign]
