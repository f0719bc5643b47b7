from django.core.management.base import BaseCommand
from django.db import transaction

from klientela.core.demodata import demo_loaders


class Command(BaseCommand):
    help = "Fill an empty database with a believable demo company and print the demo login."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing but print the login when demo data is already there.",
        )

    def handle(self, *args, **options):
        loaders = demo_loaders()
        if any(loader.is_loaded() for loader in loaders):
            if not options["if_empty"]:
                self.stderr.write("The database already holds data; demo data is loaded only once.")
        else:
            context: dict = {}
            with transaction.atomic():
                for loader in loaders:
                    loader.load(context)
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        for loader in loaders:
            if loader.login_hint:
                self.stdout.write(loader.login_hint)
