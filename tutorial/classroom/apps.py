from django.apps import AppConfig


class ClassroomConfig(AppConfig):
    name = "tutorial.classroom"
    label = "classroom"

    def ready(self) -> None:
        from tutorial.classroom import live  # noqa: F401  (progress changes → class dashboards)
