"""Pages: index, lesson (both languages), language switcher, 404, /healthz."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.django_db


def test_root_redirects_to_the_korean_landing_page(client, lesson_root):
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/ko/"
    assert response.status_code == 200
    assert 'href="/ko/lessons/first-deployment/"' in response.content.decode()


def test_index_lists_lessons_in_each_language(client, lesson_root):
    ko = client.get("/ko/lessons/").content.decode()
    assert '<html lang="ko">' in ko
    assert "첫 디플로이먼트" in ko and "두 번째" in ko
    assert ko.index("첫 디플로이먼트") < ko.index("두 번째")
    assert "직접 해 보는 쿠버네티스 디플로이먼트" in ko  # interface string translated
    assert 'href="/ko/lessons/first-deployment/"' in ko
    en = client.get("/en/lessons/").content.decode()
    assert '<html lang="en">' in en
    assert "First Deployment" in en and "Kubernetes Deployments, hands-on" in en


def test_index_without_lessons(client, settings, tmp_path):
    settings.LESSON_CONTENT_DIR = tmp_path
    assert "아직 레슨이 없습니다." in client.get("/ko/lessons/").content.decode()


@pytest.mark.parametrize("language,title,other", [("ko", "첫 디플로이먼트", "en"), ("en", "First Deployment", "ko")])
def test_lesson_page(client, lesson_root, language, title, other):
    response = client.get(f"/{language}/lessons/first-deployment/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert f"<h1>{title}</h1>" in html
    assert f'ws-connect="/ws/sandbox/{language}/first-deployment/"' in html
    assert 'hx-ext="ws"' in html and "ws-send" in html and 'name="command"' in html
    assert 'data-command="kubectl create -f kubia-deployment.yaml"' in html
    assert 'id="cluster-view"' in html and 'id="console-output"' in html
    # previous/next: the first lesson has only a next one
    assert f'rel="next" href="/{language}/lessons/second/"' in html
    assert 'rel="prev"' not in html
    # the switcher keeps the page
    assert f'href="/{other}/lessons/first-deployment/"' in html
    assert "sessionid" in response.cookies  # the console's WebSocket finds the sandbox by session


def test_second_lesson_links_back(client, lesson_root):
    html = client.get("/en/lessons/second/").content.decode()
    assert 'rel="prev" href="/en/lessons/first-deployment/"' in html


def test_switching_language_keeps_the_same_sandbox(client, lesson_root):
    from tutorial.sandbox.models import Sandbox

    client.get("/ko/lessons/first-deployment/")
    client.get("/en/lessons/first-deployment/")
    assert Sandbox.objects.count() == 1


def test_language_switcher_marks_the_current_language(client, lesson_root):
    html = client.get("/en/lessons/").content.decode()
    assert re.search(r'<a href="/ko/lessons/" lang="ko" hreflang="ko">한국어</a>', html)
    assert re.search(r'<a href="/en/lessons/" lang="en" hreflang="en" aria-current="true" class="is-active">English</a>', html)


def test_unknown_lesson_is_404(client, lesson_root):
    assert client.get("/ko/lessons/no-such-lesson/").status_code == 404
    assert client.get("/en/lessons/no-such-lesson/").status_code == 404


def test_lesson_setup_runs_on_a_fresh_sandbox(client, settings, tmp_path):
    from tests.web.conftest import write_lesson

    write_lesson(tmp_path, "01-ready", setup=["kubectl create -f kubia-deployment.yaml", "# advance 60"])
    settings.LESSON_CONTENT_DIR = tmp_path
    html = client.get("/en/lessons/ready/").content.decode()
    assert 'data-name="kubia"' in html  # the Deployment exists in the first render
    assert html.count('class="pod pod--ready"') == 3


def test_reset_view_gives_a_fresh_cluster(client, lesson_root):
    from tutorial.sandbox.models import Sandbox

    client.get("/en/lessons/first-deployment/")
    sandbox = Sandbox.objects.get()
    Sandbox.objects.filter(pk=sandbox.pk).update(transcript=[{"kind": "input", "text": "kubectl get pods"}])
    response = client.post("/en/sandbox/first-deployment/reset/")
    assert response.status_code == 302 and response["Location"] == "/en/lessons/first-deployment/"
    assert Sandbox.objects.get().transcript == []
    assert client.post("/en/sandbox/second/reset/").status_code == 404  # never opened: nothing to reset


def test_healthz_reports_database_and_channel_layer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "channel_layer": "ok"}


def test_healthz_reports_a_broken_channel_layer(client, settings):
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]}}
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["status"] == "error" and body["database"] == "ok" and body["channel_layer"].startswith("error")


def test_lesson_page_has_two_terminals_terminal_1_unchanged(client, lesson_root):
    html = client.get("/en/lessons/first-deployment/").content.decode()
    # Terminal 1: the ids and the form the server and the tests rely on, without a terminal field.
    form_1 = html[html.index('<form id="console-form"'):]
    form_1 = form_1[:form_1.index("</form>")]
    assert 'ws-send' in form_1 and 'id="console-input" name="command"' in form_1 and 'name="terminal"' not in form_1
    for element_id in ("console-output", "console-history", "console-completion"):
        assert f'id="{element_id}"' in html
    # Terminal 2: the same parts with the suffix -2, its form says which terminal it is.
    form_2 = html[html.index('<form id="console-form-2"'):]
    form_2 = form_2[:form_2.index("</form>")]
    assert 'ws-send' in form_2 and '<input type="hidden" name="terminal" value="2">' in form_2
    assert 'id="console-input-2" name="command"' in form_2
    for element_id in ("console-output-2", "console-history-2", "console-completion-2"):
        assert f'id="{element_id}"' in html
    # Both forms sit inside the element holding the WebSocket (htmx's ws-send needs that).
    socket = html.index('ws-connect="/ws/sandbox/en/first-deployment/"')
    assert socket < html.index('id="console-form"') and socket < html.index('id="console-form-2"')


def test_terminal_2_renders_a_transcript_passed_by_the_page(lesson_root):
    from django.template.loader import render_to_string

    html = render_to_string("sandbox/_console.html", {
        "ws_path": "/ws/x/", "transcript": [], "history_json": "[]", "speeds": (1, 5, 20), "speed": 1,
        # the page's context (tutorial/sandbox/session/state.py terminals_by_id)
        "terminals_by_id": {"2": {"transcript": [{"kind": "input", "text": "kubectl get pods -w"},
                                                 {"kind": "output", "text": "NAME READY"}],
                                  "history_json": '["kubectl get pods -w"]'}},
    })
    output_2 = html[html.index('id="console-output-2"'):]
    output_2 = output_2[:output_2.index("</pre>")]
    assert "kubectl get pods -w" in output_2 and "NAME READY" in output_2
    assert 'id="console-history-2" hidden data-history="[&quot;kubectl get pods -w&quot;]"' in html
