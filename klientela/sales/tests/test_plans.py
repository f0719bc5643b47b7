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


def test_plan_fact_and_forecast_in_the_reporting_currency(client, company, stages, pipeline):
    from datetime import timedelta

    from klientela.catalog.services import Rates, save_rate

    manager, head = company["n_manager1"], company["n_head"]
    today = timezone.localdate()
    month = today.replace(day=1)
    save_rate(actor=None, currency="PLN", date=month - timedelta(days=1), value=Decimal("0.2"))
    save_rate(actor=None, currency="PLN", date=today, value=Decimal("0.25"))
    services.set_plan(actor=head, manager=manager, month=month, amount=Decimal("1000"))
    services.set_plan(
        actor=head, manager=manager, month=month, amount=Decimal("5000"), currency="PLN"
    )
    won = services.create_deal(actor=manager, title="won", amount=Decimal("400"), currency="PLN")
    services.move_deal(actor=manager, deal=won, stage=stages["Won"])
    services.create_deal(
        actor=manager, title="open", amount=Decimal("2000"), currency="PLN", expected_close=month
    )  # New: 10%
    euro = services.create_deal(actor=manager, title="euro", amount=Decimal("300"))
    services.move_deal(actor=manager, deal=euro, stage=stages["Won"])

    rows = reports.plan_vs_fact(head, months=[month], rates=Rates.load())

    # Plan: 1000 + 5000 PLN x 0.2 (the rate on the month's first day) = 2000.
    # Fact: 300 + 400 PLN x 0.25 (closed today) = 400. Forecast: 200 PLN x 0.2 (on the 1st) = 40.
    # (On the first day of a month today's rate is already the month's.)
    first_day_rate = Decimal("0.25") if today == month else Decimal("0.2")
    assert [(row.currency, row.plan, row.fact, row.weighted) for row in rows] == [
        ("EUR", 1000 + 5000 * first_day_rate, Decimal("400.00"), 200 * first_day_rate)
    ]
    assert rows[0].done_percent == (20 if today != month else 17)
    client.force_login(head)
    page = client.get(reverse("sales:plans"), {"in": "reporting"})
    assert "€400.00" in page.text and 'aria-current="page">All in EUR' in page.text


def test_a_plan_without_a_rate_shows_no_rate(client, company, pipeline):
    from klientela.catalog.services import Rates

    head = company["n_head"]
    month = timezone.localdate().replace(day=1)
    services.set_plan(
        actor=head, manager=company["n_manager1"], month=month, amount=Decimal(1), currency="USD"
    )
    rates = Rates.load()

    rows = reports.plan_vs_fact(head, months=[month], rates=rates)

    assert (rows[0].plan, rows[0].plan_missing_rate, rates.missing) == (None, True, {"USD"})
