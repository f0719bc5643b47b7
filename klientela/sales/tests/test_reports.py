"""The sales report against hand-counted figures, within the user's deals, and as XLSX."""

import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
from django.urls import reverse
from django.utils import timezone

from klientela.core.models import ReferenceItem
from klientela.customers.tests.factories import OrganizationFactory
from klientela.sales import reports, services
from klientela.sales.models import LOST_REASONS


def walk(manager, stages, title: str, path: list[str], **lost):
    deal = services.create_deal(actor=manager, title=title, amount=Decimal(100))
    for name in path:
        deal = services.move_deal(actor=manager, deal=deal, stage=stages[name], **lost)
    return deal


def test_conversion_lost_reasons_and_competitors_match_a_hand_count(company, stages, pipeline):
    manager = company["n_manager1"]
    price = ReferenceItem.objects.get(reference_list__key=LOST_REASONS, key="price")
    rival = OrganizationFactory(legal_name="Rival", responsible=manager)
    walk(manager, stages, "a", [])  # New only
    walk(manager, stages, "b", ["Qualified"])
    walk(manager, stages, "c", ["Qualified", "Proposal", "Won"])
    walk(manager, stages, "d", ["Proposal"])  # skips Qualified: it still got past it
    walk(manager, stages, "e", ["Qualified", "Lost"], lost_reason=price, competitor=rival)

    report = reports.sales_report(manager, pipeline)

    reached = {step.stage.name: step.reached for step in report.steps}
    assert reached == {"New": 5, "Qualified": 4, "Proposal": 2, "Negotiation": 1, "Won": 1}
    conversion = {step.stage.name: step.conversion for step in report.steps}
    assert conversion["Qualified"] == 4 / 5 and conversion["Proposal"] == 2 / 4
    assert (report.deals, report.won, report.lost) == (5, 1, 1)
    assert [(reason.label, reason.deals) for reason in report.reasons] == [("Price too high", 1)]
    assert report.competitors == [("Rival", 1)]
    assert all(step.average_days is not None for step in report.steps[:3])


def test_the_report_counts_only_the_deals_the_user_may_see(company, stages, pipeline):
    walk(company["n_manager1"], stages, "mine", ["Qualified"])
    walk(company["s_manager1"], stages, "theirs", ["Qualified"])

    assert reports.sales_report(company["n_manager1"], pipeline).deals == 1
    assert reports.sales_report(company["n_head"], pipeline).deals == 1
    assert reports.sales_report(company["admin"], pipeline).deals == 2


def test_the_report_page_and_its_xlsx(client, company, stages, pipeline):
    walk(company["n_manager1"], stages, "mine", ["Qualified"])
    client.force_login(company["n_head"])

    page = client.get(reverse("sales:report", args=[pipeline.pk]))
    workbook = client.get(reverse("sales:report", args=[pipeline.pk]), {"format": "xlsx"})

    assert page.status_code == 200 and 'data-testid="funnel"' in page.text
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:2] == ("New", 1) and rows[2][:3] == ("Qualified", 1, 100.0)


def test_a_manager_without_the_export_permission_gets_no_xlsx(client, company, pipeline):
    client.force_login(company["n_manager1"])

    response = client.get(reverse("sales:report", args=[pipeline.pk]), {"format": "xlsx"})

    assert response.status_code == 403


def test_won_and_lost_amounts_in_the_reporting_currency_match_a_hand_count(
    company, stages, pipeline
):
    from klientela.catalog.services import save_rate

    manager = company["n_manager1"]
    today = timezone.localdate()
    save_rate(actor=None, currency="PLN", date=today - timedelta(days=40), value=Decimal("0.2"))
    save_rate(actor=None, currency="PLN", date=today - timedelta(days=5), value=Decimal("0.25"))
    save_rate(actor=None, currency="RUB", date=today, value=Decimal("0.01"))
    price = ReferenceItem.objects.get(reference_list__key=LOST_REASONS, key="price")
    for title, amount, currency in (("a", "100", "EUR"), ("b", "1000", "PLN")):
        deal = services.create_deal(
            actor=manager, title=title, amount=Decimal(amount), currency=currency
        )
        services.move_deal(actor=manager, deal=deal, stage=stages["Won"])
    lost = services.create_deal(actor=manager, title="c", amount=Decimal(500), currency="RUB")
    services.move_deal(actor=manager, deal=lost, stage=stages["Lost"], lost_reason=price)

    report = reports.sales_report(manager, pipeline)

    # 100 EUR + 1000 PLN x 0.25 (the latest rate, 5 days ago); 500 RUB x 0.01.
    assert (report.currency, report.won_amount, report.lost_amount) == (
        "EUR",
        Decimal("350.00"),
        Decimal("5.00"),
    )
    assert [(reason.label, reason.amount) for reason in report.reasons] == [
        ("Price too high", Decimal("5.00"))
    ]
    assert report.missing_rates == []


def test_an_amount_without_a_rate_is_marked_not_summed(client, company, stages, pipeline):
    manager = company["n_manager1"]
    deal = services.create_deal(actor=manager, title="a", amount=Decimal(10), currency="USD")
    services.move_deal(actor=manager, deal=deal, stage=stages["Won"])

    report = reports.sales_report(manager, pipeline)
    client.force_login(manager)
    page = client.get(reverse("sales:report", args=[pipeline.pk]))

    assert report.won_amount is None and report.missing_rates == ["USD"]
    assert 'data-testid="missing-rates"' in page.text and "no rate" in page.text
