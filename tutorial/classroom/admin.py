from django.contrib import admin

from tutorial.classroom.models import Classroom, JoinAttempt, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Classroom)
class ClassroomAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "language", "join_code", "code_expires_at", "seat_limit", "created_at")
    search_fields = ("name", "owner__username", "join_code")
    filter_horizontal = ("instructors",)
    inlines = [MembershipInline]


@admin.register(JoinAttempt)
class JoinAttemptAdmin(admin.ModelAdmin):
    list_display = ("key", "at")
