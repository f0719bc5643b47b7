"""Deals and products as import entities: the sales and catalog services do the writing.

Cells name things as people write them (a pipeline, a stage, a manager, a price list); the
functions here turn those names into the objects the services take, and refuse a row with the
field's reason when a name matches nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from klientela.catalog.models import Category, PriceList, Product
from klientela.catalog.services import save_product, set_price
from klientela.core.models import ReferenceItem
from klientela.customers.models import SOURCES, Organization, Person
from klientela.sales.models import Deal, Lead, Pipeline, Stage
from klientela.sales.services import (
    EDITABLE_FIELDS,
    LEAD_FIELDS,
    create_deal,
    create_lead,
    delete_deal,
    delete_lead,
    update_deal,
    update_lead,
)

from .customers import DESCRIPTION, EMAIL, PHONE, SOURCE
from .entities import ImportEntity, ImportField, register_import_entity


def _named(queryset, name: str, *, key: str, message: str):
    """The row of ``queryset`` called ``name`` (any case); else the row is refused at ``key``."""
    found = queryset.filter(name__iexact=name.strip()).first()
    if found is None:
        raise ValidationError({key: message % {"name": name[:80]}})
    return found


def _user(name: str):
    users = get_user_model().objects.filter(is_active=True)
    name = name.strip()
    found = users.filter(Q(username__iexact=name) | Q(email__iexact=name)).first()
    if found is None:
        parts = name.split()
        if len(parts) >= 2:
            found = users.filter(
                Q(first_name__iexact=parts[0], last_name__iexact=" ".join(parts[1:]))
                | Q(last_name__iexact=parts[0], first_name__iexact=" ".join(parts[1:]))
            ).first()
    if found is None:
        raise ValidationError({"responsible": _("There is no user %(name)s.") % {"name": name}})
    return found


def _owner_source_currency(fields: dict) -> None:
    """What deals and leads share: the manager by name, the source by its key, the currency."""
    if fields.get("responsible"):
        fields["responsible"] = _user(fields["responsible"])
    if fields.get("source"):
        fields["source"] = ReferenceItem.objects.get(
            reference_list__key=SOURCES, key=fields["source"]
        )
    if fields.get("currency"):
        fields["currency"] = fields["currency"].strip().upper()


def deal_arguments(data: dict) -> dict:
    """Cleaned cells -> ``create_deal`` / ``update_deal`` arguments."""
    fields = dict(data)
    pipeline = None
    if fields.get("pipeline"):
        pipeline = _named(
            Pipeline.objects.filter(is_active=True),
            fields.pop("pipeline"),
            key="pipeline",
            message=_("There is no pipeline %(name)s."),
        )
        fields["pipeline"] = pipeline
    if fields.get("stage"):
        stages = (
            Stage.objects.filter(pipeline=pipeline)
            if pipeline
            else Stage.objects.filter(pipeline__is_active=True).order_by(
                "pipeline__order", "pipeline_id", "order"
            )
        )
        fields["stage"] = _named(
            stages,
            fields["stage"],
            key="stage",
            message=_("There is no stage %(name)s in this pipeline."),
        )
    _owner_source_currency(fields)
    if fields.get("probability") is not None:
        fields["probability"] = int(fields["probability"])
    return fields


def _create_deal(*, actor, data: dict) -> Deal:
    return create_deal(actor=actor, **{"title": "", **deal_arguments(data)})


def _update_deal(*, actor, record: Deal, data: dict) -> Deal:
    fields = deal_arguments(data)
    for name, model in (("organization", Organization), ("person", Person)):
        if isinstance(fields.get(name), int):  # a snapshot's id
            fields[name] = model.objects.get(pk=fields[name])
    for name in ("pipeline", "stage"):  # a stage is changed by moving the deal, not here
        fields.pop(name, None)
    custom = fields.pop("custom", None)
    fields = {name: value for name, value in fields.items() if name in EDITABLE_FIELDS}
    return update_deal(actor=actor, deal=record, custom=custom, **fields)


def deal_snapshot(record: Deal) -> dict:
    """What undo gives back to ``_update_deal`` (JSON: links by id, numbers as text)."""
    return {
        "title": record.title,
        "organization": record.organization_id,
        "person": record.person_id,
        "amount": None if record.amount is None else str(record.amount),
        "currency": record.currency,
        "expected_close": record.expected_close.isoformat() if record.expected_close else None,
        "probability": record.probability,
        "responsible": record.responsible.username,
        "source": record.source.key if record.source_id else None,
        "custom": dict(record.custom or {}),
    }


DEALS = ImportEntity(
    key="deal",
    label=_lazy("Deals"),
    model=Deal,
    create=_create_deal,
    update=_update_deal,
    delete=lambda *, actor, record: delete_deal(actor=actor, deal=record),
    snapshot=deal_snapshot,
    fields=(
        ImportField(
            "title",
            _lazy("Title"),
            synonyms=(
                "title",
                "deal",
                "deal name",
                "opportunity",
                "сделка",
                "название сделки",
                "название",
                "szansa",
                "transakcja",
                "nazwa",
                "posel",
                "priložnost",
                "naziv",
            ),
        ),
        ImportField(
            "organization",
            _lazy("Organization"),
            kind="organization",
            synonyms=(
                "organization",
                "company",
                "client",
                "account",
                "организация",
                "компания",
                "клиент",
                "контрагент",
                "firma",
                "klient",
                "organizacja",
                "podjetje",
                "stranka",
                "organizacija",
            ),
        ),
        ImportField(
            "amount",
            _lazy("Amount"),
            kind="number",
            synonyms=("amount", "value", "sum", "сумма", "бюджет", "kwota", "wartość", "znesek"),
        ),
        ImportField(
            "currency",
            _lazy("Currency"),
            synonyms=("currency", "валюта", "waluta", "valuta"),
        ),
        ImportField(
            "pipeline",
            _lazy("Pipeline"),
            synonyms=("pipeline", "воронка", "lejek", "lijak", "prodajni lijak"),
        ),
        ImportField(
            "stage",
            _lazy("Stage"),
            synonyms=("stage", "status", "этап", "стадия", "etap", "faza", "stopnja"),
        ),
        ImportField(
            "expected_close",
            _lazy("Expected close date"),
            kind="date",
            synonyms=(
                "close date",
                "expected close",
                "expected close date",
                "дата закрытия",
                "ожидаемая дата закрытия",
                "data zamknięcia",
                "datum zaključka",
            ),
        ),
        ImportField(
            "probability",
            _lazy("Probability, %"),
            kind="number",
            synonyms=("probability", "вероятность", "prawdopodobieństwo", "verjetnost"),
        ),
        ImportField(
            "responsible",
            _lazy("Responsible (user name, e-mail or full name)"),
            synonyms=(
                "responsible",
                "owner",
                "manager",
                "ответственный",
                "менеджер",
                "odpowiedzialny",
                "opiekun",
                "handlowiec",
                "odgovorni",
                "skrbnik",
            ),
        ),
        SOURCE,
    ),
    duplicate_keys=(),
)


# ---------------------------------------------------------------- leads


def lead_arguments(data: dict) -> dict:
    """Cleaned cells -> ``create_lead`` arguments: a lead keeps one phone and one e-mail."""
    fields = dict(data)
    phones, emails = fields.pop("phones", []), fields.pop("emails", [])
    if phones:
        fields["phone"] = phones[0]["number"]
    if emails:
        fields["email"] = emails[0]["address"]
    _owner_source_currency(fields)
    custom = fields.pop("custom", None)
    # A full name split in three: a lead has no middle name, it stays with the first.
    if fields.get("middle_name"):
        fields["first_name"] = f"{fields.get('first_name', '')} {fields['middle_name']}".strip()
    fields = {name: value for name, value in fields.items() if name in LEAD_FIELDS}
    if custom is not None:
        fields["custom"] = custom
    return fields


def lead_snapshot(record: Lead) -> dict:
    values = {name: getattr(record, name) for name in LEAD_FIELDS}
    values["amount"] = None if record.amount is None else str(record.amount)
    values["source"] = record.source.key if record.source_id else None
    values["responsible"] = record.responsible.username
    return {**values, "custom": dict(record.custom or {})}


LEADS = ImportEntity(
    key="lead",
    label=_lazy("Leads"),
    model=Lead,
    create=lambda *, actor, data: create_lead(actor=actor, **{"title": "", **lead_arguments(data)}),
    update=lambda *, actor, record, data: update_lead(
        actor=actor, lead=record, **lead_arguments(data)
    ),
    delete=lambda *, actor, record: delete_lead(actor=actor, lead=record),
    snapshot=lead_snapshot,
    fields=(
        ImportField(
            "title",
            _lazy("Request"),
            synonyms=(
                "request",
                "subject",
                "title",
                "запрос",
                "обращение",
                "тема",
                "zapytanie",
                "temat",
                "povpraševanje",
                "zadeva",
            ),
        ),
        ImportField(
            "full_name",
            _lazy("Full name (split into parts)"),
            kind="name",
            synonyms=(
                "name",
                "full name",
                "contact",
                "фио",
                "контакт",
                "imię i nazwisko",
                "ime in priimek",
            ),
        ),
        ImportField("first_name", _lazy("First name"), synonyms=("first name", "имя", "imię")),
        ImportField(
            "last_name",
            _lazy("Last name"),
            synonyms=("last name", "фамилия", "nazwisko", "priimek"),
        ),
        ImportField(
            "company_name",
            _lazy("Company"),
            synonyms=("company", "organization", "компания", "организация", "firma", "podjetje"),
        ),
        ImportField(
            "position", _lazy("Position"), synonyms=("position", "должность", "stanowisko")
        ),
        PHONE,
        EMAIL,
        ImportField(
            "amount", _lazy("Amount"), kind="number", synonyms=("amount", "сумма", "kwota")
        ),
        ImportField("currency", _lazy("Currency"), synonyms=("currency", "валюта", "waluta")),
        ImportField(
            "responsible",
            _lazy("Responsible (user name, e-mail or full name)"),
            synonyms=("responsible", "manager", "ответственный", "менеджер", "odpowiedzialny"),
        ),
        SOURCE,
        DESCRIPTION,
    ),
    duplicate_keys=("phones", "emails"),
)


# ---------------------------------------------------------------- products


def _price_list(name: str | None) -> PriceList:
    if name:
        return _named(
            PriceList.objects.filter(is_active=True),
            name,
            key="price_list",
            message=_("There is no price list %(name)s."),
        )
    found = PriceList.objects.filter(is_active=True, is_default=True).order_by("pk").first()
    if found is None:
        raise ValidationError({"price": _("Create a price list first, or name one in the file.")})
    return found


def product_arguments(data: dict) -> tuple[dict, Decimal | None, str | None]:
    """Cleaned cells -> ``save_product`` fields, the price and its price list's name."""
    fields = dict(data)
    price = fields.pop("price", None)
    price_list = fields.pop("price_list", None)
    if fields.get("category"):
        fields["category"], _created = Category.objects.get_or_create(
            name=fields["category"].strip()[:100]
        )
    elif "category" in fields:
        fields["category"] = None
    return fields, price, price_list


