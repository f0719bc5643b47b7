"""Lookups that ignore case do so in every alphabet, on SQLite as on PostgreSQL."""

import pytest
from django.db.models import Value

from klientela.core.sqlite import UnicodeUpper
from klientela.customers.models import Organization

pytestmark = pytest.mark.django_db

NAMES = ["Ромашка", "Łódź Trade", "Čebelica", "50% Off_Shop", "500 Offers", "OffXShop"]


@pytest.fixture
def organizations():
    return {name: Organization.objects.create(legal_name=name) for name in NAMES}


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


def test_iexact_icontains_istartswith_in_any_alphabet(organizations):
    assert names(Organization.objects.filter(name__iexact="РОМАШКА")) == {"Ромашка"}
    assert names(Organization.objects.filter(name__icontains="ŁÓDŹ")) == {"Łódź Trade"}
    assert names(Organization.objects.filter(name__istartswith="čEB")) == {"Čebelica"}


def test_percent_and_underscore_are_literal_in_lookups(organizations):
    assert names(Organization.objects.filter(name__icontains="50%")) == {"50% Off_Shop"}
    assert names(Organization.objects.filter(name__icontains="f_s")) == {"50% Off_Shop"}


def test_unicode_upper_matches_names_typed_in_another_case(organizations):
    typed = [UnicodeUpper(Value(name)) for name in ("ромашка", "čebeLICA", "łodz")]
    found = Organization.objects.annotate(key=UnicodeUpper("name")).filter(key__in=typed)
    assert names(found) == {"Ромашка", "Čebelica"}
