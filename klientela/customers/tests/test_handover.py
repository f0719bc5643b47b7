"""Handing cards over to another manager, one or many, with other apps' open work."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from klientela.core.audit import history_for
from klientela.core.models import AuditEntry
from klientela.customers import services
from klientela.customers.models import Organization
from klientela.customers.services import handover

from .factories import OrganizationFactory, PersonFactory


@pytest.fixture
def participant():
    calls = []
    handover.register_handover_participant("test", lambda hand_over: calls.append(hand_over) or 0)
    yield calls
    handover.unregister_handover_participant("test")


def test_hand_over_one_card_keeps_its_history(company):
    head, old, new = company["n_head"], company["n_manager1"], company["n_manager2"]
    organization = services.create_organization(actor=old, legal_name="Acme")

    changed = services.hand_over(actor=head, records=[organization], new_owner=new)

    organization.refresh_from_db()
    assert (changed, organization.responsible) == (1, new)
    entries = list(history_for(organization))
    assert [entry.kind for entry in entries] == [AuditEntry.Kind.UPDATE, AuditEntry.Kind.CREATE]
    assert entries[0].changes == {
        "responsible": {"label": "responsible", "old": "n_manager1", "new": "n_manager2"}
    }
    assert entries[0].actor == head


def test_bulk_hand_over_with_open_work(company, participant, django_assert_max_num_queries):
    head, new = company["n_head"], company["n_manager2"]
    organizations = [OrganizationFactory(responsible=company["n_manager1"]) for _ in range(20)]
    people = [PersonFactory(responsible=company["n_head"]) for _ in range(5)]
    already = OrganizationFactory(responsible=new)

    with django_assert_max_num_queries(20):
        changed = services.hand_over(
            actor=head,
            records=[*organizations, *people, already],
            new_owner=new,
            include_open_work=True,
        )

    assert changed == 25
    assert Organization.objects.filter(responsible=new).count() == 21
    cards = AuditEntry.objects.filter(content_type__app_label="customers")
    assert cards.filter(kind=AuditEntry.Kind.UPDATE).count() == 25
    assert [(call.model.__name__, len(call.record_ids)) for call in participant] == [
        ("Organization", 20),
        ("Person", 5),
    ]
    assert set(participant[0].previous_owner_ids.values()) == {company["n_manager1"].pk}
    assert participant[0].new_owner == new


def test_hand_over_is_all_or_nothing(company, participant):
    own = OrganizationFactory(responsible=company["n_manager1"])
    colleagues = OrganizationFactory(responsible=company["n_manager2"])

    with pytest.raises(PermissionDenied):
        services.hand_over(
            actor=company["n_manager1"],
            records=[own, colleagues],
            new_owner=company["n_manager1"],
            include_open_work=True,
        )
    with pytest.raises(PermissionDenied):
        services.hand_over(actor=company["n_head"], records=[own], new_owner=company["s_manager1"])

    assert Organization.objects.get(pk=own.pk).responsible == company["n_manager1"]
    assert Organization.objects.get(pk=colleagues.pk).responsible == company["n_manager2"]
    assert not AuditEntry.objects.filter(content_type__app_label="customers").exists()
    assert participant == []


def test_hand_over_to_an_inactive_user_is_refused(company):
    organization = OrganizationFactory(responsible=company["n_manager1"])
    company["n_manager2"].is_active = False

    with pytest.raises(ValidationError):
        services.hand_over(
            actor=company["admin"], records=[organization], new_owner=company["n_manager2"]
        )
