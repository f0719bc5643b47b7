"""The one registry of custom field types: how each type cleans, edits, shows, filters and sorts.

A value is cleaned into its JSON form before it is stored: text as a string, number as a JSON
number (an int, or a float holding at most 15 significant digits so it reads back exactly),
money as ``{"amount": "123.45", "currency": "EUR"}`` with a Decimal string, date as an ISO
string, boolean as true/false, choice as the item key, multi-choice as a list of item keys, user
as the user id.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from babel import numbers as babel_numbers
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, OuterRef, Subquery, Value, When
from django.db.models.functions import Cast, Concat, Lower
from django.db.models.lookups import (
    Exact,
    GreaterThanOrEqual,
    IContains,
    LessThanOrEqual,
)
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from klientela.core import formatting

from .expressions import JSONKeyIn, has_key, key_date, key_number, key_text

SIGNIFICANT_DIGITS = 15
YES_WORDS = {"true", "yes", "1", "on", "да", "tak", "da"}
NO_WORDS = {"false", "no", "0", "off", "нет", "nie", "ne"}


def invalid(message, **params) -> ValidationError:
    return ValidationError(message, params=params or None)


def as_decimal(value: Any) -> Decimal:
    """A Decimal from what forms, JSON and spreadsheets give: 12, 12.5, "12.5", "12,5"."""
    if isinstance(value, bool):
        raise invalid(_("Enter a number."))
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str):
        value = value.strip().replace(" ", "").replace("\u00a0", "")
        if "," in value and "." not in value:
            value = value.replace(",", ".")
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise invalid(_("Enter a number.")) from None
    if not number.is_finite():
        raise invalid(_("Enter a number."))
    return number


def json_number(number: Decimal) -> int | float:
    """An int, or a float that prints back as the same decimal (given 15 significant digits)."""
    if number == number.to_integral_value():
        return int(number)
    return float(number)


def check_bounds(number: Decimal, options: dict) -> None:
    if options.get("min") is not None and number < Decimal(str(options["min"])):
        raise invalid(_("Enter a value of at least %(limit)s."), limit=options["min"])
    if options.get("max") is not None and number > Decimal(str(options["max"])):
        raise invalid(_("Enter a value of at most %(limit)s."), limit=options["max"])


def range_bounds(value: Any) -> tuple[Any, Any]:
    """``{"min": a, "max": b}`` or ``(a, b)``; either end may be missing."""
    if isinstance(value, dict):
        return value.get("min"), value.get("max")
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    raise invalid(_("A range needs a lower and an upper bound (either may be empty)."))


class FieldType:
    """One kind of value. Subclasses override what differs; ``field`` names the JSON column."""

    key = ""
    label = ""
    lookups: tuple[str, ...] = ("equals", "isnull")
    option_names: tuple[str, ...] = ()
    uses_reference_list = False
    sortable = True

    def clean(self, definition, value: Any) -> Any:
        raise NotImplementedError

    def clean_filter_value(self, definition, value: Any) -> Any:
        return self.clean(definition, value)

    def clean_options(self, options: dict) -> dict:
        unknown = set(options) - set(self.option_names)
        if unknown:
            raise invalid(
                _("These options do not apply to this type: %(names)s."),
                names=", ".join(sorted(unknown)),
            )
        return options

    def form_field(self, definition, language: str | None) -> forms.Field:
        raise NotImplementedError

    def to_form(self, definition, value: Any) -> Any:
        return value

    def display(self, definition, value: Any, language: str | None) -> str:
        return str(value)

    def filter_q(self, definition, lookup: str, value: Any, field: str) -> models.Q:
        if lookup == "isnull":
            return ~has_key(field, definition.key) if value else has_key(field, definition.key)
        if lookup == "equals":
            return models.Q(
                JSONKeyIn(field, definition.key, [self.clean_filter_value(definition, value)])
            )
        raise NotImplementedError(lookup)

    def sort_expression(self, definition, field: str):
        return key_text(field, definition.key)


class TextType(FieldType):
    key = "text"
    label = _("Text")
    lookups = ("equals", "contains", "isnull")
    option_names = ("max_length",)
    default_max_length = 255

    def max_length(self, definition) -> int:
        return int(definition.options.get("max_length") or self.default_max_length)

    def clean(self, definition, value):
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            raise invalid(_("Enter text."))
        text = str(value).strip()
        limit = self.max_length(definition)
        if len(text) > limit:
            raise invalid(
                _("Ensure this value has at most %(limit)d characters (it has %(count)d)."),
                limit=limit,
                count=len(text),
            )
        return text

    def clean_options(self, options):
        options = super().clean_options(options)
        if "max_length" in options:
            limit = options["max_length"]
            if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
                raise invalid(_("The maximum length must be a positive whole number."))
        return options

    def form_field(self, definition, language):
        return forms.CharField(max_length=self.max_length(definition))

    def filter_q(self, definition, lookup, value, field):
        if lookup == "contains":
            return models.Q(IContains(key_text(field, definition.key), str(value)))
        return super().filter_q(definition, lookup, value, field)

    def sort_expression(self, definition, field):
        return Lower(key_text(field, definition.key))


class LongTextType(TextType):
    key = "long_text"
    label = _("Long text")
    default_max_length = 10000

    def form_field(self, definition, language):
        return forms.CharField(max_length=self.max_length(definition), widget=forms.Textarea)


class BoundedNumberMixin:
    option_names = ("min", "max")

    def clean_options(self, options):
        options = FieldType.clean_options(self, options)
        bounds = [as_decimal(options[name]) for name in ("min", "max") if name in options]
        if len(bounds) == 2 and bounds[0] > bounds[1]:
            raise invalid(_("The minimum cannot be greater than the maximum."))
        for name in ("min", "max"):
            if name in options:
                options[name] = json_number(as_decimal(options[name]))
        return options


class NumberType(BoundedNumberMixin, FieldType):
    key = "number"
    label = _("Number")
    lookups = ("equals", "range", "isnull")

    def clean(self, definition, value):
        number = self.clean_filter_value(definition, value)
        check_bounds(as_decimal(number), definition.options)
        return number

    def clean_filter_value(self, definition, value):
        # Filters search stored values, which may predate today's bounds: no bounds here.
        number = as_decimal(value)
        if len(number.normalize().as_tuple().digits) > SIGNIFICANT_DIGITS:
            raise invalid(
                _("Enter a number with at most %(count)d significant digits."),
                count=SIGNIFICANT_DIGITS,
            )
        return json_number(number)

    def form_field(self, definition, language):
        bounds = {name: definition.options.get(name) for name in ("min", "max")}
        return forms.DecimalField(
            min_value=None if bounds["min"] is None else as_decimal(bounds["min"]),
            max_value=None if bounds["max"] is None else as_decimal(bounds["max"]),
        )

    def to_form(self, definition, value):
        return as_decimal(value)

    def display(self, definition, value, language):
        return formatting.format_decimal(as_decimal(value), language)

    def filter_q(self, definition, lookup, value, field):
        if lookup == "range":
            return _range_q(key_number(field, definition.key), value, as_decimal)
        return super().filter_q(definition, lookup, value, field)

    def sort_expression(self, definition, field):
        return key_number(field, definition.key)


class MoneyWidget(forms.MultiWidget):
    def __init__(self, currencies, attrs=None):
        amount = forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"})
        super().__init__([amount, forms.Select(choices=currencies)], attrs)

    def decompress(self, value):
        if isinstance(value, dict):
            return [value.get("amount"), value.get("currency")]
        return [None, None]


class MoneyFormField(forms.MultiValueField):
    def __init__(self, currencies: list[str], default_currency: str, **kwargs):
        choices = [(code, code) for code in currencies]
        # The currency select always holds a value: an empty amount means "no value", not an
        # incomplete one (the field as a whole says whether a value is required).
        fields = [
            forms.DecimalField(required=False),
            forms.ChoiceField(choices=choices, required=False),
        ]
        kwargs.setdefault("initial", {"amount": None, "currency": default_currency})
        super().__init__(fields, widget=MoneyWidget(choices), require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or data_list[0] in (None, ""):
            return None
        return {"amount": data_list[0], "currency": data_list[1]}


class MoneyType(BoundedNumberMixin, FieldType):
    key = "money"
    label = _("Money")
    lookups = ("range", "isnull")
    option_names = ("min", "max", "currencies")

    def currencies(self, definition) -> list[str]:
        return definition.options.get("currencies") or [settings.DEFAULT_CURRENCY]

    def clean_currency(self, definition, code: Any) -> str:
        code = str(code or self.currencies(definition)[0]).strip().upper()
        if code not in babel_numbers.list_currencies():
            raise invalid(_("“%(code)s” is not a currency code."), code=code)
        if definition.options.get("currencies") and code not in self.currencies(definition):
            raise invalid(
                _("Use one of these currencies: %(codes)s."),
                codes=", ".join(self.currencies(definition)),
            )
        return code

    def clean(self, definition, value):
        if isinstance(value, dict):
            unknown = set(value) - {"amount", "currency"}
            if unknown or "amount" not in value:
                raise invalid(_("Enter money as an amount and a currency."))
            amount, currency = value["amount"], value.get("currency")
        else:
            amount, currency = value, None
        currency = self.clean_currency(definition, currency)
        amount = as_decimal(amount)
        places = babel_numbers.get_currency_precision(currency)
        if -amount.as_tuple().exponent > places and amount != round(amount, places):
            raise invalid(
                _("Use at most %(places)d decimal places for %(currency)s."),
                places=places,
                currency=currency,
            )
        check_bounds(amount, definition.options)
        return {"amount": str(amount.quantize(Decimal(1).scaleb(-places))), "currency": currency}

    def clean_options(self, options):
        options = super().clean_options(options)
        for code in options.get("currencies") or []:
            if code not in babel_numbers.list_currencies():
                raise invalid(_("“%(code)s” is not a currency code."), code=code)
        return options

    def form_field(self, definition, language):
        return MoneyFormField(self.currencies(definition), self.currencies(definition)[0])

    def display(self, definition, value, language):
        return formatting.format_money(Decimal(value["amount"]), value["currency"], language)

    def filter_q(self, definition, lookup, value, field):
        if lookup == "range":
            amount = key_number(field, definition.key, "amount")
            condition = _range_q(amount, value, as_decimal)
            currency = value.get("currency") if isinstance(value, dict) else None
            if currency:
                condition &= models.Q(
                    Exact(key_text(field, definition.key, "currency"), str(currency).upper())
                )
            return condition
        return super().filter_q(definition, lookup, value, field)

    def sort_expression(self, definition, field):
        return key_number(field, definition.key, "amount")


def as_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise invalid(_("Enter a date as YYYY-MM-DD."))


class DateType(FieldType):
    key = "date"
    label = _("Date")
    lookups = ("equals", "range", "isnull")

    def clean(self, definition, value):
        return as_date(value).isoformat()

    def form_field(self, definition, language):
        return forms.DateField(widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))

    def to_form(self, definition, value):
        return as_date(value)

    def display(self, definition, value, language):
        return formatting.format_date(as_date(value), language)

    def filter_q(self, definition, lookup, value, field):
        if lookup == "range":
            return _range_q(key_date(field, definition.key), value, as_date)
        return super().filter_q(definition, lookup, value, field)

    def sort_expression(self, definition, field):
        return key_date(field, definition.key)


class BooleanType(FieldType):
    key = "boolean"
    label = _("Yes / no")

    def clean(self, definition, value):
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in YES_WORDS | NO_WORDS:
            return value.strip().lower() in YES_WORDS
        raise invalid(_("Enter yes or no."))

    def form_field(self, definition, language):
        return forms.NullBooleanField()

    def display(self, definition, value, language):
        with translation.override(language):
            return gettext("Yes") if value else gettext("No")


class ChoiceType(FieldType):
    key = "choice"
    label = _("Choice")
    lookups = ("equals", "in", "isnull")
    uses_reference_list = True

    def items(self, definition, *, active_only: bool) -> list:
        items = list(definition.reference_list.items.all())
        return [item for item in items if item.is_active or not active_only]

    def clean_key(self, definition, value: Any) -> str:
        if not isinstance(value, str):
            raise invalid(_("Choose one of the available options."))
        active = {item.key for item in self.items(definition, active_only=True)}
        if value not in active:
            raise invalid(_("“%(value)s” is not one of the available choices."), value=value)
        return value

    def clean(self, definition, value):
        return self.clean_key(definition, value)

    def clean_filter_value(self, definition, value):
        # Filters may look for values no longer offered: records keep them.
        return str(value)

    def choices(self, definition, language) -> list[tuple[str, str]]:
        return [
            (item.key, item.label_in(language)) for item in self.items(definition, active_only=True)
        ]

    def form_field(self, definition, language):
        return forms.ChoiceField(choices=[("", "—"), *self.choices(definition, language)])

    def label_of(self, definition, key: str, language) -> str:
        for item in self.items(definition, active_only=False):
            if item.key == key:
                return item.label_in(language)
        return key

    def display(self, definition, value, language):
        return self.label_of(definition, value, language)

    def filter_q(self, definition, lookup, value, field):
        if lookup == "in":
            values = [self.clean_filter_value(definition, item) for item in _as_list(value)]
            return models.Q(JSONKeyIn(field, definition.key, values))
        return super().filter_q(definition, lookup, value, field)

    def sort_expression(self, definition, field):
        # The list's own order, not the alphabet: "small, medium, large".
        items = self.items(definition, active_only=False)
        value = key_text(field, definition.key)
        return Case(
            *[When(Exact(value, item.key), then=Value(index)) for index, item in enumerate(items)],
            default=Value(len(items)),
            output_field=models.IntegerField(),
        )


class MultiChoiceType(ChoiceType):
    key = "multi_choice"
    label = _("Multiple choice")
    sortable = False

    def clean(self, definition, value):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list | tuple | set):
            raise invalid(_("Choose from the available options."))
        keys = list(dict.fromkeys(self.clean_key(definition, key) for key in value))
        return keys or None

    def form_field(self, definition, language):
        return forms.MultipleChoiceField(
            choices=self.choices(definition, language), widget=forms.CheckboxSelectMultiple
        )

    def display(self, definition, value, language):
        return ", ".join(self.label_of(definition, key, language) for key in value)

    def filter_q(self, definition, lookup, value, field):
        values = [str(item) for item in _as_list(value)]
        if lookup in ("equals", "in"):
            return models.Q(JSONKeyIn(field, definition.key, values, many=True))
        return super().filter_q(definition, lookup, value, field)

    def sort_expression(self, definition, field):
        raise NotImplementedError


class UserType(FieldType):
    key = "user"
    label = _("User")
    lookups = ("equals", "in", "isnull")

    def user_id(self, value: Any) -> int:
        if isinstance(value, models.Model):
            value = value.pk
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise invalid(_("Choose a user."))
        return value

    def clean(self, definition, value):
        user_id = self.user_id(value)
        if not get_user_model().objects.filter(pk=user_id, is_active=True).exists():
            raise invalid(_("Choose an active user."))
        return user_id

    def clean_filter_value(self, definition, value):
        return self.user_id(value)

    def form_field(self, definition, language):
        return forms.ModelChoiceField(queryset=get_user_model().objects.filter(is_active=True))

    def display(self, definition, value, language):
        user = get_user_model().objects.filter(pk=value).first()
        return str(user) if user else f"#{value}"

    def filter_q(self, definition, lookup, value, field):
        if lookup == "in":
            values = [self.user_id(item) for item in _as_list(value)]
            return models.Q(JSONKeyIn(field, definition.key, values))
        return super().filter_q(definition, lookup, value, field)

    def sort_expression(self, definition, field):
        users = get_user_model().objects.filter(
            pk=Cast(key_text(OuterRef(field), definition.key), models.BigIntegerField())
        )
        name = Lower(Concat("first_name", Value(" "), "last_name", Value(" "), "username"))
        return Subquery(users.order_by().annotate(sort_name=name).values("sort_name")[:1])


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, list | tuple | set) else [value]


def _range_q(expression, value, convert) -> models.Q:
    low, high = range_bounds(value)
    condition = models.Q()
    if low not in (None, ""):
        condition &= models.Q(GreaterThanOrEqual(expression, convert(low)))
    if high not in (None, ""):
        condition &= models.Q(LessThanOrEqual(expression, convert(high)))
    return condition


_registry: dict[str, FieldType] = {}


def register_type(field_type: FieldType) -> FieldType:
    _registry[field_type.key] = field_type
    return field_type


def get_type(key: str) -> FieldType:
    return _registry[key]


def type_choices() -> list[tuple[str, str]]:
    return [(field_type.key, field_type.label) for field_type in _registry.values()]


for _type in (
    TextType(),
    LongTextType(),
    NumberType(),
    MoneyType(),
    DateType(),
    BooleanType(),
    ChoiceType(),
    MultiChoiceType(),
    UserType(),
):
    register_type(_type)


def clean_definition(definition) -> None:
    """The single-row rules of a field definition: known type, fitting options and list."""
    errors: dict[str, list] = {}
    field_type = _registry.get(definition.type)
    if field_type is None:
        raise ValidationError({"type": _("Unknown field type.")})
    try:
        definition.options = field_type.clean_options(dict(definition.options or {}))
    except ValidationError as error:
        errors["options"] = error.messages
    if field_type.uses_reference_list and definition.reference_list_id is None:
        errors["reference_list"] = [_("Choose the reference list that holds the choices.")]
    if not field_type.uses_reference_list and definition.reference_list_id is not None:
        errors["reference_list"] = [_("Only choice fields use a reference list.")]
    if errors:
        raise ValidationError(errors)
