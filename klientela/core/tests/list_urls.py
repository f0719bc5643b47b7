"""A widget list built with the list component, scoped like a real entity list (tests only)."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from klientela.core.lists import BulkAction, Column, ListDefinition, render_list
from tests.accessapp.models import Widget
from tests.urls import urlpatterns as test_urlpatterns


def mark(request, widgets):
    count = widgets.count()
    for widget in widgets:
        widget.name = f"{widget.name} (marked)"
        widget.save()
    return f"{count} marked"


WIDGETS = ListDefinition(
    key="tests.widgets",
    columns=[
        Column("name", "Name", sort="name"),
        Column("owner", "Owner", sort="responsible__username", value=lambda w: w.responsible),
    ],
    bulk_actions=[BulkAction("mark", "Mark", mark)],
    search_fields=("name",),
    default_sort="name",
    select_related=("responsible",),
)


@login_required
def widget_list(request):
    widgets = Widget.objects.visible_to(request.user, "edit")
    return render_list(request, WIDGETS, widgets, title="Widgets")


urlpatterns = [path("component/widgets/", widget_list, name="component_widgets"), *test_urlpatterns]
