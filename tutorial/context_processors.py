"""Template context shared by every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language


def language_links(request: HttpRequest) -> dict:
    """Links to the current page in every language.

    Built while rendering because Django's set_language view cannot leave a prefixed default
    language; translate_url swaps the /ko/ or /en/ prefix and keeps the rest of the path.
    """
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "url": url, "active": code == current})
    return {"language_links": links}
