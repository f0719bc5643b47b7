"""Manager performance: won, lost, win rate, average deal and cycle, weighted pipeline per
manager against a hand count; who sees whom; filters, XLSX and a query count that does not grow."""

import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from klientela.catalog.services import Rates, save_rate
from klientela.core.models import ReferenceItem
from klientela.sales import reports, services
from klientela.sales.models import LOST_REASONS, Deal


def close(manager, stages, title, amount, stage="Won", currency="EUR", age_days=0, **fields):
    deal = services.create_deal(
        actor=manager, title=title, amount=Decimal(amount), currency=currency, **fields
    )
    if age_days:
        Deal.objects.filter(pk=deal.pk).update(created_at=timezone.now() - timedelta(days=age_days))
        deal.refresh_from_db()
    reason = ReferenceItem.objects.get(reference_list__key=LOST_REASONS, key="price")
    return services.move_deal(
        actor=manager,
        deal=deal,
        stage=stages[stage],
        lost_reason=reason if stage == "Lost" else None,
    )


@pytest.fixture
def results(company, stages):
    north1, north2, south1 = company["n_manager1"], company["n_manager2"], company["s_manager1"]
    save_rate(
        actor=None,
        currency="PLN",
        date=timezone.localdate() - timedelta(days=30),
        value=Decimal("0.25"),
    )
    close(north1, stages, "a", "100", age_days=10)
    close(north1, stages, "b", "1000", currency="PLN", age_days=4)
    close(north1, stages, "c", "700", stage="Lost")
    services.create_deal(actor=north1, title="d", amount=Decimal("1000"))  # New: 10%
    hoped = services.create_deal(
        actor=north1, title="e", amount=Decimal("200"), currency="PLN", probability=50
    )
    assert hoped.effective_probability == 50
    close(north2, stages, "f", "300", stage="Lost")
    close(south1, stages, "g", "500", age_days=2)
    return company


def period():
    today = timezone.localdate()
    return {"since": today - timedelta(days=5), "until": today}


def test_the_figures_match_a_hand_count(results):
    head = results["n_head"]

    rows, total = reports.manager_performance(head, rates=Rates.load(), **period())

    assert [row.manager.username for row in rows] == ["n_manager1", "n_manager2"]
    first, second = rows
    # Won: 100 EUR + 1000 PLN x 0.25; open: 1000 x 10% + 200 PLN x 50% x 0.25.
    assert (first.won, first.won_amount, first.lost) == (2, Decimal("350.00"), 1)
    assert first.win_rate == pytest.approx(2 / 3)
    assert first.average_deal == Decimal("175.00")
    assert round(first.average_cycle_days, 1) == 7.0  # (10 + 4) / 2
    assert first.weighted == Decimal("125.00")
    assert (second.won, second.lost, second.win_rate, second.average_deal) == (0, 1, 0.0, None)
    assert (total.won, total.lost, total.won_amount, total.weighted) == (
        2,
        2,
        Decimal("350.00"),
        Decimal("125.00"),
    )
    assert total.win_rate == 0.5


def test_managers_see_themselves_heads_their_team_administrators_all(results):
    def names(user, **filters):
        rows, _total = reports.manager_performance(user, rates=Rates.load(), **period(), **filters)
        return [row.manager.username for row in rows]

    assert names(results["n_manager1"]) == ["n_manager1"]
    assert names(results["n_manager2"]) == ["n_manager2"]
    assert names(results["admin"]) == ["n_manager1", "n_manager2", "s_manager1"]
    south = results["s_head"].team
    assert names(results["admin"], team=south) == ["s_head", "s_manager1", "s_manager2"]
    # A head's team filter cannot reach another team.
    assert names(results["n_head"], team=south) == []


def test_the_period_and_pipeline_filters(results, stages):
    manager = results["n_manager1"]
    old = close(manager, stages, "old", "999")
    Deal.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=40))
    other = services.create_pipeline(
        actor=None, name="Partners", stages=[("Open", 10, "open", []), ("Won", 100, "won", [])]
    )
    won_elsewhere = services.create_deal(
        actor=manager, title="elsewhere", amount=Decimal(1), stage=other.stages.first()
    )
    services.move_deal(actor=manager, deal=won_elsewhere, stage=other.stages.last())
    pipeline = stages["Won"].pipeline

    rows, _total = reports.manager_performance(
        manager, rates=Rates.load(), pipeline=pipeline, **period()
    )
    everything, _total = reports.manager_performance(manager, rates=Rates.load(), **period())

    assert (rows[0].won, rows[0].won_amount) == (2, Decimal("350.00"))
    assert (everything[0].won, everything[0].won_amount) == (3, Decimal("351.00"))


def test_an_amount_without_a_rate_shows_no_rate(company, stages, client):
    manager = company["n_manager1"]
    close(manager, stages, "usd", "10", currency="USD")
    client.force_login(manager)

    page = client.get(reverse("sales:performance"))

    assert "no rate" in page.text and 'data-testid="missing-rates"' in page.text


def test_the_page_its_filters_and_xlsx_for_a_head(results, client):
    client.force_login(results["n_head"])
    today = timezone.localdate()
    query = {"since": (today - timedelta(days=5)).isoformat(), "until": today.isoformat()}

    page = client.get(reverse("sales:performance"), query)
    workbook = client.get(reverse("sales:performance"), {**query, "format": "xlsx"})

    assert page.status_code == 200 and 'data-testid="performance"' in page.text
    assert "n_manager1" in page.text and "s_manager1" not in page.text
    assert "€350.00" in page.text and "€125.00" in page.text
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:5] == ("n_manager1", 2, 350.0, 1, 66.7)
    assert rows[-1][0] == "Total" and rows[-1][1:4] == (2, 350.0, 2)


def test_a_manager_sees_the_page_but_may_not_export_it(results, client):
    client.force_login(results["n_manager1"])

    page = client.get(reverse("sales:performance"))
    workbook = client.get(reverse("sales:performance"), {"format": "xlsx"})

    assert page.status_code == 200 and "n_manager2" not in page.text
    assert "Export to XLSX" not in page.text
    assert workbook.status_code == 403


def test_no_role_no_page(company, client):
    client.force_login(company["nobody"])
    assert client.get(reverse("sales:performance")).status_code == 403
    client.logout()
    assert client.get(reverse("sales:performance")).status_code == 302


def test_a_wrong_period_is_said_next_to_the_field(company, client, pipeline):
    client.force_login(company["n_head"])

    page = client.get(reverse("sales:performance"), {"since": "2026-05-10", "until": "2026-05-01"})

    assert page.status_code == 200 and "The end comes before the start." in page.text


def test_the_number_of_queries_does_not_grow_with_managers_or_deals(company, stages, client):
    client.force_login(company["admin"])
    url = reverse("sales:performance")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    close(company["n_manager1"], stages, "a", "1")
    few = queries()
    for manager in ("n_manager2", "s_manager1", "s_manager2", "n_head"):
        for number in range(3):
            close(company[manager], stages, f"{manager}{number}", "5", age_days=number)
            services.create_deal(actor=company[manager], title="open", amount=Decimal(1))
        close(company[manager], stages, f"{manager}-lost", "5", stage="Lost")

    assert queries() == few
