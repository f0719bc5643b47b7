"""Deals and products from files: names of pipelines, stages, managers and price lists become
links; every refused row says which column and why; undo takes everything back."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile

from klientela.catalog.models import Category, Price, PriceList, Product
from klientela.catalog.services import save_product
from klientela.customers.models import Organization
from klientela.customers.services.organizations import create_organization
from klientela.imports.models import Import
from klientela.imports.services import batches
from klientela.sales.models import Deal, StageChange
from klientela.sales.services import ensure_sales_defaults

from .conftest import csv_bytes, run, xlsx_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_deals_with_clients_stages_managers_and_errors(company):
    ensure_sales_defaults()
    head = company["n_head"]
    known = create_organization(actor=head, legal_name="Ромашка")
    rows = [
        [
            "Сделка",
            "Клиент",
            "Сумма",
            "Валюта",
            "Этап",
            "Дата закрытия",
            "Ответственный",
            "Источник",
        ],
        ["Поставка", "Ромашка", "1 234,50", "rub", "Proposal", "31.12.2026", "n_manager1", "Сайт"],
        ["Сервис", "Лютик", "500", "EUR", "", "", "", ""],
        ["Нет этапа", "Лютик", "10", "EUR", "Nowhere", "", "", ""],
        ["", "Ромашка", "10", "EUR", "", "", "", ""],
        ["Чужой менеджер", "", "10", "EUR", "", "", "s_manager1", ""],
    ]
    batch = run(head, "deal", csv_bytes(rows, delimiter=";"), region="RU")
    assert batch.status == Import.Status.DONE
    assert (batch.rows, batch.created, batch.failed) == (5, 2, 3)
    supply = Deal.objects.get(title="Поставка")
    assert supply.organization == known
    assert (supply.amount, supply.currency) == (Decimal("1234.50"), "RUB")
    assert supply.stage.name == "Proposal"
    assert supply.expected_close == datetime.date(2026, 12, 31)
    assert supply.responsible == company["n_manager1"]
    assert supply.source.key == "website"
    assert StageChange.objects.filter(deal=supply, to_stage=supply.stage).exists()
    service = Deal.objects.get(title="Сервис")
    assert service.organization.name == "Лютик" and service.responsible == head
    assert service.stage.name == "New"
    assert Organization.objects.filter(name="Лютик").count() == 1
    report = batch.error_report.read().decode("utf-8", errors="ignore")
    assert "Nowhere" not in report or "Этап" in report

    from openpyxl import load_workbook

    batch.error_report.open("rb")
    sheet = load_workbook(batch.error_report).active
    errors = [row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert any("Этап" in error and "Nowhere" in error for error in errors)
    assert any("Сделка" in error for error in errors)
    assert len(errors) == 3

    batches.undo_import(actor=head, batch=batch)
    assert not Deal.objects.exists()
    assert list(Organization.objects.values_list("name", flat=True)) == ["Ромашка"]


def test_products_with_prices_in_file_duplicates_and_updates(company):
    admin = company["admin"]
    retail = PriceList.objects.create(name="Retail", currency="PLN", is_default=True)
    wholesale = PriceList.objects.create(name="Hurt", currency="PLN")
    existing = save_product(actor=admin, name="Stary", sku="AB-1", unit="pcs")
    rows = [
        ["Nazwa", "Indeks", "Kategoria", "Jednostka", "Stawka VAT", "Aktywny", "Cena", "Cennik"],
        ["Śruba", "ab-1", "Złącza", "szt", "23", "tak", "1 200,00", ""],
        ["Nakrętka", "CD-2", "Złącza", "szt", "23", "nie", "0,50", "Hurt"],
        ["Nakrętka", "cd-2", "", "", "", "", "", ""],  # the same product again
        ["Podkładka", "EF-3", "", "szt", "23", "może", "1", ""],
        ["Zły cennik", "GH-4", "", "szt", "", "", "5", "Brak"],
    ]
    batch = run(admin, "product", xlsx_bytes(rows), name="produkty.xlsx", duplicates="update")
    assert (batch.rows, batch.created, batch.updated, batch.failed) == (5, 1, 2, 2)
    existing.refresh_from_db()
    assert (existing.name, existing.unit, existing.tax_rate) == ("Śruba", "szt", Decimal("23"))
    assert existing.category == Category.objects.get(name="Złącza")
    assert Price.objects.get(product=existing, price_list=retail).price == Decimal("1200.00")
    nut = Product.objects.get(sku="CD-2")
    assert nut.is_active is False
    assert Price.objects.get(product=nut, price_list=wholesale).price == Decimal("0.50")
    assert not Product.objects.filter(sku__in=["EF-3", "GH-4"]).exists()

    batches.undo_import(actor=admin, batch=batch)
    existing.refresh_from_db()
    assert (existing.name, existing.unit, existing.category) == ("Stary", "pcs", None)
    assert not Product.objects.filter(sku="CD-2").exists()


def test_only_administrators_import_products(company):
    with pytest.raises(PermissionDenied):
        batches.create_import(
            actor=company["n_head"],
            entity="product",
            upload=ContentFile(csv_bytes([["Name", "SKU"], ["A", "B"]])),
            filename="p.csv",
        )
    entities = {entity.key for entity in batches.importable_entities(company["n_head"])}
    assert "product" not in entities and "deal" in entities


def test_leads_from_a_file_keep_one_phone_and_one_email(company):
    from klientela.sales.models import Lead

    head = company["n_head"]
    rows = [
        ["Запрос", "ФИО", "Компания", "Телефон", "E-mail", "Ответственный", "Источник"],
        ["Нужен CRM", "Петров Пётр Иванович", "Лютик", "8 912 345-67-89", "p@lutik.ru", "", "Сайт"],
        ["Нужен CRM", "Петров Пётр", "Лютик", "+7 912 345 67 89, +7 495 111-22-33", "", "", ""],
        ["Без имени", "", "", "+7 912 000-00-00", "", "", ""],
    ]
    batch = run(head, "lead", csv_bytes(rows, delimiter=";"), region="RU")
    assert (batch.rows, batch.created, batch.updated, batch.failed) == (3, 1, 1, 1)
    lead = Lead.objects.get()
    assert (lead.title, lead.company_name, lead.last_name) == ("Нужен CRM", "Лютик", "Петров")
    assert lead.first_name == "Пётр Иванович"
    assert (lead.phone, lead.email, lead.source.key) == ("+79123456789", "p@lutik.ru", "website")
    assert lead.responsible == head
    batches.undo_import(actor=head, batch=batch)
    assert not Lead.objects.exists()
