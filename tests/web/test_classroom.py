"""Classes: every view's permission boundary (anonymous, learner, other instructor, co-instructor),
join codes (expiry, seat limit, rate limit, regeneration), the results grid and summary, CSV and
JSON exports, resetting a learner's sandbox."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from tutorial.accounts.roles import set_instructor
from tutorial.classroom import codes
from tutorial.classroom.models import Classroom, JoinAttempt, Membership
from tutorial.classroom.services import create_classroom
from tutorial.progress.models import ExerciseProgress
from tutorial.sandbox.models import Sandbox

pytestmark = pytest.mark.django_db

SLUG = "deployment-basics"
EXERCISE = "create-with-change-cause"


def user(name, *, instructor=False):
    u = get_user_model().objects.create_user(name, f"{name}@example.com", "pw-unused-123")
    if instructor:
        set_instructor(u)
    return u


def client_for(u) -> Client:
    c = Client()
    c.force_login(u)
    return c


@pytest.fixture
def world():
    teacher, other, learner, outsider = (user("teacher", instructor=True), user("other", instructor=True),
                                         user("learner"), user("outsider"))
    classroom = create_classroom(owner=teacher, name="K8s 101", language="en", lessons=[SLUG], seat_limit=2)
    Membership.objects.create(classroom=classroom, user=learner)
    return {"teacher": teacher, "other": other, "learner": learner, "outsider": outsider, "classroom": classroom}


def class_urls(c: Classroom, learner_id: int) -> dict[str, str]:
    base = f"/en/classes/{c.pk}/"
    return {
        "dashboard": base, "csv": base + "results.csv", "json": base + "results.json",
        "learner": f"{base}learners/{learner_id}/", "live": f"{base}learners/{learner_id}/live/",
    }


POSTS = {"code": {"code_days": 3, "seat_limit": 5}, "instructors": {"username": "other"},
         "reset": {"lesson": SLUG, "confirm": "on"}}


def post_urls(c: Classroom, learner_id: int) -> dict[str, str]:
    base = f"/en/classes/{c.pk}/"
    return {"code": base + "code/", "instructors": base + "instructors/",
            "reset": f"{base}learners/{learner_id}/reset/"}


def test_anonymous_is_sent_to_log_in_everywhere(world):
    c = Client()
    lid = world["learner"].pk
    for url in [*class_urls(world["classroom"], lid).values(), "/en/classes/", "/en/classes/new/", "/en/classes/join/"]:
        response = c.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/en/accounts/login/?next="), url
    for name, url in post_urls(world["classroom"], lid).items():
        assert c.post(url, POSTS[name]).status_code == 302


@pytest.mark.parametrize("who", ["learner", "outsider", "other"])
def test_learners_and_other_instructors_see_nothing_of_the_class(world, who):
    c = client_for(world[who])
    classroom, lid = world["classroom"], world["learner"].pk
    for url in class_urls(classroom, lid).values():
        assert c.get(url).status_code == 404, url
    code = classroom.join_code
    for name, url in post_urls(classroom, lid).items():
        assert c.post(url, POSTS[name]).status_code == 404, url
    classroom.refresh_from_db()
    assert classroom.join_code == code and not classroom.instructors.filter(pk=world["other"].pk).exists()
    body = c.get("/en/classes/").content.decode()
    assert f"/en/classes/{classroom.pk}/" not in body


def test_only_instructors_create_classes(world):
    assert client_for(world["learner"]).get("/en/classes/new/").status_code == 403
    assert client_for(world["learner"]).post("/en/classes/new/", {"name": "x"}).status_code == 403
    c = client_for(world["other"])
    response = c.post("/en/classes/new/", {"name": "Other's class", "language": "ko", "lessons": [SLUG, "updating"],
                                           "seat_limit": 10, "code_days": 7, "due_on": "2030-01-31"})
    made = Classroom.objects.get(name="Other's class")
    assert response["Location"] == f"/en/classes/{made.pk}/"
    assert made.lessons == [SLUG, "updating"] and made.owner == world["other"] and made.seat_limit == 10
    assert list(made.instructors.all()) == [world["other"]]
    assert len(made.join_code) == codes.CODE_LENGTH and set(made.join_code) <= set(codes.ALPHABET)
    assert timedelta(days=6, hours=23) < made.code_expires_at - timezone.now() <= timedelta(days=7)
    # The teacher of K8s 101 does not see it, and vice versa.
    assert client_for(world["teacher"]).get(f"/en/classes/{made.pk}/").status_code == 404
    assert c.get(f"/en/classes/{world['classroom'].pk}/").status_code == 404


def test_create_form_rejects_due_before_start(world):
    response = client_for(world["teacher"]).post("/en/classes/new/", {
        "name": "x", "language": "en", "lessons": [SLUG], "seat_limit": 3, "code_days": 3,
        "starts_on": "2030-02-01", "due_on": "2030-01-01"})
    assert response.status_code == 200 and "The due date is before the start date." in response.content.decode()


def test_owner_and_co_instructor_see_every_view(world):
    teacher = client_for(world["teacher"])
    assert teacher.post(f"/en/classes/{world['classroom'].pk}/instructors/", {"username": "learner"}).status_code == 302
    assert not world["classroom"].instructors.filter(pk=world["learner"].pk).exists()  # not an instructor
    teacher.post(f"/en/classes/{world['classroom'].pk}/instructors/", {"username": "other"})
    co = client_for(world["other"])
    for url in class_urls(world["classroom"], world["learner"].pk).values():
        assert teacher.get(url).status_code == 200, url
        assert co.get(url).status_code == 200, url
    # The drill-down of someone who is not in the class does not exist.
    assert teacher.get(f"/en/classes/{world['classroom'].pk}/learners/{world['outsider'].pk}/").status_code == 404


def test_forms_need_the_csrf_token(world):
    c = Client(enforce_csrf_checks=True)
    c.force_login(world["teacher"])
    for name, url in post_urls(world["classroom"], world["learner"].pk).items():
        assert c.post(url, POSTS[name]).status_code == 403
    c.force_login(world["outsider"])
    assert c.post("/en/classes/join/", {"code": world["classroom"].join_code}).status_code == 403


# ------------------------------------------------------------------ join codes
def join(c: Client, code: str, lang="en"):
    return c.post(f"/{lang}/classes/join/", {"code": code})


def test_join_with_the_code_typed_loosely_and_by_link(world):
    classroom = world["classroom"]
    c = client_for(world["outsider"])
    page = c.get(f"/en/classes/join/{classroom.join_code}/").content.decode()
    assert f'value="{classroom.join_code}"' in page  # the link pre-fills; joining is a POST
    assert not Membership.objects.filter(user=world["outsider"]).exists()
    loose = f" {classroom.join_code[:4].lower()}-{classroom.join_code[4:]} "
    assert join(c, loose)["Location"] == "/en/classes/"
    assert Membership.objects.filter(classroom=classroom, user=world["outsider"]).exists()
    assert "K8s 101" in c.get("/en/classes/").content.decode()
    assert join(c, classroom.join_code).status_code == 302  # twice: still one seat
    assert classroom.memberships.count() == 2


def test_expired_code_is_refused(world):
    classroom = world["classroom"]
    classroom.code_expires_at = timezone.now() - timedelta(seconds=1)
    classroom.save()
    response = join(client_for(world["outsider"]), classroom.join_code, lang="ko")
    assert response.status_code == 400
    assert "이 참여 코드는 만료되었습니다." in response.content.decode()
    assert classroom.memberships.count() == 1


def test_seat_limit(world):
    classroom = world["classroom"]  # 2 seats, 1 taken
    assert join(client_for(world["outsider"]), classroom.join_code).status_code == 302
    late = user("late")
    response = join(client_for(late), classroom.join_code)
    assert response.status_code == 400 and "This class is full." in response.content.decode()
    assert classroom.memberships.count() == 2


def test_regenerating_the_code_retires_the_old_one_and_sets_seats(world):
    classroom, old = world["classroom"], world["classroom"].join_code
    client_for(world["teacher"]).post(f"/en/classes/{classroom.pk}/code/", {"code_days": 1, "seat_limit": 40})
    classroom.refresh_from_db()
    assert classroom.join_code != old and classroom.seat_limit == 40
    assert timezone.now() + timedelta(hours=23) < classroom.code_expires_at <= timezone.now() + timedelta(days=1)
    c = client_for(world["outsider"])
    assert join(c, old).status_code == 400
    assert join(c, classroom.join_code).status_code == 302


def test_wrong_codes_are_rate_limited_per_account_and_per_address(world):
    classroom = world["classroom"]
    c = client_for(world["outsider"])
    for i in range(codes.MAX_FAILURES):
        assert join(c, f"WRONG{i:03d}").status_code == 400
    response = join(c, classroom.join_code)  # even the right code, until the window passes
    assert response.status_code == 429 and "Too many wrong codes." in response.content.decode()
    assert not Membership.objects.filter(user=world["outsider"]).exists()
    # Another account from the same address may still join (shared classroom NAT)...
    assert join(client_for(user("neighbour")), classroom.join_code).status_code == 302
    # ...until the address itself passes its own, higher limit (guessing with many accounts).
    for i in range(codes.MAX_FAILURES_PER_ADDRESS - codes.MAX_FAILURES):
        join(client_for(user(f"sock{i}")), f"WRONG{i:03d}")
    assert join(client_for(user("sock")), classroom.join_code).status_code == 429
    # After the window, joining works again.
    JoinAttempt.objects.update(at=timezone.now() - codes.FAILURE_WINDOW - timedelta(seconds=1))
    classroom.seat_limit = 3
    classroom.save()
    assert join(c, classroom.join_code).status_code == 302


def test_code_alphabet_has_no_ambiguous_characters():
    for _ in range(200):
        code = codes.new_code()
        assert len(code) == 8 and not set(code) & set("0O1IL")
    assert codes.normalize(" ab-cd ef12 ") == "ABCDEF12"


# ------------------------------------------------------------------ dashboard, exports
def progress(u, *, attempts=0, passed=False, failed=(), exercise=EXERCISE, age=timedelta(0)):
    row = ExerciseProgress.objects.create(
        owner=f"user:{u.pk}", user=u, lesson_slug=SLUG, exercise_id=exercise, attempts=attempts, hints_shown=1,
        time_spent=61.4, passed_at=timezone.now() if passed else None,
        last_result=[passed, list(failed), []])
    if age:
        ExerciseProgress.objects.filter(pk=row.pk).update(updated_at=timezone.now() - age)
    return row


@pytest.fixture
def graded(world):
    classroom = world["classroom"]
    classroom.seat_limit = 10
    classroom.save()
    names = ["ann", "bo", "cy", "=evil"]
    learners = {n: user(n) for n in names}
    for u in learners.values():
        Membership.objects.create(classroom=classroom, user=u)
    progress(learners["ann"], attempts=2, passed=True)
    progress(learners["bo"], attempts=6, failed=["change-cause"])
    progress(learners["cy"], attempts=1, failed=["change-cause", "deployment-exists"], age=timedelta(hours=1))
    return {**world, **learners}


def test_dashboard_grid_and_summary(graded):
    body = client_for(graded["teacher"]).get(f"/en/classes/{graded['classroom'].pk}/").content.decode()
    assert 'ws-connect="/ws/classes/en/' in body and graded["classroom"].join_code in body
    key = f"{SLUG}/{EXERCISE}"
    assert f'data-exercise="{key}" data-status="passed"' in body
    assert 'data-status="in_progress" data-stuck="attempts"' in body  # bo: 6 failed attempts
    assert 'data-status="in_progress" data-stuck="idle"' in body  # cy: nothing for an hour
    assert body.count('data-status="not_started"') == 2  # learner, =evil
    assert "1/5" in body  # passed / learners in the summary
    from tutorial.classroom.results import columns_for
    message = columns_for(graded["classroom"])[0].check_messages["change-cause"]
    assert message in body  # most common failed check: failed by bo and cy


def test_csv_export(graded):
    response = client_for(graded["teacher"]).get(f"/en/classes/{graded['classroom'].pk}/results.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="class-{graded["classroom"].pk}-results.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffusername,email,lesson,exercise,status,attempts,hints_shown,time_spent_seconds,"
                           "passed_at,last_activity,stuck,solution_shown,passed_before_joining\r\n")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["username"] for r in rows] == ["'=evil", "ann", "bo", "cy", "learner"]  # formula neutralised
    by = {r["username"]: r for r in rows}
    assert by["ann"]["status"] == "passed" and by["ann"]["attempts"] == "2" and by["ann"]["passed_at"].endswith("Z")
    assert by["bo"]["status"] == "in_progress" and by["bo"]["stuck"] == "attempts" and by["bo"]["passed_at"] == ""
    assert by["cy"]["stuck"] == "idle" and by["cy"]["time_spent_seconds"] == "61"
    assert by["learner"]["status"] == "not_started" and by["learner"]["last_activity"] == ""
    assert {r["lesson"] for r in rows} == {SLUG} and {r["exercise"] for r in rows} == {EXERCISE}


def test_json_export(graded):
    data = client_for(graded["teacher"]).get(f"/en/classes/{graded['classroom'].pk}/results.json").json()
    assert data["class"]["name"] == "K8s 101" and data["class"]["lessons"] == [SLUG]
    assert data["exercises"][0]["exercise"] == EXERCISE
    assert {l["username"]: l["passed"] for l in data["learners"]}["ann"] == 1
    assert len(data["results"]) == 5 and data["results"][1]["username"] == "ann"


def test_learner_drill_down_and_reset(graded, client):
    learner = graded["ann"]
    # ann works in lesson 04 as a signed-in learner: her sandbox gets a transcript.
    learner_client = client_for(learner)
    learner_client.get(f"/en/lessons/{SLUG}/")
    sandbox = Sandbox.objects.get(owner=f"user:{learner.pk}", lesson_slug=SLUG)
    sandbox.transcript = [{"kind": "input", "text": "kubectl get pods"}, {"kind": "output", "text": "No resources found\n"}]
    sandbox.save()
    teacher = client_for(graded["teacher"])
    url = f"/en/classes/{graded['classroom'].pk}/learners/{learner.pk}/"
    body = teacher.get(url).content.decode()
    assert "kubectl get pods" in body and "No resources found" in body and 'id="cluster-view"' in body
    assert "Reset sandbox" in body
    # with a sandbox the drill-down follows it live over the read-only socket instead of polling
    class_id = graded["classroom"].pk
    path = f'ws-connect="/ws/classes/en/{class_id}/learners/{learner.pk}/{SLUG}/"'
    assert path in body and 'hx-trigger="every 3s"' not in body and "Read-only" in body
    assert 'id="console-output-2"' in body and 'id="rollout-chart-panel"' in body
    ko = teacher.get(url.replace("/en/", "/ko/")).content.decode()
    assert "/ws/classes/ko/" in ko and "읽기 전용" in ko and "실시간" in ko
    live = teacher.get(url + "live/").content.decode()
    assert "kubectl get pods" in live and "<html" not in live
    # Without the confirmation box nothing happens.
    assert teacher.post(url + "reset/", {"lesson": SLUG}).status_code == 302
    assert Sandbox.objects.get(pk=sandbox.pk).transcript
    teacher.post(url + "reset/", {"lesson": SLUG, "confirm": "on"})
    assert Sandbox.objects.get(pk=sandbox.pk).transcript == []
    assert ExerciseProgress.objects.get(owner=f"user:{learner.pk}").passed  # progress is kept


# ------------------------------------------------------------------ dashboard states (issue 15)
def test_pass_before_joining_is_marked_and_not_counted_as_class_work(world):
    classroom = world["classroom"]
    early = user("early")
    row = progress(early, attempts=1, passed=True)
    ExerciseProgress.objects.filter(pk=row.pk).update(passed_at=timezone.now() - timedelta(days=2))
    Membership.objects.create(classroom=classroom, user=early)  # joins after passing
    teacher = client_for(world["teacher"])
    body = teacher.get(f"/en/classes/{classroom.pk}/").content.decode()
    assert 'data-status="passed"' in body and 'data-before-joining="true"' in body
    assert "before joining the class" in body and "1 before joining" in body
    assert "0/2" in body  # learner + early: no pass as class work
    data = teacher.get(f"/en/classes/{classroom.pk}/results.json").json()
    mine = next(r for r in data["results"] if r["username"] == "early")
    assert mine["status"] == "passed" and mine["passed_before_joining"] is True
    assert {l["username"]: (l["passed"], l["passed_before_joining"]) for l in data["learners"]}["early"] == (0, 1)
    ko = client_for(world["teacher"]).get(f"/ko/classes/{classroom.pk}/").content.decode()
    assert "수업 참여 전" in ko


def test_passed_with_solution_and_now_failing_states(world):
    classroom = world["classroom"]
    classroom.seat_limit = 5
    classroom.save()
    helped, slipped = user("helped"), user("slipped")
    for u in (helped, slipped):
        Membership.objects.create(classroom=classroom, user=u)
    row = progress(helped, passed=True)
    ExerciseProgress.objects.filter(pk=row.pk).update(solution_shown_at=timezone.now(), passed_with_solution=True)
    row = progress(slipped, passed=True)
    ExerciseProgress.objects.filter(pk=row.pk).update(last_result=[False, ["rollout-finished"], []])
    teacher = client_for(world["teacher"])
    body = teacher.get(f"/en/classes/{classroom.pk}/").content.decode()
    assert 'data-status="passed_with_solution"' in body and "passed with the solution shown" in body
    assert 'data-status="failing_now"' in body and "passed, now failing" in body
    assert "1 with the solution" in body and "1 now failing" in body
    rows = list(csv.DictReader(io.StringIO(teacher.get(f"/en/classes/{classroom.pk}/results.csv")
                                           .content.decode("utf-8").lstrip("\ufeff"))))
    by = {r["username"]: r for r in rows}
    assert by["helped"]["status"] == "passed_with_solution" and by["helped"]["solution_shown"] == "True"
    assert by["slipped"]["status"] == "failing_now" and by["slipped"]["passed_at"]


def test_drill_down_polls_until_the_learner_has_a_sandbox(world):
    """No sandbox yet: the live part polls (and replaces itself, so once the sandbox exists the
    socket takes over and the polling stops)."""
    teacher = client_for(world["teacher"])
    url = f"/en/classes/{world['classroom'].pk}/learners/{world['learner'].pk}/"
    body = teacher.get(url).content.decode()
    assert 'hx-trigger="every 3s"' in body and 'hx-swap="outerHTML"' in body and "ws-connect" not in body
    assert "has not opened this lesson" in body
    live = teacher.get(url + "live/").content.decode()
    assert live.count('id="learner-live"') == 1 and 'hx-trigger="every 3s"' in live
