"""The glossary page in both languages, linked from the navigation and the lesson index."""
import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang, title, term", [("en", "Glossary", "maxSurge"), ("ko", "용어", "maxSurge")])
def test_glossary_in_both_languages(client, lang, title, term):
    r = client.get(f"/{lang}/glossary/")
    assert r.status_code == 200
    html = r.content.decode()
    assert title in html and term in html
    assert f'href="/{lang}/lessons/rollback/"' in html  # terms link to their lessons


def test_glossary_is_linked_from_the_lesson_index(client):
    html = client.get("/en/lessons/").content.decode()
    assert 'href="/en/glossary/"' in html
