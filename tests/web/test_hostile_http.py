"""Hostile input on every HTTP view: the URL map is walked programmatically and each pattern must be
classified in ROUTES below (who may see it, whether it takes a form), so a new view fails here until
its CSRF and permission behaviour is stated and checked. Then: CSRF enforced on every POST,
anonymous / learner / other instructor kept out, hypothesis-generated query strings, form data and
path segments never give a 500 (the test client re-raises a view's exception), and a second learner
gets nothing of another's sandbox whatever ids they guess.
"""

from __future__ import annotations

import string
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutorial.accounts.roles import set_instructor
from tutorial.classroom.models import Classroom, Membership
from tutorial.classroom.services import create_classroom
from tutorial.sandbox.models import Sandbox
from tutorial.learners import LEARNER_SESSION_KEY

pytestmark = pytest.mark.django_db

SLUG = "deployment-basics"
LOGIN = "/en/accounts/login/"

# Every URL pattern (by name) → who may use it and which fields its form takes (None: GET only).
# access: "public" (anyone), "login" (anonymous → log-in page), "instructor" (anonymous → log-in
# page; learners and other instructors → 403/404), "own-sandbox" (only the session's own sandbox).
ROUTES: dict[str, dict] = {
    "healthz": {"access": "public", "form": None},
    "home": {"access": "public", "form": None},
    "choose-language": {"access": "public", "form": None},  # `/` → /ko/ or /en/ (Accept-Language)
    "lessons:index": {"access": "public", "form": None},
    "lessons:lesson": {"access": "public", "form": None},
    "glossary": {"access": "public", "form": None},
    "sandbox:reset": {"access": "own-sandbox", "form": []},
    # The learner's own kubectl (tutorial/kubeapi/views.py): always the session's own sandbox.
    "kubeapi:kubeconfig": {"access": "own-sandbox", "form": None},
    "kubeapi:token": {"access": "own-sandbox", "form": []},
    "kubeapi:revoke": {"access": "own-sandbox", "form": []},
    "progress:page": {"access": "public", "form": None},
    "signup": {"access": "public", "form": ["username", "email", "password1", "password2", "next"]},
    "login": {"access": "public", "form": ["username", "password", "next"]},
    "logout": {"access": "public", "form": ["next"]},
    "password_change": {"access": "login", "form": ["old_password", "new_password1", "new_password2"]},
    "password_change_done": {"access": "login", "form": None},
    "password_reset": {"access": "public", "form": ["email"]},
    "password_reset_done": {"access": "public", "form": None},
    "password_reset_confirm": {"access": "public", "form": ["new_password1", "new_password2"]},
    "password_reset_complete": {"access": "public", "form": None},
    "classroom:list": {"access": "login", "form": None},
    "classroom:create": {"access": "instructor", "form": ["name", "language", "lessons", "starts_on", "due_on",
                                                           "seat_limit", "code_days"]},
    "classroom:join": {"access": "login", "form": ["code"]},
    "classroom:join_code": {"access": "login", "form": ["code"]},
    "classroom:dashboard": {"access": "instructor", "form": None},
    "classroom:regenerate_code": {"access": "instructor", "form": ["code_days", "seat_limit"]},
    "classroom:add_instructor": {"access": "instructor", "form": ["username"]},
    "classroom:export_csv": {"access": "instructor", "form": None},
    "classroom:export_json": {"access": "instructor", "form": None},
    "classroom:learner": {"access": "instructor", "form": None},
    "classroom:learner_live": {"access": "instructor", "form": None},
    "classroom:learner_reset": {"access": "instructor", "form": ["lesson", "confirm"]},
    "admin": {"access": "staff", "form": ["username", "password"]},
}


