"""Merging duplicates: fields chosen, everything linked follows, nothing is lost."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from klientela.core.audit import history_for
from klientela.core.fulltext import find_ids
from klientela.core.models import AuditEntry
from klientela.customers import services
from klientela.customers.models import Membership, Note, Organization, Person
from tests.accessapp.models import Ticket


@pytest.fixture
def pair(company, revenue_field):
    """Two cards of the same client, entered by two managers of the North team."""
    admin = company["admin"]
    anna = services.create_person(actor=admin, first_name="Anna", last_name="Berg")
    boris = services.create_person(actor=admin, first_name="Boris", last_name="Lind")
    survivor = services.create_organization(
        actor=admin,
        legal_name="Acme Trading LLC",
        responsible=company["n_manager1"],
        tags=["vip"],
        phones=["+7 495 123-45-67"],
        emails=["sales@acme.example"],
        custom={"revenue": {"amount": "100", "currency": "EUR"}},
        memberships=[{"person": anna.pk, "role": "director"}],
    )
    duplicate = services.create_organization(
        actor=admin,
        legal_name="ACME Trading",
        short_name="Acme",
        tax_number="PL5260250274",
        responsible=company["n_manager2"],
        tags=["VIP", "Warsaw"],
        phones=["8 495 123 45 67", "+48 22 111 22 33"],
        emails=["office@acme.example"],
        addresses=[{"city": "Warsaw"}],
        memberships=[
            {"person": anna.pk, "role": "director"},
            {"person": boris.pk, "role": "accountant"},
        ],
    )
    services.update_organization(actor=admin, organization=duplicate, needs="Forklifts")
    services.add_note(actor=admin, record=duplicate, body="<p>Met at the fair</p>")
    branch = services.create_organization(actor=admin, legal_name="Branch", parent=duplicate)
    return {
        "survivor": survivor,
        "duplicate": duplicate,
        "anna": anna,
        "boris": boris,
        "branch": branch,
    }


def test_merge_moves_everything_to_the_survivor(company, pair):
    # given
    survivor, duplicate = pair["survivor"], pair["duplicate"]
    hidden_link = Ticket.objects.create(title="Fork order", organization=duplicate)
    generic_link = Ticket.objects.create(title="About", subject=duplicate)
    duplicate_id = duplicate.pk

    # when
    services.merge(
        actor=company["n_head"],
        survivor=survivor,
        duplicate=duplicate,
        field_choices={"short_name": "duplicate", "legal_name": "survivor"},
    )

    # then fields: chosen, or filled where the survivor had none
    survivor.refresh_from_db()
    assert not Organization.objects.filter(pk=duplicate_id).exists()
    assert (survivor.legal_name, survivor.short_name, survivor.name) == (
        "Acme Trading LLC",
        "Acme",
        "Acme",
    )
    assert (survivor.tax_number, survivor.needs) == ("PL5260250274", "Forklifts")
    assert survivor.responsible == company["n_manager1"]
    # channels: the same phone once, the rest moved, one primary per type
    assert sorted(survivor.phones.values_list("e164", flat=True)) == [
        "+48221112233",
        "+74951234567",
    ]
    assert sorted(survivor.emails.values_list("address", flat=True)) == [
        "office@acme.example",
        "sales@acme.example",
    ]
    assert survivor.primary_email.address == "sales@acme.example"
    assert survivor.phones.filter(is_primary=True).count() == 1
    assert survivor.addresses.get().city == "Warsaw"
    # links, notes, tags, branches, other apps' records
    assert sorted(
        Membership.objects.filter(organization=survivor).values_list("person__last_name", flat=True)
    ) == ["Berg", "Lind"]
    assert Note.objects.get().organization == survivor
    assert sorted(survivor.tags.values_list("name", flat=True)) == ["Warsaw", "vip"]
    assert Organization.objects.get(pk=pair["branch"].pk).parent == survivor
    hidden_link.refresh_from_db()
    generic_link.refresh_from_db()
    assert hidden_link.organization == survivor
    assert generic_link.subject == survivor
    # history: the duplicate's entries now belong to the survivor, plus one merge entry
    history = list(history_for(survivor))
    assert history[0].kind == AuditEntry.Kind.MERGE
    assert history[0].actor == company["n_head"]
    assert history[0].changes["merged"]["old"] == f"Acme (#{duplicate_id})"
    assert set(history[0].changes) >= {"short_name", "tax_number", "needs", "merged", "moved"}
    assert [entry.kind for entry in history[1:]].count(AuditEntry.Kind.CREATE) == 2
    assert not AuditEntry.objects.filter(
        content_type__model="organization", object_id=str(duplicate_id)
    ).exists()
    # search finds the survivor only
    assert find_ids(Organization, "Acme") == [survivor.pk]


def test_merge_people_moves_many_to_many_links_and_custom_values(company):
    admin = company["admin"]
    survivor = services.create_person(actor=admin, first_name="Anna", last_name="Berg")
    duplicate = services.create_person(
        actor=admin, first_name="Ana", last_name="Berg", position="Buyer", birthday="1990-02-03"
    )
    both = Ticket.objects.create(title="Both")
    both.people.add(survivor, duplicate)
    only_duplicate = Ticket.objects.create(title="Only the duplicate")
    only_duplicate.people.add(duplicate)

    services.merge(actor=admin, survivor=survivor, duplicate=duplicate)

    survivor.refresh_from_db()
    assert (survivor.first_name, survivor.position, str(survivor.birthday)) == (
        "Anna",
        "Buyer",
        "1990-02-03",
    )
    assert list(both.people.all()) == [survivor]
    assert list(only_duplicate.people.all()) == [survivor]
    assert Person.objects.count() == 1


def test_custom_values_merge_per_key(company, revenue_field):
    admin = company["admin"]
    survivor = services.create_organization(actor=admin, legal_name="A")
    duplicate = services.create_organization(
        actor=admin, legal_name="B", custom={"revenue": {"amount": "5", "currency": "EUR"}}
    )

    services.merge(actor=admin, survivor=survivor, duplicate=duplicate)

    survivor.refresh_from_db()
    assert survivor.custom == {"revenue": {"amount": "5.00", "currency": "EUR"}}


def test_merge_needs_edit_on_survivor_and_delete_on_duplicate(company, pair):
    survivor, duplicate = pair["survivor"], pair["duplicate"]

    with pytest.raises(PermissionDenied):
        services.merge(actor=company["n_manager1"], survivor=survivor, duplicate=duplicate)
    with pytest.raises(PermissionDenied):
        services.merge(actor=company["s_head"], survivor=survivor, duplicate=duplicate)

    assert Organization.objects.filter(pk=duplicate.pk).exists()
    assert survivor.phones.count() == 1
    assert not AuditEntry.objects.filter(kind=AuditEntry.Kind.MERGE).exists()


def test_merge_refuses_bad_choices(company, pair):
    with pytest.raises(ValidationError) as error:
        services.merge(
            actor=company["admin"],
            survivor=pair["survivor"],
            duplicate=pair["duplicate"],
            field_choices={"legal_name": "both", "created_at": "duplicate"},
        )

    assert set(error.value.message_dict) == {"legal_name", "created_at"}
    with pytest.raises(ValidationError):
        services.merge(actor=company["admin"], survivor=pair["anna"], duplicate=pair["survivor"])
    with pytest.raises(ValidationError):
        services.merge(actor=company["admin"], survivor=pair["anna"], duplicate=pair["anna"])
    assert Organization.objects.filter(pk=pair["duplicate"].pk).exists()
