"""Fixtures of the activities tests: clients and a deal of each team, a moment to call "now"."""

import datetime

import pytest

from klientela.customers import services as customers
from klientela.customers.tests.factories import OrganizationFactory, PersonFactory
from klientela.sales import services as sales

UTC = datetime.UTC


def at(text: str) -> datetime.datetime:
    """An aware moment from ISO text with its offset: ``at("2026-03-10T21:00+00:00")``."""
    return datetime.datetime.fromisoformat(text)


@pytest.fixture
def clients(company):
    """North's and South's organization, each with a contact person and an open deal."""
    customers.sync_reference_lists()
    sales.ensure_sales_defaults()
    north, south = company["n_manager1"], company["s_manager1"]
    made = {}
    for key, manager, name in (("north", north, "Acme North"), ("south", south, "Zenith South")):
        organization = OrganizationFactory(legal_name=name, responsible=manager)
        person = PersonFactory(first_name="Olga", last_name=f"{key.title()}", responsible=manager)
        customers.link_person(actor=None, organization=organization, person=person)
        deal = sales.create_deal(
            actor=manager, title=f"{name} licences", organization=organization, person=person
        )
        made[key] = organization
        made[f"{key}_person"] = person
        made[f"{key}_deal"] = deal
    return made
