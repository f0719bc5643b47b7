"""The rules for widgets: the same access checks and audit as a real entity's services."""

from django.db import transaction

from klientela.core import access
from klientela.core.audit import record_delete, record_update, snapshot

from .models import Widget


@transaction.atomic
def update_widget(*, actor, widget: Widget, name: str) -> Widget:
    access.require(actor, access.Action.EDIT, widget)
    before = snapshot(widget, ["name"])
    widget.name = name
    widget.full_clean()
    widget.save()
    record_update(widget, before, actor=actor)
    return widget


@transaction.atomic
def delete_widget(*, actor, widget: Widget) -> None:
    access.require(actor, access.Action.DELETE, widget)
    record_delete(widget, actor=actor)
    widget.delete()
