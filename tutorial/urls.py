"""URL map: every page is language-prefixed (/ko/..., /en/...); /healthz is not."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from tutorial.health import healthz
from tutorial.lessons import landing
from tutorial.lessons import views as lesson_views

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # `/` picks the language from the browser (Accept-Language), Korean by default.
    path("", landing.choose_language, name="choose-language"),
]

urlpatterns += i18n_patterns(
    path("", landing.landing, name="home"),
    path("lessons/", include("tutorial.lessons.urls")),
    path("glossary/", lesson_views.glossary, name="glossary"),
    path("sandbox/", include("tutorial.sandbox.urls")),
    path("kubeapi/", include("tutorial.kubeapi.urls")),  # the learner's own kubectl: kubeconfig
    path("progress/", include("tutorial.progress.urls")),
    path("accounts/", include("tutorial.accounts.urls")),
    path("classes/", include("tutorial.classroom.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
