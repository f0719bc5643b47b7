"""Web forms: administrators set them up; visitors of the company's site fill them in."""

from csp.decorators import csp_replace
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from klientela.core.access import require_admin
from klientela.core.forms import add_service_errors, render_form_page, success_redirect
from klientela.core.lists import Column, ListDefinition, render_list

from . import services
from .forms import PublicForm, WebFormForm
from .models import WebForm

FORMS = ListDefinition(
    key="capture.forms",
    columns=[
        Column("name", gettext_lazy("Name"), sort="name", link=True),
        Column("responsible", gettext_lazy("Leads go to")),
        Column("source", gettext_lazy("Source")),
        Column("submissions", gettext_lazy("Submissions"), sort="submissions", numeric=True),
        Column("last_submitted_at", gettext_lazy("Last submission"), sort="last_submitted_at"),
        Column("is_active", gettext_lazy("Active")),
    ],
    search_fields=("name",),
    select_related=("responsible", "source"),
    empty_icon="globe",
    empty_title=gettext_lazy("No web forms yet"),
)


@login_required
def form_list(request):
    require_admin(request.user)
    return render_list(
        request,
        FORMS,
        WebForm.objects.all(),
        title=_("Web forms"),
        create_url=reverse("capture:form_create"),
        create_label=_("New web form"),
    )


@login_required
def form_edit(request, pk: int | None = None):
    require_admin(request.user)
    webform = get_object_or_404(WebForm, pk=pk) if pk is not None else None
    form = WebFormForm(request.POST or None, instance=webform)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_form(actor=request.user, form=webform, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return success_redirect(
                request, reverse("capture:form_edit", args=[saved.pk]), _("Web form saved.")
            )
    context = {}
    if webform is not None:
        link = request.build_absolute_uri(webform.public_path())
        context = {
            "webform": webform,
            "public_link": link,
            "embed_code": f'<iframe src="{link}" width="100%" height="640" '
            f'style="border:0" title="{escape(webform.name)}"></iframe>',
        }
    return render_form_page(
        request,
        form,
        title=webform.name if webform else _("New web form"),
        template="capture/webform_form.html",
        history_of=webform,
        cancel_url=reverse("capture:forms"),
        **context,
    )


@login_required
@require_POST
def form_new_link(request, pk: int):
    require_admin(request.user)
    webform = get_object_or_404(WebForm, pk=pk)
    services.new_link(actor=request.user, form=webform)
    return success_redirect(
        request,
        reverse("capture:form_edit", args=[pk]),
        _("The form has a new address; the old one no longer works."),
    )


def _client_key(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


# Sites show the form in a frame, and post to it from their own pages (no CSRF cookie there):
# the service's checks against automated and repeated submissions stand in for the token.
@csrf_exempt
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"], "form-action": ["*"]})
def public_form(request, token: str):
    webform = WebForm.objects.filter(token=token).first()
    if webform is None or not webform.is_active:
        raise Http404
    form = PublicForm(webform, request.POST or None)
    if request.method == "POST":
        form.is_valid()  # the service checks everything; this fills the form to show it again
        try:
            services.submit(
                webform,
                request.POST.dict(),
                client_key=_client_key(request),
                stamp=request.POST.get("stamp"),
            )
        except services.Automated:
            return redirect(reverse("capture:thanks", args=[token]))
        except ValidationError as error:
            form.errors.clear()
            add_service_errors(form, error)
        else:
            return redirect(reverse("capture:thanks", args=[token]))
    context = {
        "webform": webform,
        "form": form,
        # A form shown again with its mistakes keeps the time it was first shown.
        "stamp": request.POST.get("stamp") or services.form_stamp(),
        "honeypot": services.HONEYPOT,
    }
    status = 400 if form.is_bound else 200  # an accepted submission has redirected by now
    return render(request, "capture/public_form.html", context, status=status)


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def thanks(request, token: str):
    webform = get_object_or_404(WebForm, token=token)
    return render(request, "capture/thanks.html", {"webform": webform})
