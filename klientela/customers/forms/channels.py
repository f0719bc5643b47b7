"""Repeatable rows of contact channels on the card forms: phones, emails, messengers, websites,
addresses. Each type is a formset; the page adds and removes rows (assets/app.js, channelRows).

Rows become the lists ``services`` take: a row with an ``id`` changes that channel, a new row
adds one, and a removed or emptied row is left out, which deletes the channel.
"""

from __future__ import annotations

from functools import cache

from babel import Locale
from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from klientela.core.formatting import babel_locale

from ..models import Address, Email, Messenger, Phone, Website

ROW_KEYS = {
    "phones": ("number", "kind", "comment"),
    "emails": ("address", "kind"),
    "messengers": ("handle", "kind"),
    "websites": ("url", "kind"),
    "addresses": ("street", "postal_code", "city", "region", "country", "kind"),
}
MAIN_KEY = {
    "phones": "number",
    "emails": "address",
    "messengers": "handle",
    "websites": "url",
    "addresses": "street",
}
LABELS = {
    "phones": _("Phones"),
    "emails": _("Emails"),
    "messengers": _("Messengers"),
    "websites": _("Websites"),
    "addresses": _("Addresses"),
}
ADD_LABELS = {
    "phones": _("Add phone"),
    "emails": _("Add email"),
    "messengers": _("Add messenger"),
    "websites": _("Add website"),
    "addresses": _("Add address"),
}


class ChannelRow(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    is_primary = forms.BooleanField(label=_("Primary"), required=False)
    # The stored channel a row of an edit form shows, if any.
    channel = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.TextInput):
                field.widget.attrs.setdefault("placeholder", field.label)


class PhoneRow(ChannelRow):
    field_order = ["kind", "number", "comment"]
    number = forms.CharField(
        label=_("Phone"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Phone.Kind.choices, initial=Phone.Kind.WORK)
    comment = forms.CharField(label=_("Comment"), max_length=255, required=False)

    @property
    def is_invalid(self) -> bool:
        """An invalid number stays on the card as typed; its row says so."""
        return self.channel is not None and not self.channel.is_valid


class EmailRow(ChannelRow):
    field_order = ["kind", "address"]
    address = forms.CharField(
        label=_("Email"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "email", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Email.Kind.choices, initial=Email.Kind.WORK)


class MessengerRow(ChannelRow):
    kind = forms.ChoiceField(label=_("Messenger"), choices=Messenger.Kind.choices)
    handle = forms.CharField(label=_("Handle"), max_length=200, required=False)


class WebsiteRow(ChannelRow):
    field_order = ["kind", "url"]
    url = forms.CharField(
        label=_("Website"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "url"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Website.Kind.choices)


@cache
def _countries(language: str) -> list[tuple[str, str]]:
    territories = Locale.parse(language).territories
    names = [(code, name) for code, name in territories.items() if code.isalpha()]
    return sorted(names, key=lambda item: item[1])


class AddressRow(ChannelRow):
    field_order = ["kind", "street", "postal_code", "city", "region", "country"]
    street = forms.CharField(label=_("Street and building"), max_length=255, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=20, required=False)
    city = forms.CharField(label=_("City"), max_length=150, required=False)
    region = forms.CharField(label=_("Region"), max_length=150, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Address.Kind.choices, initial=Address.Kind.OFFICE
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *_countries(str(babel_locale()))]


ROWS = {
    "phones": PhoneRow,
    "emails": EmailRow,
    "messengers": MessengerRow,
    "websites": WebsiteRow,
    "addresses": AddressRow,
}


def _initial(channel_type: str, channel) -> dict:
    row = {"id": channel.pk, "is_primary": channel.is_primary, "kind": channel.kind}
    if channel_type == "phones":
        # Shown back normalized: the international form of a valid number, else as typed.
        row.update(number=channel.display if channel.is_valid else channel.raw)
        row["comment"] = channel.comment
    elif channel_type == "addresses":
        has_parts = any((channel.street, channel.city, channel.postal_code, channel.region))
        row.update(
            street=channel.street if has_parts else channel.line,
            postal_code=channel.postal_code,
            city=channel.city,
            region=channel.region,
            country=channel.country,
        )
    else:
        row[MAIN_KEY[channel_type]] = getattr(channel, MAIN_KEY[channel_type])
    return row


def _is_empty_row(channel_type: str, item: dict) -> bool:
    if channel_type == "addresses":
        return not any(item[key] for key in ("street", "postal_code", "city", "region"))
    return not str(item[MAIN_KEY[channel_type]]).strip()


class ChannelFormsets:
    """The five channel formsets of one card form, and their rows as service input."""

    def __init__(self, data=None, *, record=None, new_rows=("phones", "emails")):
        self.formsets = {}
        for channel_type, row_form in ROWS.items():
            channels = list(getattr(record, channel_type).all()) if record is not None else []
            initial = [_initial(channel_type, channel) for channel in channels]
            extra = 1 if record is None and channel_type in new_rows else 0
            formset_class = formset_factory(row_form, extra=extra, can_delete=True)
            formset = formset_class(data, initial=initial, prefix=channel_type)
            # The stored channels come first, in order, as the initial rows.
            for form, channel in zip(formset.forms, channels, strict=False):
                form.channel = channel
            formset.channel_type = channel_type
            formset.label = LABELS[channel_type]
            formset.add_label = ADD_LABELS[channel_type]
            self.formsets[channel_type] = formset
        # Which form each item sent to the service came from, to put its errors back there.
        self.item_forms: dict[str, list[forms.Form]] = {}

    def __iter__(self):
        return iter(self.formsets.values())

    def is_valid(self) -> bool:
        return all(formset.is_valid() for formset in self.formsets.values())

    def service_data(self) -> dict[str, list[dict]]:
        data = {}
        for channel_type, formset in self.formsets.items():
            items, sources = [], []
            for form in formset.forms:
                values = form.cleaned_data
                if not values or values.get("DELETE"):
                    continue
                item = {key: values.get(key) or "" for key in ROW_KEYS[channel_type]}
                if _is_empty_row(channel_type, item):
                    continue
                if channel_type == "addresses":
                    item["line"] = ""  # composed again by the service from the parts
                item["is_primary"] = bool(values.get("is_primary"))
                if values.get("id"):
                    item["id"] = values["id"]
                items.append(item)
                sources.append(form)
            data[channel_type] = items
            self.item_forms[channel_type] = sources
        return data

    def add_errors(self, errors: dict[str, list]) -> dict[str, list]:
        """Put the service's ``phones.0.number`` errors on their rows; return the others."""
        rest = {}
        for key, messages in errors.items():
            channel_type, _dot, tail = key.partition(".")
            rows = self.item_forms.get(channel_type)
            index, _dot, field = tail.partition(".")
            if rows is None or not index.isdigit() or int(index) >= len(rows):
                rest[key] = messages
                continue
            form = rows[int(index)]
            target = {"line": "street", "raw": "number"}.get(field, field)
            form.add_error(target if target in form.fields else None, messages)
        return rest
