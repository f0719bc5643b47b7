"""Exchange rates: conversion at the latest rate on or before a day, pages and API for them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from klientela.catalog import services
from klientela.catalog.models import ExchangeRate
from klientela.core.audit import history_for
from tests.apiclient import ApiClient, assert_documented

DAY = datetime.date(2026, 3, 10)


@pytest.fixture
def rates(db):
    for currency, day, value in (
        ("PLN", DAY - datetime.timedelta(days=10), "0.20"),
        ("PLN", DAY, "0.25"),
        ("RUB", DAY, "0.0105"),
    ):
        services.save_rate(actor=None, currency=currency, date=day, value=Decimal(value))


def test_an_amount_converts_at_the_latest_rate_on_or_before_its_day(rates):
    assert services.convert(Decimal("1000"), "PLN", DAY) == Decimal("250.00")
    assert services.convert(Decimal("1000"), "pln", DAY + datetime.timedelta(days=30)) == Decimal(
        "250.00"
    )
    assert services.convert(Decimal("1000"), "PLN", DAY - datetime.timedelta(days=1)) == Decimal(
        "200.00"
    )
    # 333 x 0.0105 = 3.4965, rounded half up to cents.
    assert services.convert(Decimal("333"), "RUB", DAY) == Decimal("3.50")
    assert services.convert(Decimal("12.34"), "EUR", DAY) == Decimal("12.34")


def test_no_rate_before_the_first_one_is_a_clear_error(rates):
    with pytest.raises(services.NoRate) as error:
        services.convert(Decimal(1), "PLN", DAY - datetime.timedelta(days=11))
    assert "No exchange rate from PLN to EUR on or before 2026-02-27" in error.value.messages[0]
    with pytest.raises(ValidationError):
        services.convert(Decimal(1), "USD", DAY)


def test_the_rate_table_marks_missing_rates_instead_of_failing(rates):
    table = services.Rates.load()

    assert table.convert(Decimal("10"), "PLN", DAY - datetime.timedelta(days=3)) == Decimal("2.00")
    assert table.convert(Decimal("10"), "USD", DAY) is None
    assert table.missing == {"USD"}
    assert services.add_amounts(Decimal(1), None) is None


def test_rates_follow_the_reporting_currency_setting(rates, settings):
    settings.KLIENTELA_REPORTING_CURRENCY = "PLN"

    with pytest.raises(services.NoRate):
        services.convert(Decimal(1), "EUR", DAY)
    assert services.convert(Decimal(7), "PLN", DAY) == Decimal(7)


def test_a_rate_is_positive_once_per_currency_and_day_and_entered_by_administrators(rates, company):
    for fields in (
        {"currency": "PLN", "date": DAY, "value": Decimal("0.3")},
        {"currency": "EURO", "date": DAY, "value": Decimal("1")},
        {"currency": "EUR", "date": DAY, "value": Decimal("1")},
        {"currency": "USD", "date": DAY, "value": Decimal("0")},
    ):
        with pytest.raises(ValidationError):
            services.save_rate(actor=company["admin"], **fields)
    with pytest.raises(PermissionDenied):
        services.save_rate(actor=company["n_head"], currency="USD", date=DAY, value=Decimal("0.9"))
    assert ExchangeRate.objects.count() == 3


def test_an_administrator_enters_corrects_and_deletes_a_rate_on_the_pages(client, company):
    client.force_login(company["admin"])

    created = client.post(
        reverse("catalog:rate_create"), {"currency": "usd", "date": "2026-03-01", "rate": "0.92"}
    )
    assert created.status_code == 302
    rate = ExchangeRate.objects.get()
    assert (rate.currency, rate.base, rate.rate) == ("USD", "EUR", Decimal("0.92"))
    listed = client.get(reverse("catalog:rates"))
    assert listed.status_code == 200 and "USD" in listed.text and "0.92" in listed.text

    edited = client.post(
        reverse("catalog:rate_edit", args=[rate.pk]),
        {"currency": "USD", "date": "2026-03-01", "rate": "0.93"},
    )
    assert edited.status_code == 302
    rate.refresh_from_db()
    assert rate.rate == Decimal("0.93")
    assert [entry.kind for entry in history_for(rate)] == ["update", "create"]

    assert client.get(reverse("catalog:rate_delete", args=[rate.pk])).status_code == 200
    assert client.post(reverse("catalog:rate_delete", args=[rate.pk])).status_code == 302
    assert not ExchangeRate.objects.exists()


@pytest.mark.parametrize("who", ["n_head", "n_manager1", "nobody"])
def test_only_administrators_reach_the_rate_pages(client, company, rates, who):
    rate = ExchangeRate.objects.first()
    client.force_login(company[who])

    assert client.get(reverse("catalog:rates")).status_code == 403
    assert client.get(reverse("catalog:rate_edit", args=[rate.pk])).status_code == 403
    edit = client.post(
        reverse("catalog:rate_edit", args=[rate.pk]),
        {"currency": rate.currency, "date": rate.date.isoformat(), "rate": "9"},
    )
    assert edit.status_code == 403
    assert client.post(reverse("catalog:rate_delete", args=[rate.pk])).status_code == 403
    assert client.post(reverse("catalog:rate_create"), {"currency": "USD"}).status_code == 403
    assert ExchangeRate.objects.count() == 3
    assert ExchangeRate.objects.get(pk=rate.pk).rate == rate.rate


def test_the_rate_api_round_trip(client, company):
    admin = ApiClient(client, company["admin"])

    created = admin.post(
        "/exchange-rates", {"currency": "PLN", "date": "2026-03-01", "rate": "0.23"}
    )
    assert created.status_code == 201, created.json()
    assert_documented(created, "/exchange-rates", "post")
    rate_id = created.json()["id"]
    assert created.json()["base"] == "EUR"

    changed = admin.put(
        f"/exchange-rates/{rate_id}", {"currency": "PLN", "date": "2026-03-01", "rate": "0.24"}
    )
    assert changed.status_code == 200 and Decimal(changed.json()["rate"]) == Decimal("0.24")
    listed = admin.get("/exchange-rates", currency="pln")
    assert listed.json()["count"] == 1
    assert_documented(listed, "/exchange-rates")
    assert admin.get(f"/exchange-rates/{rate_id}").status_code == 200

    converted = admin.get("/exchange-rates/convert", amount="100", currency="PLN", on="2026-03-05")
    assert converted.json() == {"amount": "24.00", "currency": "EUR"}
    too_early = admin.get("/exchange-rates/convert", amount="1", currency="PLN", on="2026-02-01")
    assert too_early.status_code == 422
    assert "No exchange rate" in too_early.json()["error"]["message"]
    duplicate = admin.post(
        "/exchange-rates", {"currency": "PLN", "date": "2026-03-01", "rate": "0.5"}
    )
    assert duplicate.status_code == 422

    assert admin.delete(f"/exchange-rates/{rate_id}").status_code == 204
    assert not ExchangeRate.objects.exists()


def test_only_administrators_write_rates_through_the_api(client, company, rates):
    rate = ExchangeRate.objects.first()
    head = ApiClient(client, company["n_head"])

    assert head.get("/exchange-rates").json()["count"] == 3
    refused = [
        head.post("/exchange-rates", {"currency": "USD", "date": "2026-03-01", "rate": "1"}),
        head.put(
            f"/exchange-rates/{rate.pk}",
            {"currency": rate.currency, "date": rate.date.isoformat(), "rate": "9"},
        ),
        head.delete(f"/exchange-rates/{rate.pk}"),
    ]

    assert [response.status_code for response in refused] == [403, 403, 403]
    assert ExchangeRate.objects.count() == 3
    assert ExchangeRate.objects.get(pk=rate.pk).rate == rate.rate
    assert ApiClient(client).get("/exchange-rates").status_code == 401
