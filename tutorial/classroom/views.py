"""Class pages under /<lang>/classes/. Every view checks who asks (tutorial/classroom/access.py):
anonymous → log-in page; not an instructor of the class → 404; learners only join and list."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tutorial.accounts.roles import is_instructor
from tutorial.classroom import codes
from tutorial.classroom.access import classes_taught, learner_of, teaching_classroom
from tutorial.classroom.forms import (
    AddInstructorForm,
    ClassroomForm,
    JoinForm,
    RegenerateCodeForm,
    ResetSandboxForm,
)
from tutorial.classroom.live import notify
from tutorial.classroom.models import Classroom
from tutorial.classroom.results import EXPORT_FIELDS, class_results, export_rows
from tutorial.classroom.services import create_classroom, join
from tutorial.curriculum.catalogue import get_catalogue
from tutorial.learners import user_owner
from tutorial.sandbox.panels.cluster_view import view_of
from tutorial.sandbox.models import Sandbox
from tutorial.sandbox.panels.rollout_panel import chosen_deployment, panel_context
from tutorial.sandbox.persistence.sandboxes import restore_cluster, sandbox_reset
from tutorial.sandbox.views import notify_sandbox_changed


def _taught_or_404(request: HttpRequest, pk) -> Classroom:
    classroom = teaching_classroom(request.user, pk)
    if classroom is None:
        raise Http404
    return classroom


def _client_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _join_url(request: HttpRequest, classroom: Classroom) -> str:
    return request.build_absolute_uri(reverse("classroom:join_code", args=[classroom.join_code]))


@login_required
@require_GET
def class_list(request: HttpRequest) -> HttpResponse:
    return render(request, "classroom/list.html", {
        "teaching": list(classes_taught(request.user)),
        "instructor": is_instructor(request.user),
        "joined": list(request.user.classrooms.order_by("name")),
        "join_form": JoinForm(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def class_create(request: HttpRequest) -> HttpResponse:
    if not is_instructor(request.user):
        raise PermissionDenied
    form = ClassroomForm(request.POST or None, language=get_language())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        classroom = create_classroom(owner=request.user, name=data["name"], language=data["language"],
                                     lessons=data["lessons"], starts_on=data["starts_on"], due_on=data["due_on"],
                                     seat_limit=data["seat_limit"], code_days=data["code_days"])
        return redirect("classroom:dashboard", pk=classroom.pk)
    return render(request, "classroom/create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def join_class(request: HttpRequest, code: str = "") -> HttpResponse:
    """GET shows the form (pre-filled from a join link); POST joins. Never GET-joins (CSRF)."""
    form = JoinForm(request.POST or None, initial={"code": codes.normalize(code)} if code else None)
    error, status = None, 200
    if request.method == "POST" and form.is_valid():
        outcome = join(request.user, form.cleaned_data["code"], _client_address(request))
        if outcome.error is None:
            if outcome.already:
                messages.info(request, _("You are already in %(name)s.") % {"name": outcome.classroom.name})
            else:
                messages.success(request, _("You joined %(name)s.") % {"name": outcome.classroom.name})
            return redirect("classroom:list")
        error, status = outcome.error, 429 if outcome.limited else 400
    return render(request, "classroom/join.html", {"form": form, "error": error}, status=status)


def _dashboard_context(request: HttpRequest, classroom: Classroom) -> dict:
    return {
        "classroom": classroom,
        "results": class_results(classroom),
        "join_url": _join_url(request, classroom),
        "code_valid": classroom.code_valid(),
        "seats_taken": classroom.seats_taken(),
        "instructors": list(classroom.instructors.order_by("username")),
        "ws_path": f"/ws/classes/{get_language()}/{classroom.pk}/",
    }


@login_required
@require_GET
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = _taught_or_404(request, pk)
    context = _dashboard_context(request, classroom)
    context["code_form"] = RegenerateCodeForm(initial={"seat_limit": classroom.seat_limit,
                                                       "code_days": codes.DEFAULT_VALID_DAYS})
    context["instructor_form"] = AddInstructorForm()
    return render(request, "classroom/dashboard.html", context)


@login_required
@require_POST
def regenerate_code(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = _taught_or_404(request, pk)
    form = RegenerateCodeForm(request.POST)
    if form.is_valid():
        classroom.seat_limit = form.cleaned_data["seat_limit"]
        classroom.save(update_fields=["seat_limit"])
        codes.regenerate(classroom, days=form.cleaned_data["code_days"])
        messages.success(request, _("New join code: %(code)s") % {"code": classroom.join_code})
    else:
        messages.error(request, _("The code was not changed: check the number of days and seats."))
    return redirect("classroom:dashboard", pk=classroom.pk)


@login_required
@require_POST
def add_instructor(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = _taught_or_404(request, pk)
    form = AddInstructorForm(request.POST)
    if form.is_valid():
        user = form.cleaned_data["username"]
        classroom.instructors.add(user)
        messages.success(request, _("%(name)s can now see this class.") % {"name": user.get_username()})
    else:
        messages.error(request, form.errors["username"][0])
    return redirect("classroom:dashboard", pk=classroom.pk)


def _lesson_choices(classroom: Classroom) -> list[tuple[str, str]]:
    catalogue = get_catalogue()
    return [(slug, catalogue.get(slug).text(classroom.language).title)
            for slug in classroom.lessons if catalogue.get(slug) is not None]


def _chosen_lesson(request: HttpRequest, classroom: Classroom) -> str | None:
    slugs = [slug for slug, _title in _lesson_choices(classroom)]
    wanted = request.GET.get("lesson")
    return wanted if wanted in slugs else (slugs[0] if slugs else None)


def _learner_or_404(classroom: Classroom, user_id):
    learner = learner_of(classroom, user_id)
    if learner is None:
        raise Http404
    return learner


def _live_context(classroom: Classroom, learner, slug: str | None) -> dict:
    """The learner's sandbox as saved (after every command and every 5 s): transcript, cluster
    view, rollout chart. Read-only: nothing here writes to the sandbox."""
    sandbox = Sandbox.objects.filter(owner=user_owner(learner), lesson_slug=slug).first() if slug else None
    context = {"sandbox": sandbox, "view": None, "chart": None, "transcript": [], "transcript_2": []}
    if sandbox is None:
        return context
    cluster = restore_cluster(sandbox.snapshot)
    context["transcript"] = sandbox.transcript or []
    context["transcript_2"] = ((sandbox.terminals or {}).get("2") or {}).get("transcript") or []
    # The page then follows the sandbox live, read-only, over the instructor's socket (watch.py).
    context["watch_path"] = f"/ws/classes/{get_language()}/{classroom.pk}/learners/{learner.pk}/{slug}/"
    context["view"] = view_of(cluster)
    context.update(panel_context(cluster, chosen_deployment(cluster, None), get_language()))
    context["clock_saved"] = sandbox.saved_at
    return context


@login_required
@require_GET
def learner_detail(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    classroom = _taught_or_404(request, pk)
    learner = _learner_or_404(classroom, user_id)
    slug = _chosen_lesson(request, classroom)
    results = class_results(classroom)
    row = next(r for r in results.learners if r.user_id == learner.pk)
    context = {"classroom": classroom, "learner": learner, "row": row, "lesson_slug": slug,
               "lessons": _lesson_choices(classroom),
               "reset_form": ResetSandboxForm(lessons=_lesson_choices(classroom), initial={"lesson": slug})}
    context.update(_live_context(classroom, learner, slug))
    return render(request, "classroom/learner.html", context)


@login_required
@require_GET
def learner_live(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    """The drill-down's live part, polled by the page (htmx every few seconds)."""
    classroom = _taught_or_404(request, pk)
    learner = _learner_or_404(classroom, user_id)
    slug = _chosen_lesson(request, classroom)
    context = {"classroom": classroom, "learner": learner, "lesson_slug": slug}
    context.update(_live_context(classroom, learner, slug))
    return render(request, "classroom/_learner_live.html", context)


