from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Import

REGIONS = [
    ("RU", _("Russia")),
    ("PL", _("Poland")),
    ("SI", _("Slovenia")),
    ("DE", _("Germany")),
    ("US", _("United States")),
    ("GB", _("United Kingdom")),
    ("UA", _("Ukraine")),
    ("KZ", _("Kazakhstan")),
    ("BY", _("Belarus")),
    ("HR", _("Croatia")),
    ("AT", _("Austria")),
    ("IT", _("Italy")),
]


class UploadForm(forms.Form):
    entity = forms.ChoiceField(label=_("What is in the file"))
    file = forms.FileField(label=_("File (XLSX, ODS or CSV)"))

    def __init__(self, *args, entities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].choices = [(entity.key, entity.label) for entity in entities]


class SettingsForm(forms.Form):
    sheet = forms.ChoiceField(label=_("Sheet"), required=False)
    region = forms.ChoiceField(label=_("Default country of phone numbers"), choices=REGIONS)
    duplicates = forms.ChoiceField(
        label=_("When the client is already in the base"), choices=Import.Duplicates.choices
    )
    create_missing = forms.BooleanField(
        label=_("Add values missing from the lists"), required=False
    )

    def __init__(self, *args, sheets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [(name, name) for name in sheets]
        if not sheets:
            del self.fields["sheet"]
