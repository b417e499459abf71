from django.apps import AppConfig


class KubeApiConfig(AppConfig):
    name = "tutorial.kubeapi"
    label = "kubeapi"
    verbose_name = "Kubernetes API tokens"
    default_auto_field = "django.db.models.BigAutoField"
