"""Custom fields and reference lists through the API, end to end on organizations and people:
defined by an administrator, set, validated, filtered, sorted."""

import pytest

from klientela.core.models import FieldDefinition, ReferenceList
from tests.apiclient import ApiClient, assert_documented

from .apidata import customer_state
from .factories import OrganizationFactory


@pytest.fixture
def admin(client, company):
    return ApiClient(client, company["admin"])


@pytest.fixture
def manager(client, company):
    return ApiClient(client, company["n_manager1"])


def _define(admin, **fields):
    response = admin.post("/custom-fields", {"entity": "organization", **fields})
    assert response.status_code == 201, response.json()
    return response


def test_an_administrator_defines_a_field_and_managers_use_it(admin, manager, company):
    # given an administrator adds a number field
    created = _define(
        admin,
        key="employees",
        label="Employees",
        labels={"ru": "Сотрудники"},
        type="number",
        options={"min": 0},
        section="Company",
    )
    assert_documented(created, "/custom-fields", "post")

    # when a manager reads the fields, sets a value and reads it back
    fields = manager.get("/custom-fields", entity="organization")
    organization = manager.post(
        "/organizations", {"legal_name": "Acme", "custom": {"employees": 12}}
    )

    # then
    assert fields.status_code == 200
    assert_documented(fields, "/custom-fields")
    [field] = fields.json()
    assert (field["key"], field["type"], field["lookups"], field["sortable"]) == (
        "employees",
        "number",
        ["equals", "range", "isnull"],
        True,
    )
    assert field["labels"] == {"default": "Employees", "ru": "Сотрудники"}
    assert organization.status_code == 201
    assert organization.json()["custom"] == {"employees": 12}


@pytest.mark.parametrize(
    ("custom", "message_part"),
    [({"employees": "many"}, "number"), ({"employees": -1}, "at least"), ({"colour": "red"}, "")],
)
def test_a_bad_custom_value_is_a_422_on_custom_key(admin, manager, custom, message_part):
    _define(admin, key="employees", label="Employees", type="number", options={"min": 0})
    before = customer_state()

    response = manager.post("/organizations", {"legal_name": "Acme", "custom": custom})

    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    [key] = custom
    assert list(fields) == [f"custom.{key}"]
    assert message_part in fields[f"custom.{key}"][0]
    assert customer_state() == before


def test_a_required_field_is_asked_for_on_create_and_kept_on_change(
    manager, company, required_field
):
    missing = manager.post("/organizations", {"legal_name": "Acme"})
    created = manager.post(
        "/organizations", {"legal_name": "Acme", "custom": {"contract": "2026-01-31"}}
    )
    changed = manager.patch(f"/organizations/{created.json()['id']}", {"needs": "Pallets"})

    assert missing.status_code == 422
    assert "custom.contract" in missing.json()["error"]["fields"]
    assert created.status_code == 201
    assert changed.status_code == 200
    assert changed.json()["custom"] == {"contract": "2026-01-31"}


def test_lists_filter_and_sort_by_a_number_field_numerically(admin, manager, company):
    # given values that sort differently as text: 9 < 10 < 100
    _define(admin, key="employees", label="Employees", type="number")
    for name, employees in (("Nine", 9), ("Hundred", 100), ("Ten", 10), ("None", None)):
        custom = {} if employees is None else {"employees": employees}
        manager.post("/organizations", {"legal_name": name, "custom": custom})

    def names(**params) -> list[str]:
        response = manager.get("/organizations", **params)
        assert response.status_code == 200, response.json()
        return [item["name"] for item in response.json()["items"]]

    # then sorting is numeric, records without a value last, both directions
    assert names(ordering="custom.employees") == ["Nine", "Ten", "Hundred", "None"]
    assert names(ordering="-custom.employees") == ["Hundred", "Ten", "Nine", "None"]
    # and filters use the field's lookups
    assert names(**{"custom.employees": "10"}) == ["Ten"]
    assert names(**{"custom.employees__gte": "10", "ordering": "name"}) == ["Hundred", "Ten"]
    assert names(**{"custom.employees__lte": "9.5"}) == ["Nine"]
    assert names(**{"custom.employees__isnull": "true"}) == ["None"]


def test_a_bad_filter_or_sort_on_a_custom_field_is_a_422(admin, manager):
    _define(admin, key="employees", label="Employees", type="number")

    bad_value = manager.get("/organizations", **{"custom.employees__gte": "lots"})
    unknown_sort = manager.get("/organizations", ordering="custom.nothing")

    assert bad_value.status_code == 422
    assert "custom.employees__gte" in bad_value.json()["error"]["fields"]
    assert unknown_sort.status_code == 422
    assert "ordering" in unknown_sort.json()["error"]["fields"]


