"""The organization and person forms: main fields, reference lists, tags and custom fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from klientela.core import access
from klientela.core.customfields import (
    active_items,
    custom_form_fields,
    custom_initial,
    custom_values_from_form,
    load_definitions,
)

from ..models import CLIENT_GROUPS, INDUSTRIES, ORGANIZATION_TYPES, SOURCES, Organization, Person
from .actions import assignable_users
from .widgets import RecordPicker

EMPTY = [("", "—")]


def reference_choices(list_key: str, language: str | None, current=None) -> list:
    """The list's active items in the reader's language, plus a retired one the record holds."""
    choices = active_items(list_key, language)
    if current is not None and current.key not in dict(choices):
        choices.append((current.key, _("%(label)s (no longer in use)") % {"label": current}))
    return choices


def split_tags(text: str) -> list[str]:
    return [name.strip() for name in (text or "").split(",") if name.strip()]


class CardForm(forms.Form):
    """What both kinds of card share; subclasses add their own fields before these."""

    entity = ""
    model: type = Organization
    # Reference list fields: name -> list key.
    references: dict[str, str] = {}
    # The fields of the "Main" and "Description" sections, in order.
    main_fields: tuple[str, ...] = ()
    text_fields: tuple[str, ...] = ()

    source = forms.ChoiceField(label=_("Source"), required=False)
    responsible = forms.ModelChoiceField(label=_("Responsible"), queryset=None, required=False)
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Separate tags with commas; a new name creates the tag."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, language: str | None, record=None, **kwargs):
        self.user = user
        self.record = record
        self.language = language
        if record is not None:
            kwargs.setdefault("initial", self.initial_from(record))
        super().__init__(*args, **kwargs)
        for name, list_key in self.references.items():
            current = getattr(record, name) if record is not None else None
            self.fields[name].choices = EMPTY + reference_choices(list_key, language, current)
        action = access.Action.EDIT if record is not None else access.Action.CREATE
        # The current owner stays choosable, so saving other changes does not hand the card over.
        keep = record.responsible_id if record is not None else None
        self.fields["responsible"].queryset = assignable_users(user, self.entity, action, keep=keep)
        self.definitions = load_definitions(self.entity)
        self.custom_sections = custom_form_fields(
            self.entity, language, definitions=self.definitions
        )
        for fields in self.custom_sections.values():
            self.fields.update(fields)
        if record is not None:
            custom = custom_initial(self.entity, record.custom, definitions=self.definitions)
            self.initial.update(custom)

    @property
    def custom_field_sections(self) -> list[tuple[str, list]]:
        """``[(section, bound fields)]`` of the custom fields, for the template."""
        return [
            (section, [self[name] for name in fields])
            for section, fields in self.custom_sections.items()
        ]

    @property
    def main_bound_fields(self) -> list:
        return [self[name] for name in self.main_fields]

    @property
    def text_bound_fields(self) -> list:
        return [self[name] for name in self.text_fields]

    def initial_from(self, record) -> dict:
        initial = {
            "source": record.source.key if record.source_id else "",
            "responsible": record.responsible_id,
            "tags": ", ".join(tag.name for tag in record.tags.all()),
            "description": record.description,
        }
        for name in self.references:
            item = getattr(record, name)
            initial[name] = item.key if item else ""
        return initial

    def service_data(self) -> dict:
        """The cleaned form as the service's keyword arguments (channels are added apart)."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if not name.startswith("custom.") and name != "tags"
        }
        for name in self.references:
            data[name] = data.get(name) or None
        data["tags"] = split_tags(self.cleaned_data.get("tags", ""))
        data["custom"] = custom_values_from_form(self.cleaned_data)
        if data.get("responsible") is None:
            data.pop("responsible", None)
        return data


class OrganizationForm(CardForm):
    entity = "organization"
    model = Organization
    references = {"industry": INDUSTRIES, "client_group": CLIENT_GROUPS, "source": SOURCES}
    main_fields = (
        "legal_name",
        "short_name",
        "tax_number",
        "registration_number",
        "types",
        "industry",
        "size",
        "client_group",
        "source",
        "parent",
        "responsible",
        "tags",
    )
    text_fields = ("needs", "description")

    legal_name = forms.CharField(label=_("Legal name"), max_length=255)
    short_name = forms.CharField(label=_("Short name"), max_length=255, required=False)
    tax_number = forms.CharField(label=_("Tax number"), max_length=32, required=False)
    registration_number = forms.CharField(
        label=_("Registration number"), max_length=64, required=False
    )
    types = forms.MultipleChoiceField(
        label=_("Type"), required=False, widget=forms.CheckboxSelectMultiple
    )
    industry = forms.ChoiceField(label=_("Industry"), required=False)
    size = forms.ChoiceField(
        label=_("Size"), required=False, choices=EMPTY + Organization.Size.choices
    )
    client_group = forms.ChoiceField(label=_("Client group"), required=False)
    parent = forms.IntegerField(label=_("Parent organization"), required=False)
    needs = forms.CharField(
        label=_("Needs"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current_types = list(self.record.types.all()) if self.record is not None else []
        choices = active_items(ORGANIZATION_TYPES, self.language)
        keys = dict(choices)
        choices += [(item.key, str(item)) for item in current_types if item.key not in keys]
        self.fields["types"].choices = choices
        parent = self.record.parent if self.record is not None else None
        posted = str(self.data.get(self.add_prefix("parent"), "")) if self.is_bound else ""
        if posted.isdigit() and (parent is None or str(parent.pk) != posted):
            # The form comes back with errors: keep showing the organization just picked.
            parent = Organization.objects.visible_to(self.user).filter(pk=posted).first()
        self.fields["parent"].widget = RecordPicker(
            kind="organization",
            selected=parent,
            exclude=self.record.pk if self.record is not None else None,
            placeholder=_("Find an organization…"),
        )

    def initial_from(self, record) -> dict:
        return {
            **super().initial_from(record),
            "legal_name": record.legal_name,
            "short_name": record.short_name,
            "tax_number": record.tax_number,
            "registration_number": record.registration_number,
            "types": [item.key for item in record.types.all()],
            "size": record.size,
            "parent": record.parent_id,
            "needs": record.needs,
        }


class PersonForm(CardForm):
    entity = "person"
    model = Person
    references = {"source": SOURCES}
    main_fields = (
        "last_name",
        "first_name",
        "middle_name",
        "position",
        "birthday",
        "source",
        "responsible",
        "tags",
    )
    text_fields = ("description",)

    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    middle_name = forms.CharField(
        label=_("Middle name"),
        max_length=100,
        required=False,
        help_text=_("Or patronymic."),
    )
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    birthday = forms.DateField(
        label=_("Birthday"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def initial_from(self, record) -> dict:
        return {
            **super().initial_from(record),
            "last_name": record.last_name,
            "first_name": record.first_name,
            "middle_name": record.middle_name,
            "position": record.position,
            "birthday": record.birthday,
        }
