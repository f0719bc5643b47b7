"""Web forms turn a site's visitors into leads (and keep bots and floods out); calls from
unknown numbers become leads, calls from known clients find their card."""

import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError

from klientela.capture import services
from klientela.capture.models import WebForm
from klientela.core.models import AuditEntry, ReferenceItem
from klientela.customers.services import sync_reference_lists
from klientela.customers.services.people import create_person
from klientela.sales.models import Lead
from tests.apiclient import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh(db):
    sync_reference_lists()
    cache.clear()


def old_stamp(seconds: int = 30) -> str:
    return signing.dumps(time.time() - seconds, salt="capture.form")


@pytest.fixture
def webform(company):
    return services.save_form(
        actor=company["admin"],
        name="Contact us",
        fields=["first_name", "company_name", "phone", "email", "description"],
        required=["first_name", "email"],
        responsible=company["n_manager1"],
        source=ReferenceItem.objects.get(reference_list__key="sources", key="website"),
    )


def test_administrator_sets_up_a_form_and_gets_the_code(client, company):
    client.force_login(company["admin"])
    response = client.post(
        "/webforms/new/",
        {
            "name": "Demo request",
            "fields": ["first_name", "email", "phone"],
            "required": ["email", "company_name"],
            "responsible": company["n_head"].pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    form = WebForm.objects.get()
    assert (form.fields, form.required) == (["first_name", "phone", "email"], ["email"])
    page = client.get(response.url)
    assert form.public_path() in page.content.decode()
    assert "&lt;iframe" in page.content.decode()
    entry = AuditEntry.objects.get(content_type__model="webform", object_id=str(form.pk))
    assert form.token not in str(entry.changes) and "name" in entry.changes


def test_a_form_must_ask_for_a_name_or_a_company(company):
    with pytest.raises(ValidationError) as error:
        services.save_form(
            actor=company["admin"], name="Bad", fields=["email"], responsible=company["admin"]
        )
    assert "fields" in error.value.message_dict


def test_only_administrators_manage_forms(client, company, webform):
    client.force_login(company["n_head"])
    assert client.get("/webforms/").status_code == 403
    assert client.get(f"/webforms/{webform.pk}/").status_code == 403
    api = ApiClient(client, company["n_head"])
    assert api.get("/webforms").status_code == 403
    body = {"name": "X", "fields": ["first_name"], "responsible_id": company["n_head"].pk}
    assert api.post("/webforms", body).status_code == 403
    assert not WebForm.objects.exclude(pk=webform.pk).exists()


def test_visitor_sends_the_form_and_a_lead_appears(client, webform, company):
    page = client.get(webform.public_path())
    assert page.status_code == 200
    assert "frame-ancestors *" in page["Content-Security-Policy"]
    assert "X-Frame-Options" not in page
    response = client.post(
        webform.public_path(),
        {
            "first_name": "Anna",
            "company_name": "Polbud",
            "phone": "+48 601 234 567",
            "email": "anna@polbud.pl",
            "description": "Please call me",
            "stamp": old_stamp(),
        },
    )
    assert response.status_code == 302
    lead = Lead.objects.get()
    assert lead.title == "Contact us: Polbud"
    assert (lead.first_name, lead.phone, lead.email) == ("Anna", "+48601234567", "anna@polbud.pl")
    assert lead.responsible == company["n_manager1"] and lead.source.key == "website"
    webform.refresh_from_db()
    assert webform.submissions == 1 and webform.last_submitted_at is not None
    assert client.get(response.url).status_code == 200


def test_mistakes_come_back_per_field_and_nothing_is_saved(client, webform):
    response = client.post(
        webform.public_path(),
        {"first_name": "", "email": "not-an-email", "phone": "12", "stamp": old_stamp()},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Enter a valid e-mail address." in text
    assert "country code" in text
    assert not Lead.objects.exists()


def test_an_empty_form_sent_at_once_says_what_to_fill_in(client, webform):
    response = client.post(webform.public_path(), {"stamp": old_stamp(0)})
    assert response.status_code == 400
    assert "Fill this in." in response.content.decode()
    assert not Lead.objects.exists()


def test_bots_are_thanked_and_ignored(client, webform):
    filled = {"first_name": "Bot", "email": "bot@example.com"}
    trap = client.post(
        webform.public_path(), {**filled, "website_url": "http://spam", "stamp": old_stamp()}
    )
    too_fast = client.post(webform.public_path(), {**filled, "stamp": old_stamp(0)})
    forged = client.post(webform.public_path(), {**filled, "stamp": "123:forged"})
    assert [r.status_code for r in (trap, too_fast, forged)] == [302, 302, 302]
    assert not Lead.objects.exists()


def test_one_address_may_not_flood_a_form(webform):
    data = {"first_name": "Jan", "email": "jan@example.com"}
    for _ in range(services.SUBMISSIONS_PER_WINDOW):
        services.submit(webform, data, client_key="10.0.0.1")
    with pytest.raises(ValidationError, match="Too many requests"):
        services.submit(webform, data, client_key="10.0.0.1")
    services.submit(webform, data, client_key="10.0.0.2")
    assert Lead.objects.count() == services.SUBMISSIONS_PER_WINDOW + 1


def test_inactive_forms_and_old_addresses_are_gone(client, webform, company):
    old = webform.public_path()
    services.new_link(actor=company["admin"], form=webform)
    assert client.get(old).status_code == 404
    assert client.get(webform.public_path()).status_code == 200
    services.save_form(actor=company["admin"], form=webform, is_active=False)
    assert client.get(webform.public_path()).status_code == 404


def test_calls_find_the_client_or_become_one_lead(client, company):
    manager, stranger = company["n_manager1"], company["s_manager1"]
    person = create_person(
        actor=manager, first_name="Jan", last_name="Nowak", phones=["+48 601 234 567"]
    )
    api = ApiClient(client, manager)
    known = api.post("/calls/incoming", {"phone": "+48601234567"}).json()
    assert known == {
        "phone": "+48601234567",
        "outcome": "client",
        "card_type": "person",
        "card_id": person.pk,
        "lead_id": None,
    }
    first = api.post("/calls/incoming", {"phone": "+7 916 123-45-67", "note": "Asked for prices"})
    assert first.json()["outcome"] == "new_lead"
    lead = Lead.objects.get(pk=first.json()["lead_id"])
    assert (lead.phone, lead.source.key, lead.responsible) == (
        "+79161234567",
        "phone_call",
        manager,
    )
    assert lead.description.startswith("Asked for prices")
    again = api.post("/calls/incoming", {"phone": "+7 (916) 123-45-67"}).json()
    assert (again["outcome"], again["lead_id"]) == ("open_lead", lead.pk)
    assert Lead.objects.count() == 1
    # Another team does not see the card: the call becomes that manager's lead instead.
    theirs = ApiClient(client, stranger).post("/calls/incoming", {"phone": "+48601234567"})
    assert theirs.json()["outcome"] == "new_lead"
    refused = api.post("/calls/incoming", {"phone": "hello"})
    assert refused.status_code == 422 and "phone" in refused.json()["error"]["fields"]
