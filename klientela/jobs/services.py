"""Starting background jobs and reporting their progress.

An app registers a runner per job kind (``register_runner``); ``start_job`` records the job and,
once the transaction commits, hands it to Celery (``tasks.run_job``). With a broker the job runs
on a worker (``klientela worker``). Without one (the embedded default) it runs in the web process
in a thread started after the commit (``JOBS_IN_THREAD``, on by default), so the request answers
at once and the page shows live progress; with ``JOBS_IN_THREAD`` off (the tests) it runs
eagerly inside the request. A runner reports progress with ``progress``; an exception marks the
job failed with its reason.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Job

logger = logging.getLogger(__name__)


class JobFailed(Exception):
    """A runner's way to fail with a reason the user can read."""


@dataclass(frozen=True)
class Runner:
    kind: str
    run: Callable[[Job], None]


_RUNNERS: dict[str, Runner] = {}


def register_runner(kind: str, run: Callable[[Job], None]) -> None:
    _RUNNERS[kind] = Runner(kind=kind, run=run)


def visible_jobs(user):
    """A user sees the jobs they started."""
    if not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(owner=user)


@transaction.atomic
def start_job(*, actor, kind: str, title: str = "", params: dict | None = None) -> Job:
    if kind not in _RUNNERS:
        raise ValueError(f"No runner for job kind {kind!r}")
    job = Job.objects.create(kind=kind, title=title, owner=actor, params=params or {})
    transaction.on_commit(lambda: _dispatch(job.pk))
    return job


def _dispatch(job_id: int) -> None:
    from klientela.background import app

    if app.conf.task_always_eager and getattr(settings, "JOBS_IN_THREAD", False):
        # No broker: run beside the request so the page answers at once and shows progress.
        threading.Thread(target=_run_in_thread, args=(job_id,), daemon=True).start()
    elif app.conf.task_always_eager:
        run_job(job_id)
    else:
        app.send_task("klientela.jobs.run_job", args=[job_id])


def _run_in_thread(job_id: int) -> None:
    try:
        run_job(job_id)
    finally:
        connection.close()


def run_job(job_id: int) -> None:
    """Run one queued job (called by the Celery task or directly in eager mode)."""
    updated = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    if not updated:
        return
    job = Job.objects.get(pk=job_id)
    runner = _RUNNERS.get(job.kind)
    try:
        if runner is None:
            raise JobFailed(_("This kind of job is not known."))
        runner.run(job)
    except JobFailed as error:
        _fail(job, str(error))
    except Exception as error:
        logger.exception("Job %s failed", job_id)
        _fail(job, _("Unexpected error: %(error)s") % {"error": error})
    else:
        job.status = Job.Status.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "finished_at", "done", "total", "message", "result"])


def _fail(job: Job, reason: str) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED, error=reason[:5000], finished_at=timezone.now()
    )
    job.refresh_from_db()


class Progress:
    """Writes ``done``/``total`` at most every ``interval`` seconds (the page polls each second)."""

    def __init__(self, job: Job, *, total: int = 0, interval: float = 0.5):
        self.job = job
        self.interval = interval
        self._last = 0.0
        job.total = total
        self.save(force=True)

    def save(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last >= self.interval:
            self._last = now
            Job.objects.filter(pk=self.job.pk).update(
                done=self.job.done, total=self.job.total, message=self.job.message[:500]
            )

    def advance(self, count: int = 1, *, message: str | None = None) -> None:
        self.job.done += count
        if message is not None:
            self.job.message = message
        self.save()
