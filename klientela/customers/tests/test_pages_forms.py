"""Card forms through the pages: create and edit with channels, errors in place, duplicates."""

import pytest
from django.urls import reverse

from klientela.core.customfields.services import create_field_definition
from klientela.customers.models import Membership, Organization, Person, Phone

from .apidata import customer_state
from .factories import OrganizationFactory, PhoneFactory
from .pages import HTMX, card_post, field_errors, rows_of

NEW_ORGANIZATION = reverse("customers:organization_create")


@pytest.fixture
def manager(client, company):
    client.force_login(company["n_manager1"])
    return company["n_manager1"]


def test_a_manager_creates_an_organization_with_two_contact_persons(client, manager):
    # given a new organization typed into the form, its phone in a local format
    data = card_post(
        {
            "legal_name": "Romashka LLC",
            "tax_number": "7701 234 567",
            "industry": "retail",
            "types": ["client", "partner"],
            "tags": "Key account, Exhibition",
        },
        phones=["8 (495) 123-45-67"],
        emails=["Info@Romashka.example"],
        addresses=[{"street": "Tverskaya 1", "city": "Moscow", "country": "RU"}],
    )

    # when it is saved, then two contact persons are added on its card
    created = client.post(NEW_ORGANIZATION, data)
    organization = Organization.objects.get(legal_name="Romashka LLC")
    contacts = (("Ivan", "Petrov", "director", "1"), ("Olga", "Sidorova", "accountant", "2"))
    for first, last, role, digit in contacts:
        answer = client.post(
            reverse("customers:organization_contact_create", args=[organization.pk]),
            {
                "contact-first_name": first,
                "contact-last_name": last,
                "contact-role": role,
                "contact-phone": "+7 916 000 00 0" + digit,
            },
        )
        assert answer.status_code == 302
    card = client.get(organization.get_absolute_url())

    # then the card holds it all, the phone normalized, the contacts with their roles
    assert created.status_code == 302
    assert created["Location"] == organization.get_absolute_url()
    assert organization.responsible == manager
    assert organization.tax_number == "7701234567"
    assert organization.phones.get().e164 == "+74951234567"
    assert organization.emails.get().address == "info@romashka.example"
    assert sorted(item.key for item in organization.types.all()) == ["client", "partner"]
    assert sorted(tag.name for tag in organization.tags.all()) == ["Exhibition", "Key account"]
    links = Membership.objects.filter(organization=organization).select_related("person", "role")
    assert sorted((link.person.last_name, link.role.key) for link in links) == [
        ("Petrov", "director"),
        ("Sidorova", "accountant"),
    ]
    assert "+7 495 123-45-67" in card.text
    assert 'href="tel:+74951234567"' in card.text
    assert "Ivan Petrov" in card.text and "Olga Sidorova" in card.text
    assert "Director" in card.text and "Accountant" in card.text


def test_errors_show_next_to_their_fields_and_nothing_is_saved(client, manager):
    # given a required custom field, and a form without a name and with a broken email
    create_field_definition(
        actor=None, entity="organization", key="contract", label="Contract", type="text",
        required=True,
    )  # fmt: skip
    before = customer_state()
    data = card_post({"legal_name": "", "tax_number": "123"}, emails=["not an email"])

    # when it is posted the way the page posts it (HTMX)
    answer = client.post(NEW_ORGANIZATION, data, headers=HTMX)

    # then the form comes back with each message in place, and nothing was written
    assert answer.status_code == 200
    assert "<html" not in answer.text  # only the form, swapped in place
    errors = field_errors(answer)
    assert "This field is required." in errors
    assert "Enter a valid email address." in errors
    assert 'name="emails-0-address"' in answer.text
    assert customer_state() == before


def test_a_service_error_lands_on_its_channel_row(client, manager):
    # given a website the service refuses
    data = card_post({"legal_name": "Webless"}, websites=["http://exa mple"])

    # when it is saved
    answer = client.post(NEW_ORGANIZATION, data)

    # then the error shows in the website's row and no organization was created
    assert answer.status_code == 200
    row = answer.text.split('name="websites-0-url"')[1].split("data-row")[0]
    assert "field-errors" in row
    assert not Organization.objects.filter(legal_name="Webless").exists()


