"""Custom fields and reference lists: definitions, the one validator, forms, filters, display.

An entity stores its values in a ``custom`` JSON column (``mixins.CustomFieldsMixin``) described by
``FieldDefinition`` rows; the value types come from one registry (``types``). Typical use::

    from klientela.core import customfields

    cleaned = customfields.validate_custom_values("organization", payload["custom"])
    organization.custom = customfields.merge_custom_values(organization.custom, cleaned)
    Organization.objects.filter(customfields.custom_filter_q("organization", "size", "in", ["s"]))
    Organization.objects.order_by(customfields.custom_order_by("organization", "revenue", True))

Writes to definitions and lists go through ``customfields.services``.
"""

from .definitions import active_items, error_key, label_for, labels_for, load_definitions
from .forms import custom_form_fields, custom_initial, custom_values_from_form
from .presentation import (
    active_custom_values,
    custom_display,
    describe_custom_fields,
    describe_definition,
)
from .query import custom_filter_q, custom_order_by
from .types import FieldType, get_type, register_type, type_choices
from .validation import merge_custom_values, validate_custom_values

__all__ = [
    "FieldType",
    "active_custom_values",
    "active_items",
    "custom_display",
    "custom_filter_q",
    "custom_form_fields",
    "custom_initial",
    "custom_order_by",
    "custom_values_from_form",
    "describe_custom_fields",
    "describe_definition",
    "error_key",
    "get_type",
    "label_for",
    "labels_for",
    "load_definitions",
    "merge_custom_values",
    "register_type",
    "type_choices",
    "validate_custom_values",
]
