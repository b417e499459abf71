"""How long a lesson takes, measured from its steps (shown on the landing page's learning path).

minutes = reading + commands + exercises, rounded up to a whole minute:
* reading: the lesson's prose at 180 English words a minute, or 450 Korean characters (letters,
  not spaces) a minute, which is how fast adults read technical text in each language; code and
  manifest blocks other than `run` fences at 12 lines a minute (read, not skimmed);
* commands: 40 seconds for each command of a `run` fence (read, send, read its output, let a
  rollout run at the default clock speed);
* exercises: 5 minutes each (plan, act, check, read the feedback).
The rates are constants below; tests/web/test_landing.py pins the arithmetic.
"""

from __future__ import annotations

import math
import re
from html import unescape

WORDS_PER_MINUTE = 180
KOREAN_CHARS_PER_MINUTE = 450
CODE_LINES_PER_MINUTE = 12
SECONDS_PER_COMMAND = 40
MINUTES_PER_EXERCISE = 5

_RUN_BLOCK = re.compile(r'<div class="run-block">.*?</div>\n', re.S)
_PRE = re.compile(r"<pre[^>]*>(.*?)</pre>", re.S)
_TAG = re.compile(r"<[^>]+>")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def commands_in(html: str) -> int:
    return html.count('class="copy-to-console"')


def reading_minutes(html: str, language: str) -> float:
    prose_html = _PRE.sub(" ", _RUN_BLOCK.sub(" ", html))
    prose = unescape(_TAG.sub(" ", prose_html))
    code_lines = sum(len([line for line in unescape(_TAG.sub("", block)).splitlines() if line.strip()])
                     for block in _PRE.findall(_RUN_BLOCK.sub(" ", html)))
    if language == "ko" and _HANGUL.search(prose):
        text_minutes = len(re.sub(r"\s", "", prose)) / KOREAN_CHARS_PER_MINUTE
    else:
        text_minutes = len(prose.split()) / WORDS_PER_MINUTE
    return text_minutes + code_lines / CODE_LINES_PER_MINUTE


def lesson_minutes(html: str, language: str, exercises: int) -> int:
    total = (reading_minutes(html, language) + commands_in(html) * SECONDS_PER_COMMAND / 60
             + exercises * MINUTES_PER_EXERCISE)
    return max(1, math.ceil(total))
