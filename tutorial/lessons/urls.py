from django.urls import path

from tutorial.lessons import views

app_name = "lessons"

urlpatterns = [
    path("", views.lesson_index, name="index"),
    path("<slug:slug>/", views.lesson_page, name="lesson"),
]