def walk(patterns, prefix: str = "", namespace: str = ""):
    """(route, name, callback) for every pattern; Django's admin counts as one entry."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                yield prefix + str(pattern.pattern), "admin", None
                continue
            inner = f"{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace + (pattern.name or ""), pattern.callback


def all_routes() -> list[tuple[str, str, object]]:
    with translation.override("en"):
        return list(walk(get_resolver().url_patterns))


def user(name, *, instructor=False, password="pw-unused-123"):
    u = get_user_model().objects.create_user(name, f"{name}@example.com", password)
    if instructor:
        set_instructor(u)
    return u


def logged_in(u, **kwargs) -> Client:
    c = Client(**kwargs)
    c.force_login(u)
    return c


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Thousands of fuzzed log-ins and sign-ups: the real PBKDF2 cost would dominate the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world():
    teacher, other, learner, outsider = (user("teacher", instructor=True), user("other", instructor=True),
                                         user("learner"), user("outsider"))
    classroom = create_classroom(owner=teacher, name="Secret Class Name", language="en", lessons=[SLUG])
    Membership.objects.create(classroom=classroom, user=learner)
    # The learner's own sandbox, with a command in its history that nobody else may see.
    learner_client = logged_in(learner)
    learner_client.get(f"/en/lessons/{SLUG}/")
    sandbox = Sandbox.objects.get(owner=f"user:{learner.pk}")
    sandbox.history = ["kubectl create deployment learners-secret --image=nginx"]
    sandbox.save(update_fields=["history"])
    return {"teacher": teacher, "other": other, "learner": learner, "outsider": outsider,
            "classroom": classroom, "sandbox": sandbox}


def sample_url(name: str, w: dict) -> str:
    """A concrete URL for the pattern `name` that the right person could use."""
    c, lid = w["classroom"].pk, w["learner"].pk
    base = f"/en/classes/{c}/"
    return {
        "healthz": "/healthz", "home": "/en/", "choose-language": "/", "lessons:index": "/en/lessons/", "lessons:lesson": f"/en/lessons/{SLUG}/",
        "glossary": "/en/glossary/",
        "sandbox:reset": f"/en/sandbox/{SLUG}/reset/", "progress:page": "/en/progress/",
        "kubeapi:kubeconfig": f"/en/kubeapi/{SLUG}/kubeconfig", "kubeapi:token": f"/en/kubeapi/{SLUG}/kubeconfig/token",
        "kubeapi:revoke": f"/en/kubeapi/{SLUG}/kubeconfig/revoke",
        "signup": "/en/accounts/signup/", "login": LOGIN, "logout": "/en/accounts/logout/",
        "password_change": "/en/accounts/password_change/", "password_change_done": "/en/accounts/password_change/done/",
        "password_reset": "/en/accounts/password_reset/", "password_reset_done": "/en/accounts/password_reset/done/",
        "password_reset_confirm": "/en/accounts/reset/MQ/set-password/",
        "password_reset_complete": "/en/accounts/reset/done/",
        "classroom:list": "/en/classes/", "classroom:create": "/en/classes/new/", "classroom:join": "/en/classes/join/",
        "classroom:join_code": "/en/classes/join/ABCD-EFGH/", "classroom:dashboard": base,
        "classroom:regenerate_code": base + "code/", "classroom:add_instructor": base + "instructors/",
        "classroom:export_csv": base + "results.csv", "classroom:export_json": base + "results.json",
        "classroom:learner": f"{base}learners/{lid}/", "classroom:learner_live": f"{base}learners/{lid}/live/",
        "classroom:learner_reset": f"{base}learners/{lid}/reset/", "admin": "/en/admin/login/",
    }[name]


# ---------------------------------------------------------------- the URL map is fully classified
def test_every_url_pattern_is_classified_here():
    names = [name for _route, name, _callback in all_routes()]
    unnamed = [route for route, name, _cb in all_routes() if not name or name.endswith(":")]
    assert unnamed == [], "give these patterns a name and classify them in ROUTES"
    assert sorted(set(names)) == sorted(ROUTES), (
        "a URL pattern was added or removed: state its access and form in ROUTES (CSRF and permissions "
        "are then checked for it)")


def test_no_view_is_csrf_exempt():
    exempt = [name for _route, name, callback in all_routes() if getattr(callback, "csrf_exempt", False)]
    assert exempt == []


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_every_post_without_the_csrf_token_is_refused(world, name):
    url = sample_url(name, world)
    data = {field: "x" for field in ROUTES[name]["form"] or ["anything"]}
    for client in (Client(enforce_csrf_checks=True), logged_in(world["teacher"], enforce_csrf_checks=True),
                   logged_in(world["learner"], enforce_csrf_checks=True)):
        response = client.post(url, data)
        assert response.status_code == 403, (name, response.status_code)
        assert b"CSRF" in response.content


@pytest.mark.parametrize("name", sorted(n for n, spec in ROUTES.items() if spec["form"] is not None and n != "admin"))
def test_the_same_post_with_the_token_gets_past_the_csrf_check(world, name):
    """So the 403s above are the CSRF check and not something else refusing every POST."""
    client = logged_in(world["teacher"] if ROUTES[name]["access"] == "instructor" else world["learner"],
                       enforce_csrf_checks=True)
    client.get("/en/lessons/")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    data = {field: "x" for field in ROUTES[name]["form"]}
    response = client.post(sample_url(name, world), {**data, "csrfmiddlewaretoken": token})
    assert response.status_code != 403 or b"CSRF" not in response.content, name


# ---------------------------------------------------------------- who may see what
@pytest.mark.parametrize("name", sorted(n for n, spec in ROUTES.items() if spec["access"] in ("login", "instructor")))
def test_anonymous_is_sent_to_log_in(world, name):
    response = Client().get(sample_url(name, world))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN + "?next="), name


@pytest.mark.parametrize("who", ["learner", "outsider", "other"])
@pytest.mark.parametrize("name", sorted(n for n, spec in ROUTES.items() if spec["access"] == "instructor"))
def test_no_one_but_the_classes_instructors_gets_in(world, name, who):
    client = logged_in(world[who])
    url = sample_url(name, world)
    for response in (client.get(url), client.post(url, {"lesson": SLUG, "confirm": "on", "username": who,
                                                        "code_days": 3, "seat_limit": 9, "name": "x",
                                                        "language": "en", "lessons": [SLUG]})):
        if name == "classroom:create" and who == "other":
            continue  # another instructor may create classes of their own
        assert response.status_code in (403, 404, 405), (name, who, response.status_code)
        body = response.content.decode(errors="replace")
        assert "Secret Class Name" not in body and "learners-secret" not in body
    classroom = Classroom.objects.get(pk=world["classroom"].pk)
    assert list(classroom.instructors.values_list("username", flat=True)) == ["teacher"]
    assert Sandbox.objects.get(pk=world["sandbox"].pk).history == world["sandbox"].history


def test_admin_is_for_staff_only(world):
    for client in (Client(), logged_in(world["teacher"]), logged_in(world["learner"])):
        response = client.get("/en/admin/")
        assert response.status_code == 302 and response["Location"].startswith("/en/admin/login/")


# ---------------------------------------------------------------- hypothesis-generated input
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60)
ODD = st.sampled_from(["", " ", "0", "-1", "99999999999999999999999", "1e9", "NaN", "<script>", "' OR 1=1 --",
                       "../../etc/passwd", "%00", "\x00", "한국어", "ＡＢＣＤ", "a" * 5000, "on", "2024-02-30",
                       "9999-12-31", "0001-01-01", SLUG, "en", "ko", "teacher", "other", "learner"])
VALUE = TEXT | ODD
FORM_DATA = st.dictionaries(TEXT | st.sampled_from(sorted({f for s in ROUTES.values() for f in s["form"] or []})),
                            VALUE | st.lists(VALUE, max_size=3), max_size=6)
FUZZ = settings(max_examples=12, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.mark.parametrize("name", sorted(ROUTES))
@FUZZ
@given(query=FORM_DATA, form=FORM_DATA)
def test_fuzzed_query_and_form_data_never_give_a_500(world, name, query, form):
    url = sample_url(name, world)
    who = world["teacher"] if ROUTES[name]["access"] == "instructor" else world["learner"]
    for client in (Client(), logged_in(who)):
        # The test client re-raises any exception a view raises, so a 500 fails loudly here.
        assert client.get(url, query).status_code < 500
        assert client.post(url, form).status_code < 500
    assert Sandbox.objects.get(pk=world["sandbox"].pk).history == world["sandbox"].history


SEGMENT = (TEXT | ODD | st.integers(min_value=-(10**30), max_value=10**30).map(str)).map(lambda s: quote(s, safe=""))


@FUZZ
@given(lang=st.sampled_from(["en", "ko", "fr", "EN", "", "zz-hant"]) | SEGMENT, a=SEGMENT, b=SEGMENT)
def test_odd_slugs_ids_and_languages_in_paths_never_give_a_500(world, lang, a, b):
    client = logged_in(world["teacher"])
    for path in [f"/{lang}/lessons/{a}/", f"/{lang}/sandbox/{a}/reset/", f"/{lang}/classes/{a}/",
                 f"/{lang}/classes/{a}/learners/{b}/", f"/{lang}/classes/{a}/learners/{b}/live/",
                 f"/{lang}/classes/{a}/results.csv", f"/{lang}/classes/join/{a}/", f"/{lang}/accounts/reset/{a}/{b}/",
                 f"/{lang}/{a}/"]:
        assert client.get(path).status_code < 500, path
    for path in [f"/{lang}/classes/{a}/learners/{b}/reset/", f"/{lang}/sandbox/{a}/reset/", f"/{lang}/classes/{a}/code/"]:
        assert client.post(path, {"lesson": SLUG, "confirm": "on", "code_days": 1, "seat_limit": 1}).status_code < 500, path
    assert Sandbox.objects.get(pk=world["sandbox"].pk).history == world["sandbox"].history


@pytest.mark.parametrize("number", ["0", "99999999999", "9223372036854775807", "9223372036854775808",
                                    "99999999999999999999999999999"])
def test_huge_ids_in_paths_are_404(world, number):
    client = logged_in(world["teacher"])
    lid = world["learner"].pk
    c = world["classroom"].pk
    for path in [f"/en/classes/{number}/", f"/en/classes/{number}/results.json", f"/en/classes/{c}/learners/{number}/",
                 f"/en/classes/{number}/learners/{lid}/live/"]:
        assert client.get(path).status_code == 404, path
    assert client.post(f"/en/classes/{c}/learners/{number}/reset/", {"lesson": SLUG, "confirm": "on"}).status_code == 404


# ---------------------------------------------------------------- cross-learner
def test_guessing_ids_never_reaches_another_learners_sandbox(world):
    victim = world["sandbox"]
    # A second anonymous learner and a signed-in outsider try every id they could guess.
    stranger = Client()
    stranger.get(f"/en/lessons/{SLUG}/")
    outsider = logged_in(world["outsider"])
    other = logged_in(world["other"])  # an instructor, but not of this class
    learner_id, class_id = world["learner"].pk, world["classroom"].pk
    guesses = sorted({learner_id, class_id, victim.pk, 0, 1, 2, 3, learner_id + 1})
    for client in (stranger, outsider, other):
        bodies = []
        for pk in guesses:
            for uid in guesses:
                for path in (f"/en/classes/{pk}/learners/{uid}/", f"/en/classes/{pk}/learners/{uid}/live/?lesson={SLUG}",
                             f"/en/classes/{pk}/", f"/en/classes/{pk}/results.csv", f"/en/classes/{pk}/results.json"):
                    response = client.get(path)
                    assert response.status_code in (302, 404), (path, response.status_code)
                    bodies.append(response.content.decode(errors="replace"))
                response = client.post(f"/en/classes/{pk}/learners/{uid}/reset/", {"lesson": SLUG, "confirm": "on"})
                assert response.status_code in (302, 404)
                if response.status_code == 302:
                    assert response["Location"].startswith(LOGIN)
        # Their own lesson page and progress page show their own sandbox only.
        bodies.append(client.get(f"/en/lessons/{SLUG}/").content.decode())
        bodies.append(client.get("/en/progress/").content.decode())
        client.post(f"/en/sandbox/{SLUG}/reset/")  # resets their own sandbox, not the victim's
        text = "\n".join(bodies)
        assert "learners-secret" not in text and "Secret Class Name" not in text
        assert "learner@example.com" not in text
    victim.refresh_from_db()
    assert victim.history == ["kubectl create deployment learners-secret --image=nginx"]
    # An instructor of the class may not reach a non-member's sandbox through their own class.
    outsider_sandbox_client = logged_in(world["outsider"])
    outsider_sandbox_client.get(f"/en/lessons/{SLUG}/")
    teacher = logged_in(world["teacher"])
    response = teacher.get(f"/en/classes/{class_id}/learners/{world['outsider'].pk}/live/?lesson={SLUG}")
    assert response.status_code == 404


def test_a_forged_learner_id_in_the_request_is_ignored(world):
    """The anonymous learner id lives in server-side session data: nothing the browser sends sets it."""
    owner_id = "deadbeef" * 4
    victim = Client()
    session = victim.session
    session[LEARNER_SESSION_KEY] = owner_id
    session.save()
    victim.get(f"/en/lessons/{SLUG}/")
    sandbox = Sandbox.objects.get(owner=f"anon:{owner_id}")
    attacker = Client()
    attacker.cookies["rollout_lab_learner"] = owner_id
    attacker.get(f"/en/lessons/{SLUG}/?learner={owner_id}&owner=anon:{owner_id}",
                 HTTP_X_LEARNER=owner_id)
    response = attacker.post(f"/en/sandbox/{SLUG}/reset/", {LEARNER_SESSION_KEY: owner_id, "owner": f"anon:{owner_id}"})
    assert response.status_code == 302  # their own sandbox was reset
    attacker_owner = f"anon:{attacker.session[LEARNER_SESSION_KEY]}"
    assert attacker_owner != sandbox.owner
    assert Sandbox.objects.filter(owner=sandbox.owner).count() == 1
    # A random session key (not one the server issued) gets a fresh, empty identity.
    forger = Client()
    forger.cookies["sessionid"] = "".join(string.ascii_lowercase[i % 26] for i in range(32))
    assert forger.post(f"/en/sandbox/{SLUG}/reset/").status_code == 404


@pytest.mark.parametrize("target", ["x", "progress", "en"])
def test_a_bare_word_next_is_a_relative_url_not_a_url_name(world, target):
    # redirect("x") would look "x" up as a URL name and raise NoReverseMatch (a 500).
    response = logged_in(world["learner"]).get("/en/accounts/signup/", {"next": target})
    assert response.status_code == 302 and response["Location"] == target
