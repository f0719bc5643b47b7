"""Factories of customer records, written straight to the database (no services, no audit).

Tests of a service build their "given" with these, then call the service under test.
"""

import factory

from klientela.core.fulltext import index_record
from klientela.customers.models import Address, Email, Note, Organization, Person, Phone


class IndexedFactory(factory.django.DjangoModelFactory):
    """Cards are found through the full-text index: keep it in step like the services do."""

    class Meta:
        abstract = True

    @factory.post_generation
    def indexed(obj, create, extracted, **kwargs):
        if create:
            index_record(obj)


class OrganizationFactory(IndexedFactory):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    legal_name = factory.Sequence(lambda number: f"Company {number} LLC")


class PersonFactory(IndexedFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    first_name = factory.Sequence(lambda number: f"First{number}")
    last_name = factory.Sequence(lambda number: f"Last{number}")


class PhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phone

    raw = "+7 495 123-45-67"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        raw = kwargs.pop("raw")
        phone = model_class(**kwargs)
        phone.set_phone(raw)
        phone.save()
        return phone


class EmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Email

    address = factory.Sequence(lambda number: f"mail{number}@example.com")


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    city = "Moscow"


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    body = "<p>Called, interested.</p>"
