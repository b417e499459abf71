"""`kubeconfig` download and revoke for the learner's sandbox of a lesson (mount under e.g.
`path("kubeapi/", include("tutorial.kubeapi.urls"))`; the link's href then contains `kubeconfig`)."""
from django.urls import path

from . import views

app_name = "kubeapi"

urlpatterns = [
    path("<slug:slug>/kubeconfig", views.download, name="kubeconfig"),
    path("<slug:slug>/kubeconfig/revoke", views.revoke, name="revoke"),
]