@login_required
@require_POST
def learner_reset(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    classroom = _taught_or_404(request, pk)
    learner = _learner_or_404(classroom, user_id)
    form = ResetSandboxForm(request.POST, lessons=_lesson_choices(classroom))
    detail = reverse("classroom:learner", args=[classroom.pk, learner.pk])
    if not form.is_valid():
        messages.error(request, _("Tick the confirmation box to reset the sandbox."))
        return redirect(detail)
    slug = form.cleaned_data["lesson"]
    sandbox = Sandbox.objects.filter(owner=user_owner(learner), lesson_slug=slug).first()
    lesson = get_catalogue().get(slug)
    if sandbox is None or lesson is None:
        messages.info(request, _("This learner has no sandbox for that lesson yet."))
        return redirect(f"{detail}?lesson={slug}")
    sandbox_reset(sandbox, lesson)
    # The learner's open console (in whatever process) reloads the fresh cluster.
    notify_sandbox_changed(sandbox)
    notify([classroom.pk])
    messages.success(request, _("The sandbox was reset."))
    return redirect(f"{detail}?lesson={slug}")


def _csv_safe(value):
    """Spreadsheets run cells starting with = + - @ as formulas (CSV injection): quote them."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@login_required
@require_GET
def export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    classroom = _taught_or_404(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="class-{classroom.pk}-results.csv"'
    response.write("\ufeff")  # BOM: Excel then reads UTF-8 (Korean names) correctly
    writer = csv.DictWriter(response, fieldnames=EXPORT_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in export_rows(class_results(classroom)):
        writer.writerow({key: _csv_safe(value) for key, value in row.items()})
    return response


@login_required
@require_GET
def export_json(request: HttpRequest, pk: int) -> JsonResponse:
    classroom = _taught_or_404(request, pk)
    results = class_results(classroom)
    return JsonResponse({
        "class": {"id": classroom.pk, "name": classroom.name, "language": classroom.language,
                  "lessons": classroom.lessons,
                  "starts_on": classroom.starts_on.isoformat() if classroom.starts_on else None,
                  "due_on": classroom.due_on.isoformat() if classroom.due_on else None},
        "exercises": [{"lesson": c.lesson_slug, "exercise": c.exercise_id, "goal": c.goal} for c in results.columns],
        "learners": [{"username": r.username, "email": r.email, "passed": r.passed,
                      "passed_before_joining": r.passed_before_joining} for r in results.learners],
        "results": export_rows(results),
    }, json_dumps_params={"ensure_ascii": False})