def _save_product(*, actor, record: Product | None, data: dict) -> Product:
    fields, price, price_list = product_arguments(data)
    product = save_product(actor=actor, product=record, **fields)
    if price is not None:
        set_price(actor=actor, price_list=_price_list(price_list), product=product, price=price)
    return product


def product_snapshot(record: Product) -> dict:
    return {
        "name": record.name,
        "sku": record.sku,
        "category": record.category.name if record.category_id else "",
        "unit": record.unit,
        "description": record.description,
        "tax_rate": str(record.tax_rate),
        "is_active": record.is_active,
    }


def _delete_product(*, actor, record: Product) -> None:
    record.delete()


PRODUCTS = ImportEntity(
    key="product",
    label=_lazy("Products"),
    model=Product,
    create=lambda *, actor, data: _save_product(actor=actor, record=None, data=data),
    update=lambda *, actor, record, data: _save_product(actor=actor, record=record, data=data),
    delete=_delete_product,
    snapshot=product_snapshot,
    natural_key="sku",
    permitted=lambda user: bool(getattr(user, "is_admin", False)),
    fields=(
        ImportField(
            "name",
            _lazy("Name"),
            synonyms=(
                "name",
                "product",
                "product name",
                "item",
                "название",
                "наименование",
                "товар",
                "nazwa",
                "produkt",
                "towar",
                "naziv",
                "izdelek",
                "artikel",
            ),
        ),
        ImportField(
            "sku",
            _lazy("SKU"),
            synonyms=(
                "sku",
                "code",
                "article",
                "part number",
                "артикул",
                "код",
                "kod",
                "indeks",
                "symbol",
                "šifra",
                "koda",
            ),
        ),
        ImportField(
            "category",
            _lazy("Category"),
            synonyms=("category", "group", "категория", "группа", "kategoria", "kategorija"),
        ),
        ImportField(
            "unit",
            _lazy("Unit"),
            synonyms=("unit", "uom", "ед. изм.", "единица", "jednostka", "j.m.", "enota", "em"),
        ),
        ImportField(
            "tax_rate",
            _lazy("Tax rate, %"),
            kind="number",
            synonyms=("tax", "vat", "tax rate", "ндс", "ставка ндс", "vat %", "stawka vat", "ddv"),
        ),
        ImportField(
            "is_active",
            _lazy("Active"),
            kind="boolean",
            synonyms=("active", "активен", "активный", "aktywny", "aktiven"),
        ),
        ImportField(
            "price",
            _lazy("Price"),
            kind="number",
            synonyms=("price", "цена", "стоимость", "cena", "cena netto", "cena"),
        ),
        ImportField(
            "price_list",
            _lazy("Price list (the default one when empty)"),
            synonyms=("price list", "прайс-лист", "прайс", "cennik", "cenik"),
        ),
        DESCRIPTION,
    ),
    duplicate_keys=("sku",),
)


def register() -> None:
    register_import_entity(LEADS)
    register_import_entity(DEALS)
    register_import_entity(PRODUCTS)
