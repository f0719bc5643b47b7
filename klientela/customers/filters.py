"""The one filter definition of organizations and people, shared by the list pages and the API.

``OrganizationFilter(data, queryset=..., request=...)`` and ``PersonFilter`` are plain
django-filter FilterSets. Besides the fixed filters each adds, per active custom field, filters
named after its key: ``custom.<key>`` (equals; several values for choice, multi-choice and user
fields match any of them), ``custom.<key>__contains`` (text), ``custom.<key>__gte`` /
``__lte`` (number, money, date), ``custom.<key>__currency`` (money) and ``custom.<key>__isnull``.
``order_records`` sorts by a field or a custom field (``ordering=-custom.revenue,name``).
"""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from klientela.core.customfields import (
    custom_filter_q,
    custom_order_by,
    get_type,
    load_definitions,
)
from klientela.core.customfields.definitions import error_key
from klientela.core.fulltext import find_ids
from klientela.core.models import FieldDefinition, ReferenceItem
from klientela.core.phones import TAIL_DIGITS, phone_search_keys

from .models import (
    CLIENT_GROUPS,
    INDUSTRIES,
    ORGANIZATION_TYPES,
    SOURCES,
    Address,
    Email,
    Organization,
    Person,
    Phone,
    Tag,
)
from .services.channels import normalize_email
from .services.common import normalize_tax_number

# Full-text matches a text filter keeps, best first; phones, emails and tax numbers are exact.
TEXT_MATCHES = 5000

User = get_user_model()
Team = User._meta.get_field("team").related_model


def reference_items(list_key: str) -> models.QuerySet:
    return ReferenceItem.objects.filter(reference_list__key=list_key)


def _owner(model: type[models.Model]) -> str:
    return model._meta.model_name


def text_condition(model: type[models.Model], text: str) -> models.Q:
    """Records found by a name fragment, a phone typed any way, an email or a tax number."""
    owner = _owner(model)
    condition = models.Q(pk__in=find_ids(model, text, limit=TEXT_MATCHES))
    if "@" in text:
        emails = Email.objects.filter(address__startswith=normalize_email(text))
        condition |= models.Q(pk__in=emails.values(f"{owner}_id"))
    digits = re.sub(r"\D", "", text)
    if len(digits) >= TAIL_DIGITS and not re.search(r"[^\d\s()+\-./]", text):
        phones = Phone.objects.filter(phone_search_keys(text).q())
        condition |= models.Q(pk__in=phones.values(f"{owner}_id"))
    if model is Organization:
        tax_number = normalize_tax_number(text)
        if len(tax_number) >= 5 and any(char.isdigit() for char in tax_number):
            condition |= models.Q(tax_number=tax_number)
    return condition


class CustomValueFilter(django_filters.Filter):
    """One lookup on one custom field; the form checks the value by the field type's rules."""

    def __init__(
        self, *, name: str, entity: str, definition: FieldDefinition, lookup: str, **kwargs
    ):
        self.name = name
        self.entity = entity
        self.definition = definition
        self.lookup = lookup
        super().__init__(field_name=error_key(definition.key), validators=[self.check], **kwargs)

    def condition(self, value) -> models.Q:
        key, lookup = self.definition.key, self.lookup
        if lookup in ("gte", "lte", "currency"):
            bound = {"gte": "min", "lte": "max", "currency": "currency"}[lookup]
            value, lookup = {bound: value}, "range"
        definitions = [self.definition]
        return custom_filter_q(self.entity, key, lookup, value, definitions=definitions)

    def check(self, value) -> None:
        """A form validator: building the condition refuses what the type cannot compare."""
        self.condition(value)

    def filter(self, qs, value):
        if value in (None, "", [], ()):
            return qs
        return qs.filter(self.condition(value))


