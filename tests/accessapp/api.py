"""The widget API: the same scoped fetch and the same services as the pages."""

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from klientela.core.api import LimitOffset

from . import services
from .models import Widget

router = Router(tags=["widgets (tests only)"])


class WidgetOut(Schema):
    id: int
    name: str
    responsible_id: int | None


class WidgetPatch(Schema):
    name: str


def _visible(request, widget_id: int) -> Widget:
    return get_object_or_404(Widget.objects.visible_to(request.auth, "view"), pk=widget_id)


@router.get("/widgets", response=list[WidgetOut])
@paginate(LimitOffset)
def list_widgets(request):
    return Widget.objects.visible_to(request.auth, "view").order_by("pk")


@router.get("/widgets/{widget_id}", response=WidgetOut)
def get_widget(request, widget_id: int):
    return _visible(request, widget_id)


@router.patch("/widgets/{widget_id}", response=WidgetOut)
def update_widget(request, widget_id: int, payload: WidgetPatch):
    widget = _visible(request, widget_id)
    return services.update_widget(actor=request.auth, widget=widget, name=payload.name)


@router.delete("/widgets/{widget_id}", response={204: None})
def delete_widget(request, widget_id: int):
    services.delete_widget(actor=request.auth, widget=_visible(request, widget_id))
    return Status(204, None)
