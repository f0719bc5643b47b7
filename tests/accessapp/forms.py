from django import forms


class WidgetForm(forms.Form):
    name = forms.CharField(max_length=100)
