"""/<lang>/accounts/: sign-up plus Django's auth views (login, logout, password change/reset).

Django's views reverse their own URL names without a namespace ("password_reset_done", ...), so
these patterns are included without an app namespace.
"""

from django.urls import include, path

from tutorial.accounts import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("", include("django.contrib.auth.urls")),
]