def test_an_invalid_phone_is_kept_as_typed_and_flagged(client, manager):
    # given a number that cannot be a phone number
    data = card_post({"legal_name": "Odd Numbers"}, phones=["12-34 ask Olga"])

    # when the organization is saved
    client.post(NEW_ORGANIZATION, data)
    organization = Organization.objects.get(legal_name="Odd Numbers")
    card = client.get(organization.get_absolute_url())
    form = client.get(reverse("customers:organization_edit", args=[organization.pk]))

    # then the number is kept as typed, flagged on the card and in the form
    phone = organization.phones.get()
    assert (phone.raw, phone.is_valid, phone.e164) == ("12-34 ask Olga", False, "")
    assert "12-34 ask Olga" in card.text
    assert "invalid number" in card.text
    assert "This number does not look valid" in form.text


def test_editing_keeps_channels_and_shows_phones_normalized(client, manager):
    # given the manager's organization with one phone
    organization = OrganizationFactory(legal_name="Severstal", responsible=manager)
    phone = PhoneFactory(organization=organization, raw="84951234567", is_primary=True)
    edit_url = reverse("customers:organization_edit", args=[organization.pk])

    # when the name changes and a second phone is typed in a local format
    data = card_post(
        {"legal_name": "Severstal Trade", "responsible": manager.pk},
        phones=[*rows_of(organization, "phones"), "8 812 123 45 67"],
    )
    answer = client.post(edit_url, data)
    form = client.get(edit_url)

    # then the first phone is the same row, the new one stored in its international form,
    # and the form shows both normalized
    organization.refresh_from_db()
    assert answer.status_code == 302
    assert organization.legal_name == "Severstal Trade"
    numbers = dict(organization.phones.values_list("pk", "e164"))
    assert numbers[phone.pk] == "+74951234567"
    assert sorted(numbers.values()) == ["+74951234567", "+78121234567"]
    assert 'value="+7 495 123-45-67"' in form.text
    assert 'value="+7 812 123-45-67"' in form.text


def test_a_removed_row_deletes_the_channel(client, manager):
    organization = OrganizationFactory(legal_name="Two Phones", responsible=manager)
    PhoneFactory(organization=organization, raw="+7 495 111-11-11", is_primary=True)
    PhoneFactory(organization=organization, raw="+7 495 222-22-22")
    rows = rows_of(organization, "phones")
    rows[1]["DELETE"] = "on"

    client.post(
        reverse("customers:organization_edit", args=[organization.pk]),
        card_post({"legal_name": "Two Phones", "responsible": manager.pk}, phones=rows),
    )

    assert list(organization.phones.values_list("e164", flat=True)) == ["+74951111111"]


def test_a_phone_typed_differently_shows_the_duplicate_warning(client, manager, company):
    # given the manager's team already has the client, with its phone in one format
    existing = OrganizationFactory(legal_name="Baltic Paper", responsible=company["n_manager2"])
    PhoneFactory(organization=existing, raw="+7 (495) 123-45-67", is_primary=True)
    typed = card_post({"legal_name": "Paper Co"}, phones=["8 495 1234567"])

    # when the manager types the number another way, then saves
    live = client.post(reverse("customers:organization_duplicates"), typed, headers=HTMX)
    refused = client.post(NEW_ORGANIZATION, typed, headers=HTMX)

    # then the candidate shows as they type and again on save, and nothing is created yet
    assert "Baltic Paper" in live.text and "same phone" in live.text
    assert existing.get_absolute_url() in live.text
    assert "Baltic Paper" in refused.text and "Create anyway" in refused.text
    assert not Organization.objects.filter(legal_name="Paper Co").exists()

    # when they confirm it is another client, then it is created
    confirmed = client.post(NEW_ORGANIZATION, {**typed, "confirm_duplicates": "1"})
    assert confirmed.status_code == 302
    assert Organization.objects.filter(legal_name="Paper Co").exists()


