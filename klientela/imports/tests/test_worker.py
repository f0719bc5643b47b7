"""The import on a real Celery worker with Redis (skipped when Redis is not reachable)."""

import socket

import pytest
from django.core.files.base import ContentFile

from klientela.customers.models import Person
from klientela.imports.services import batches
from klientela.jobs.models import Job

from .conftest import csv_bytes


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="Redis at 127.0.0.1:6379 is not reachable")
@pytest.mark.django_db(transaction=True)
def test_import_runs_on_a_celery_worker(company):
    from celery.contrib.testing.worker import start_worker

    from klientela.background import app

    app.conf.update(
        broker_url="redis://127.0.0.1:6379/15",
        result_backend=None,
        task_always_eager=False,
    )
    try:
        head = company["n_head"]
        rows = [["Name", "Phone"]] + [[f"Person {n}", f"+7 912 000-{n:02d}-00"] for n in range(20)]
        batch = batches.create_import(
            actor=head, entity="person", upload=ContentFile(csv_bytes(rows)), filename="w.csv"
        )
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            job = batches.start_import(actor=head, batch=batch)
            import time

            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                job.refresh_from_db()
                if job.is_finished:
                    break
                time.sleep(0.2)
        assert job.status == Job.Status.DONE, job.error
        assert Person.objects.count() == 20
    finally:
        app.conf.update(broker_url="", task_always_eager=True)
