"""The wizard pages, the API and the command line."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook

from klientela.customers.models import Person
from klientela.imports.models import Import
from tests.apiclient import ApiClient

from .conftest import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = [
    ["Name", "Phone", "=Formula header"],
    ["Anna Kos", "041 123 456", "=1+1"],
    ["", "041 999", "x"],
]


def test_wizard_upload_map_preview_run_report_undo(client, company):
    client.force_login(company["n_head"])
    page = client.get("/imports/")
    assert page.status_code == 200
    upload = SimpleUploadedFile("clients.csv", csv_bytes(ROWS), content_type="text/csv")
    response = client.post("/imports/", {"entity": "person", "file": upload})
    batch = Import.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{batch.pk}/"
    page = client.get(f"/imports/{batch.pk}/")
    assert page.status_code == 200
    assert 'value="full_name" selected' in page.content.decode()
    form = {
        "region": "SI",
        "duplicates": "skip",
        "map-0": "full_name",
        "map-1": "phones",
        "preview": "1",
    }
    preview = client.post(f"/imports/{batch.pk}/", form, headers={"HX-Request": "true"})
    text = preview.content.decode()
    assert preview.status_code == 200 and "+38641123456" in text and "import-preview" in text
    started = client.post(f"/imports/{batch.pk}/", {**form, "start": "1"})
    assert started.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.created, batch.failed) == ("done", 1, 1)
    result = client.get(f"/imports/{batch.pk}/").content.decode()
    assert "Download the error report" in result and "Undo the import" in result
    report = client.get(f"/imports/{batch.pk}/errors.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Name", "Phone", "=Formula header", "Row", "Error")
    assert rows[1][:4] == (None, "041 999", "x", 3)
    assert "Phone" in rows[1][4]
    assert client.post(f"/imports/{batch.pk}/undo/").status_code == 302
    assert not Person.objects.exists()
    jobs = client.get("/jobs/").content.decode()
    assert "Import of clients.csv" in jobs
    status = client.get(f"/jobs/{batch.job_id}/", headers={"HX-Request": "true"}).content.decode()
    assert 'id="job-status"' in status and "every 1s" not in status


def test_other_users_do_not_see_an_import_and_managers_may_not_import(client, company):
    client.force_login(company["n_head"])
    upload = SimpleUploadedFile("c.csv", csv_bytes(ROWS))
    client.post("/imports/", {"entity": "person", "file": upload})
    batch = Import.objects.get()
    client.force_login(company["s_head"])
    assert client.get(f"/imports/{batch.pk}/").status_code == 404
    assert client.get(f"/jobs/{batch.pk}/").status_code == 404
    client.force_login(company["n_manager1"])
    assert client.get("/imports/").status_code == 403


def test_list_page_query_count(client, company, django_assert_max_num_queries):
    client.force_login(company["n_head"])
    for number in range(3):
        upload = SimpleUploadedFile(f"c{number}.csv", csv_bytes(ROWS))
        client.post("/imports/", {"entity": "person", "file": upload})
    with django_assert_max_num_queries(12):
        assert client.get("/imports/").status_code == 200


def test_api_start_and_poll(client, company):
    api = ApiClient(client, company["n_head"])
    content = xlsx_bytes([["Kontakt", "Telefon"], ["Jan Kowalski", "601 234 567"]])
    response = client.post(
        "/api/v1/imports",
        {
            "file": SimpleUploadedFile("k.xlsx", content),
            "entity": "person",
            "mapping": json.dumps({"Kontakt": "full_name", "Telefon": "phones"}),
            "region": "PL",
        },
        headers=api.headers,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["mapping"] == {"0": "full_name", "1": "phones"}
    polled = api.get(f"/imports/{body['id']}").json()
    assert (polled["status"], polled["created"], polled["job_status"]) == ("done", 1, "done")
    assert Person.objects.get().phones.get().e164 == "+48601234567"
    other = ApiClient(client, company["s_head"])
    assert other.get(f"/imports/{body['id']}").status_code == 404
    manager = ApiClient(client, company["n_manager1"])
    refused = client.post(
        "/api/v1/imports",
        {"file": SimpleUploadedFile("k.csv", b"Name\nA B\n"), "entity": "person"},
        headers=manager.headers,
    )
    assert refused.status_code == 403


def test_command_line(company, tmp_path):
    data = tmp_path / "people.csv"
    data.write_bytes(csv_bytes([["Who", "Tel"], ["Hans Müller", "030 1234567"]]))
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"Who": "full_name", "Tel": "phones"}))
    out = io.StringIO()
    call_command(
        "import", str(data), entity="people", mapping=str(mapping), region="DE", stdout=out
    )
    assert "created 1" in out.getvalue()
    assert Person.objects.get().phones.get().e164 == "+49301234567"


def test_command_line_products_from_ods(company, tmp_path):
    from klientela.catalog.models import Product

    from .conftest import ods_bytes

    data = tmp_path / "products.ods"
    data.write_bytes(ods_bytes({"Products": [["SKU", "Name"], ["X-1", "Widget"]]}))
    out = io.StringIO()
    call_command("import", str(data), entity="products", username="admin", stdout=out)
    assert "created 1" in out.getvalue()
    assert Product.objects.get().name == "Widget"
