"""The panel's kubeconfig download, one-line token and revoke (mounted at `kubeapi/` inside
i18n_patterns: the download link's href contains `kubeconfig`)."""
from django.urls import path

from . import views

app_name = "kubeapi"

urlpatterns = [
    path("<slug:slug>/kubeconfig", views.download, name="kubeconfig"),
    path("<slug:slug>/kubeconfig/token", views.token, name="token"),
    path("<slug:slug>/kubeconfig/revoke", views.revoke, name="revoke"),
]
