from django.urls import path

from tutorial.progress import views

app_name = "progress"

urlpatterns = [
    path("", views.progress_page, name="page"),
]
