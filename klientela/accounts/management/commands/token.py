from django.core.management.base import BaseCommand, CommandError

from klientela.accounts import services
from klientela.accounts.models import User


class Command(BaseCommand):
    help = "Create a personal API token for a user and print it (it is not shown again)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['username']!r}.")
        _token, key = services.issue_token(actor=None, user=user, name=options["name"])
        self.stdout.write(key)
