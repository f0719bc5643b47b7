"""Leads: qualified into cards and a deal carrying every field, or disqualified with a reason."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from klientela.core.customfields.services import create_field_definition
from klientela.core.models import ReferenceItem
from klientela.customers.models import Organization, Person
from klientela.sales import services
from klientela.sales.models import Deal, Lead


@pytest.fixture
def shared_field(db):
    """A custom field that leads, people and deals all have, with the same key."""
    for entity in ("lead", "person", "deal"):
        create_field_definition(
            actor=None, entity=entity, key="budget_year", label="Budget year", type="number"
        )


def test_qualifying_carries_every_field_to_the_cards_and_the_deal(company, stages, shared_field):
    manager = company["n_manager1"]
    source = ReferenceItem.objects.filter(reference_list__key="sources").first()
    lead = services.create_lead(
        actor=manager,
        title="50 licences",
        company_name="Nordic Timber AB",
        first_name="Eva",
        last_name="Lind",
        position="CIO",
        phone="+46 8 123 456 78",
        email="eva@nordic.example",
        source=source,
        amount=Decimal("9000"),
        currency="SEK",
        custom={"budget_year": 2027},
    )

    deal = services.qualify_lead(actor=manager, lead=lead)

    organization = Organization.objects.get(legal_name="Nordic Timber AB")
    person = Person.objects.get(last_name="Lind")
    assert (person.first_name, person.position, person.custom) == (
        "Eva",
        "CIO",
        {"budget_year": 2027},
    )
    assert (
        person.phones.get().e164 == "+46812345678"
        and person.emails.get().address == "eva@nordic.example"
    )
    assert person.memberships.get().organization == organization
    assert (deal.title, deal.amount, deal.currency, deal.source) == (
        "50 licences",
        Decimal("9000.00"),
        "SEK",
        source,
    )
    assert (deal.organization, deal.person, deal.custom) == (
        organization,
        person,
        {"budget_year": 2027},
    )
    assert deal.responsible == manager and organization.source == source
    lead.refresh_from_db()
    assert (lead.status, lead.deal) == (Lead.Status.QUALIFIED, deal)
    with pytest.raises(ValidationError):
        services.qualify_lead(actor=manager, lead=lead)


def test_a_refused_qualification_creates_nothing(company, stages):
    manager = company["n_manager1"]
    lead = services.create_lead(actor=manager, title="Offer", company_name="Acme", phone="x")
    stages["Proposal"].required_fields = ["amount"]
    stages["Proposal"].save()

    with pytest.raises(ValidationError):
        services.qualify_lead(actor=manager, lead=lead, stage=stages["Proposal"])

    assert not Organization.objects.exists() and not Deal.objects.exists()
    assert Lead.objects.get(pk=lead.pk).status == Lead.Status.NEW


def test_disqualifying_needs_a_reason_and_a_colleague_cannot(company):
    lead = services.create_lead(actor=company["n_manager1"], title="Spam", first_name="Bot")

    with pytest.raises(PermissionDenied):
        services.disqualify_lead(actor=company["n_manager2"], lead=lead, reason="spam")
    with pytest.raises(ValidationError):
        services.disqualify_lead(actor=company["n_manager1"], lead=lead, reason=" ")
    services.disqualify_lead(actor=company["n_manager1"], lead=lead, reason="spam")

    lead.refresh_from_db()
    assert (lead.status, lead.disqualify_reason) == (Lead.Status.DISQUALIFIED, "spam")


def test_a_manager_qualifies_a_lead_from_its_page(client, company, stages):
    lead = services.create_lead(actor=company["n_manager1"], title="Pilot", company_name="Acme")
    client.force_login(company["n_manager1"])

    page = client.get(reverse("sales:lead_detail", args=[lead.pk]))
    response = client.post(reverse("sales:lead_qualify", args=[lead.pk]))

    assert page.status_code == 200 and "Pilot" in page.text
    deal = Deal.objects.get(title="Pilot")
    assert response.status_code == 302 and response["Location"] == deal.get_absolute_url()


def test_leads_list_shows_only_what_the_user_may_see(client, company):
    services.create_lead(actor=company["n_manager1"], title="Mine", first_name="A")
    services.create_lead(actor=company["s_manager1"], title="Theirs", first_name="B")
    client.force_login(company["n_manager1"])

    listed = client.get(reverse("sales:leads"))

    assert "Mine" in listed.text and "Theirs" not in listed.text
    other = Lead.objects.get(title="Theirs")
    assert client.get(reverse("sales:lead_detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("sales:lead_qualify", args=[other.pk])).status_code == 404


def test_a_lead_through_the_api_from_creation_to_deal(client, company, stages):
    from tests.apiclient import ApiClient, assert_documented

    api = ApiClient(client, company["n_manager1"])
    created = api.post(
        "/leads", {"title": "Website form", "company_name": "Acme", "email": "a@acme.example"}
    )
    assert created.status_code == 201, created.json()
    assert_documented(created, "/leads", "post")

    qualified = api.post(f"/leads/{created.json()['id']}/qualify", {})

    assert qualified.status_code == 200, qualified.json()
    assert qualified.json()["title"] == "Website form"
    assert api.get(f"/leads/{created.json()['id']}").json()["status"] == "qualified"
    other = ApiClient(client, company["n_manager2"])
    assert other.get(f"/leads/{created.json()['id']}").status_code == 404
