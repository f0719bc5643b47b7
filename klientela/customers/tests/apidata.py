"""Givens the API tests share: a few cards of both teams, and the state a denial must keep."""

from klientela.core.models import AuditEntry, FieldDefinition, ReferenceItem, ReferenceList
from klientela.customers.models import (
    Address,
    Email,
    Membership,
    Note,
    Organization,
    Person,
    Phone,
    Tag,
)

from .factories import (
    AddressFactory,
    EmailFactory,
    NoteFactory,
    OrganizationFactory,
    PersonFactory,
    PhoneFactory,
)


def customer_state() -> tuple:
    """Everything a customer API call could change; equal before and after a refused call."""
    models = (
        Organization,
        Person,
        Phone,
        Email,
        Address,
        Membership,
        Note,
        Tag,
        FieldDefinition,
        ReferenceList,
        ReferenceItem,
    )
    rows = tuple(list(model.objects.order_by("pk").values()) for model in models)
    return (*rows, AuditEntry.objects.count())


def cards(company) -> dict:
    """A North card of manager 1 (with a phone, an email, an address, a contact person and a
    note), a North card of manager 2, and a South card."""
    north = OrganizationFactory(legal_name="Severstal Trade LLC", responsible=company["n_manager1"])
    PhoneFactory(organization=north, raw="+7 (495) 123-45-67", is_primary=True)
    EmailFactory(organization=north, address="sales@severstal.example", is_primary=True)
    AddressFactory(organization=north, city="Moscow", is_primary=True)
    contact = PersonFactory(
        first_name="Ivan", last_name="Petrov", responsible=company["n_manager1"]
    )
    Membership.objects.create(person=contact, organization=north, position="Director")
    NoteFactory(organization=north, author=company["n_manager1"])
    colleague = OrganizationFactory(legal_name="Baltic Paper", responsible=company["n_manager2"])
    south = OrganizationFactory(legal_name="Juzni trgovci", responsible=company["s_manager1"])
    PhoneFactory(organization=south, raw="+386 1 234 56 78", is_primary=True)
    return {"north": north, "colleague": colleague, "south": south, "contact": contact}
