"""Organization and person cards: what they show, who gets which buttons, notes, queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from klientela.core.models import AuditEntry
from klientela.customers import services
from klientela.customers.models import Membership, Note, Organization

from .apidata import cards, customer_state
from .factories import (
    AddressFactory,
    EmailFactory,
    NoteFactory,
    OrganizationFactory,
    PersonFactory,
    PhoneFactory,
)
from .pages import HTMX


@pytest.fixture
def given(company):
    return cards(company)


def test_the_card_shows_channels_with_call_mail_and_copy(client, company, given):
    client.force_login(company["n_manager1"])

    card = client.get(given["north"].get_absolute_url())

    assert card.status_code == 200
    assert 'href="tel:+74951234567"' in card.text
    assert 'href="mailto:sales@severstal.example"' in card.text
    assert 'data-copy="+7 495 123-45-67"' in card.text
    assert "Ivan Petrov" in card.text and "Director" in card.text
    assert "Called, interested." in card.text  # the note, on the timeline


def test_empty_fields_are_left_out(client, company, given):
    client.force_login(company["n_manager1"])

    card = client.get(given["north"].get_absolute_url())

    assert "Legal name" in card.text
    assert "Registration number" not in card.text
    assert "Client group" not in card.text


def test_buttons_follow_what_the_user_may_do(client, company, given):
    north = given["north"]
    edit = reverse("customers:organization_edit", args=[north.pk])
    delete = reverse("customers:organization_delete", args=[north.pk])
    merge = reverse("customers:organization_merge", args=[north.pk])

    client.force_login(company["n_manager2"])  # a colleague: may view only
    colleague = client.get(north.get_absolute_url()).text
    client.force_login(company["n_manager1"])  # the owner: edits and deletes their own cards
    owner = client.get(north.get_absolute_url()).text
    client.force_login(company["n_head"])  # the head: everything on the team's cards
    head = client.get(north.get_absolute_url()).text
    client.force_login(company["nobody"])  # no role: the card does not exist for them
    nobody = client.get(north.get_absolute_url())

    assert [url in colleague for url in (edit, delete, merge)] == [False, False, False]
    assert "hand-over-dialog" not in colleague
    assert [url in owner for url in (edit, delete, merge)] == [True, True, True]
    assert [url in head for url in (edit, delete, merge)] == [True, True, True]
    assert nobody.status_code == 404


def test_a_person_card_shows_the_name_in_the_readers_language(client, company):
    person = PersonFactory(
        first_name="Иван", middle_name="Иванович", last_name="Петров", responsible=company["admin"]
    )
    client.force_login(company["admin"])

    english = client.get(person.get_absolute_url())
    company["admin"].language = "ru"
    company["admin"].save(update_fields=["language"])
    russian = client.get(person.get_absolute_url())

    assert "<h1>Иван Петров" in english.text
    assert "<h1>Петров Иван Иванович" in russian.text


# --- Notes --------------------------------------------------------------------------------------


def test_a_note_is_added_with_simple_formatting_and_sanitized(client, company, given):
    client.force_login(company["n_manager2"])  # a colleague may note on a card they see
    url = reverse("customers:organization_note_add", args=[given["north"].pk])

    answer = client.post(
        url, {"note-body": "**Call back** on *Monday*\nsee https://example.com"}, headers=HTMX
    )
    client.post(url, {"note-body": "<p>Price list <script>alert(1)</script>sent</p>"})

    plain, html = Note.objects.filter(author=company["n_manager2"]).order_by("id")
    assert answer.status_code == 200
    assert "<strong>Call back</strong> on <em>Monday</em>" in plain.body
    assert '<a href="https://example.com"' in plain.body
    assert "<strong>Call back</strong>" in answer.text
    assert "Note added." in answer["HX-Trigger"]
    assert html.body == "<p>Price list sent</p>"


def test_an_empty_note_is_refused_in_place(client, company, given):
    client.force_login(company["n_manager1"])
    count = Note.objects.count()

    answer = client.post(
        reverse("customers:organization_note_add", args=[given["north"].pk]),
        {"note-body": "   "},
        headers=HTMX,
    )

    assert answer.status_code == 200
    assert '"level": "error"' in answer["HX-Trigger"]
    assert Note.objects.count() == count


def test_only_the_author_deletes_a_note(client, company, given):
    note = Note.objects.get(organization=given["north"])  # written by n_manager1
    url = reverse("customers:note_delete", args=[note.pk])

    client.force_login(company["n_manager2"])
    refused = client.post(url, headers=HTMX)
    client.force_login(company["n_manager1"])
    deleted = client.post(url, headers=HTMX)

    assert refused.status_code == 403
    assert deleted.status_code == 200
    assert not Note.objects.filter(pk=note.pk).exists()


def test_the_author_edits_a_note_in_place(client, company, given):
    note = Note.objects.get(organization=given["north"])  # written by n_manager1
    client.force_login(company["n_manager1"])
    card = client.get(given["north"].get_absolute_url())
    url = reverse("customers:note_edit", args=[note.pk])

    form = client.get(url, headers=HTMX)
    saved = client.post(url, {"note-body": "Called again: **order** in *May*"}, headers=HTMX)

    note.refresh_from_db()
    assert f'hx-get="{url}"' in card.text  # the note's edit button
    assert form.status_code == 200
    assert f'id="note-{note.pk}"' in form.text and "Called, interested.</textarea>" in form.text
    assert note.body == "<p>Called again: <strong>order</strong> in <em>May</em></p>"
    assert saved.status_code == 200
    assert f'id="note-{note.pk}"' in saved.text and "<strong>order</strong>" in saved.text
    assert "<textarea" not in saved.text
    assert "Note saved." in saved["HX-Trigger"]
    entry = AuditEntry.objects.filter(kind="update", object_id=str(note.pk)).latest("id")
    assert "order" in entry.changes["body"]["new"]


def test_a_note_is_edited_as_it_was_typed(client, company, given):
    client.force_login(company["n_manager1"])
    typed = "**Call back** on *Monday*\nsee https://example.com & more"
    client.post(
        reverse("customers:organization_note_add", args=[given["north"].pk]), {"note-body": typed}
    )
    note = Note.objects.filter(organization=given["north"]).latest("id")

    form = client.get(reverse("customers:note_edit", args=[note.pk]), headers=HTMX)

    assert f"{escape(typed)}</textarea>" in form.text


def test_an_administrator_edits_anyones_note_and_a_colleague_may_not(client, company, given):
    note = Note.objects.get(organization=given["north"])
    url = reverse("customers:note_edit", args=[note.pk])

    client.force_login(company["n_manager2"])  # sees the card, did not write the note
    card = client.get(given["north"].get_absolute_url())
    refused_form = client.get(url, headers=HTMX)
    refused = client.post(url, {"note-body": "Mine now"}, headers=HTMX)
    client.force_login(company["s_manager1"])  # does not see the card at all
    hidden = client.post(url, {"note-body": "Mine now"}, headers=HTMX)
    unchanged = Note.objects.get(pk=note.pk).body
    client.force_login(company["admin"])
    edited = client.post(url, {"note-body": "Checked by the admin"}, headers=HTMX)

    assert f'hx-get="{url}"' not in card.text
    assert (refused_form.status_code, refused.status_code, hidden.status_code) == (403, 403, 404)
    assert unchanged == "<p>Called, interested.</p>"
    assert edited.status_code == 200
    assert Note.objects.get(pk=note.pk).body == "<p>Checked by the admin</p>"


def test_an_emptied_note_stays_in_its_form_with_the_error(client, company, given):
    note = Note.objects.get(organization=given["north"])
    client.force_login(company["n_manager1"])
    before = customer_state()

    answer = client.post(
        reverse("customers:note_edit", args=[note.pk]), {"note-body": "  "}, headers=HTMX
    )

    assert answer.status_code == 200
    assert "<textarea" in answer.text and 'aria-invalid="true"' in answer.text
    assert "field-errors" in answer.text
    assert customer_state() == before


def test_cancel_puts_the_note_back_and_without_htmx_the_edit_is_a_page(client, company, given):
    note = Note.objects.get(organization=given["north"])
    client.force_login(company["n_manager1"])

    cancelled = client.get(reverse("customers:note_detail", args=[note.pk]), headers=HTMX)
    page = client.get(reverse("customers:note_edit", args=[note.pk]))
    saved = client.post(reverse("customers:note_edit", args=[note.pk]), {"note-body": "Plain"})

    assert "Called, interested." in cancelled.text and "<textarea" not in cancelled.text
    assert page.status_code == 200 and "<h1>Edit the note</h1>" in page.text
    assert saved["Location"] == given["north"].get_absolute_url()
    assert Note.objects.get(pk=note.pk).body == "<p>Plain</p>"


# --- Contacts and hand-over ---------------------------------------------------------------------


def test_an_existing_person_is_linked_and_unlinked(client, company, given):
    client.force_login(company["n_manager1"])
    person = PersonFactory(
        first_name="Olga", last_name="Sidorova", responsible=company["n_manager1"]
    )

    client.post(
        reverse("customers:organization_link", args=[given["north"].pk]),
        {"link-record": person.pk, "link-role": "accountant"},
    )
    link = Membership.objects.get(person=person)
    client.post(reverse("customers:contact_remove", args=[link.pk]))

    assert link.organization == given["north"] and link.role.key == "accountant"
    assert not Membership.objects.filter(person=person).exists()


def test_linking_a_person_the_user_cannot_see_is_not_found(client, company, given):
    client.force_login(company["n_manager1"])
    stranger = PersonFactory(responsible=company["s_manager1"])
    before = customer_state()

    answer = client.post(
        reverse("customers:organization_link", args=[given["north"].pk]),
        {"link-record": stranger.pk},
    )

    assert answer.status_code == 404
    assert customer_state() == before


def _contact_check(client, organization, **typed):
    url = reverse("customers:person_duplicates")
    data = {f"contact-{name}": value for name, value in typed.items()}
    return client.post(f"{url}?form=contact&organization={organization.pk}", data, headers=HTMX)


def test_the_contact_dialog_checks_for_duplicates_as_the_user_types(client, company, given):
    north = given["north"]
    known = PersonFactory(
        first_name="Olga", last_name="Sidorova", responsible=company["n_manager1"]
    )
    PhoneFactory(person=known, raw="+7 916 555-43-21")
    client.force_login(company["n_manager1"])

    card = client.get(north.get_absolute_url())
    found = _contact_check(client, north, last_name="Sidorova", phone="8 916 555 43 21")
    nothing = _contact_check(client, north, last_name="Sidorova", phone="8 916 000 00 00")

    assert f"?form=contact&amp;organization={north.pk}" in card.text  # the dialog's live check
    assert "This person may already be in the base" in found.text
    assert "Olga Sidorova" in found.text and "same phone" in found.text
    link = reverse("customers:organization_link", args=[north.pk])
    assert f'formaction="{link}"' in found.text and f'value="{known.pk}"' in found.text
    assert "merge_with" not in found.text  # nothing typed in the dialog is a card to merge yet
    assert nothing.text.strip() == ""


def test_who_may_not_change_the_organization_is_not_offered_to_link(client, company, given):
    known = PersonFactory(
        first_name="Olga", last_name="Sidorova", responsible=company["n_manager2"]
    )
    PhoneFactory(person=known, raw="+7 916 555-43-21")
    client.force_login(company["n_manager2"])  # views manager 1's card, may not change it

    found = _contact_check(client, given["north"], phone="+79165554321")

    assert "Olga Sidorova" in found.text
    assert "formaction" not in found.text


def test_a_duplicate_contact_is_held_until_added_anyway(client, company, given):
    north = given["north"]
    known = PersonFactory(
        first_name="Olga", last_name="Sidorova", responsible=company["n_manager1"]
    )
    PhoneFactory(person=known, raw="+7 916 555-43-21")
    client.force_login(company["n_manager1"])
    url = reverse("customers:organization_contact_create", args=[north.pk])
    typed = {"contact-first_name": "Olga", "contact-phone": "8 916 555 43 21"}
    before = customer_state()

    held = client.post(url, typed, headers=HTMX)
    plain = client.post(url, typed)
    after_held = customer_state()
    added = client.post(url, {**typed, "confirm_duplicates": "1"}, headers=HTMX)

    assert held.status_code == 200
    assert 'id="contact-form"' in held.text and "Olga Sidorova" in held.text
    assert 'name="confirm_duplicates"' in held.text and "Add anyway" in held.text
    assert plain["Location"] == north.get_absolute_url()  # back to the card, with a warning
    assert after_held == before
    assert added["HX-Redirect"] == north.get_absolute_url()
    assert Membership.objects.filter(organization=north, person__first_name="Olga").count() == 1


def test_the_contact_dialog_shows_its_errors_in_place(client, company, given):
    client.force_login(company["n_manager1"])
    before = customer_state()

    answer = client.post(
        reverse("customers:organization_contact_create", args=[given["north"].pk]),
        {"contact-position": "Storekeeper"},
        headers=HTMX,
    )

    assert answer.status_code == 200
    assert 'id="contact-form"' in answer.text
    assert "Give a first or a last name." in answer.text
    assert customer_state() == before


def test_the_card_is_handed_over_with_its_history(client, company, given):
    north = given["north"]
    client.force_login(company["n_head"])

    answer = client.post(
        reverse("customers:organization_hand_over", args=[north.pk]),
        {"handover-new_owner": company["n_manager2"].pk, "handover-include_open_work": "on"},
    )
    card = client.get(north.get_absolute_url())

    north.refresh_from_db()
    assert answer["Location"] == north.get_absolute_url()
    assert north.responsible == company["n_manager2"]
    assert north.notes.count() == 1  # the history stays with the card
    assert "is now responsible for" in card.text  # the toast
    entry = AuditEntry.objects.filter(kind="update", object_id=str(north.pk)).latest("id")
    assert entry.changes["responsible"]["new"] == "n_manager2"


def test_a_manager_may_not_hand_over_a_colleagues_card(client, company, given):
    client.force_login(company["n_manager1"])
    before = customer_state()
    url = reverse("customers:organization_hand_over", args=[given["colleague"].pk])

    page = client.get(url)
    post = client.post(url, {"handover-new_owner": company["n_manager1"].pk})

    assert (page.status_code, post.status_code) == (403, 403)
    assert customer_state() == before


def test_the_picker_finds_only_records_the_user_may_see(client, company, given):
    client.force_login(company["n_manager1"])
    PersonFactory(first_name="Ivan", last_name="Juzni", responsible=company["s_manager1"])

    found = client.get(reverse("customers:lookup"), {"kind": "person", "q": "Ivan"})

    assert "Ivan Petrov" in found.text
    assert "Juzni" not in found.text


# --- Queries ------------------------------------------------------------------------------------


def _fill(organization, company, count: int) -> None:
    for _number in range(count):
        PhoneFactory(organization=organization, raw="+7 495 765-43-21")
        EmailFactory(organization=organization)
        AddressFactory(organization=organization)
        person = PersonFactory(responsible=company["n_manager1"])
        services.link_person(actor=None, person=person, organization=organization, role="director")
        NoteFactory(organization=organization, author=company["n_manager1"])
        OrganizationFactory(parent=organization, responsible=company["n_manager1"])


def _card_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_an_organization_card_runs_the_same_queries_whatever_it_holds(client, company):
    client.force_login(company["n_head"])
    small = OrganizationFactory(legal_name="Small", responsible=company["n_manager1"])
    large = OrganizationFactory(legal_name="Large", responsible=company["n_manager1"])
    _fill(small, company, 1)
    _fill(large, company, 6)

    assert _card_queries(client, small.get_absolute_url()) == _card_queries(
        client, large.get_absolute_url()
    )


def test_a_person_card_runs_the_same_queries_whatever_it_holds(client, company):
    client.force_login(company["n_head"])
    few = PersonFactory(responsible=company["n_manager1"])
    many = PersonFactory(responsible=company["n_manager1"])
    for person, count in ((few, 1), (many, 6)):
        for _number in range(count):
            organization = OrganizationFactory(responsible=company["n_manager1"])
            services.link_person(actor=None, person=person, organization=organization)
            PhoneFactory(person=person, raw="+7 916 123-45-67")
            NoteFactory(person=person, author=company["n_manager1"])

    assert _card_queries(client, few.get_absolute_url()) == _card_queries(
        client, many.get_absolute_url()
    )


def test_the_organization_card_has_no_contacts_of_other_teams(client, company, given):
    stranger = PersonFactory(
        first_name="Hidden", last_name="Person", responsible=company["s_manager1"]
    )
    Membership.objects.create(person=stranger, organization=given["north"])
    client.force_login(company["n_manager1"])

    card = client.get(given["north"].get_absolute_url())

    assert "Hidden Person" not in card.text
    assert Organization.objects.count() == 3
