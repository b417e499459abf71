"""Accounts: sign-up logs in (and so moves anonymous progress), log in/out, password reset by
email in both languages, the instructor role command, CSRF on every account form."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from tutorial.accounts.roles import INSTRUCTORS_GROUP, is_instructor
from tutorial.progress.models import ExerciseProgress, LessonProgress
from tutorial.sandbox.models import Sandbox
from tutorial.learners import LEARNER_SESSION_KEY

pytestmark = pytest.mark.django_db

PASSWORD = "Kub3rnetes-rollouts!"
SLUG = "deployment-basics"


def signup(client, username="mina", email="mina@example.com", lang="en", **extra):
    return client.post(f"/{lang}/accounts/signup/", {"username": username, "email": email,
                                                      "password1": PASSWORD, "password2": PASSWORD, **extra})


def test_instructors_group_exists_after_migrations():
    from django.contrib.auth.models import Group
    assert Group.objects.filter(name=INSTRUCTORS_GROUP).exists()


@pytest.mark.parametrize("lang,title,button", [("ko", "회원 가입", "계정 만들기"), ("en", "Sign up", "Create account")])
def test_signup_page_in_both_languages(client, lang, title, button):
    body = client.get(f"/{lang}/accounts/signup/").content.decode()
    assert f"<h1>{title}</h1>" in body and button in body
    assert 'name="csrfmiddlewaretoken"' in body


def test_signup_logs_the_new_user_in_and_claims_anonymous_progress(client):
    client.get(f"/en/lessons/{SLUG}/")  # an anonymous learner opens lesson 04: sandbox + progress
    anon = f"anon:{client.session[LEARNER_SESSION_KEY]}"
    assert Sandbox.objects.filter(owner=anon).exists()
    ExerciseProgress.objects.create(owner=anon, lesson_slug=SLUG, exercise_id="create-with-change-cause", attempts=2)

    response = signup(client, next="/en/progress/")
    assert response.status_code == 302 and response["Location"] == "/en/progress/"
    user = get_user_model().objects.get(username="mina")
    assert int(client.session["_auth_user_id"]) == user.pk
    owner = f"user:{user.pk}"
    assert Sandbox.objects.get(lesson_slug=SLUG).owner == owner
    assert LessonProgress.objects.get(lesson_slug=SLUG).owner == owner
    row = ExerciseProgress.objects.get(lesson_slug=SLUG)
    assert (row.owner, row.user_id, row.attempts) == (owner, user.pk, 2)
    assert not is_instructor(user)  # learners need no approval and get no role


def test_signup_refuses_an_unsafe_next_url_and_a_taken_email(client):
    response = signup(client, next="https://evil.example.com/")
    assert response["Location"] == "/en/lessons/"
    other = Client()
    response = signup(other, username="mina2", email="MINA@example.com")
    assert response.status_code == 200
    assert "An account with this email already exists." in response.content.decode()


def test_signup_validates_passwords_in_korean(client):
    response = client.post("/ko/accounts/signup/", {"username": "a", "email": "a@example.com",
                                                     "password1": "123", "password2": "123"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "이 비밀번호는 너무 짧습니다" in body  # Django's own ko translation of the validators


def test_login_and_logout(client):
    get_user_model().objects.create_user("jun", "jun@example.com", PASSWORD)
    assert "<h1>로그인</h1>" in client.get("/ko/accounts/login/").content.decode()
    response = client.post("/en/accounts/login/", {"username": "jun", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/en/lessons/").content.decode()
    assert "jun" in page and "Log out" in page
    assert client.get("/en/accounts/logout/").status_code == 405  # logging out is a POST (CSRF)
    assert client.post("/en/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session
    assert "Log in" in client.get("/en/lessons/").content.decode()


def test_account_forms_need_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    get_user_model().objects.create_user("jun", "jun@example.com", PASSWORD)
    assert client.post("/en/accounts/login/", {"username": "jun", "password": PASSWORD}).status_code == 403
    assert signup(client, username="x").status_code == 403
    assert client.post("/en/accounts/password_reset/", {"email": "jun@example.com"}).status_code == 403


@pytest.mark.parametrize("lang,subject,line", [
    ("en", "Rollout Lab: reset your password", "Choose a new password here:"),
    ("ko", "Rollout Lab: 비밀번호 재설정", "새 비밀번호를 정하려면 여기로 가세요:"),
])
def test_password_reset_by_email(client, lang, subject, line):
    get_user_model().objects.create_user("jun", "jun@example.com", PASSWORD)
    response = client.post(f"/{lang}/accounts/password_reset/", {"email": "jun@example.com"})
    assert response.status_code == 302 and response["Location"] == f"/{lang}/accounts/password_reset/done/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == subject and message.to == ["jun@example.com"]
    assert line in message.body and "(jun)" in message.body
    link = re.search(rf"http://testserver(/{lang}/accounts/reset/\S+/)", message.body).group(1)
    form_url = client.get(link)["Location"]  # Django swaps the token for a session value
    assert client.post(form_url, {"new_password1": "An0ther-long-pass", "new_password2": "An0ther-long-pass"}).status_code == 302
    assert Client().login(username="jun", password="An0ther-long-pass")


def test_password_reset_for_an_unknown_email_sends_nothing_and_says_the_same(client):
    response = client.post("/en/accounts/password_reset/", {"email": "nobody@example.com"})
    assert response["Location"] == "/en/accounts/password_reset/done/"
    assert mail.outbox == []


def test_email_backend_defaults_to_the_console(settings):
    from importlib import reload

    import tutorial.settings as site_settings
    reload(site_settings)
    assert site_settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"


def test_grant_instructor_command():
    user = get_user_model().objects.create_user("teacher", "t@example.com", PASSWORD)
    call_command("grant_instructor", "teacher")
    assert is_instructor(user)
    call_command("grant_instructor", "teacher", "--revoke")
    assert not is_instructor(user)
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        call_command("grant_instructor", "ghost")
