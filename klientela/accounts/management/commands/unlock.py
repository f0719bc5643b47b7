from django.core.management.base import BaseCommand, CommandError

from klientela.accounts.lockout import unlock_user
from klientela.accounts.models import User


class Command(BaseCommand):
    help = "Lift the sign-in lock-out of a user after too many failed passwords."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        forgotten = unlock_user(actor=None, user=user)
        if forgotten:
            self.stdout.write(f"Unlocked {user.username}.")
        else:
            self.stdout.write(f"{user.username} was not locked.")
