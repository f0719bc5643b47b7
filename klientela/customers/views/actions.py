"""Card actions: hand-over, contact links, a new contact person, and finding a record to pick."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klientela.core import access
from klientela.core.forms import add_service_errors, render_form_page, success_redirect
from klientela.core.htmx import wants_partial

from .. import services
from ..forms import HandOverForm, LinkForm
from ..models import Membership, Organization, Person
from ..services.search import find_visible
from .common import KINDS, ORGANIZATIONS, PEOPLE, Kind, require, visible_record
from .duplicates import contact_data, contact_dialog, contact_form, find_candidates

LOOKUP_LIMIT = 8


@login_required
def record_hand_over(request, pk: int, kind: Kind):
    """Give the card to another manager (the card's dialog posts here; this is also its page)."""
    record = visible_record(request, kind, pk)
    require(request.user, access.Action.EDIT, record)
    form = HandOverForm(
        request.POST or None, user=request.user, entity=kind.entity, prefix="handover"
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.hand_over(
                actor=request.user,
                records=[record],
                new_owner=form.cleaned_data["new_owner"],
                include_open_work=form.cleaned_data["include_open_work"],
            )
        except ValidationError as error:
            add_service_errors(form, error, {"new_owner": "new_owner"})
        else:
            message = _("%(name)s is now responsible for %(record)s.") % {
                "name": form.cleaned_data["new_owner"],
                "record": record,
            }
            return success_redirect(request, record.get_absolute_url(), message)
    return render_form_page(
        request,
        form,
        title=_("Hand over %(name)s") % {"name": record},
        subtitle=_("The card keeps its whole history; only the responsible manager changes."),
        submit_label=_("Hand over"),
        cancel_url=record.get_absolute_url(),
        back_url=record.get_absolute_url(),
        back_label=str(record),
    )


def _link_failed(request, record, form=None, error: ValidationError | None = None):
    """Back to the card with what went wrong (the dialog's form is small: a toast says it)."""
    problems = []
    if form is not None:
        problems += [message for errors in form.errors.values() for message in errors]
    if error is not None:
        problems += error.messages
    messages.error(request, " ".join(problems) or _("Something went wrong. Please try again."))
    return success_redirect(request, record.get_absolute_url())


@login_required
@require_POST
def record_link(request, pk: int, kind: Kind):
    """Link an existing person to this organization, or this person to an organization."""
    record = visible_record(request, kind, pk)
    other_kind = PEOPLE if kind is ORGANIZATIONS else ORGANIZATIONS
    form = LinkForm(request.POST, kind=other_kind.entity, language=get_language(), prefix="link")
    if not form.is_valid():
        return _link_failed(request, record, form)
    other = visible_record(request, other_kind, form.cleaned_data["record"])
    person, organization = (other, record) if kind is ORGANIZATIONS else (record, other)
    try:
        services.link_person(
            actor=request.user,
            person=person,
            organization=organization,
            role=form.cleaned_data["role"] or None,
            position=form.cleaned_data["position"],
        )
    except ValidationError as error:
        return _link_failed(request, record, error=error)
    message = _("%(person)s is now a contact of %(organization)s.") % {
        "person": person,
        "organization": organization,
    }
    return success_redirect(request, record.get_absolute_url(), message)


# Where the person service's errors go in the contact dialog.
CONTACT_ERRORS = {"phones.0.number": "phone", "emails.0.address": "email"}


def _create_contact(request, organization, form):
    data = form.cleaned_data
    link = {
        "organization": organization,
        "role": data["role"] or None,
        "position": data["position"],
    }
    return services.create_person(
        actor=request.user,
        first_name=data["first_name"],
        last_name=data["last_name"],
        position=data["position"],
        phones=[data["phone"]] if data["phone"] else [],
        emails=[data["email"]] if data["email"] else [],
        memberships=[link],
    )


def _contact_refused(request, organization, form, candidates: list):
    """The dialog again with what stopped it (HTMX), or the card with a message."""
    if wants_partial(request):
        context = {"contact": contact_dialog(request, organization, form, candidates)}
        return render(request, "customers/includes/card_dialogs.html#contact_form", context)
    if candidates:
        names = ", ".join(candidate.title for candidate in candidates)
        message = _("This person may already be in the base: %(names)s.") % {"names": names}
        return _link_failed(request, organization, error=ValidationError(message))
    return _link_failed(request, organization, form)


@login_required
@require_POST
def contact_create(request, pk: int):
    """A new person, created on the organization's card as one of its contacts. Like the person
    form, it stops at possible duplicates until the user adds the person anyway."""
    organization = visible_record(request, ORGANIZATIONS, pk)
    form = contact_form(request.POST)
    candidates = []
    if form.is_valid():
        if not request.POST.get("confirm_duplicates"):
            candidates = find_candidates(request, PEOPLE, contact_data(form))
        if not candidates:
            try:
                person = _create_contact(request, organization, form)
            except ValidationError as error:
                add_service_errors(form, error, CONTACT_ERRORS)
            else:
                message = _("%(person)s added as a contact.") % {"person": person}
                return success_redirect(request, organization.get_absolute_url(), message)
    return _contact_refused(request, organization, form, candidates)


@login_required
@require_POST
def contact_remove(request, pk: int):
    user = request.user
    membership = get_object_or_404(
        Membership.objects.filter(
            person__in=Person.objects.visible_to(user),
            organization__in=Organization.objects.visible_to(user),
        ).select_related("person", "organization"),
        pk=pk,
    )
    back = membership.person if request.POST.get("back") == "person" else membership.organization
    services.unlink_person(actor=user, membership=membership)
    message = _("%(person)s is no longer a contact of %(organization)s.") % {
        "person": membership.person,
        "organization": membership.organization,
    }
    return success_redirect(request, back.get_absolute_url(), message)


@login_required
def lookup(request):
    """Records matching what is typed, for a picker; with ``merge_into`` links to the merge."""
    kind = KINDS.get(request.GET.get("kind", ""))
    query = request.GET.get("q", "").strip()
    if kind is None or len(query) < 2:
        return render(request, "customers/includes/lookup_results.html", {"query": query})
    exclude = {request.GET.get(name, "") for name in ("exclude", "merge_into")}
    records = [
        record
        for record in find_visible(kind.model, request.user, query, LOOKUP_LIMIT + 1)
        if str(record.pk) not in exclude
    ][:LOOKUP_LIMIT]
    merge_into = request.GET.get("merge_into", "")
    context = {
        "kind": kind,
        "query": query,
        "records": records,
        "merge_url": kind.url("merge", int(merge_into)) if merge_into.isdigit() else "",
    }
    return render(request, "customers/includes/lookup_results.html", context)
