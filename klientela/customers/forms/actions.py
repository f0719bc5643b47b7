"""Small forms of card actions: hand-over, tags, contact links, quick person, notes, merge."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.html import escape, linebreaks, urlize
from django.utils.translation import gettext_lazy as _

from klientela.core import access
from klientela.core.customfields import active_items

from ..models import CONTACT_ROLES
from ..services.merge import DUPLICATE, SURVIVOR
from .widgets import RecordPicker

HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
BOLD = re.compile(r"\*\*(.+?)\*\*")
ITALIC = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")


def assignable_users(user, entity: str, action: str, *, keep: int | None = None):
    """Active users ``user`` may make responsible for a card (the access core's rule);
    ``keep`` adds the card's current owner so an edit does not have to change it."""
    users = get_user_model().objects.filter(is_active=True).select_related("team")
    allowed = [other.pk for other in users if access.can_assign(user, entity, action, other)]
    chosen = Q(pk__in=allowed) | Q(pk=keep) if keep else Q(pk__in=allowed)
    return get_user_model().objects.filter(chosen).order_by("first_name", "last_name", "username")


class HandOverForm(forms.Form):
    new_owner = forms.ModelChoiceField(label=_("New responsible"), queryset=None)
    include_open_work = forms.BooleanField(
        label=_("Together with open deals and tasks"), required=False
    )

    def __init__(self, *args, user, entity: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_owner"].queryset = assignable_users(user, entity, access.Action.EDIT)
        self.fields["new_owner"].empty_label = _("Choose a manager…")


class AddTagForm(forms.Form):
    tag = forms.CharField(label=_("Tag"), max_length=100)


def role_choices(language: str | None) -> list:
    return [("", _("No role")), *active_items(CONTACT_ROLES, language)]


class LinkForm(forms.Form):
    """Link an existing person to an organization (or the other way round)."""

    record = forms.IntegerField(label=_("Record"))
    role = forms.ChoiceField(label=_("Role"), required=False)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)

    def __init__(self, *args, kind: str, language: str | None, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        label = _("Person") if kind == "person" else _("Organization")
        self.fields["record"].label = label
        self.fields["record"].widget = RecordPicker(kind=kind, exclude=exclude)
        self.fields["role"].choices = role_choices(language)


class QuickPersonForm(forms.Form):
    """A new person created right on an organization's card, as its contact."""

    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=100, required=False)
    email = forms.CharField(label=_("Email"), max_length=254, required=False)

    def __init__(self, *args, language: str | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(language)


def note_html(text: str) -> str:
    """Plain text with **bold**, *italic*, line breaks and links becomes HTML; HTML stays as it
    is. The service sanitizes either way."""
    text = (text or "").strip()
    if HTML_TAG.search(text):
        return text
    html = urlize(escape(text), nofollow=True, autoescape=False)
    html = BOLD.sub(r"<strong>\1</strong>", html)
    html = ITALIC.sub(r"<em>\1</em>", html)
    return linebreaks(html)


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": _("Write a note: **bold**, *italic*, links…")}
        ),
    )

    def clean_body(self) -> str:
        return note_html(self.cleaned_data["body"])


class MergeForm(forms.Form):
    """One radio per field where the two cards differ: keep the survivor's value or take the
    duplicate's. The fields are given by the view (those that differ)."""

    def __init__(self, *args, rows: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            if row["choosable"]:
                # Not required: a field left unchosen keeps the survivor's value.
                self.fields[row["name"]] = forms.ChoiceField(
                    label=row["label"],
                    choices=[(SURVIVOR, row["survivor"]), (DUPLICATE, row["duplicate"])],
                    widget=forms.RadioSelect,
                    initial=row["default"],
                    required=False,
                )

    def field_choices(self) -> dict[str, str]:
        return {name: choice for name, choice in self.cleaned_data.items() if choice}
