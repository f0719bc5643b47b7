import pytest

from klientela.jobs.models import Job
from klientela.jobs.services import JobFailed, Progress, register_runner, start_job


def _fails(job):
    raise JobFailed("The file is gone.")


def _crashes(job):
    raise RuntimeError("boom")


def _counts(job):
    progress = Progress(job, total=3)
    for _number in range(3):
        progress.advance(message="working")


register_runner("test-fails", _fails)
register_runner("test-crashes", _crashes)
register_runner("test-counts", _counts)


@pytest.mark.django_db(transaction=True)
def test_jobs_finish_fail_with_reason_and_show_progress(company, client):
    user = company["n_head"]
    done = start_job(actor=user, kind="test-counts", title="Counting")
    failed = start_job(actor=user, kind="test-fails")
    crashed = start_job(actor=user, kind="test-crashes")
    done.refresh_from_db(), failed.refresh_from_db(), crashed.refresh_from_db()
    assert (done.status, done.done, done.total, done.percent) == ("done", 3, 3, 100)
    assert (failed.status, failed.error) == ("failed", "The file is gone.")
    assert crashed.status == "failed" and "boom" in crashed.error
    client.force_login(user)
    page = client.get(f"/jobs/{failed.pk}/").content.decode()
    assert "The file is gone." in page
    assert "Counting" in client.get("/jobs/").content.decode()
    client.force_login(company["s_head"])
    assert client.get(f"/jobs/{done.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_queued_job_polls_every_second(company, client):
    job = Job.objects.create(kind="test-counts", owner=company["n_head"], total=10, done=4)
    client.force_login(company["n_head"])
    html = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in html and 'value="40"' in html
