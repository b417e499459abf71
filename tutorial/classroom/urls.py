from django.urls import path

from tutorial.classroom import views

app_name = "classroom"

urlpatterns = [
    path("", views.class_list, name="list"),
    path("new/", views.class_create, name="create"),
    path("join/", views.join_class, name="join"),
    path("join/<str:code>/", views.join_class, name="join_code"),
    path("<int:pk>/", views.dashboard, name="dashboard"),
    path("<int:pk>/code/", views.regenerate_code, name="regenerate_code"),
    path("<int:pk>/instructors/", views.add_instructor, name="add_instructor"),
    path("<int:pk>/results.csv", views.export_csv, name="export_csv"),
    path("<int:pk>/results.json", views.export_json, name="export_json"),
    path("<int:pk>/learners/<int:user_id>/", views.learner_detail, name="learner"),
    path("<int:pk>/learners/<int:user_id>/live/", views.learner_live, name="learner_live"),
    path("<int:pk>/learners/<int:user_id>/reset/", views.learner_reset, name="learner_reset"),
]
