from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from klientela.core.models import ReferenceItem

from .models import FORM_FIELDS, WebForm

FIELD_CHOICES = list(FORM_FIELDS.items())


class WebFormForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    fields = forms.MultipleChoiceField(
        label=_("Fields on the form"), choices=FIELD_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    required = forms.MultipleChoiceField(
        label=_("Required fields"),
        choices=FIELD_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    responsible = forms.ModelChoiceField(
        label=_("Leads go to"), queryset=get_user_model().objects.filter(is_active=True)
    )
    source = forms.ModelChoiceField(
        label=_("Source"),
        queryset=ReferenceItem.objects.filter(reference_list__key="sources", is_active=True),
        required=False,
    )
    thank_you = forms.CharField(
        label=_("Thank-you text"),
        max_length=300,
        required=False,
        help_text=_("Shown after sending; empty: a standard thank-you."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, instance: WebForm | None = None, **kwargs):
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": instance.name,
                    "fields": instance.fields,
                    "required": instance.required,
                    "responsible": instance.responsible_id,
                    "source": instance.source_id,
                    "thank_you": instance.thank_you,
                    "is_active": instance.is_active,
                },
            )
        else:
            kwargs.setdefault(
                "initial", {"fields": ["first_name", "phone", "email", "description"]}
            )
        super().__init__(*args, **kwargs)


class PublicForm(forms.Form):
    """What a visitor fills in (the page adds the signed time and the field only bots see)."""

    def __init__(self, webform: WebForm, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in webform.fields:
            widget = forms.Textarea(attrs={"rows": 4}) if key == "description" else None
            self.fields[key] = forms.CharField(
                label=FORM_FIELDS[key],
                required=key in webform.required,
                widget=widget,
                max_length=5000,
            )
        if "email" in self.fields:
            self.fields["email"].widget.input_type = "email"
        if "phone" in self.fields:
            self.fields["phone"].widget.input_type = "tel"
