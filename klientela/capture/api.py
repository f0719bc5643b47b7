"""Lead capture through the API: web forms (administrators) and calls a telephone system
reports."""

import datetime

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from klientela.core.access import require_admin
from klientela.core.models import ReferenceItem

from . import services
from .models import FORM_FIELDS, WebForm

router = Router(tags=["lead capture"])


class WebFormOut(Schema):
    id: int
    name: str
    fields: list[str]
    required: list[str]
    responsible_id: int
    source: str | None = None
    thank_you: str
    is_active: bool
    submissions: int
    url: str = Field(description="Where the form is shown and posted to.")

    @staticmethod
    def resolve_source(form):
        return form.source.key if form.source_id else None

    @staticmethod
    def resolve_url(form, context):
        return context["request"].build_absolute_uri(form.public_path())


class WebFormIn(Schema):
    name: str
    fields: list[str] = Field(description=f"Any of: {', '.join(FORM_FIELDS)}")
    required: list[str] = []
    responsible_id: int
    source: str | None = Field(None, description="Item key of the `sources` list.")
    thank_you: str = ""
    is_active: bool = True


class CallIn(Schema):
    phone: str
    called_at: datetime.datetime | None = None
    note: str = ""


class CallOut(Schema):
    phone: str
    outcome: str = Field(description="client (a known card), open_lead or new_lead")
    card_type: str | None = None
    card_id: int | None = None
    lead_id: int | None = None


def _fields(payload: WebFormIn) -> dict:
    data = payload.dict()
    data["responsible"] = get_object_or_404(
        get_user_model(), pk=data.pop("responsible_id"), is_active=True
    )
    source = data.pop("source")
    data["source"] = (
        get_object_or_404(ReferenceItem, reference_list__key="sources", key=source)
        if source
        else None
    )
    return data


@router.get("/webforms", response=list[WebFormOut], summary="Web forms (administrators)")
def list_forms(request):
    require_admin(request.auth)
    return WebForm.objects.select_related("source")


@router.post("/webforms", response={201: WebFormOut}, summary="Create a web form")
def create_form(request, payload: WebFormIn):
    return Status(201, services.save_form(actor=request.auth, **_fields(payload)))


@router.get("/webforms/{form_id}", response=WebFormOut, summary="A web form")
def get_form(request, form_id: int):
    require_admin(request.auth)
    return get_object_or_404(WebForm, pk=form_id)


@router.put("/webforms/{form_id}", response=WebFormOut, summary="Change a web form")
def update_form(request, form_id: int, payload: WebFormIn):
    form = get_object_or_404(WebForm, pk=form_id)
    return services.save_form(actor=request.auth, form=form, **_fields(payload))


@router.post(
    "/calls/incoming",
    response=CallOut,
    summary="Report an incoming call",
    description="A telephone system tells who is calling: the client's card when the number "
    "is known (and visible to the caller of the API), else the open lead for the number, else "
    "a new lead with the source 'Incoming call'.",
)
def incoming_call(request, payload: CallIn):
    outcome = services.incoming_call(
        actor=request.auth, phone=payload.phone, called_at=payload.called_at, note=payload.note
    )
    if outcome.card is not None:
        return CallOut(
            phone=outcome.phone,
            outcome="client",
            card_type=outcome.card._meta.model_name,
            card_id=outcome.card.pk,
        )
    kind = "new_lead" if outcome.created else "open_lead"
    return CallOut(phone=outcome.phone, outcome=kind, lead_id=outcome.lead.pk)
