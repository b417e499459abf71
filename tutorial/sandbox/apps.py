from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "tutorial.sandbox"
    label = "sandbox"

    def ready(self) -> None:
        from tutorial.sandbox import signals  # noqa: F401  (connects user_logged_in)
