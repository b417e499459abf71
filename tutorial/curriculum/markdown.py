"""Lesson Markdown → HTML with markdown-it-py (CommonMark + tables).

Fences with the info string `run` hold console commands, one per line: each line becomes a
code line with a button that sends it to the lesson's console (static/js/console.js).
Raw HTML in lesson text is not rendered (html=False): content is text, not markup.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import override
from markdown_it import MarkdownIt

from tutorial.curriculum.cjk_emphasis import cjk_friendly_emphasis


def _render_run_fence(lines: list[str]) -> str:
    rows = []
    for line in lines:
        command = line.strip()
        if not command:
            continue
        if command.startswith("#"):
            rows.append(f'<div class="run-line run-comment"><code>{escape(command)}</code></div>')
            continue
        label = _("Send to console")
        rows.append(
            '<div class="run-line">'
            f'<code class="run-command">{escape(command)}</code>'
            f'<button type="button" class="copy-to-console" data-command="{escape(command)}"'
            f' title="{escape(label)}" aria-label="{escape(label)}: {escape(command)}">▶</button>'
            "</div>"
        )
    return '<div class="run-block">' + "".join(rows) + "</div>\n"


def _fence_rule(default_fence):
    def render_fence(self, tokens, idx, options, env):
        token = tokens[idx]
        info = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
        if info == "run":
            return _render_run_fence(token.content.splitlines())
        return default_fence(tokens, idx, options, env)

    return render_fence


def make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(cjk_friendly_emphasis)  # `**배포(release)**도` is emphasis in Korean text
    md.add_render_rule("fence", _fence_rule(md.renderer.rules["fence"]))
    return md


_parser = make_parser()


def render_markdown(text: str, language: str | None = None) -> str:
    """Render lesson Markdown; `language` picks the language of the buttons' labels."""
    if language:
        with override(language):
            return _parser.render(text)
    return _parser.render(text)


def render_inline(text: str) -> str:
    """One line of Markdown (a lesson summary) as inline HTML: `code`, **strong**, *em*."""
    return _parser.renderInline(text)
