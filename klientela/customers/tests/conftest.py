"""Fixtures of the customer base tests: its reference lists, and a few custom fields."""

import pytest

from klientela.core.customfields.services import create_field_definition
from klientela.customers.services import sync_reference_lists


@pytest.fixture(autouse=True)
def reference_lists(db):
    sync_reference_lists()


@pytest.fixture
def revenue_field(db):
    return create_field_definition(
        actor=None, entity="organization", key="revenue", label="Annual revenue", type="money"
    )


@pytest.fixture
def required_field(db):
    return create_field_definition(
        actor=None,
        entity="organization",
        key="contract",
        label="Contract",
        type="date",
        required=True,
    )