def _value_field(definition: FieldDefinition, lookup: str, language: str | None) -> tuple:
    """The form field class and its options for a lookup of this field's type."""
    kind = definition.type
    if lookup == "isnull":
        return forms.NullBooleanField, {}
    if lookup in ("contains", "currency") or kind in ("text", "long_text"):
        return forms.CharField, {}
    if kind in ("number", "money"):
        return forms.DecimalField, {}
    if kind == "date":
        return forms.DateField, {"widget": forms.DateInput(attrs={"type": "date"})}
    if kind == "boolean":
        return forms.NullBooleanField, {}
    if kind == "user":
        return forms.ModelMultipleChoiceField, {"queryset": User.objects.all()}
    items = definition.reference_list.items.all() if definition.reference_list else []
    # Retired items stay choosable: records keep their values.
    choices = [(item.key, item.label_in(language)) for item in items]
    return forms.MultipleChoiceField, {"choices": choices}


LOOKUP_LABELS = {
    "contains": gettext_lazy("%(field)s contains"),
    "gte": gettext_lazy("%(field)s from"),
    "lte": gettext_lazy("%(field)s to"),
    "currency": gettext_lazy("%(field)s currency"),
    "isnull": gettext_lazy("%(field)s is empty"),
}


def _lookups(definition: FieldDefinition) -> list[tuple[str, str]]:
    """(parameter suffix, lookup) pairs a field offers, from its type's lookups."""
    lookups = get_type(definition.type).lookups
    pairs = []
    if "in" in lookups:
        pairs.append(("", "in"))
    elif "equals" in lookups:
        pairs.append(("", "equals"))
    if "contains" in lookups:
        pairs.append(("__contains", "contains"))
    if "range" in lookups:
        pairs += [("__gte", "gte"), ("__lte", "lte")]
    if definition.type == "money":
        pairs.append(("__currency", "currency"))
    pairs.append(("__isnull", "isnull"))
    return pairs


def custom_filters(entity: str, definitions: list[FieldDefinition]) -> dict[str, CustomValueFilter]:
    """``{"custom.<key>[__lookup]": filter}`` for the entity's active fields."""
    language = get_language()
    filters = {}
    for definition in definitions:
        label = definition.label_in(language)
        for suffix, lookup in _lookups(definition):
            name = f"{error_key(definition.key)}{suffix}"
            field_class, options = _value_field(definition, lookup, language)
            value_filter = CustomValueFilter(
                name=name,
                entity=entity,
                definition=definition,
                lookup=lookup,
                label=LOOKUP_LABELS[lookup] % {"field": label}
                if lookup in LOOKUP_LABELS
                else label,
                **options,
            )
            value_filter.field_class = field_class
            filters[name] = value_filter
    return filters


class CardFilter(django_filters.FilterSet):
    """What organizations and people are filtered by; subclasses name the model."""

    q = django_filters.CharFilter(
        label=gettext_lazy("Text"),
        method="search",
        help_text=gettext_lazy("Part of a name, a phone typed any way, an email or a tax number."),
    )
    responsible = django_filters.ModelMultipleChoiceFilter(
        label=gettext_lazy("Responsible"),
        queryset=User.objects.all(),
        null_label=gettext_lazy("Nobody"),
        distinct=False,
    )
    team = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Team"),
        field_name="responsible__team",
        queryset=Team.objects.all(),
        empty_label=gettext_lazy("All teams"),
    )
    tags = django_filters.ModelMultipleChoiceFilter(
        label=gettext_lazy("Tags"), queryset=Tag.objects.all(), method="any_of"
    )
    source = django_filters.ModelMultipleChoiceFilter(
        label=gettext_lazy("Source"),
        field_name="source__key",
        queryset=reference_items(SOURCES),
        to_field_name="key",
        distinct=False,
    )
    city = django_filters.CharFilter(label=gettext_lazy("City"), method="in_city")
    created = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Created"), field_name="created_at"
    )
    has_phone = django_filters.BooleanFilter(
        label=gettext_lazy("Has a phone"), method="with_channel"
    )
    has_email = django_filters.BooleanFilter(
        label=gettext_lazy("Has an email"), method="with_channel"
    )

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        model = self.queryset.model
        entity = model.access_entity
        for name, value_filter in custom_filters(entity, load_definitions(entity)).items():
            value_filter.model = model
            value_filter.parent = self
            self.filters[name] = value_filter

    def search(self, queryset, name, value):
        text = value.strip()
        return queryset.filter(text_condition(queryset.model, text)) if text else queryset

    def any_of(self, queryset, name, values):
        """Records holding any of ``values`` in a many-to-many field, each record once."""
        if not values:
            return queryset
        holders = queryset.model.objects.filter(**{f"{name}__in": values}).values("pk")
        return queryset.filter(pk__in=holders)

    def in_city(self, queryset, name, value):
        city = value.strip()
        if not city:
            return queryset
        owner = _owner(queryset.model)
        addresses = Address.objects.filter(city__iexact=city, **{owner: models.OuterRef("pk")})
        return queryset.filter(models.Exists(addresses))

    def with_channel(self, queryset, name, value):
        if value is None:
            return queryset
        channel = Phone if name == "has_phone" else Email
        found = models.Exists(
            channel.objects.filter(**{_owner(queryset.model): models.OuterRef("pk")})
        )
        return queryset.filter(found if value else ~found)


