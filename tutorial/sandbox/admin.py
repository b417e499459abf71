from django.contrib import admin

from tutorial.sandbox.models import Sandbox


@admin.register(Sandbox)
class SandboxAdmin(admin.ModelAdmin):
    list_display = ("owner", "user", "lesson_slug", "speed", "paused", "saved_at")
    list_filter = ("lesson_slug",)
    search_fields = ("owner", "user__username", "lesson_slug")
    readonly_fields = ("created_at", "saved_at")
