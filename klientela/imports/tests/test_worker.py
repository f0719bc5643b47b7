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
    import threading

    from celery.signals import task_postrun

    from klientela.jobs.testing import celery_worker

    # The test waits for the worker's "task done" signal rather than polling the job's row: on
    # SQLite's shared in-memory database a read beside the worker's write locks the table.
    finished = threading.Event()

    def done(**kwargs):
        finished.set()

    task_postrun.connect(done, weak=False)
    try:
        head = company["n_head"]
        rows = [["Name", "Phone"]] + [[f"Person {n}", f"+7 912 000-{n:02d}-00"] for n in range(20)]
        batch = batches.create_import(
            actor=head, entity="person", upload=ContentFile(csv_bytes(rows)), filename="w.csv"
        )
        with celery_worker("redis://127.0.0.1:6379/15"):
            job = batches.start_import(actor=head, batch=batch)
            assert finished.wait(timeout=60), "the worker did not run the import"
        job.refresh_from_db()
        assert job.status == Job.Status.DONE, job.error
        assert Person.objects.count() == 20
    finally:
        task_postrun.disconnect(done)
