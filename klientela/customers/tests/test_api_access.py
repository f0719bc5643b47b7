"""Access scopes through the customer API: team lists, read-only colleagues' cards, other teams'
cards not found, export for heads only; on every denial the database stays as it was."""

import csv
import io

import pytest
from openpyxl import load_workbook

from klientela.customers.models import Organization
from tests.apiclient import ApiClient

from .apidata import cards, customer_state
from .factories import OrganizationFactory, PersonFactory


@pytest.fixture
def given(company):
    return cards(company)


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.json()
    return {item["id"] for item in response.json()["items"]}


def test_a_manager_lists_the_records_of_the_team_only(client, company, given):
    api = ApiClient(client, company["n_manager1"])

    organizations = _ids(api.get("/organizations"))
    people = _ids(api.get("/people"))

    assert organizations == {given["north"].pk, given["colleague"].pk}
    assert people == {given["contact"].pk}


def test_an_administrator_lists_everything_and_a_user_without_a_role_nothing(
    client, company, given
):
    everything = _ids(ApiClient(client, company["admin"]).get("/organizations"))
    nothing = _ids(ApiClient(client, company["nobody"]).get("/organizations"))

    assert everything == set(Organization.objects.values_list("pk", flat=True))
    assert nothing == set()


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", "/organizations/{id}", {"legal_name": "Taken over"}),
        ("delete", "/organizations/{id}", None),
        ("post", "/organizations/{id}/emails", {"address": "me@example.com"}),
        ("post", "/organizations/hand-over", {"ids": ["{id}"], "new_owner_id": "{me}"}),
    ],
)
def test_a_manager_may_not_change_a_colleagues_card(client, company, given, method, path, body):
    # given the North manager 2 and manager 1's card, visible to the team
    api = ApiClient(client, company["n_manager2"])
    card = given["north"]
    assert api.get(f"/organizations/{card.pk}").status_code == 200
    body = _fill(body, card.pk, company["n_manager2"].pk)
    before = customer_state()

    # when
    response = getattr(api, method)(path.format(id=card.pk), *([body] if body else []))

    # then
    assert response.status_code == 403, response.json()
    assert response.json()["error"]["code"] == "forbidden"
    assert customer_state() == before


def _fill(body, card_id: int, me: int):
    if body is None:
        return None
    text = {"{id}": card_id, "{me}": me}
    return {
        key: [text.get(item, item) for item in value]
        if isinstance(value, list)
        else text.get(value, value)
        for key, value in body.items()
    }


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/organizations/{id}"),
        ("patch", "/organizations/{id}"),
        ("delete", "/organizations/{id}"),
        ("get", "/organizations/{id}/people"),
        ("get", "/organizations/{id}/phones"),
        ("post", "/organizations/{id}/merge"),
        ("get", "/audit/organization/{id}"),
    ],
)
def test_another_teams_card_is_not_found(client, company, given, method, path):
    api = ApiClient(client, company["n_head"])
    before = customer_state()

    call = getattr(api, method)
    url = path.format(id=given["south"].pk)
    response = call(url) if method in ("get", "delete") else call(url, {"duplicate_id": 1})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert customer_state() == before


def test_a_manager_creates_own_cards_but_not_for_a_colleague(client, company):
    api = ApiClient(client, company["n_manager1"])

    own = api.post("/organizations", {"legal_name": "Mine"})
    before = customer_state()
    colleagues = api.post(
        "/organizations",
        {"legal_name": "Theirs", "responsible_id": company["n_manager2"].pk},
    )

    assert own.status_code == 201
    assert own.json()["responsible"]["id"] == company["n_manager1"].pk
    assert colleagues.status_code == 403
    assert customer_state() == before


def test_without_a_role_nothing_is_created_and_anonymous_is_unauthorized(client, company):
    before = customer_state()

    refused = ApiClient(client, company["nobody"]).post("/people", {"last_name": "Doe"})
    anonymous = client.get("/api/v1/organizations")

    assert refused.status_code == 403
    assert anonymous.status_code == 401
    assert customer_state() == before


# --- Export -----------------------------------------------------------------------------------


def test_export_is_refused_to_a_manager(client, company, given):
    api = ApiClient(client, company["n_manager1"])

    for path in ("/organizations/export", "/people/export"):
        response = api.get(path)
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "forbidden"


def _csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_head_exports_the_teams_organizations_with_custom_columns(
    client, company, given, revenue_field
):
    # given
    Organization.objects.filter(pk=given["north"].pk).update(
        custom={"revenue": {"amount": "1500.00", "currency": "EUR"}}
    )
    api = ApiClient(client, company["n_head"])

    # when
    response = api.get("/organizations/export", format="csv", ordering="name")

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="organizations-')
    rows = _csv_rows(response)
    assert [row["Name"] for row in rows] == ["Baltic Paper", "Severstal Trade LLC"]
    north = rows[1]
    assert north["Phones"] == "'+7 495 123-45-67"
    assert (north["Emails"], north["City"], north["Responsible"]) == (
        "sales@severstal.example",
        "Moscow",
        "n_manager1",
    )
    assert north["Annual revenue"] == "€1,500.00"


def test_the_export_applies_the_list_filters(client, company, given):
    api = ApiClient(client, company["n_head"])

    response = api.get("/organizations/export", q="baltic")
    invalid = api.get("/organizations/export", industry="piracy")

    assert [row["Name"] for row in _csv_rows(response)] == ["Baltic Paper"]
    assert invalid.status_code == 422


def test_an_xlsx_export_keeps_text_as_text(client, company, given):
    # given a card whose name would be a formula in a spreadsheet
    OrganizationFactory(legal_name="=HYPERLINK(1)", responsible=company["n_manager1"])
    PersonFactory(last_name="Berg", responsible=company["n_manager2"])
    api = ApiClient(client, company["n_head"])

    # when
    organizations = api.get("/organizations/export", format="xlsx", ordering="name")
    people = api.get("/people/export", format="xlsx")

    # then
    assert organizations.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(organizations.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("ID", "Name", "Legal name")
    assert [row[1] for row in rows[1:]] == ["=HYPERLINK(1)", "Baltic Paper", "Severstal Trade LLC"]
    assert sheet.cell(row=2, column=2).data_type == "s"
    people_rows = list(load_workbook(io.BytesIO(b"".join(people.streaming_content))).active.values)
    assert sorted(row[1] for row in people_rows[1:]) == ["Berg", "Petrov"]


def test_an_unknown_export_format_is_a_422(client, company):
    response = ApiClient(client, company["admin"]).get("/organizations/export", format="pdf")

    assert response.status_code == 422
    assert "format" in response.json()["error"]["fields"]
