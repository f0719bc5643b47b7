# ruff: noqa: RUF001 (names in Russian and typographic dashes are meant)
"""Creating, changing and deleting organizations and people through their services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from klientela.core.audit import history_for
from klientela.core.fulltext import find_ids
from klientela.core.models import AuditEntry, SearchEntry
from klientela.customers import services
from klientela.customers.models import Membership, Organization, Person, Phone, Tag

from .factories import OrganizationFactory, PersonFactory


def test_create_organization_with_everything(company, revenue_field):
    # given a manager and a person of their team
    manager = company["n_manager1"]
    person = PersonFactory(responsible=company["n_manager2"], last_name="Orlova")

    # when
    organization = services.create_organization(
        actor=manager,
        legal_name='ООО "Ромашка"',
        short_name="Romashka",
        tax_number="77-07 083893",
        industry="wholesale",
        client_group="regular",
        source="website",
        size="11-50",
        types=["client", "partner"],
        tags=["VIP", "Moscow"],
        custom={"revenue": {"amount": "1500000", "currency": "RUB"}},
        phones=["+7 (495) 123-45-67", {"number": "8 916 000 11 22", "kind": "mobile"}],
        emails=[{"address": " Info@Romashka.RU ", "kind": "work"}],
        messengers=[{"kind": "telegram", "handle": "@romashka"}],
        websites=["romashka.ru"],
        addresses=[{"kind": "legal", "country": "ru", "city": "Moscow", "street": "Tverskaya 1"}],
        memberships=[{"person": person.pk, "role": "director", "is_primary": True}],
    )

    # then
    organization.refresh_from_db()
    assert organization.name == "Romashka"
    assert organization.responsible == manager
    assert organization.created_by == manager
    assert organization.tax_number == "7707083893"
    assert organization.industry.key == "wholesale"
    assert sorted(organization.types.values_list("key", flat=True)) == ["client", "partner"]
    assert sorted(organization.tags.values_list("name", flat=True)) == ["Moscow", "VIP"]
    assert organization.custom == {"revenue": {"amount": "1500000.00", "currency": "RUB"}}
    phones = list(organization.phones.order_by("id"))
    assert [phone.e164 for phone in phones] == ["+74951234567", "+79160001122"]
    assert [phone.is_primary for phone in phones] == [True, False]
    assert organization.emails.get().address == "info@romashka.ru"
    assert organization.websites.get().url == "https://romashka.ru"
    address = organization.addresses.get()
    assert (address.country, address.line) == ("RU", "Tverskaya 1, Moscow")
    membership = Membership.objects.get(organization=organization)
    assert (membership.person, membership.role.key, membership.is_primary) == (
        person,
        "director",
        True,
    )
    entry = history_for(organization).get()
    assert entry.kind == AuditEntry.Kind.CREATE
    assert entry.actor == manager
    assert entry.changes["phones"]["new"] == ["+7 495 123-45-67", "+7 916 000-11-22"]
    assert find_ids(Organization, "romash") == [organization.pk]


def test_create_person_and_full_name_per_language(company):
    person = services.create_person(
        actor=company["n_manager1"],
        first_name="Ivan",
        middle_name="Petrovich",
        last_name="Sidorov",
        birthday="1980-05-17",
        emails=["ivan@example.com"],
    )

    person.refresh_from_db()
    assert str(person.birthday) == "1980-05-17"
    with translation.override("ru"):
        assert person.full_name == "Sidorov Ivan Petrovich"
    with translation.override("pl"):
        assert person.full_name == "Ivan Sidorov"
    assert find_ids(Person, "sidor") == [person.pk]
    assert find_ids(Person, "ivan@example.com") == [person.pk]


def test_invalid_phone_is_kept_and_flagged(company):
    organization = services.create_organization(
        actor=company["admin"], legal_name="Acme", phones=["12-34 ask for Bob"]
    )

    phone = organization.phones.get()
    assert phone.raw == "12-34 ask for Bob"
    assert phone.is_valid is False
    assert phone.e164 == ""
    assert phone.is_primary is True


def test_bad_email_refuses_everything(company):
    with pytest.raises(ValidationError) as error:
        services.create_organization(
            actor=company["admin"],
            legal_name="Acme",
            tags=["new tag"],
            phones=["+7 495 123-45-67"],
            emails=["good@example.com", "not an email"],
        )

    assert set(error.value.message_dict) == {"emails.1.address"}
    assert not Organization.objects.exists()
    assert not Phone.objects.exists()
    assert not Tag.objects.exists()
    assert not AuditEntry.objects.filter(kind=AuditEntry.Kind.CREATE, object_repr="Acme").exists()


def test_errors_come_together(company, required_field):
    with pytest.raises(ValidationError) as error:
        services.create_organization(
            actor=company["admin"],
            legal_name="",
            size="huge",
            industry="no-such-industry",
            phones=[{"number": "+7 495 123-45-67", "colour": "red"}],
        )

    assert set(error.value.message_dict) == {
        "legal_name",
        "size",
        "industry",
        "custom.contract",
        "phones.0.colour",
    }
    assert not Organization.objects.exists()


def test_required_custom_field(company, required_field):
    with pytest.raises(ValidationError) as error:
        services.create_organization(actor=company["admin"], legal_name="Acme")

    assert "custom.contract" in error.value.message_dict
    assert not Organization.objects.exists()

    organization = services.create_organization(
        actor=company["admin"], legal_name="Acme", custom={"contract": "2026-01-31"}
    )
    assert organization.custom == {"contract": "2026-01-31"}


def test_person_needs_a_name(company):
    with pytest.raises(ValidationError) as error:
        services.create_person(actor=company["admin"], position="Buyer")

    assert "last_name" in error.value.message_dict
    assert not Person.objects.exists()


def test_manager_cannot_create_for_another_team(company):
    with pytest.raises(PermissionDenied):
        services.create_organization(
            actor=company["n_manager1"],
            legal_name="Acme",
            responsible=company["s_manager1"],
            phones=["+7 495 123-45-67"],
        )

    assert not Organization.objects.exists()
    assert not Phone.objects.exists()


def test_manager_cannot_create_for_a_colleague_but_a_head_can(company):
    with pytest.raises(PermissionDenied):
        services.create_person(
            actor=company["n_manager1"], last_name="Nowak", responsible=company["n_manager2"]
        )

    person = services.create_person(
        actor=company["n_head"], last_name="Nowak", responsible=company["n_manager2"]
    )
    assert person.responsible == company["n_manager2"]


def test_manager_cannot_edit_a_colleagues_card(company):
    organization = OrganizationFactory(legal_name="Acme", responsible=company["n_manager2"])

    with pytest.raises(PermissionDenied):
        services.update_organization(
            actor=company["n_manager1"], organization=organization, legal_name="Hijacked"
        )

    organization.refresh_from_db()
    assert organization.legal_name == "Acme"
    assert not history_for(organization).exists()


def test_manager_cannot_hand_their_card_to_another_team(company):
    organization = OrganizationFactory(legal_name="Acme", responsible=company["n_manager1"])

    with pytest.raises(PermissionDenied):
        services.update_organization(
            actor=company["n_manager1"],
            organization=organization,
            responsible=company["s_manager1"],
        )

    organization.refresh_from_db()
    assert organization.responsible == company["n_manager1"]


def test_update_patches_fields_and_replaces_listed_channels(company):
    # given
    manager = company["n_manager1"]
    organization = services.create_organization(
        actor=manager,
        legal_name="Acme",
        phones=["+7 495 123-45-67", "+7 495 765-43-21"],
        emails=["a@acme.example"],
        tags=["old"],
    )
    kept, dropped = organization.phones.order_by("id")

    # when: keep one phone (now mobile), add one, leave emails untouched
    services.update_organization(
        actor=manager,
        organization=organization,
        short_name="ACME",
        phones=[{"id": kept.pk, "kind": "mobile"}, {"number": "+48 22 123 45 67"}],
        tags=["new"],
    )

    # then
    organization.refresh_from_db()
    assert organization.name == "ACME"
    assert organization.legal_name == "Acme"
    phones = list(organization.phones.order_by("id"))
    assert [(phone.pk, phone.kind) for phone in phones[:1]] == [(kept.pk, "mobile")]
    assert phones[1].e164 == "+48221234567"
    assert not Phone.objects.filter(pk=dropped.pk).exists()
    assert [phone.is_primary for phone in phones] == [True, False]
    assert organization.emails.count() == 1
    assert list(organization.tags.values_list("name", flat=True)) == ["new"]
    entry = history_for(organization).first()
    assert entry.kind == AuditEntry.Kind.UPDATE
    assert set(entry.changes) == {"short_name", "phones", "tags"}


def test_update_moves_primary_to_the_requested_channel(company):
    organization = services.create_organization(
        actor=company["admin"], legal_name="Acme", emails=["a@acme.example", "b@acme.example"]
    )
    first, second = organization.emails.order_by("id")

    services.update_organization(
        actor=company["admin"],
        organization=organization,
        emails=[{"id": first.pk}, {"id": second.pk, "is_primary": True}],
    )

    assert organization.primary_email == second


def test_parent_cannot_be_a_branch_of_itself(company):
    head_office = services.create_organization(actor=company["admin"], legal_name="Head office")
    branch = services.create_organization(
        actor=company["admin"], legal_name="Branch", parent=head_office
    )

    with pytest.raises(ValidationError) as error:
        services.update_organization(
            actor=company["admin"], organization=head_office, parent=branch
        )

    assert "parent" in error.value.message_dict
    assert list(head_office.branches.all()) == [branch]


def test_delete_organization(company):
    organization = services.create_organization(
        actor=company["admin"], legal_name="Acme", phones=["+7 495 123-45-67"]
    )

    services.delete_organization(actor=company["admin"], organization=organization)

    assert not Organization.objects.exists()
    assert not Phone.objects.exists()
    assert not SearchEntry.objects.exists()
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.DELETE, object_repr="Acme").exists()


def test_manager_cannot_delete_a_teammates_card(company):
    organization = OrganizationFactory(responsible=company["n_manager2"])

    with pytest.raises(PermissionDenied):
        services.delete_organization(actor=company["n_manager1"], organization=organization)

    assert Organization.objects.filter(pk=organization.pk).exists()


def test_manager_deletes_their_own_card(company):
    organization = OrganizationFactory(responsible=company["n_manager1"])

    services.delete_organization(actor=company["n_manager1"], organization=organization)

    assert not Organization.objects.filter(pk=organization.pk).exists()


def test_refused_update_changes_nothing(company):
    organization = services.create_organization(
        actor=company["admin"], legal_name="Acme", emails=["a@acme.example"]
    )

    with pytest.raises(ValidationError):
        services.update_organization(
            actor=company["admin"], organization=organization, legal_name="", emails=["bad"]
        )

    assert organization.legal_name == "Acme"
    assert list(organization.emails.values_list("address", flat=True)) == ["a@acme.example"]
    assert history_for(organization).count() == 1
