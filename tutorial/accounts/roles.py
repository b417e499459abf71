"""The instructor role: membership of the "Instructors" group (created by a migration).

A group rather than a flag on a profile so that the admin grants it with no custom code
(Users → Groups), and `manage.py grant_instructor <username>` does the same from a shell.
"""

from __future__ import annotations

from django.contrib.auth.models import Group

INSTRUCTORS_GROUP = "Instructors"


def is_instructor(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.groups.filter(name=INSTRUCTORS_GROUP).exists()


def set_instructor(user, granted: bool = True) -> None:
    group, _ = Group.objects.get_or_create(name=INSTRUCTORS_GROUP)
    if granted:
        user.groups.add(group)
    else:
        user.groups.remove(group)
