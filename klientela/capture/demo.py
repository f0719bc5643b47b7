"""Demo web form: "Contact us", whose requests go to the first demo manager."""

from django.contrib.auth import get_user_model

from klientela.core.demodata import DemoLoader
from klientela.core.models import ReferenceItem

from .models import WebForm


def is_loaded() -> bool:
    return WebForm.objects.exists()


def load_forms(context: dict) -> None:
    users = get_user_model().objects.filter(is_active=True).order_by("id")
    owner = users.filter(role__code="manager").first() or users.first()
    if owner is None:
        return
    WebForm.objects.create(
        name="Contact us",
        fields=["first_name", "last_name", "company_name", "phone", "email", "description"],
        required=["first_name", "email"],
        responsible=owner,
        source=ReferenceItem.objects.filter(reference_list__key="sources", key="website").first(),
        thank_you="Thank you! A manager will call you within one working day.",
    )


DEMO = DemoLoader(key="capture", order=45, load=load_forms, is_loaded=is_loaded)
