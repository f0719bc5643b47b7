"""The organizations and people lists: scope, filters, custom columns, bulk actions, queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from klientela.accounts.models import RolePermission
from klientela.core.customfields.services import create_field_definition
from klientela.core.models import AuditEntry, ListPreference
from klientela.customers.models import Membership, Organization, Tag

from .apidata import cards, customer_state
from .factories import (
    AddressFactory,
    EmailFactory,
    OrganizationFactory,
    PersonFactory,
    PhoneFactory,
)
from .pages import HTMX, cell_texts, names

ORGANIZATIONS = reverse("customers:organizations")
PEOPLE = reverse("customers:people")


@pytest.fixture
def given(company):
    return cards(company)


@pytest.fixture
def revenue(db):
    return create_field_definition(
        actor=None, entity="organization", key="employees", label="Employees", type="number"
    )


def login(client, user):
    client.force_login(user)
    return client


def test_a_manager_sees_the_cards_of_their_team_only(client, company, given):
    login(client, company["n_manager1"])

    assert names(client.get(ORGANIZATIONS)) == ["Baltic Paper", "Severstal Trade LLC"]
    assert names(client.get(PEOPLE)) == ["Ivan Petrov"]


def test_the_list_shows_phone_email_city_and_responsible(client, company, given):
    login(client, company["admin"])

    page = client.get(ORGANIZATIONS, {"q": "Severstal"})

    assert cell_texts(page, "Phone") == ["+7 495 123-45-67"]
    assert cell_texts(page, "Email") == ["sales@severstal.example"]
    assert cell_texts(page, "City") == ["Moscow"]
    assert cell_texts(page, "Responsible") == ["N n_manager1"]


def test_a_phone_typed_another_way_filters_the_list(client, company, given):
    login(client, company["admin"])

    assert names(client.get(ORGANIZATIONS, {"q": "8 (495) 1234567"})) == ["Severstal Trade LLC"]
    assert names(client.get(ORGANIZATIONS, {"q": "123-45-67"})) == ["Severstal Trade LLC"]


def test_filters_by_type_city_and_responsible(client, company, given):
    login(client, company["admin"])
    given["colleague"].types.add(*_items("organization_types", "client"))

    assert names(client.get(ORGANIZATIONS, {"type": "client"})) == ["Baltic Paper"]
    assert names(client.get(ORGANIZATIONS, {"city": "moscow"})) == ["Severstal Trade LLC"]
    assert names(client.get(ORGANIZATIONS, {"responsible": company["s_manager1"].pk})) == [
        "Juzni trgovci"
    ]


def _items(list_key: str, *keys):
    from klientela.core.models import ReferenceItem

    return ReferenceItem.objects.filter(reference_list__key=list_key, key__in=keys)


def test_a_custom_field_is_a_column_a_filter_and_a_sort(client, company, given, revenue):
    # given three organizations with a number of employees (one without)
    login(client, company["admin"])
    for key, employees in (("north", 250), ("colleague", 12)):
        given[key].custom = {"employees": employees}
        given[key].save()

    # when the user adds the column, filters and sorts by it
    client.post(
        reverse("core:list_columns"),
        {"list_key": "customers.organizations", "columns": ["name", "custom.employees"]},
    )
    page = client.get(ORGANIZATIONS, {"sort": "-custom.employees"})
    ascending = client.get(ORGANIZATIONS, {"sort": "custom.employees"})
    filtered = client.get(ORGANIZATIONS, {"custom.employees__gte": "100"})

    # then the column shows the values, sorts numerically (empty last) and filters
    assert ListPreference.objects.get(user=company["admin"]).columns == ["name", "custom.employees"]
    assert names(page) == ["Severstal Trade LLC", "Baltic Paper", "Juzni trgovci"]
    assert cell_texts(page, "Employees") == ["250", "12", "—"]
    assert names(ascending) == ["Baltic Paper", "Severstal Trade LLC", "Juzni trgovci"]
    assert names(filtered) == ["Severstal Trade LLC"]
    assert 'name="custom.employees__gte"' in page.text


def test_the_filter_bar_keeps_the_main_filters_in_view_and_the_rest_under_more(
    client, company, given
):
    login(client, company["admin"])

    page = client.get(ORGANIZATIONS, {"has_phone": "true"})

    bar = page.text.split('class="filter-bar"')[1].split("</form>")[0]
    in_view, more = bar.split('class="more-filters"')
    assert 'name="q"' in in_view and 'name="city"' in in_view
    assert 'name="has_phone"' in more and "open" in more.split(">")[0]


# --- Bulk actions ---------------------------------------------------------------------------------


def bulk(client, url, action, records, **options):
    data = {"action": action, "selected": [record.pk for record in records]}
    data.update({f"bulk-{action}-{name}": value for name, value in options.items()})
    return client.post(url, data, headers=HTMX)


def test_a_head_hands_over_several_cards_at_once(client, company, given):
    login(client, company["n_head"])

    answer = bulk(
        client,
        ORGANIZATIONS,
        "hand_over",
        [given["north"], given["colleague"]],
        new_owner=company["n_head"].pk,
        include_open_work="on",
    )

    assert answer.status_code == 200
    assert "2 cards handed over to n_head" in answer["HX-Trigger"]
    owners = set(
        Organization.objects.filter(pk__in=[given["north"].pk, given["colleague"].pk]).values_list(
            "responsible", flat=True
        )
    )
    assert owners == {company["n_head"].pk}
    assert AuditEntry.objects.filter(kind="update", changes__has_key="responsible").count() == 2


def test_a_bulk_hand_over_the_user_may_not_do_changes_nothing(client, company, given):
    # given a manager who may edit only their own cards, selecting a colleague's too
    login(client, company["n_manager1"])
    before = customer_state()

    answer = bulk(
        client,
        ORGANIZATIONS,
        "hand_over",
        [given["north"], given["colleague"]],
        new_owner=company["n_manager1"].pk,
    )

    assert answer.status_code == 200
    assert '"level": "error"' in answer["HX-Trigger"]
    assert customer_state() == before


def test_the_hand_over_choice_holds_only_users_the_actor_may_assign(client, company, given):
    login(client, company["n_head"])

    page = client.get(ORGANIZATIONS)

    options = page.text.split('name="bulk-hand_over-new_owner"')[1].split("</select>")[0]
    assert "n_manager2" in options and "s_manager1" not in options


def test_a_tag_is_added_to_the_selected_cards(client, company, given):
    login(client, company["admin"])

    bulk(client, ORGANIZATIONS, "add_tag", [given["north"], given["south"]], tag="Exhibition")

    tagged = Tag.objects.get(name="Exhibition").organizations.order_by("name")
    assert [str(organization) for organization in tagged] == [
        "Juzni trgovci",
        "Severstal Trade LLC",
    ]


def test_bulk_delete_removes_the_cards_the_user_may_delete_and_names_the_others(
    client, company, given
):
    # given a manager, who deletes only their own cards, selecting a colleague's too
    login(client, company["n_manager1"])

    answer = bulk(client, ORGANIZATIONS, "delete", [given["north"], given["colleague"]])

    assert "1 card deleted." in answer["HX-Trigger"]
    assert "Not changed: Baltic Paper" in answer["HX-Trigger"]
    assert not Organization.objects.filter(pk=given["north"].pk).exists()
    assert Organization.objects.filter(pk=given["colleague"].pk).exists()


def test_delete_is_neither_offered_nor_done_without_the_delete_permission(client, company, given):
    # given the managers' role without the right to delete organizations
    RolePermission.objects.filter(
        role=company["n_manager1"].role, entity="organization", action="delete"
    ).update(scope="none")
    login(client, company["n_manager1"])
    before = customer_state()

    offered = 'value="delete"' in client.get(ORGANIZATIONS).text
    refused = bulk(client, ORGANIZATIONS, "delete", [given["north"]])

    assert (offered, refused.status_code) == (False, 403)
    assert customer_state() == before


# --- What the pages offer -----------------------------------------------------------------------


def test_an_empty_list_invites_to_create_the_first_card(client, company):
    login(client, company["n_manager1"])

    page = client.get(ORGANIZATIONS)

    assert "No organizations yet" in page.text
    assert "import your clients from Excel" in page.text
    assert reverse("customers:organization_create") in page.text


def test_the_menu_shows_the_customer_base_to_users_who_may_see_it(client, company):
    manager_page = login(client, company["n_manager1"]).get(reverse("core:home"))
    nobody_page = login(client, company["nobody"]).get(reverse("core:home"))

    assert ORGANIZATIONS in manager_page.text and PEOPLE in manager_page.text
    assert ORGANIZATIONS not in nobody_page.text
    assert client.get(ORGANIZATIONS).status_code == 200  # an empty list, not an error
    assert names(client.get(ORGANIZATIONS)) == []


def test_export_buttons_show_only_with_the_export_permission(client, company, given):
    export_url = reverse("customers:organization_export")

    assert export_url not in login(client, company["n_manager1"]).get(ORGANIZATIONS).text
    assert export_url in login(client, company["n_head"]).get(ORGANIZATIONS).text


# --- Queries ------------------------------------------------------------------------------------


def _organizations(count: int, company, start: int) -> None:
    tag = Tag.objects.get_or_create(name="VIP")[0]
    for number in range(start, start + count):
        organization = OrganizationFactory(
            legal_name=f"Company {number:03}",
            responsible=company["n_manager1"],
            custom={"employees": number},
        )
        organization.tags.add(tag)
        organization.types.add(*_items("organization_types", "client"))
        PhoneFactory(organization=organization, raw=f"+7 495 100-{number:02}-00", is_primary=True)
        EmailFactory(organization=organization, is_primary=True)
        AddressFactory(organization=organization, is_primary=True)


def _people(count: int, company, start: int) -> None:
    organization = Organization.objects.first()
    for _number in range(start, start + count):
        person = PersonFactory(responsible=company["n_manager1"])
        PhoneFactory(person=person, raw="+7 916 123-45-67", is_primary=True)
        Membership.objects.create(person=person, organization=organization)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"page_size": 50}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [ORGANIZATIONS, PEOPLE])
def test_a_list_runs_the_same_queries_for_5_and_50_rows(client, company, revenue, url):
    # given every column shown, the custom one too
    login(client, company["n_head"])
    ListPreference.objects.create(
        user=company["n_head"],
        list_key="customers.organizations" if url == ORGANIZATIONS else "customers.people",
        columns=(
            ["name", "types", "industry", "city", "phone", "email", "responsible", "tags",
             "parent", "custom.employees"]
            if url == ORGANIZATIONS
            else ["name", "organizations", "phone", "email", "city", "responsible", "tags"]
        ),
    )  # fmt: skip
    _organizations(5, company, 0)
    _people(5, company, 0)
    _queries(client, url)  # the page size preference is saved on the first visit
    few = _queries(client, url)

    _organizations(45, company, 5)
    _people(45, company, 5)
    many = _queries(client, url)

    assert few == many
