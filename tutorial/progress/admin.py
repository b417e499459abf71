from django.contrib import admin

from tutorial.progress.models import ExerciseProgress, LessonProgress


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ("owner", "user", "lesson_slug", "opened_at")
    list_filter = ("lesson_slug",)
    search_fields = ("owner", "user__username")


@admin.register(ExerciseProgress)
class ExerciseProgressAdmin(admin.ModelAdmin):
    list_display = ("owner", "user", "lesson_slug", "exercise_id", "attempts", "failed_checks", "hints_shown",
                    "passed_at", "passed_with_solution", "solution_shown_at", "time_spent")
    list_filter = ("lesson_slug", "exercise_id")
    search_fields = ("owner", "user__username")