def test_choice_fields_take_their_choices_from_a_reference_list(admin, manager, company):
    # given an administrator builds a list and a choice field on people
    made = admin.post("/reference-lists", {"key": "segments", "name": "Segments"})
    assert made.status_code == 201, made.json()
    assert_documented(made, "/reference-lists", "post")
    for key, label in (("smb", "Small business"), ("enterprise", "Enterprise"), ("gov", "Public")):
        item = admin.post("/reference-lists/segments/items", {"key": key, "label": label})
        assert item.status_code == 201, item.json()
    assert_documented(item, "/reference-lists/{key}/items", "post")
    created = admin.post(
        "/custom-fields",
        {
            "entity": "person",
            "key": "segment",
            "label": "Segment",
            "type": "choice",
            "reference_list": "segments",
        },
    )
    assert created.status_code == 201, created.json()
    assert [choice["key"] for choice in created.json()["choices"]] == ["smb", "enterprise", "gov"]

    # when people get values
    for last_name, segment in (("Adams", "smb"), ("Brown", "enterprise"), ("Clark", "gov")):
        response = manager.post("/people", {"last_name": last_name, "custom": {"segment": segment}})
        assert response.status_code == 201, response.json()
    unknown = manager.post("/people", {"last_name": "Doe", "custom": {"segment": "alien"}})

    # then
    assert unknown.status_code == 422
    assert "custom.segment" in unknown.json()["error"]["fields"]
    either = manager.get("/people", **{"custom.segment": ["smb", "gov"]}).json()["items"]
    assert sorted(item["last_name"] for item in either) == ["Adams", "Clark"]
    by_list_order = manager.get("/people", ordering="-custom.segment").json()["items"]
    assert [item["last_name"] for item in by_list_order] == ["Clark", "Brown", "Adams"]


def test_a_retired_field_disappears_and_its_values_are_kept(admin, manager, company):
    definition = _define(admin, key="employees", label="Employees", type="number").json()
    organization = manager.post(
        "/organizations", {"legal_name": "Acme", "custom": {"employees": 3}}
    )

    retired = admin.patch(f"/custom-fields/{definition['id']}", {"is_active": False})

    assert retired.status_code == 200
    assert_documented(retired, "/custom-fields/{definition_id}", "patch")
    assert manager.get("/custom-fields", entity="organization").json() == []
    assert (
        len(admin.get("/custom-fields", entity="organization", include_inactive=True).json()) == 1
    )
    card = manager.get(f"/organizations/{organization.json()['id']}").json()
    assert card["custom"] == {}
    admin.patch(f"/custom-fields/{definition['id']}", {"is_active": True})
    assert manager.get(f"/organizations/{organization.json()['id']}").json()["custom"] == {
        "employees": 3
    }


def test_deleting_a_field_removes_its_values(admin, company):
    definition = _define(admin, key="employees", label="Employees", type="number").json()
    organization = OrganizationFactory(custom={"employees": 5, "other": 1})

    response = admin.delete(f"/custom-fields/{definition['id']}")

    assert response.status_code == 204
    organization.refresh_from_db()
    assert organization.custom == {"other": 1}
    assert not FieldDefinition.objects.exists()


def test_only_administrators_change_fields_and_lists(admin, manager, company):
    definition = _define(admin, key="employees", label="Employees", type="number").json()
    before = customer_state()

    refused = [
        manager.post(
            "/custom-fields", {"entity": "organization", "key": "x", "label": "X", "type": "text"}
        ),
        manager.patch(f"/custom-fields/{definition['id']}", {"label": "Staff"}),
        manager.delete(f"/custom-fields/{definition['id']}"),
        manager.post("/reference-lists", {"key": "mine", "name": "Mine"}),
        manager.patch("/reference-lists/industries", {"name": "Sectors"}),
        manager.post("/reference-lists/industries/items", {"key": "space", "label": "Space"}),
        manager.patch("/reference-lists/industries/items/retail", {"is_active": False}),
        manager.delete("/reference-lists/industries"),
    ]

    assert [response.status_code for response in refused] == [403] * len(refused)
    assert customer_state() == before


def test_everyone_reads_reference_lists_and_fields_need_view_on_the_entity(client, company):
    manager = ApiClient(client, company["n_manager1"])
    nobody = ApiClient(client, company["nobody"])

    lists = manager.get("/reference-lists", limit=100)
    industries = manager.get("/reference-lists/industries/items")
    one = manager.get("/reference-lists/contact_roles")

    assert lists.status_code == 200
    assert_documented(lists, "/reference-lists")
    assert {"industries", "sources", "contact_roles"} <= {
        row["key"] for row in lists.json()["items"]
    }
    assert_documented(industries, "/reference-lists/{key}/items")
    assert "retail" in [item["key"] for item in industries.json()["items"]]
    assert_documented(one, "/reference-lists/{key}")
    assert nobody.get("/custom-fields", entity="organization").status_code == 403
    assert manager.get("/custom-fields", entity="spaceship").status_code == 422
    assert manager.get("/reference-lists/nothing").status_code == 404


def test_a_system_list_is_not_deleted_but_its_items_are_retired(admin):
    deleted = admin.delete("/reference-lists/industries")
    retired = admin.patch("/reference-lists/industries/items/retail", {"is_active": False})
    renamed = admin.patch("/reference-lists/industries", {"names": {"pl": "Branże"}})

    assert deleted.status_code == 409
    assert ReferenceList.objects.filter(key="industries").exists()
    assert retired.status_code == 200
    assert_documented(retired, "/reference-lists/{key}/items/{item_key}", "patch")
    assert retired.json()["is_active"] is False
    assert renamed.status_code == 200
    assert renamed.json()["names"]["pl"] == "Branże"


def test_an_administrator_deletes_an_unused_list(admin):
    admin.post("/reference-lists", {"key": "regions", "name": "Regions"})

    assert admin.delete("/reference-lists/regions").status_code == 204
    assert not ReferenceList.objects.filter(key="regions").exists()