def test_a_duplicate_the_user_may_not_see_is_reported_without_its_data(client, manager, company):
    hidden = OrganizationFactory(legal_name="Juzni trgovci", responsible=company["s_manager1"])
    PhoneFactory(organization=hidden, raw="+7 495 765-43-21", is_primary=True)

    live = client.post(
        reverse("customers:organization_duplicates"),
        card_post({"legal_name": "Other"}, phones=["8 495 765 43 21"]),
        headers=HTMX,
    )

    assert "a matching record exists that you cannot see" in live.text.lower()
    assert "Juzni" not in live.text
    assert hidden.get_absolute_url() not in live.text


def test_merge_with_a_candidate_from_the_new_card_form(client, company):
    # given an admin typing a client that exists already
    client.force_login(company["admin"])
    existing = OrganizationFactory(legal_name="Baltic Paper", responsible=company["n_manager1"])
    PhoneFactory(organization=existing, raw="+7 495 123-45-67", is_primary=True)

    # when they choose "Merge with this" on the candidate
    answer = client.post(
        NEW_ORGANIZATION,
        {**card_post({"legal_name": "Baltic Paper Ltd"}, phones=["84951234567"]),
         "merge_with": str(existing.pk)},
    )  # fmt: skip

    # then the typed card is created and the merge screen opens with the existing one staying
    typed = Organization.objects.get(legal_name="Baltic Paper Ltd")
    merge_url = reverse("customers:organization_merge", args=[existing.pk])
    assert answer["Location"] == f"{merge_url}?with={typed.pk}"
    assert client.get(answer["Location"]).status_code == 200


def test_custom_fields_are_filled_in_the_form_and_shown_on_the_card(client, manager):
    # given two custom fields in a "Contract" section
    create_field_definition(
        actor=None, entity="organization", key="contract_no", label="Contract number",
        type="text", section="Contract",
    )  # fmt: skip
    create_field_definition(
        actor=None, entity="organization", key="signed", label="Signed on", type="date",
        section="Contract",
    )  # fmt: skip

    # when the form is filled in
    form = client.get(NEW_ORGANIZATION)
    client.post(
        NEW_ORGANIZATION,
        card_post(
            {"legal_name": "Custom Co", "custom.contract_no": "K-17", "custom.signed": "2026-03-05"}
        ),
    )
    organization = Organization.objects.get(legal_name="Custom Co")
    card = client.get(organization.get_absolute_url())

    # then the form offered them in their section, and the card shows them there
    assert 'name="custom.contract_no"' in form.text and "Contract number" in form.text
    assert organization.custom == {"contract_no": "K-17", "signed": "2026-03-05"}
    section = card.text.split(">Contract<")[1]
    assert "Contract number" in section and "K-17" in section and "Mar 5, 2026" in section


def test_a_person_with_a_birthday_and_an_organization(client, manager):
    organization = OrganizationFactory(legal_name="Severstal", responsible=manager)

    client.post(
        reverse("customers:person_create"),
        card_post(
            {"first_name": "Anna", "last_name": "Ivanova", "birthday": "1990-05-17"},
            emails=["anna@severstal.example"],
        ),
    )
    person = Person.objects.get(last_name="Ivanova")
    client.post(
        reverse("customers:person_link", args=[person.pk]),
        {"link-record": organization.pk, "link-role": "purchaser", "link-position": "Buyer"},
    )
    card = client.get(person.get_absolute_url())

    assert person.birthday.isoformat() == "1990-05-17"
    assert "years old" in card.text
    assert "Severstal" in card.text and "Purchaser" in card.text and "Buyer" in card.text


def test_a_person_needs_a_first_or_last_name(client, manager):
    before = customer_state()

    answer = client.post(reverse("customers:person_create"), card_post({"position": "CEO"}))

    assert answer.status_code == 200
    assert "Give a first or a last name." in field_errors(answer)
    assert customer_state() == before


# --- Access -------------------------------------------------------------------------------------


