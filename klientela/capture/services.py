"""Leads that come in by themselves: a web form's submissions and calls from unknown numbers.

A submission is refused without writing anything when it looks automated (the hidden field a
person never fills, or sent faster than a person types) or when one address sends too many;
what a person typed wrong comes back with a message per field.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from klientela.core import access
from klientela.core.audit import record_saved, snapshot
from klientela.core.models import ReferenceItem
from klientela.core.phones import normalize_phone
from klientela.customers.models import Phone
from klientela.sales.models import Lead
from klientela.sales.services import create_lead

from .models import FORM_FIELDS, WebForm, new_token

HONEYPOT = "website_url"  # hidden from people by CSS; bots fill every field they see
MIN_SECONDS_TO_FILL = 2
SUBMISSIONS_PER_WINDOW = 10
WINDOW_SECONDS = 600
NAME_FIELDS = ("first_name", "last_name", "company_name")
OPEN_LEAD_STATUSES = (Lead.Status.NEW,)
# Audited fields: not the token (the history is no place for a secret) nor the counters.
AUDITED = ["name", "fields", "required", "responsible", "source", "thank_you", "is_active"]


class Automated(Exception):
    """A submission a program made; the page thanks it as usual and nothing is saved."""


@transaction.atomic
def save_form(*, actor, form: WebForm | None = None, **fields) -> WebForm:
    """Create or change a web form (administrators)."""
    access.require_admin(actor)
    created = form is None
    before = None if created else snapshot(form, AUDITED)
    form = form or WebForm()
    for name, value in fields.items():
        setattr(form, name, value)
    form.fields = [key for key in FORM_FIELDS if key in form.fields]
    form.required = [key for key in form.fields if key in form.required]
    if not set(form.fields) & set(NAME_FIELDS):
        raise ValidationError(
            {"fields": _("Ask for a first name, a last name or a company: a lead needs one.")}
        )
    form.full_clean()
    form.save()
    record_saved(form, before, actor=actor, fields=AUDITED)
    return form


@transaction.atomic
def new_link(*, actor, form: WebForm) -> WebForm:
    """A new secret address: the old one stops working (if the form was copied where it should
    not be)."""
    access.require_admin(actor)
    form.token = new_token()
    form.save(update_fields=["token", "updated_at"])
    return form


def form_stamp() -> str:
    """Signed time the form was shown; a submission carries it back."""
    return signing.dumps(time.time(), salt="capture.form")


def _check_human(data: dict, stamp: str | None) -> None:
    if str(data.get(HONEYPOT) or "").strip():
        raise Automated
    if stamp is None:  # a site posting its own HTML form has no stamp
        return
    try:
        shown = signing.loads(stamp, salt="capture.form", max_age=24 * 3600)
    except signing.BadSignature:
        raise Automated from None
    if time.time() - float(shown) < MIN_SECONDS_TO_FILL:
        raise Automated


def _count_submission(form: WebForm, client_key: str) -> None:
    key = f"capture:{form.pk}:{client_key}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS)
        count = 1
    if count > SUBMISSIONS_PER_WINDOW:
        raise ValidationError(_("Too many requests from your address. Try again in a few minutes."))


def _clean(form: WebForm, data: dict) -> dict:
    values, errors = {}, {}
    for key in form.fields:
        value = str(data.get(key) or "").strip()
        limit = Lead._meta.get_field(key).max_length
        values[key] = value[:limit] if limit else value[:5000]
        if key in form.required and not value:
            errors[key] = _("Fill this in.")
    if values.get("email"):
        try:
            validate_email(values["email"])
        except ValidationError:
            errors["email"] = _("Enter a valid e-mail address.")
    if values.get("phone"):
        info = normalize_phone(values["phone"])
        if not info.is_valid:
            errors["phone"] = _("Enter a phone number with its country code, e.g. +48 601 234 567.")
        else:
            values["phone"] = info.e164
    if not errors and not any(values.get(key) for key in NAME_FIELDS):
        first = next(key for key in form.fields if key in NAME_FIELDS)
        errors[first] = _("Tell us your name or your company.")
    if errors:
        raise ValidationError(errors)
    return values


def submit(form: WebForm, data: dict, *, client_key: str, stamp: str | None = None) -> Lead:
    """A visitor's submission -> a new lead of the form's responsible. Raises ValidationError
    (per field, for the visitor) or ``Automated``."""
    if not form.is_active:
        raise ValidationError(_("This form no longer takes requests."))
    # Mistakes first: a person who sends an empty form at once is told what to fill in, not
    # thanked as a program would be.
    values = _clean(form, data)
    _check_human(data, stamp)
    _count_submission(form, client_key)
    who = values.get("company_name") or " ".join(
        part for part in (values.get("first_name"), values.get("last_name")) if part
    )
    with transaction.atomic():
        lead = create_lead(
            actor=None,
            title=f"{form.name}: {who}"[:200],
            responsible=form.responsible,
            source=form.source,
            **values,
        )
        WebForm.objects.filter(pk=form.pk).update(
            submissions=F("submissions") + 1, last_submitted_at=timezone.now()
        )
    return lead


# ---------------------------------------------------------------- calls


@dataclass
class CallOutcome:
    """What an incoming call is: a client already in the base, a lead already open for the
    number, or a new lead."""

    phone: str
    card: object | None = None
    lead: Lead | None = None
    created: bool = False


def incoming_call(
    *, actor, phone: str, called_at: datetime.datetime | None = None, note: str = ""
) -> CallOutcome:
    """A telephone system reports a call: find who calls, or keep it as a lead."""
    info = normalize_phone(phone)
    if not info.is_valid:
        raise ValidationError(
            {"phone": _("%(value)s is not a valid phone number.") % {"value": phone[:50]}}
        )
    number = info.e164
    holders = Phone.objects.filter(e164=number).select_related("person", "organization")
    for holder in holders.order_by("-is_primary", "pk"):
        card = holder.person or holder.organization
        if card is not None and (actor is None or access.can(actor, access.Action.VIEW, card)):
            return CallOutcome(phone=number, card=card)
    open_lead = (
        (Lead.objects.visible_to(actor) if actor is not None else Lead.objects.all())
        .filter(phone=number, status__in=OPEN_LEAD_STATUSES)
        .order_by("-created_at")
        .first()
    )
    if open_lead is not None:
        return CallOutcome(phone=number, lead=open_lead)
    when = timezone.localtime(called_at or timezone.now())
    called = _("Called at %(when)s.") % {"when": when.strftime("%Y-%m-%d %H:%M %Z")}
    lead = create_lead(
        actor=actor,
        title=_("Call from %(phone)s") % {"phone": number},
        phone=number,
        last_name=number,  # the number stands for the name until someone asks it
        source=_call_source(),
        description=f"{note}\n{called}" if note else called,
    )
    return CallOutcome(phone=number, lead=lead, created=True)


def _call_source():
    return ReferenceItem.objects.filter(reference_list__key="sources", key="phone_call").first()
