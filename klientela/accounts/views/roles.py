"""Settings: roles and their permission table (entity x action -> scope)."""

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klientela.core.access import Action
from klientela.core.cards import history_page
from klientela.core.forms import add_service_errors, success_redirect
from klientela.core.htmx import render_page, wants_partial
from klientela.core.lists import Column, ListDefinition, render_list

from .. import services
from ..forms import (
    RoleForm,
    ScopesForm,
)
from ..models import Role
from .common import admin_required, settings_tabs

ROLES = ListDefinition(
    key="accounts.roles",
    columns=[
        Column("name", gettext_lazy("Name"), sort="name", link=True),
        Column("description", gettext_lazy("Description")),
        Column("is_admin", gettext_lazy("Administrator"), sort="is_admin"),
        Column(
            "users",
            gettext_lazy("Users"),
            sort="user_count",
            numeric=True,
            value=lambda role: role.user_count,
        ),
        Column("is_builtin", gettext_lazy("Built-in"), sort="is_builtin"),
        Column("code", gettext_lazy("Code"), sort="code"),
    ],
    default_columns=["name", "description", "is_admin", "users", "is_builtin"],
    default_sort="name",
    empty_title=gettext_lazy("No roles yet"),
    empty_icon="shield",
)


@admin_required
def role_list(request):
    return render_list(
        request,
        ROLES,
        Role.objects.annotate(user_count=Count("users")),
        title=_("Roles"),
        create_url=reverse("accounts:role_create"),
        create_label=_("New role"),
        extra_context=settings_tabs(request),
    )


def _role_page(request, role: Role | None, form: RoleForm, scopes: ScopesForm):
    context = {
        "form": form,
        "scopes_form": scopes,
        "actions": Action.choices,
        "role": role,
        "title": _("Role %(name)s") % {"name": role} if role else _("New role"),
        "history": history_page(request, role) if role else None,
        "history_url": request.path,
        **settings_tabs(request),
    }
    if role and wants_partial(request) and "history_page" in request.GET:
        return render(request, "core/components/history.html#entries", context)
    return render_page(request, "accounts/role_form.html", context, partial="form")


def _save_role(request, role: Role | None, form: RoleForm, scopes: ScopesForm) -> Role | None:
    """Save the role and its table together; on refusal put the reasons on the forms."""
    data = form.cleaned_data
    try:
        return services.save_role(
            actor=request.user,
            role=role,
            code="" if role else (data["code"] or slugify(data["name"]) or "role"),
            name=data["name"],
            description=data["description"],
            is_admin=data["is_admin"],
            scopes=scopes.scopes(),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@admin_required
def role_create(request):
    form = RoleForm(request.POST or None, is_new=True)
    scopes = ScopesForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and scopes.is_valid():
        role = _save_role(request, None, form, scopes)
        if role is not None:
            message = _("Role %(name)s created.") % {"name": role}
            return success_redirect(request, reverse("accounts:roles"), message)
    return _role_page(request, None, form, scopes)


def _current_scopes(role: Role) -> dict[tuple[str, str], str]:
    return {(row.entity, row.action): row.scope for row in role.permissions.all()}


@admin_required
def role_edit(request, pk: int):
    role = get_object_or_404(Role, pk=pk)
    initial = {"name": role.name, "description": role.description, "is_admin": role.is_admin}
    form = RoleForm(request.POST or None, initial=initial, is_new=False)
    scopes = ScopesForm(request.POST or None, current=_current_scopes(role))
    if request.method == "POST" and form.is_valid() and scopes.is_valid():
        saved = _save_role(request, role, form, scopes)
        if saved is not None:
            message = _("Role %(name)s saved.") % {"name": saved}
            return success_redirect(request, reverse("accounts:roles"), message)
        role.refresh_from_db()
    return _role_page(request, role, form, scopes)


@admin_required
def role_delete(request, pk: int):
    role = get_object_or_404(Role, pk=pk)
    error = ""
    if request.method == "POST":
        try:
            services.delete_role(actor=request.user, role=role)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            return success_redirect(
                request, reverse("accounts:roles"), _("Role %(name)s deleted.") % {"name": role}
            )
    return render(
        request,
        "core/components/confirm_delete.html",
        {
            "title": _("Delete role %(name)s") % {"name": role},
            "question": _("Delete the role “%(name)s”?") % {"name": role},
            "error": error,
            "cancel_url": reverse("accounts:role_edit", args=[pk]),
            **settings_tabs(request),
        },
    )