def test_a_manager_may_not_edit_a_colleagues_card(client, manager, company):
    # given a card of another manager of the same team: visible, not editable
    colleague = OrganizationFactory(legal_name="Baltic Paper", responsible=company["n_manager2"])
    before = customer_state()
    edit_url = reverse("customers:organization_edit", args=[colleague.pk])

    # when the manager opens its edit page or posts to it
    page = client.get(edit_url)
    post = client.post(edit_url, card_post({"legal_name": "Mine now"}))
    card = client.get(colleague.get_absolute_url())

    # then both are refused, nothing changed, and the card offers no edit button
    assert (page.status_code, post.status_code) == (403, 403)
    assert customer_state() == before
    assert card.status_code == 200
    assert edit_url not in card.text


def test_another_teams_card_is_not_found(client, manager, company):
    south = OrganizationFactory(legal_name="Juzni trgovci", responsible=company["s_manager1"])
    before = customer_state()

    urls = [
        south.get_absolute_url(),
        reverse("customers:organization_edit", args=[south.pk]),
        reverse("customers:organization_delete", args=[south.pk]),
        reverse("customers:organization_hand_over", args=[south.pk]),
    ]

    assert [client.get(url).status_code for url in urls] == [404, 404, 404, 404]
    assert client.post(urls[1], card_post({"legal_name": "X"})).status_code == 404
    assert customer_state() == before


def test_a_user_without_the_create_permission_gets_no_form(client, company):
    client.force_login(company["nobody"])

    assert client.get(NEW_ORGANIZATION).status_code == 403
    assert client.post(NEW_ORGANIZATION, card_post({"legal_name": "X"})).status_code == 403
    assert not Organization.objects.exists()


def test_a_phone_number_is_searchable_after_saving(client, manager):
    client.post(NEW_ORGANIZATION, card_post({"legal_name": "Findme"}, phones=["+7 495 555 12 34"]))

    found = client.get(reverse("core:search"), {"q": "8 (495) 555-1234"})

    assert Phone.objects.get().e164 == "+74955551234"
    assert "Findme" in found.text


def test_a_money_field_left_empty_does_not_stop_the_form(client, manager):
    # given a money field, whose currency select always holds a value
    create_field_definition(
        actor=None, entity="organization", key="revenue", label="Revenue", type="money"
    )

    answer = client.post(
        NEW_ORGANIZATION,
        card_post({"legal_name": "No Revenue", "custom.revenue_0": "", "custom.revenue_1": "EUR"}),
    )

    assert answer.status_code == 302
    assert Organization.objects.get(legal_name="No Revenue").custom == {}


def test_a_form_with_errors_keeps_the_parent_picked_and_the_rows_removed(client, manager):
    parent = OrganizationFactory(legal_name="Holding", responsible=manager)
    data = card_post(
        {"legal_name": "", "parent": parent.pk},
        emails=[{"address": "gone@example.com", "DELETE": "on"}, "kept@example.com"],
    )

    answer = client.post(NEW_ORGANIZATION, data, headers=HTMX)

    assert ">Holding</span>" in answer.text
    removed = answer.text.split('value="gone@example.com"')[0].rsplit("<div", 2)[-2]
    assert "hidden" in removed


def test_merge_is_offered_only_with_candidates_the_user_may_merge(client, manager, company):
    # given two cards with the same phone: the manager's own and a colleague's
    own = OrganizationFactory(legal_name="Own Paper", responsible=manager)
    PhoneFactory(organization=own, raw="+7 495 123-45-67", is_primary=True)
    theirs = OrganizationFactory(legal_name="Their Paper", responsible=company["n_manager2"])
    PhoneFactory(organization=theirs, raw="+7 495 123-45-67", is_primary=True)

    live = client.post(
        f"{reverse('customers:organization_duplicates')}?record={own.pk}",
        card_post({"legal_name": "Own Paper"}, phones=["84951234567"]),
        headers=HTMX,
    )

    # then the colleague's card can be opened, not merged into the manager's (that deletes it)
    assert "Their Paper" in live.text
    assert f"?with={theirs.pk}" not in live.text
