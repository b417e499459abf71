"""manage.py grant_instructor <username>… [--revoke]: give (or take back) the instructor role."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from tutorial.accounts.roles import set_instructor


class Command(BaseCommand):
    help = "Grant the instructor role to users (or revoke it with --revoke)."

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="+")
        parser.add_argument("--revoke", action="store_true", help="take the role away instead")

    def handle(self, *usernames, **options):
        User = get_user_model()
        users = []
        for name in options["usernames"]:
            user = User.objects.filter(**{User.USERNAME_FIELD: name}).first()
            if user is None:
                raise CommandError(f"No user named {name!r}.")
            users.append(user)
        for user in users:
            set_instructor(user, not options["revoke"])
            verb = "revoked from" if options["revoke"] else "granted to"
            self.stdout.write(f"Instructor role {verb} {user.get_username()}.")
