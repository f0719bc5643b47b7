"""Deals move through stages only when the stage's rules hold; every move is kept."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from klientela.core.models import ReferenceItem
from klientela.customers.tests.factories import OrganizationFactory
from klientela.sales import services
from klientela.sales.models import LOST_REASONS, Deal, StageChange


def test_a_new_deal_starts_in_the_first_stage_and_records_it(deal, stages, company):
    assert deal.stage == stages["New"]
    assert deal.responsible == company["n_manager1"]
    assert deal.responsible_team_id == company["n_manager1"].team_id
    assert deal.effective_probability == 10
    assert list(deal.stage_changes.values_list("from_stage", "to_stage")) == [
        (None, stages["New"].pk)
    ]


def test_a_stage_rule_stops_the_move_until_the_fields_are_filled(deal, stages, company):
    manager = company["n_manager1"]

    with pytest.raises(ValidationError) as refused:
        services.move_deal(actor=manager, deal=deal, stage=stages["Negotiation"])

    assert "amount, expected close date" in refused.value.messages[0]
    deal.refresh_from_db()
    assert deal.stage == stages["New"] and deal.stage_changes.count() == 1

    services.update_deal(
        actor=manager, deal=deal, amount=Decimal("1200"), expected_close=datetime.date(2027, 1, 5)
    )
    moved = services.move_deal(actor=manager, deal=deal, stage=stages["Negotiation"])

    assert moved.stage == stages["Negotiation"]
    assert moved.effective_probability == 75
    assert StageChange.objects.filter(deal=deal, to_stage=stages["Negotiation"]).count() == 1


def test_a_required_field_cannot_be_emptied_while_the_deal_is_in_that_stage(deal, stages, company):
    manager = company["n_manager1"]
    services.update_deal(actor=manager, deal=deal, amount=Decimal("10"))
    services.move_deal(actor=manager, deal=deal, stage=stages["Proposal"])

    with pytest.raises(ValidationError):
        services.update_deal(actor=manager, deal=deal, amount=None)

    assert Deal.objects.get(pk=deal.pk).amount == Decimal("10")


def test_a_lost_deal_needs_a_reason_and_keeps_the_competitor(deal, stages, company):
    manager = company["n_manager1"]
    competitor = OrganizationFactory(legal_name="Rival", responsible=manager)
    reason = ReferenceItem.objects.get(reference_list__key=LOST_REASONS, key="competitor")

    with pytest.raises(ValidationError):
        services.move_deal(actor=manager, deal=deal, stage=stages["Lost"])
    lost = services.move_deal(
        actor=manager, deal=deal, stage=stages["Lost"], lost_reason=reason, competitor=competitor
    )

    assert (lost.lost_reason, lost.competitor) == (reason, competitor)
    assert lost.closed_at is not None


def test_a_manager_may_not_move_a_colleagues_deal(deal, stages, company):
    with pytest.raises(PermissionDenied):
        services.move_deal(actor=company["n_manager2"], deal=deal, stage=stages["Qualified"])
    assert Deal.objects.get(pk=deal.pk).stage == stages["New"]


def test_a_head_moves_the_teams_deal_but_not_another_teams(deal, stages, company):
    services.move_deal(actor=company["n_head"], deal=deal, stage=stages["Qualified"])
    with pytest.raises(PermissionDenied):
        services.move_deal(actor=company["s_head"], deal=deal, stage=stages["New"])
    assert Deal.objects.get(pk=deal.pk).stage == stages["Qualified"]


def test_open_deals_follow_a_hand_over_of_their_client(deal, company, client_org):
    from klientela.customers import services as customers

    customers.hand_over(
        actor=company["admin"],
        records=[client_org],
        new_owner=company["s_manager1"],
        include_open_work=True,
    )

    deal.refresh_from_db()
    assert deal.responsible == company["s_manager1"]
    assert deal.responsible_team_id == company["s_manager1"].team_id
