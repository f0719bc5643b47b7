"""Forms of the accounts pages. They only clean input; the services decide what is allowed."""

import zoneinfo
from functools import cache

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klientela.core.access import Action, Scope, entities

from .models import Role, Team, User


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("User name"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


@cache
def timezone_choices() -> list[tuple[str, str]]:
    names = sorted(name for name in zoneinfo.available_timezones() if "/" in name or name == "UTC")
    return [(name, name.replace("_", " ")) for name in names]


def _timezone_field() -> forms.ChoiceField:
    return forms.ChoiceField(label=_("Time zone"), choices=timezone_choices)


def _new_password_field(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )


class PersonalForm(forms.Form):
    """The fields a user may change on their own profile."""

    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    timezone = _timezone_field()


class UserForm(PersonalForm):
    """What an administrator sets on a user; the password only when creating one."""

    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), required=False, empty_label=_("No team")
    )
    role = forms.ModelChoiceField(
        label=_("Role"),
        queryset=Role.objects.all(),
        required=False,
        empty_label=_("No role"),
        help_text=_("Without a role the user can sign in but sees no records."),
    )
    is_active = forms.BooleanField(label=_("Active (may sign in)"), required=False, initial=True)
    password = _new_password_field(_("Initial password"))

    field_order = [
        "username",
        "first_name",
        "last_name",
        "email",
        "phone",
        "team",
        "role",
        "language",
        "timezone",
        "password",
        "is_active",
    ]

    def __init__(self, *args, is_new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if is_new:
            del self.fields["is_active"]
        else:
            del self.fields["password"]


class SetPasswordForm(forms.Form):
    password = _new_password_field(_("New password"))
    password_again = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords do not match."))
        return data


class ChangePasswordForm(SetPasswordForm):
    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    field_order = ["old_password", "password", "password_again"]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Where the token is used, e.g. “Website forms”."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a token that does not expire."),
    )

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day is not None and day <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day in the future."))
        return day


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    head = forms.ModelChoiceField(
        label=_("Head"),
        queryset=User.objects.filter(is_active=True),
        required=False,
        empty_label=_("No head"),
        help_text=_("The head becomes a member of the team."),
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    members = forms.ModelMultipleChoiceField(
        label=_("Members"),
        queryset=User.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A user belongs to one team: choosing them here moves them from their team."),
    )


class RoleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    code = forms.SlugField(
        label=_("Code"),
        max_length=50,
        required=False,
        help_text=_("A short unique key for scripts and the API; made from the name if empty."),
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    is_admin = forms.BooleanField(
        label=_("Administrator: sees and changes everything, including settings"),
        required=False,
    )

    def __init__(self, *args, is_new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_new:
            del self.fields["code"]


class ScopesForm(forms.Form):
    """The role's permission table: one scope per registered entity and action."""

    def __init__(self, *args, current: dict[tuple[str, str], str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        for entity in entities():
            for action in entity.actions:
                self.fields[self.field_name(entity.key, action)] = forms.ChoiceField(
                    label=f"{entity.label}: {Action(action).label}",
                    choices=Scope.choices,
                    initial=current.get((entity.key, action), Scope.NONE),
                )

    @staticmethod
    def field_name(entity: str, action: str) -> str:
        return f"scope__{entity}__{action}"

    def matrix(self) -> list[dict]:
        """Rows of the table: each entity with one cell per action (None where it has none)."""
        return [
            {
                "entity": entity,
                "cells": [
                    self[self.field_name(entity.key, action)] if action in entity.actions else None
                    for action in Action.values
                ],
            }
            for entity in entities()
        ]

    def scopes(self) -> dict[tuple[str, str], str]:
        return {
            (entity.key, action): self.cleaned_data[self.field_name(entity.key, action)]
            for entity in entities()
            for action in entity.actions
        }


class TeamChoiceForm(forms.Form):
    """The team a bulk action moves the selected users to."""

    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.all(), required=False, empty_label=_("No team")
    )


class RoleChoiceForm(forms.Form):
    """The role a bulk action gives the selected users."""

    role = forms.ModelChoiceField(
        label=_("Role"), queryset=Role.objects.all(), required=False, empty_label=_("No role")
    )
