"""Plans per manager and month against won deals (fact) and open deals x probability."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from klientela.sales import reports, services
from klientela.sales.models import SalesPlan


def test_plan_fact_and_forecast_against_a_hand_count(company, stages, pipeline):
    manager, head = company["n_manager1"], company["n_head"]
    month = timezone.localdate().replace(day=1)
    services.set_plan(actor=head, manager=manager, month=month, amount=Decimal("1000"))
    won = services.create_deal(actor=manager, title="won", amount=Decimal("400"))
    services.move_deal(actor=manager, deal=won, stage=stages["Won"])
    services.create_deal(
        actor=manager, title="open", amount=Decimal("1000"), expected_close=month
    )  # New: 10%
    probable = services.create_deal(
        actor=manager, title="probable", amount=Decimal("500"), expected_close=month
    )
    services.update_deal(actor=manager, deal=probable, probability=60)
    services.create_deal(
        actor=company["s_manager1"], title="south", amount=Decimal("9000"), expected_close=month
    )

    rows = reports.plan_vs_fact(head, months=[month])

    assert [(row.manager, row.plan, row.fact, row.weighted) for row in rows] == [
        (manager, Decimal("1000.00"), Decimal("400.00"), Decimal("400.00"))  # 100 + 300
    ]
    assert rows[0].done_percent == 40


def test_a_manager_sees_only_their_own_row_and_may_not_set_plans(company, pipeline):
    manager = company["n_manager1"]
    month = timezone.localdate().replace(day=1)
    services.set_plan(
        actor=company["admin"], manager=company["n_manager2"], month=month, amount=Decimal(5)
    )

    assert reports.plan_vs_fact(manager, months=[month]) == []
    with pytest.raises(PermissionDenied):
        services.set_plan(actor=manager, manager=manager, month=month, amount=Decimal(1))
    with pytest.raises(PermissionDenied):
        services.set_plan(
            actor=company["n_head"], manager=company["s_manager1"], month=month, amount=Decimal(1)
        )
    assert SalesPlan.objects.count() == 1


def test_a_head_sets_a_plan_on_the_page(client, company, pipeline):
    client.force_login(company["n_head"])
    month = timezone.localdate().replace(day=1)

    response = client.post(
        reverse("sales:plans"),
        {
            "manager": company["n_manager1"].pk,
            "month": month.strftime("%Y-%m"),
            "amount": "750",
            "currency": "EUR",
        },
    )

    assert response.status_code == 302
    assert SalesPlan.objects.get().amount == Decimal("750")
    page = client.get(reverse("sales:plans"))
    assert 'data-testid="plans"' in page.text and "n_manager1" in page.text


def test_a_manager_cannot_post_a_plan(client, company, pipeline):
    client.force_login(company["n_manager1"])

    response = client.post(reverse("sales:plans"), {"manager": company["n_manager1"].pk})

    assert response.status_code == 403
    assert not SalesPlan.objects.exists()
