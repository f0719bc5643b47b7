from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from klientela.accounts import services
from klientela.accounts.models import Role, Team


def describe(error: ValidationError) -> str:
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return "; ".join(
        f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
    )


class Command(BaseCommand):
    help = "Create a user with a role (admin, head, manager or any role code) and optional team."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, help="Role code, e.g. admin, head, manager")
        parser.add_argument("--team", help="Team name; created when it does not exist")
        parser.add_argument("--password", help="Password; without it the user cannot sign in")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--language", default="en")

    def handle(self, *args, **options):
        role = Role.objects.filter(code=options["role"]).first()
        if role is None:
            codes = ", ".join(Role.objects.order_by("code").values_list("code", flat=True))
            raise CommandError(f"Unknown role {options['role']!r}. Roles: {codes}")
        try:
            # A refused user must not leave a freshly created team behind.
            with transaction.atomic():
                user = services.create_user(
                    actor=None,
                    username=options["username"],
                    password=options["password"],
                    role=role,
                    team=self.team(options["team"]),
                    email=options["email"],
                    first_name=options["first_name"],
                    last_name=options["last_name"],
                    language=options["language"],
                )
        except ValidationError as error:
            raise CommandError(describe(error)) from error
        self.stdout.write(f"Created user {user.username} with role {role.code}.")

    def team(self, name: str | None) -> Team | None:
        if not name:
            return None
        existing = Team.objects.filter(name__iexact=name.strip()).first()
        return existing or services.create_team(actor=None, name=name.strip())
