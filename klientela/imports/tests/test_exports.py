import io
import zipfile

import pytest
from openpyxl import load_workbook

from klientela.customers.services.organizations import create_organization
from klientela.customers.services.people import create_person
from klientela.jobs.models import Job

pytestmark = pytest.mark.django_db(transaction=True)


def _zip(job) -> zipfile.ZipFile:
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    return zipfile.ZipFile(io.BytesIO(job.result.read()))


def test_full_export_respects_scope(client, company):
    create_person(actor=company["n_head"], first_name="North", last_name="Person")
    create_person(actor=company["s_head"], first_name="South", last_name="Person")
    create_organization(actor=company["n_head"], legal_name="=HYPERLINK(1)")
    client.force_login(company["n_head"])
    response = client.post("/exports/", {"entity": "all", "format": "xlsx"})
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    archive = _zip(job)
    names = sorted(archive.namelist())
    assert names[0].startswith("organizations-") and names[1].startswith("people-")
    people = load_workbook(io.BytesIO(archive.read(names[1]))).active
    text = " ".join(str(cell) for row in people.iter_rows(values_only=True) for cell in row)
    assert "North" in text and "South" not in text
    organizations = load_workbook(io.BytesIO(archive.read(names[0]))).active
    assert organizations.cell(2, 2).data_type == "s" or "=HYPERLINK" in str(
        [c.value for c in organizations[2]]
    )
    assert client.get(f"/jobs/{job.pk}/result/").status_code == 200


def test_list_export_with_filters_as_csv(client, company):
    create_person(actor=company["n_head"], first_name="Ann", last_name="Lee")
    create_person(actor=company["n_head"], first_name="Bob", last_name="Ray")
    client.force_login(company["n_head"])
    client.post("/exports/?q=Ann", {"entity": "person", "format": "csv"})
    archive = _zip(Job.objects.get())
    text = archive.read(archive.namelist()[0]).decode("utf-8-sig")
    assert "Ann" in text and "Bob" not in text


def test_managers_may_not_export(client, company):
    client.force_login(company["n_manager1"])
    assert client.post("/exports/", {"entity": "all", "format": "xlsx"}).status_code == 403
    assert not Job.objects.exists()
