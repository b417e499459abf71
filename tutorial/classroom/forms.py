from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from tutorial.accounts.roles import is_instructor
from tutorial.classroom import codes
from tutorial.curriculum.catalogue import get_catalogue


def lesson_choices(language: str) -> list[tuple[str, str]]:
    return [(lesson.slug, lesson.text(language).title) for lesson in get_catalogue().lessons]


class ClassroomForm(forms.Form):
    name = forms.CharField(label=_("Class name"), max_length=100)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    lessons = forms.MultipleChoiceField(label=_("Lessons assigned"), widget=forms.CheckboxSelectMultiple)
    starts_on = forms.DateField(label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    due_on = forms.DateField(label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    seat_limit = forms.IntegerField(label=_("Seats"), min_value=1, max_value=500, initial=30)
    code_days = forms.IntegerField(label=_("Join code valid for (days)"), min_value=1, max_value=365,
                                   initial=codes.DEFAULT_VALID_DAYS)

    def __init__(self, *args, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lessons"].choices = lesson_choices(language)
        self.fields["language"].initial = language

    def clean(self):
        data = super().clean()
        starts, due = data.get("starts_on"), data.get("due_on")
        if starts and due and due < starts:
            self.add_error("due_on", _("The due date is before the start date."))
        # Course order, whatever order the boxes were ticked in.
        order = [slug for slug, _title in self.fields["lessons"].choices]
        data["lessons"] = sorted(data.get("lessons") or [], key=order.index)
        return data


class JoinForm(forms.Form):
    code = forms.CharField(label=_("Join code"), max_length=32,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))


class RegenerateCodeForm(forms.Form):
    code_days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365,
                                   initial=codes.DEFAULT_VALID_DAYS)
    seat_limit = forms.IntegerField(label=_("Seats"), min_value=1, max_value=500)


class AddInstructorForm(forms.Form):
    username = forms.CharField(label=_("Co-instructor's username"), max_length=150)

    def clean_username(self):
        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: self.cleaned_data["username"].strip()}).first()
        if user is None or not is_instructor(user):
            raise forms.ValidationError(_("No instructor has this username."))
        return user


class ResetSandboxForm(forms.Form):
    lesson = forms.ChoiceField(label=_("Lesson"))
    confirm = forms.BooleanField(label=_("Yes, reset this learner's cluster (their progress is kept)"))

    def __init__(self, *args, lessons: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lesson"].choices = lessons
