"""Plans per manager, team, region and product category, per month or quarter, against won
deals (fact) and open deals x probability (forecast); who sets and sees which plans."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from klientela.catalog import services as catalog
from klientela.catalog.models import Category
from klientela.catalog.services import Rates, save_rate
from klientela.customers import services as customers
from klientela.sales import reports, services
from klientela.sales.models import SalesPlan


@pytest.fixture
def month():
    return timezone.localdate().replace(day=1)


def won(manager, stages, title, amount, currency="EUR", **fields):
    deal = services.create_deal(
        actor=manager, title=title, amount=Decimal(amount), currency=currency, **fields
    )
    return services.move_deal(actor=manager, deal=deal, stage=stages["Won"])


def summary(rows) -> list[tuple]:
    return [
        (str(row.subject), str(row.team or ""), row.plan, row.fact, row.weighted) for row in rows
    ]


def test_plan_fact_and_forecast_against_a_hand_count(company, stages, month):
    manager, head = company["n_manager1"], company["n_head"]
    services.set_plan(actor=head, manager=manager, starts=month, amount=Decimal("1000"))
    won(manager, stages, "won", "400")
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

    rows = reports.plan_vs_fact(head, starts=[month])

    assert [(row.subject, row.plan, row.fact, row.weighted) for row in rows] == [
        (manager, Decimal("1000.00"), Decimal("400.00"), Decimal("400.00"))  # 100 + 300
    ]
    assert rows[0].done_percent == 40


def test_a_manager_sees_only_their_own_row_and_may_not_set_plans(company, pipeline, month):
    manager = company["n_manager1"]
    services.set_plan(
        actor=company["admin"], manager=company["n_manager2"], starts=month, amount=Decimal(5)
    )

    assert reports.plan_vs_fact(manager, starts=[month]) == []
    assert reports.plan_dimensions(manager) == ["manager"]
    assert reports.plan_vs_fact(manager, starts=[month], dimension="region") == []
    assert reports.plan_vs_fact(manager, starts=[month], dimension="team") == []
    with pytest.raises(PermissionDenied):
        services.set_plan(actor=manager, manager=manager, starts=month, amount=Decimal(1))
    with pytest.raises(PermissionDenied):
        services.set_plan(
            actor=company["n_head"], manager=company["s_manager1"], starts=month, amount=Decimal(1)
        )
    assert SalesPlan.objects.count() == 1


def test_team_plans_by_quarter_count_the_teams_won_deals(company, stages, month):
    head, admin = company["n_head"], company["admin"]
    north = head.team
    quarter = services.period_start(month, "quarter")
    # Any day of the quarter names the quarter.
    plan = services.set_plan(
        actor=head,
        dimension="team",
        period="quarter",
        team=north,
        starts=quarter + timedelta(days=40),
        amount=Decimal("2000"),
    )
    won(company["n_manager1"], stages, "a", "400")
    won(company["n_manager2"], stages, "b", "600")
    won(company["s_manager1"], stages, "c", "9000")

    as_admin = reports.plan_vs_fact(admin, starts=[quarter], dimension="team", period="quarter")
    as_head = reports.plan_vs_fact(head, starts=[quarter], dimension="team", period="quarter")

    assert (plan.starts, plan.period) == (quarter, "quarter")
    assert summary(as_admin) == [
        ("North", "", Decimal("2000.00"), Decimal("1000.00"), Decimal(0)),
        ("South", "", None, Decimal("9000.00"), Decimal(0)),
    ]
    assert summary(as_head) == summary(as_admin)[:1]
    assert as_head[0].done_percent == 50 and as_head[0].quarter == (quarter.month - 1) // 3 + 1
    # A month plan is another plan: the quarter's table does not show it.
    services.set_plan(actor=head, dimension="team", team=north, starts=month, amount=Decimal(1))
    assert (
        len(reports.plan_vs_fact(head, starts=[quarter], dimension="team", period="quarter")) == 1
    )


def organization(manager, name: str, region: str):
    return customers.create_organization(
        actor=manager,
        legal_name=name,
        addresses=[{"line": f"{name} street 1", "region": region, "is_primary": True}],
    )


def test_region_plans_count_won_deals_of_clients_in_the_region(company, stages, month):
    admin, head = company["admin"], company["n_head"]
    north_manager, south_manager = company["n_manager1"], company["s_manager1"]
    acme = organization(north_manager, "Acme", "Moscow")
    beta = organization(north_manager, "Beta", "Kazan")
    gamma = organization(south_manager, "Gamma", " moscow ")
    won(north_manager, stages, "acme", "300", organization=acme)
    won(north_manager, stages, "beta", "200", organization=beta)
    won(south_manager, stages, "gamma", "1000", organization=gamma)
    won(north_manager, stages, "nowhere", "50")  # no client: no region
    services.create_deal(
        actor=north_manager,
        title="open",
        amount=Decimal("1000"),
        organization=acme,
        expected_close=month,
    )  # New: 10%
    services.set_plan(
        actor=admin, dimension="region", region="Moscow", starts=month, amount=Decimal("5000")
    )
    services.set_plan(
        actor=head,
        dimension="region",
        region="MOSCOW",
        team=head.team,
        starts=month,
        amount=Decimal("1000"),
    )

    as_admin = reports.plan_vs_fact(admin, starts=[month], dimension="region")
    as_head = reports.plan_vs_fact(head, starts=[month], dimension="region")

    assert summary(as_admin) == [
        ("Kazan", "", None, Decimal("200.00"), Decimal(0)),
        ("Moscow", "", Decimal("5000.00"), Decimal("1300.00"), Decimal("100.00")),
        ("MOSCOW", "North", Decimal("1000.00"), Decimal("300.00"), Decimal("100.00")),
    ]
    assert summary(as_head) == [
        ("Kazan", "North", None, Decimal("200.00"), Decimal(0)),
        ("MOSCOW", "North", Decimal("1000.00"), Decimal("300.00"), Decimal("100.00")),
    ]
    # The same region in another case is the same plan.
    services.set_plan(
        actor=admin, dimension="region", region="moscow", starts=month, amount=Decimal("6000")
    )
    assert SalesPlan.objects.filter(dimension="region", team=None).get().amount == Decimal(6000)


@pytest.fixture
def products(db):
    licence = catalog.save_product(
        actor=None,
        name="Licence",
        sku="L",
        tax_rate=Decimal(20),
        category=Category.objects.create(name="Software"),
    )
    training = catalog.save_product(
        actor=None,
        name="Training",
        sku="T",
        tax_rate=Decimal(0),
        category=Category.objects.create(name="Training"),
    )
    return licence, training


def test_category_plans_count_the_lines_of_won_deals(company, stages, month, products):
    admin, manager = company["admin"], company["n_manager1"]
    licence, training = products
    sold = services.create_deal(actor=manager, title="sold")
    services.add_line(
        actor=manager, deal=sold, product=licence, quantity=2, unit_price=Decimal(100)
    )
    services.add_line(
        actor=manager,
        deal=sold,
        product=training,
        unit_price=Decimal(300),
        discount_percent=Decimal(10),
    )
    sold.refresh_from_db()
    services.move_deal(actor=manager, deal=sold, stage=stages["Won"])
    hoped = services.create_deal(actor=manager, title="hoped", expected_close=month)
    services.add_line(actor=manager, deal=hoped, product=licence, unit_price=Decimal(100))
    services.set_deal_discount(actor=manager, deal=hoped, discount_percent=Decimal(50))
    services.update_deal(actor=manager, deal=hoped, probability=50)
    software = licence.category
    services.set_plan(
        actor=admin, dimension="category", category=software, starts=month, amount=Decimal(1000)
    )

    rows = reports.plan_vs_fact(admin, starts=[month], dimension="category")

    # Won: licences 2 x 100 = 200 + 20% tax = 240; training 300 - 10% = 270 (no tax); the deal's
    # amount 510 is their sum. Open: 100 - 50% deal discount = 50 + 20% tax = 60, x 50% = 30.
    assert sold.amount == Decimal("510.00")
    assert summary(rows) == [
        ("Software", "", Decimal("1000.00"), Decimal("240.00"), Decimal("30.00")),
        ("Training", "", None, Decimal("270.00"), Decimal(0)),
    ]
    assert rows[0].done_percent == 24


def test_heads_plan_their_team_administrators_everyone(company, month, products):
    head, admin, manager = company["n_head"], company["admin"], company["n_manager1"]
    north, south = head.team, company["s_head"].team
    software = products[0].category

    services.set_plan(actor=head, dimension="team", team=north, starts=month, amount=Decimal(1))
    services.set_plan(
        actor=head,
        dimension="category",
        category=software,
        team=north,
        starts=month,
        amount=Decimal(1),
    )
    refused = [
        {"dimension": "team", "team": south},
        {"dimension": "region", "region": "Moscow"},  # the whole company
        {"dimension": "category", "category": software, "team": south},
    ]
    for fields in refused:
        with pytest.raises(PermissionDenied):
            services.set_plan(actor=head, starts=month, amount=Decimal(1), **fields)
    with pytest.raises(PermissionDenied):
        services.set_plan(
            actor=manager, dimension="team", team=north, starts=month, amount=Decimal(1)
        )
    with pytest.raises(ValidationError):
        services.set_plan(actor=admin, dimension="region", region="  ", starts=month, amount=1)
    services.set_plan(actor=admin, dimension="region", region="Moscow", starts=month, amount=1)

    assert SalesPlan.objects.count() == 3
    team_plan = SalesPlan.objects.get(dimension="team")
    with pytest.raises(PermissionDenied):
        services.delete_plan(actor=company["s_head"], plan=team_plan)
    services.delete_plan(actor=head, plan=team_plan)
    assert SalesPlan.objects.count() == 2


def test_a_head_sets_a_plan_on_the_page(client, company, pipeline, month):
    client.force_login(company["n_head"])

    response = client.post(
        reverse("sales:plans"),
        {
            "manager": company["n_manager1"].pk,
            "period": "month",
            "starts": month.strftime("%Y-%m"),
            "amount": "750",
            "currency": "EUR",
        },
    )

    assert response.status_code == 302
    assert SalesPlan.objects.get().amount == Decimal("750")
    page = client.get(reverse("sales:plans"))
    assert 'data-testid="plans"' in page.text and "n_manager1" in page.text


def test_a_head_sets_a_team_plan_for_a_quarter_on_the_page(client, company, pipeline, month):
    head = company["n_head"]
    client.force_login(head)
    url = reverse("sales:plans") + "?dimension=team&period=quarter"

    page = client.get(url)
    response = client.post(
        url,
        {
            "team": head.team.pk,
            "period": "quarter",
            "starts": month.strftime("%Y-%m"),
            "amount": "3000",
            "currency": "eur",
        },
    )
    refused = client.post(
        reverse("sales:plans") + "?dimension=team",
        {
            "team": company["s_head"].team.pk,
            "period": "month",
            "starts": month.strftime("%Y-%m"),
            "amount": "1",
            "currency": "EUR",
        },
    )

    assert page.status_code == 200 and 'aria-current="page">Teams<' in page.text
    assert f'value="{services.period_start(month, "quarter"):%Y-%m}"' in page.text
    assert response.status_code == 302 and response["Location"] == url
    plan = SalesPlan.objects.get()
    assert (plan.dimension, plan.team, plan.period, plan.currency) == (
        "team",
        head.team,
        "quarter",
        "EUR",
    )
    assert plan.starts == services.period_start(month, "quarter")
    assert refused.status_code == 200 and "Select a valid choice" in refused.text
    shown = client.get(url)
    assert "North" in shown.text and "€3,000.00" in shown.text


@pytest.mark.parametrize("dimension", ["manager", "team", "region", "category"])
def test_a_manager_cannot_post_a_plan(client, company, pipeline, dimension, month):
    client.force_login(company["n_manager1"])

    response = client.post(
        reverse("sales:plans") + f"?dimension={dimension}",
        {
            "manager": company["n_manager1"].pk,
            "team": company["n_manager1"].team_id,
            "region": "Moscow",
            "period": "month",
            "starts": month.strftime("%Y-%m"),
            "amount": "1",
            "currency": "EUR",
        },
    )

    assert response.status_code == 403
    assert not SalesPlan.objects.exists()


def test_removing_a_plan_on_the_page(client, company, pipeline, month):
    plan = services.set_plan(
        actor=None, manager=company["n_manager1"], starts=month, amount=Decimal(5)
    )
    client.force_login(company["s_head"])
    assert client.post(reverse("sales:plan_delete", args=[plan.pk])).status_code == 403
    assert SalesPlan.objects.exists()
    client.force_login(company["n_head"])

    response = client.post(
        reverse("sales:plan_delete", args=[plan.pk]), {"back": "?dimension=manager"}
    )

    assert response.status_code == 302 and response["Location"].endswith("?dimension=manager")
    assert not SalesPlan.objects.exists()


def test_plan_fact_and_forecast_in_the_reporting_currency(client, company, stages, month):
    manager, head = company["n_manager1"], company["n_head"]
    today = timezone.localdate()
    save_rate(actor=None, currency="PLN", date=month - timedelta(days=1), value=Decimal("0.2"))
    save_rate(actor=None, currency="PLN", date=today, value=Decimal("0.25"))
    services.set_plan(actor=head, manager=manager, starts=month, amount=Decimal("1000"))
    services.set_plan(
        actor=head, manager=manager, starts=month, amount=Decimal("5000"), currency="PLN"
    )
    won(manager, stages, "won", "400", "PLN")
    services.create_deal(
        actor=manager, title="open", amount=Decimal("2000"), currency="PLN", expected_close=month
    )  # New: 10%
    won(manager, stages, "euro", "300")

    rows = reports.plan_vs_fact(head, starts=[month], rates=Rates.load())

    # Plan: 1000 + 5000 PLN x 0.2 (the rate on the month's first day) = 2000.
    # Fact: 300 + 400 PLN x 0.25 (closed today) = 400. Forecast: 200 PLN x 0.2 (on the 1st) = 40.
    # (On the first day of a month today's rate is already the month's.)
    first_day_rate = Decimal("0.25") if today == month else Decimal("0.2")
    assert [(row.currency, row.plan, row.fact, row.weighted) for row in rows] == [
        ("EUR", 1000 + 5000 * first_day_rate, Decimal("400.00"), 200 * first_day_rate)
    ]
    assert rows[0].done_percent == (20 if today != month else 17)
    client.force_login(head)
    page = client.get(reverse("sales:plans"), {"amounts": "reporting"})
    assert "€400.00" in page.text and '<option value="reporting" selected>All in EUR' in page.text


def test_a_plan_without_a_rate_shows_no_rate(company, pipeline, month):
    head = company["n_head"]
    services.set_plan(
        actor=head, manager=company["n_manager1"], starts=month, amount=Decimal(1), currency="USD"
    )
    rates = Rates.load()

    rows = reports.plan_vs_fact(head, starts=[month], rates=rates)

    assert (rows[0].plan, rows[0].plan_missing_rate, rates.missing) == (None, True, {"USD"})


def test_plan_vs_fact_downloads_as_xlsx_and_only_with_the_export_right(
    client, company, stages, month
):
    import io

    from openpyxl import load_workbook

    from klientela.accounts.models import RolePermission

    manager, head = company["n_manager1"], company["n_head"]
    services.set_plan(actor=head, manager=manager, starts=month, amount=Decimal("1000"))
    won(manager, stages, "won", "400")
    client.force_login(head)
    response = client.get(reverse("sales:plans"), {"dimension": "manager", "format": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Month", "Manager", "Currency")
    assert rows[1][1:] == ("n_manager1", "EUR", 1000.0, 400.0, 40, 0.0)
    RolePermission.objects.filter(role=head.role, entity="deal", action="export").delete()
    refused = client.get(reverse("sales:plans"), {"format": "xlsx"})
    assert refused.status_code == 403
