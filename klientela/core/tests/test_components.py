"""Record cards, form helpers and template tags that every app's pages are built from."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.template import Context, Template

from klientela.core.cards import Card, Field, Section
from klientela.core.forms import add_service_errors


class ContactForm(forms.Form):
    name = forms.CharField(label="Name", help_text="As on the passport.")
    new_password1 = forms.CharField(required=False)


def render(source: str, **context) -> str:
    return Template("{% load klientela_ui %}" + source).render(Context(context))


def test_a_card_hides_empty_fields_and_sections_left_empty():
    card = Card(
        title="Anna",
        sections=[
            Section("Main", [Field("Name", "Anna"), Field("Phone", ""), Field("Email", None)]),
            Section("Extra", [Field("Notes", ""), Field("Tags", [])]),
            Section("Access", [Field("Team", None, always=True)]),
        ],
    )

    shown = card.visible_sections

    assert [section["title"] for section in shown] == ["Main", "Access"]
    assert [item.label for item in shown[0]["fields"]] == ["Name"]


def test_service_errors_land_on_their_fields_and_the_rest_on_top():
    form = ContactForm({"name": "Anna"})
    assert form.is_valid()

    add_service_errors(
        form,
        ValidationError(
            {
                "name": ["Taken."],
                "password": ["Too short."],
                "owner": ["Unknown owner."],
                "__all__": ["Try again."],
            }
        ),
        field_map={"password": "new_password1"},
    )

    assert form.errors["name"] == ["Taken."]
    assert form.errors["new_password1"] == ["Too short."]
    assert form.non_field_errors() == ["Unknown owner.", "Try again."]


def test_a_plain_service_error_goes_on_top():
    form = ContactForm({"name": "Anna"})
    form.is_valid()

    add_service_errors(form, ValidationError("At least one administrator must remain."))

    assert form.non_field_errors() == ["At least one administrator must remain."]


@pytest.mark.django_db
def test_form_fields_show_labels_required_marks_help_and_errors():
    form = ContactForm({"name": ""})
    form.is_valid()

    html = render("{% form_fields form %}", form=form)

    assert '<label class="field-label" for="id_name">Name<span class="required"' in html
    assert "As on the passport." in html
    assert 'id="id_name_error"' in html
    assert 'aria-invalid="true"' in html
    assert "This field is required." in html


def test_icons_are_inline_svg_hidden_from_screen_readers():
    html = render('{% icon "users" 20 %}')

    assert html.startswith('<svg class="icon "')
    assert 'aria-hidden="true"' in html
    assert 'width="20"' in html
