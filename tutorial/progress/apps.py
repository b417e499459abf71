from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "tutorial.progress"
    label = "progress"
