"""Widget pages: list, card, edit and delete, each fetching through the scoped queryset."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from klientela.core.htmx import render_page

from . import services
from .forms import WidgetForm
from .models import Widget


def _visible(request, pk: int) -> Widget:
    # The view scope decides 404; the action's own scope (checked by the service) decides 403.
    return get_object_or_404(Widget.objects.visible_to(request.user, "view"), pk=pk)


@login_required
def widget_list(request):
    widgets = Widget.objects.visible_to(request.user, "view").order_by("name")
    return render_page(request, "accessapp/widgets.html", {"widgets": widgets}, partial="rows")


@login_required
def widget_detail(request, pk: int):
    widget = _visible(request, pk)
    return render_page(request, "accessapp/widget.html", {"widget": widget, "form": WidgetForm()})


@login_required
@require_POST
def widget_edit(request, pk: int):
    widget = _visible(request, pk)
    form = WidgetForm(request.POST)
    if not form.is_valid():
        context = {"widget": widget, "form": form}
        return render_page(request, "accessapp/widget.html", context, status=422)
    services.update_widget(actor=request.user, widget=widget, name=form.cleaned_data["name"])
    return redirect("accessapp:detail", pk=widget.pk)


@login_required
@require_POST
def widget_delete(request, pk: int):
    services.delete_widget(actor=request.user, widget=_visible(request, pk))
    return redirect("accessapp:list")
