"""The ``custom`` JSON column an entity adds to hold its custom field values."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class CustomFieldsMixin(models.Model):
    """Subclass it in an entity model; values are validated by the entity's field definitions.

    On PostgreSQL add a GIN index in the entity's migration (equality filters use ``@>``)::

        from klientela.core.customfields.operations import AddCustomFieldsIndex

        operations = [..., AddCustomFieldsIndex("organization")]

    It is a no-op on SQLite. By default the field definitions are those of the model's access
    entity; set ``custom_fields_entity`` to use another key.
    """

    custom = models.JSONField(_("custom fields"), default=dict, blank=True)

    custom_fields_entity: str | None = None

    class Meta:
        abstract = True

    @classmethod
    def custom_entity(cls) -> str:
        entity = cls.custom_fields_entity or getattr(cls, "access_entity", None)
        if not entity:
            raise LookupError(f"{cls.__name__} names no entity for its custom fields")
        return entity

    def set_custom_values(self, data: dict | None, *, partial: bool = False) -> dict[str, Any]:
        """Validate ``data`` and apply it to ``custom`` (not saved); returns the cleaned values.

        Raises ``ValidationError`` keyed ``custom.<key>``. Values of hidden fields are kept.
        """
        from .validation import merge_custom_values, validate_custom_values

        cleaned = validate_custom_values(self.custom_entity(), data, partial=partial)
        self.custom = merge_custom_values(self.custom, cleaned)
        return cleaned

    def custom_display(self, language: str | None) -> list[tuple[str, str, str]]:
        from .presentation import custom_display

        return custom_display(self.custom_entity(), self.custom, language)
