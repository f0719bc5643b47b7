"""The merge screen: both cards side by side, a choice per differing field, nothing lost."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import trans_real

from klientela.core.models import AuditEntry
from klientela.customers import services
from klientela.customers.models import Membership, Note, Organization, Person
from tests.accessapp.models import Ticket

from .apidata import customer_state


@pytest.fixture
def pair(company):
    """Two cards of the same client entered by two North managers, each with links."""
    admin = company["admin"]
    anna = services.create_person(actor=admin, first_name="Anna", last_name="Berg")
    boris = services.create_person(actor=admin, first_name="Boris", last_name="Lind")
    survivor = services.create_organization(
        actor=admin,
        legal_name="Acme Trading LLC",
        responsible=company["n_manager1"],
        phones=["+7 495 123-45-67"],
        emails=["sales@acme.example"],
        memberships=[{"person": anna.pk, "role": "director"}],
    )
    duplicate = services.create_organization(
        actor=admin,
        legal_name="ACME Trading",
        tax_number="7701234567",
        responsible=company["n_manager2"],
        phones=["8 495 123 45 67", "+7 812 111 22 33"],
        emails=["office@acme.example"],
        addresses=[{"city": "Moscow", "street": "Tverskaya 1"}],
        memberships=[{"person": boris.pk, "role": "accountant"}],
    )
    services.add_note(actor=admin, record=duplicate, body="<p>Met at the fair</p>")
    return {"survivor": survivor, "duplicate": duplicate, "anna": anna, "boris": boris}


def merge_url(survivor, duplicate) -> str:
    return f"{reverse('customers:organization_merge', args=[survivor.pk])}?with={duplicate.pk}"


def test_the_merge_screen_compares_the_cards_and_says_what_moves(client, company, pair):
    client.force_login(company["n_head"])

    page = client.get(merge_url(pair["survivor"], pair["duplicate"]))

    assert page.status_code == 200
    # legal names differ: a choice; the tax number only the duplicate has: taken over
    assert 'name="legal_name" value="survivor"' in page.text
    assert 'name="legal_name" value="duplicate"' in page.text
    assert 'name="tax_number"' not in page.text and "7701234567" in page.text
    moves = page.text.split("What moves to the card that stays")[1]
    assert "<li>2 phones</li>" in moves
    assert "<li>1 email</li>" in moves
    assert "<li>1 contact person</li>" in moves
    assert "<li>1 note</li>" in moves


@pytest.fixture
def russian_plurals(monkeypatch):
    """Russian forms of two of the counts, put into the catalog the way a .po file would."""
    catalog = trans_real.translation("ru")._catalog
    plural = catalog._plurals[0]
    forms = {
        "%(count)d phone": ("%(count)d телефон", "%(count)d телефона", "%(count)d телефонов"),
        "%(count)d note": ("%(count)d заметка", "%(count)d заметки", "%(count)d заметок"),
    }
    for msgid, (one, few, many) in forms.items():
        for number, text in ((1, one), (2, few), (5, many)):
            monkeypatch.setitem(catalog._catalogs[0], (msgid, plural(number)), text)


def test_the_counts_of_what_moves_take_the_plural_form_of_the_readers_language(
    client, company, pair, russian_plurals
):
    # given a duplicate with two phones and five notes, seen by a head who reads Russian
    for number in range(4):
        services.add_note(actor=company["admin"], record=pair["duplicate"], body=f"<p>{number}</p>")
    company["n_head"].language = "ru"
    company["n_head"].save(update_fields=["language"])
    client.force_login(company["n_head"])

    page = client.get(merge_url(pair["survivor"], pair["duplicate"]))

    moves = page.text.split('class="merge-move-list"')[1]
    assert "<li>2 телефона</li>" in moves
    assert "<li>5 заметок</li>" in moves


def test_merging_through_the_page_loses_nothing(client, company, pair):
    # given records of other apps pointing at the duplicate in each way they can
    survivor, duplicate = pair["survivor"], pair["duplicate"]
    order = Ticket.objects.create(title="Fork order", organization=duplicate)
    about = Ticket.objects.create(title="About", subject=duplicate)
    duplicate_id = duplicate.pk
    client.force_login(company["n_head"])

    # when the head keeps the duplicate's legal name and confirms
    answer = client.post(merge_url(survivor, duplicate), {"legal_name": "duplicate"})

    # then the survivor holds everything and says so in its history
    survivor.refresh_from_db()
    assert answer["Location"] == survivor.get_absolute_url()
    assert not Organization.objects.filter(pk=duplicate_id).exists()
    assert (survivor.legal_name, survivor.tax_number) == ("ACME Trading", "7701234567")
    assert sorted(survivor.phones.values_list("e164", flat=True)) == [
        "+74951234567",
        "+78121112233",
    ]
    assert sorted(survivor.emails.values_list("address", flat=True)) == [
        "office@acme.example",
        "sales@acme.example",
    ]
    assert list(survivor.addresses.values_list("city", flat=True)) == ["Moscow"]
    assert sorted(
        Membership.objects.filter(organization=survivor).values_list("person__last_name", flat=True)
    ) == ["Berg", "Lind"]
    assert Note.objects.get().organization == survivor
    order.refresh_from_db()
    about.refresh_from_db()
    assert order.organization_id == survivor.pk
    assert about.subject_id == survivor.pk
    merge_entry = AuditEntry.objects.get(
        kind="merge",
        content_type=ContentType.objects.get_for_model(Organization),
        object_id=str(survivor.pk),
    )
    assert "ACME Trading" in merge_entry.changes["merged"]["old"]
    card = client.get(survivor.get_absolute_url())
    assert "merged into" in card.text  # the toast
    assert "Merged with" in card.text  # the history entry


def test_people_are_merged_the_same_way(client, company, pair):
    client.force_login(company["admin"])
    anna, boris = pair["anna"], pair["boris"]

    answer = client.post(
        f"{reverse('customers:person_merge', args=[anna.pk])}?with={boris.pk}",
        {"first_name": "survivor", "last_name": "survivor"},
    )

    assert answer.status_code == 302
    assert not Person.objects.filter(pk=boris.pk).exists()
    assert Membership.objects.filter(person=anna).count() == 2


def test_without_a_second_card_the_page_asks_for_it(client, company, pair):
    client.force_login(company["n_head"])

    page = client.get(reverse("customers:organization_merge", args=[pair["survivor"].pk]))
    found = client.get(
        reverse("customers:lookup"),
        {"kind": "organization", "q": "acme", "merge_into": pair["survivor"].pk},
    )

    assert "Which card is the duplicate?" in page.text
    assert merge_url(pair["survivor"], pair["duplicate"]) in found.text
    assert f"?with={pair['survivor'].pk}" not in found.text


def test_a_manager_may_not_merge_a_colleagues_card_into_theirs(client, company, pair):
    # a merge deletes the duplicate, and a manager deletes only their own cards
    client.force_login(company["n_manager1"])
    before = customer_state()
    url = merge_url(pair["survivor"], pair["duplicate"])

    assert client.get(url).status_code == 403
    assert client.post(url, {"legal_name": "duplicate"}).status_code == 403
    assert customer_state() == before


def test_a_card_of_another_team_cannot_be_merged_in(client, company, pair):
    south = services.create_organization(
        actor=company["admin"], legal_name="Acme South", responsible=company["s_manager1"]
    )
    client.force_login(company["n_head"])
    before = customer_state()

    answer = client.post(merge_url(pair["survivor"], south), {})

    assert answer.status_code == 404
    assert customer_state() == before
