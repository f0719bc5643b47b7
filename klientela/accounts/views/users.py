"""Settings: the users list with its bulk actions, a user's card, forms and password."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_POST

from klientela.core.cards import Card, CardAction, Field, Section, render_card
from klientela.core.display import badge
from klientela.core.forms import add_service_errors, render_form_page, success_redirect
from klientela.core.lists import BulkAction, Column, ListDefinition, render_list

from .. import services
from ..filters import UserFilter
from ..forms import (
    RoleChoiceForm,
    SetPasswordForm,
    TeamChoiceForm,
    UserForm,
)
from ..lockout import is_locked, unlock_user
from ..models import User
from .common import admin_required, settings_tabs


def _update_each(request, users, **fields):
    """Apply one change to each selected user; users the rules refuse are named, not fatal."""
    changed, refused = 0, []
    for user in users:
        try:
            services.update_user(actor=request.user, user=user, **fields)
        except ValidationError as error:
            refused.append(f"{user}: {' '.join(error.messages)}")
        else:
            changed += 1
    message = ngettext("%(count)d user updated.", "%(count)d users updated.", changed) % {
        "count": changed
    }
    if refused:
        not_changed = _("Not changed: %(reasons)s") % {"reasons": "; ".join(refused)}
        return f"{message} {not_changed}", "warning"
    return message


def activate_users(request, users):
    return _update_each(request, users, is_active=True)


def deactivate_users(request, users):
    return _update_each(request, users, is_active=False)


def assign_team(request, users, team):
    return _update_each(request, users, team=team)


def assign_role(request, users, role):
    return _update_each(request, users, role=role)


def _user_url(user: User) -> str:
    return reverse("accounts:user_detail", args=[user.pk])


USERS = ListDefinition(
    key="accounts.users",
    columns=[
        Column(
            "name",
            pgettext_lazy("person", "Name"),
            sort=("first_name", "last_name", "username"),
            link=_user_url,
            value=str,
        ),
        Column("username", gettext_lazy("User name"), sort="username"),
        Column("email", gettext_lazy("Email"), sort="email"),
        Column("phone", gettext_lazy("Phone"), sort="phone"),
        Column("team", gettext_lazy("Team"), sort="team__name"),
        Column("role", gettext_lazy("Role"), sort="role__name"),
        Column(
            "language",
            gettext_lazy("Language"),
            sort="language",
            value=lambda user: user.get_language_display(),
        ),
        Column("timezone", gettext_lazy("Time zone"), sort="timezone"),
        Column("is_active", gettext_lazy("Active"), sort="is_active"),
        Column("last_login", gettext_lazy("Last sign-in"), sort="last_login"),
        Column("date_joined", gettext_lazy("Created"), sort="date_joined"),
    ],
    default_columns=[
        "name",
        "username",
        "email",
        "team",
        "role",
        "is_active",
        "last_login",
    ],
    filterset=UserFilter,
    bulk_actions=[
        BulkAction("activate", gettext_lazy("Activate"), activate_users),
        BulkAction(
            "deactivate",
            gettext_lazy("Deactivate"),
            deactivate_users,
            confirm=gettext_lazy(
                "Deactivate the selected users? They will not be able to sign in."
            ),
            is_dangerous=True,
        ),
        BulkAction("assign_team", gettext_lazy("Assign to team"), assign_team, form=TeamChoiceForm),
        BulkAction("assign_role", gettext_lazy("Assign role"), assign_role, form=RoleChoiceForm),
    ],
    default_sort="name",
    select_related=("team", "role"),
    empty_title=gettext_lazy("No users yet"),
    empty_text=gettext_lazy("Add the people who work in Klientela."),
    empty_icon="users",
)


@admin_required
def user_list(request):
    return render_list(
        request,
        USERS,
        User.objects.all(),
        title=_("Users"),
        create_url=reverse("accounts:user_create"),
        create_label=_("New user"),
        extra_context=settings_tabs(request),
    )


@admin_required
def user_create(request):
    initial = {"language": settings.LANGUAGE_CODE, "timezone": settings.TIME_ZONE}
    form = UserForm(request.POST or None, initial=initial, is_new=True)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.create_user(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = _("User %(name)s created.") % {"name": user}
            return success_redirect(request, _user_url(user), message)
    return render_form_page(
        request,
        form,
        title=_("New user"),
        submit_label=_("Create user"),
        cancel_url=reverse("accounts:users"),
        back_url=reverse("accounts:users"),
        back_label=_("Users"),
        **settings_tabs(request),
    )


@admin_required
def user_detail(request, pk: int):
    user = get_object_or_404(User.objects.select_related("team", "role"), pk=pk)
    locked = is_locked(user)
    badges = [] if user.is_active else [badge(_("Inactive"), "muted")]
    unlock = CardAction(
        _("Unlock sign-in"), reverse("accounts:user_unlock", args=[pk]), "lock-open", method="post"
    )
    card = Card(
        title=str(user),
        subtitle=user.username,
        badges=badges + ([badge(_("Locked out"), "warning")] if locked else []),
        back_url=reverse("accounts:users"),
        back_label=_("Users"),
        actions=[
            *([unlock] if locked else []),
            CardAction(
                _("Set password"), reverse("accounts:user_password", args=[pk]), "key-round"
            ),
            CardAction(
                _("Edit"), reverse("accounts:user_edit", args=[pk]), "pencil", is_primary=True
            ),
        ],
        sections=[
            Section(
                _("Main"),
                [
                    Field(_("User name"), user.username),
                    Field(_("First name"), user.first_name),
                    Field(_("Last name"), user.last_name),
                    Field(_("Email"), user.email, url=f"mailto:{user.email}"),
                    Field(_("Phone"), user.phone),
                ],
            ),
            Section(
                _("Access"),
                [
                    Field(_("Team"), user.team, always=True),
                    Field(_("Role"), user.role, always=True),
                    Field(_("Active"), user.is_active),
                    Field(_("Administrator"), user.is_admin),
                ],
            ),
            Section(
                _("Preferences"),
                [
                    Field(_("Language"), user.get_language_display()),
                    Field(_("Time zone"), user.timezone),
                ],
            ),
            Section(
                _("Activity"),
                [
                    Field(_("Last sign-in"), user.last_login),
                    Field(_("Created"), user.date_joined),
                ],
            ),
        ],
    )
    return render_card(request, card, obj=user, extra_context=settings_tabs(request))


def _user_fields(user: User) -> dict:
    names = [name for name in UserForm.base_fields if name != "password"]
    return {name: getattr(user, name) for name in names}


@admin_required
def user_edit(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    form = UserForm(request.POST or None, initial=_user_fields(user), is_new=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_user(actor=request.user, user=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = _("Changes to %(name)s saved.") % {"name": user}
            return success_redirect(request, _user_url(user), message)
    return render_form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": user},
        cancel_url=_user_url(user),
        back_url=_user_url(user),
        back_label=str(user),
        history_of=user,
        **settings_tabs(request),
    )


@admin_required
def user_password(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_password(
                actor=request.user, user=user, password=form.cleaned_data["password"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = _("New password set for %(name)s.") % {"name": user}
            return success_redirect(request, _user_url(user), message)
    return render_form_page(
        request,
        form,
        title=_("Set a new password for %(name)s") % {"name": user},
        subtitle=_(
            "Tell the user the new password in person; they can change it on their profile."
        ),
        submit_label=_("Set password"),
        cancel_url=_user_url(user),
        back_url=_user_url(user),
        back_label=str(user),
        **settings_tabs(request),
    )


@admin_required
@require_POST
def user_unlock(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    unlock_user(actor=request.user, user=user)
    message = _("%(name)s can sign in again.") % {"name": user}
    return success_redirect(request, _user_url(user), message)
