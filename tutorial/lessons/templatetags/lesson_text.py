"""Template filters for lesson text: `{{ text.summary|inline_markdown }}`."""

from django import template
from django.utils.safestring import mark_safe

from tutorial.curriculum.markdown import render_inline

register = template.Library()


@register.filter
def inline_markdown(value: str) -> str:
    # markdown-it escapes the text itself (html=False), so the result is safe to insert.
    return mark_safe(render_inline(str(value or "")))
