"""``klientela worker [--beat]``: a Celery worker for background jobs (needs CELERY_BROKER_URL)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run a background worker (Celery) for jobs, with --beat for the periodic ones."

    def add_arguments(self, parser):
        parser.add_argument("--beat", action="store_true", help="also run the periodic scheduler")
        parser.add_argument("--concurrency", type=int, default=0, help="worker processes")
        parser.add_argument("--loglevel", default="INFO")

    def handle(self, *args, beat=False, concurrency=0, loglevel="INFO", **options):
        if not settings.CELERY_BROKER_URL:
            raise CommandError(
                "Set CELERY_BROKER_URL (redis://127.0.0.1:6379/0 or amqp://guest@127.0.0.1//) "
                "to run workers; without it jobs run inside the web process."
            )
        from klientela.background import app

        argv = ["worker", f"--loglevel={loglevel}"]
        if beat:
            argv.append("--beat")
        if concurrency:
            argv.append(f"--concurrency={concurrency}")
        app.worker_main(argv)
