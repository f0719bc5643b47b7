"""The signed-in user's own profile: personal details, password, API tokens, history."""

import datetime

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from klientela.core.cards import history_page
from klientela.core.forms import add_service_errors, success_redirect
from klientela.core.htmx import add_toast, render_page, wants_partial

from .. import services
from ..forms import (
    ChangePasswordForm,
    PersonalForm,
    TokenForm,
)
from ..models import ApiToken, User


def _profile_page(request, *, status: int = 200, partial: str | None = None, **forms):
    user = request.user
    history = history_page(request, user)
    if wants_partial(request) and "history_page" in request.GET:
        return render(request, "core/components/history.html#entries", {"history": history})
    context = {
        "personal_form": forms.get("personal_form") or PersonalForm(initial=_personal(user)),
        "password_form": forms.get("password_form") or ChangePasswordForm(),
        "token_form": forms.get("token_form") or TokenForm(),
        "new_key": forms.get("new_key", ""),
        "tokens": user.api_tokens.all(),
        "history": history,
        "history_url": reverse("accounts:profile"),
    }
    return render_page(request, "accounts/profile.html", context, partial=partial, status=status)


def _personal(user: User) -> dict:
    return {name: getattr(user, name) for name in PersonalForm.base_fields}


@login_required
def profile(request):
    if request.method != "POST":
        return _profile_page(request)
    form = PersonalForm(request.POST)
    if form.is_valid():
        try:
            services.update_user(actor=request.user, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # A full reload, so a new language applies to the whole page.
            return success_redirect(request, reverse("accounts:profile"), _("Profile saved."))
    return _profile_page(request, personal_form=form, partial="personal_form")


@login_required
@require_POST
def profile_password(request):
    form = ChangePasswordForm(request.POST)
    if form.is_valid():
        try:
            services.set_password(
                actor=request.user,
                user=request.user,
                password=form.cleaned_data["password"],
                old_password=form.cleaned_data["old_password"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            update_session_auth_hash(request, request.user)
            return success_redirect(
                request, reverse("accounts:profile"), _("Your password has been changed.")
            )
    return _profile_page(request, password_form=form, partial="password_form")


def _expiry(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    start = datetime.datetime.combine(day, datetime.time.min)
    return timezone.make_aware(start, timezone.get_current_timezone())


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, token_form=form, partial="tokens")
    token, key = services.issue_token(
        actor=request.user,
        user=request.user,
        name=form.cleaned_data["name"],
        expires_at=_expiry(form.cleaned_data["expires_on"]),
    )
    response = _profile_page(request, new_key=key, partial="tokens")
    message = _("Token “%(name)s” created. Copy the key now: it is shown only once.")
    return add_toast(response, message % {"name": token.name})


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_token(actor=request.user, token=token)
    message = _("Token “%(name)s” revoked.") % {"name": token.name}
    if not wants_partial(request):
        messages.success(request, message)
        return redirect("accounts:profile")
    return add_toast(_profile_page(request, partial="tokens"), message)
