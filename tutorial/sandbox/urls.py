from django.urls import path

from tutorial.sandbox import views

app_name = "sandbox"

urlpatterns = [
    path("<slug:slug>/reset/", views.reset, name="reset"),
]