class OrganizationFilter(CardFilter):
    type = django_filters.ModelMultipleChoiceFilter(
        label=gettext_lazy("Type"),
        field_name="types",
        queryset=reference_items(ORGANIZATION_TYPES),
        to_field_name="key",
        method="any_of",
    )
    industry = django_filters.ModelMultipleChoiceFilter(
        label=gettext_lazy("Industry"),
        field_name="industry__key",
        queryset=reference_items(INDUSTRIES),
        to_field_name="key",
        distinct=False,
    )
    client_group = django_filters.ModelMultipleChoiceFilter(
        label=gettext_lazy("Client group"),
        field_name="client_group__key",
        queryset=reference_items(CLIENT_GROUPS),
        to_field_name="key",
        distinct=False,
    )

    class Meta:
        model = Organization
        fields = [
            "q",
            "responsible",
            "team",
            "type",
            "industry",
            "client_group",
            "source",
            "tags",
            "city",
            "created",
            "has_phone",
            "has_email",
        ]


class PersonFilter(CardFilter):
    class Meta:
        model = Person
        fields = [
            "q",
            "responsible",
            "team",
            "source",
            "tags",
            "city",
            "created",
            "has_phone",
            "has_email",
        ]


# --- Sorting ----------------------------------------------------------------------------------

ORDERING = {
    Organization: {
        "name": ["name"],
        "legal_name": ["legal_name"],
        "tax_number": ["tax_number"],
        "responsible": ["responsible__username"],
        "created_at": ["created_at"],
        "updated_at": ["updated_at"],
    },
    Person: {
        "name": ["last_name", "first_name"],
        "last_name": ["last_name"],
        "first_name": ["first_name"],
        "position": ["position"],
        "birthday": ["birthday"],
        "responsible": ["responsible__username"],
        "created_at": ["created_at"],
        "updated_at": ["updated_at"],
    },
}


def ordering_keys(model: type[models.Model]) -> list[str]:
    return list(ORDERING[model])


def order_records(queryset: models.QuerySet, ordering: str | None) -> models.QuerySet:
    """Sort by comma-separated keys (``-created_at,name``, ``custom.<key>``); ties by id.

    An unknown key or a custom field that cannot be sorted is a ValidationError on ``ordering``.
    """
    model = queryset.model
    terms: list = []
    for item in (ordering or "").split(","):
        name = item.strip()
        if not name:
            continue
        descending = name.startswith("-")
        name = name.lstrip("-")
        if name.startswith("custom."):
            try:
                terms.append(custom_order_by(model.access_entity, name[7:], descending))
            except ValidationError as error:
                raise ValidationError({"ordering": error.messages}) from error
        elif name in ORDERING[model]:
            terms += [f"{'-' if descending else ''}{field}" for field in ORDERING[model][name]]
        else:
            message = _("Sort by one of: %(keys)s, or custom.<key>.") % {
                "keys": ", ".join(ORDERING[model])
            }
            raise ValidationError({"ordering": [message]})
    if not terms:
        return queryset
    return queryset.order_by(*terms, "pk")


def filter_records(filterset_class, data, queryset, *, request=None) -> models.QuerySet:
    """The filtered queryset; invalid filter values raise a ValidationError keyed by filter."""
    filterset = filterset_class(data, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors.as_data())
    return filterset.qs
