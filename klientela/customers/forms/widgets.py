"""A widget to choose one organization or person by typing part of its name, phone or email.

The value is the record's id in a hidden input; the search box asks ``customers:lookup``, which
answers only with records the user may see (the service checks the chosen one again).
"""

from __future__ import annotations

from django import forms
from django.urls import reverse


class RecordPicker(forms.Widget):
    template_name = "customers/widgets/record_picker.html"

    def __init__(self, *, kind: str, selected=None, exclude=None, placeholder="", attrs=None):
        super().__init__(attrs)
        self.kind = kind
        self.selected = selected
        self.exclude = exclude
        self.placeholder = placeholder

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        selected = (
            self.selected
            if self.selected is not None and str(value) == str(self.selected.pk)
            else None
        )
        query = f"kind={self.kind}" + (f"&exclude={self.exclude}" if self.exclude else "")
        context["picker"] = {
            "kind": self.kind,
            "selected_label": str(selected) if selected is not None else "",
            "lookup_url": f"{reverse('customers:lookup')}?{query}",
            "placeholder": self.placeholder,
        }
        return context

    def id_for_label(self, id_):
        # The label names the search box; the chosen id travels in the hidden input.
        return f"{id_}_search" if id_ else id_

    def format_value(self, value):
        return "" if value in (None, "") else str(value)
