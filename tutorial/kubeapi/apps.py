from django.apps import AppConfig


class KubeApiConfig(AppConfig):
    name = "tutorial.kubeapi"
    label = "kubeapi"
    verbose_name = "Kubernetes API tokens"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Requests relayed from another process are served by the process hosting the sandbox.
        from tutorial.kubeapi import remote
        from tutorial.sandbox.realtime import bridge

        bridge.serve_events("sandbox.remote.api", remote.serve)
        bridge.serve_events("sandbox.remote.api.close", lambda _layer, _session, event: remote.close(event))
