"""What the customer API reads and writes: cards, channels, links, notes, duplicates."""

from datetime import date, datetime
from typing import Any, Literal

from django.utils.translation import get_language
from ninja import Field, Schema

from klientela.core.customfields import active_custom_values, load_definitions
from klientela.core.phones import format_phone

from ..models import Address, Email, Messenger, Organization, Phone, Website
from ..services.notes import can_change_note


def choice(model_choices) -> Any:
    """An inline enum of a model's choices (no shared component: several are called "Kind")."""
    return Literal[tuple(model_choices.values)]


def custom_values(record, context) -> dict[str, Any]:
    """The active custom values; definitions are loaded once per request, whatever the rows."""
    request = (context or {}).get("request")
    cache = getattr(request, "custom_definitions", None) if request is not None else None
    if cache is None:
        cache = {}
        if request is not None:
            request.custom_definitions = cache
    entity = record.access_entity
    if entity not in cache:
        cache[entity] = load_definitions(entity)
    return active_custom_values(entity, record.custom, definitions=cache[entity])


# --- References -------------------------------------------------------------------------------


class RecordRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(record) -> str:
        return str(record)


class ItemRef(Schema):
    """An item of a reference list: its stable key and its label in your language."""

    key: str
    label: str

    @staticmethod
    def resolve_label(item) -> str:
        return item.label_in(get_language())


class TagOut(Schema):
    id: int
    name: str
    colour: str


# --- Channels ---------------------------------------------------------------------------------


class ChannelOut(Schema):
    id: int
    is_primary: bool
    comment: str


class PhoneOut(ChannelOut):
    kind: str
    raw: str = Field(..., description="The number as it was typed.")
    e164: str | None = Field(..., description="International E.164 form; null when invalid.")
    international: str = Field(
        ..., description="Formatted in the international style; as typed when invalid."
    )
    is_valid: bool
    extension: str

    @staticmethod
    def resolve_e164(phone) -> str | None:
        return phone.e164 or None

    @staticmethod
    def resolve_international(phone) -> str:
        if not phone.e164:
            return phone.raw
        return format_phone(phone.e164, "international", extension=phone.extension)


class EmailOut(ChannelOut):
    kind: str
    address: str


class MessengerOut(ChannelOut):
    kind: str
    handle: str


class WebsiteOut(ChannelOut):
    kind: str
    url: str


class AddressOut(ChannelOut):
    kind: str
    country: str
    region: str
    city: str
    postal_code: str
    street: str
    line: str


class ChannelPatch(Schema):
    is_primary: bool = None
    comment: str = Field(None, max_length=255)


class PhonePatch(ChannelPatch):
    number: str = Field(None, max_length=100, description="Typed any way; stored normalized.")
    kind: choice(Phone.Kind) = None
    extension: str = Field(None, max_length=20)


class EmailPatch(ChannelPatch):
    address: str = Field(None, max_length=254)
    kind: choice(Email.Kind) = None


class MessengerPatch(ChannelPatch):
    handle: str = Field(None, max_length=200)
    kind: choice(Messenger.Kind) = None


class WebsitePatch(ChannelPatch):
    url: str = Field(None, max_length=500, description="A scheme is added when missing.")
    kind: choice(Website.Kind) = None


class AddressPatch(ChannelPatch):
    kind: choice(Address.Kind) = None
    country: str = Field(None, max_length=2, description="ISO 3166 code.")
    region: str = Field(None, max_length=150)
    city: str = Field(None, max_length=150)
    postal_code: str = Field(None, max_length=20)
    street: str = Field(None, max_length=255)
    line: str = Field(None, max_length=500, description="Composed from the parts when empty.")


class PhoneIn(PhonePatch):
    number: str = Field(..., max_length=100, description="Typed any way; stored normalized.")


class EmailIn(EmailPatch):
    address: str = Field(..., max_length=254)


class MessengerIn(MessengerPatch):
    handle: str = Field(..., max_length=200)


class WebsiteIn(WebsitePatch):
    url: str = Field(..., max_length=500, description="A scheme is added when missing.")


class AddressIn(AddressPatch):
    pass


class ChannelItem(Schema):
    id: int | None = Field(
        None, description="An existing channel of the card to keep (and change); else a new one."
    )


class PhoneItem(ChannelItem, PhonePatch):
    pass


class EmailItem(ChannelItem, EmailPatch):
    pass


class MessengerItem(ChannelItem, MessengerPatch):
    pass


class WebsiteItem(ChannelItem, WebsitePatch):
    pass


class AddressItem(ChannelItem, AddressPatch):
    pass


# --- Links between people and organizations ---------------------------------------------------


class ContactOut(Schema):
    """A person linked to an organization."""

    id: int = Field(..., description="The id of the link (see /memberships).")
    person: RecordRef
    role: ItemRef | None
    position: str
    is_primary: bool


class WorkplaceOut(Schema):
    """An organization a person is linked to."""

    id: int = Field(..., description="The id of the link (see /memberships).")
    organization: RecordRef
    role: ItemRef | None
    position: str
    is_primary: bool


class MembershipOut(Schema):
    id: int
    person: RecordRef
    organization: RecordRef
    role: ItemRef | None
    position: str
    is_primary: bool


class MembershipIn(Schema):
    person_id: int
    organization_id: int
    role: str | None = Field(None, description="An item key of the `contact_roles` list.")
    position: str = Field("", max_length=200)
    is_primary: bool = False


class MembershipPatch(Schema):
    position: str = Field(None, max_length=200)
    is_primary: bool = None


class ContactIn(Schema):
    person_id: int
    role: str | None = Field(None, description="An item key of the `contact_roles` list.")
    position: str = Field("", max_length=200)
    is_primary: bool = False


class WorkplaceIn(Schema):
    organization_id: int
    role: str | None = Field(None, description="An item key of the `contact_roles` list.")
    position: str = Field("", max_length=200)
    is_primary: bool = False


# --- Cards ------------------------------------------------------------------------------------


class CardItem(Schema):
    id: int
    name: str
    source: ItemRef | None
    responsible: RecordRef | None
    tags: list[TagOut]
    phone: PhoneOut | None = Field(..., description="The primary phone.")
    email: str | None = Field(..., description="The primary email.")
    custom: dict[str, Any] = Field(..., description="Values of the active custom fields.")
    created_at: datetime
    updated_at: datetime
    url: str = Field(..., description="The card's page; empty when there is none.")

    @staticmethod
    def resolve_name(record) -> str:
        return str(record)

    @staticmethod
    def resolve_tags(record) -> list:
        return list(record.tags.all())

    @staticmethod
    def resolve_phone(record):
        return record.primary_phone

    @staticmethod
    def resolve_email(record) -> str | None:
        email = record.primary_email
        return email.address if email else None

    @staticmethod
    def resolve_custom(record, context) -> dict[str, Any]:
        return custom_values(record, context)

    @staticmethod
    def resolve_url(record) -> str:
        return record.get_absolute_url()


class ChannelLists(Schema):
    phones: list[PhoneOut]
    emails: list[EmailOut]
    messengers: list[MessengerOut]
    websites: list[WebsiteOut]
    addresses: list[AddressOut]

    @staticmethod
    def resolve_phones(record) -> list:
        return list(record.phones.all())

    @staticmethod
    def resolve_emails(record) -> list:
        return list(record.emails.all())

    @staticmethod
    def resolve_messengers(record) -> list:
        return list(record.messengers.all())

    @staticmethod
    def resolve_websites(record) -> list:
        return list(record.websites.all())

    @staticmethod
    def resolve_addresses(record) -> list:
        return list(record.addresses.all())


class OrganizationItem(CardItem):
    legal_name: str
    short_name: str
    tax_number: str
    registration_number: str
    size: str
    types: list[ItemRef]
    industry: ItemRef | None
    client_group: ItemRef | None

    @staticmethod
    def resolve_types(organization) -> list:
        return list(organization.types.all())


class OrganizationOut(ChannelLists, OrganizationItem):
    description: str
    needs: str
    parent: RecordRef | None = Field(..., description="Null also when you may not see it.")
    branches_count: int = Field(..., description="Branches you may see.")
    contacts: list[ContactOut] = Field(..., description="Contact persons you may see.")

    @staticmethod
    def resolve_parent(organization):
        return organization.visible_parent

    @staticmethod
    def resolve_contacts(organization) -> list:
        return organization.visible_links


class PersonItem(CardItem):
    first_name: str
    middle_name: str
    last_name: str
    position: str
    birthday: date | None
    organizations: list[WorkplaceOut] = Field(..., description="Organizations you may see.")

    @staticmethod
    def resolve_organizations(person) -> list:
        return person.visible_links


class PersonOut(ChannelLists, PersonItem):
    description: str


class CardIn(Schema):
    source: str | None = Field(None, description="An item key of the `sources` list.")
    responsible_id: int | None = Field(None, description="An active user; you when left out.")
    description: str = ""
    tags: list[str | int] = Field([], description="Tag names (a new name adds the tag) or ids.")
    custom: dict[str, Any] = Field({}, description="Values by custom field key.")
    phones: list[PhoneItem] = []
    emails: list[EmailItem] = []
    messengers: list[MessengerItem] = []
    websites: list[WebsiteItem] = []
    addresses: list[AddressItem] = []


class CardPatch(Schema):
    """Fields left out stay as they are. A channel list given replaces that kind of channel:
    items with the `id` of an existing channel keep (and change) it, items without add one."""

    source: str | None = Field(None, description="An item key of the `sources` list.")
    responsible_id: int | None = Field(None, description="An active user.")
    description: str = None
    tags: list[str | int] = Field(None, description="Replaces the tags: names or ids.")
    custom: dict[str, Any] = Field(None, description="Only the keys given change; null clears.")
    phones: list[PhoneItem] = None
    emails: list[EmailItem] = None
    messengers: list[MessengerItem] = None
    websites: list[WebsiteItem] = None
    addresses: list[AddressItem] = None


ORGANIZATION_SIZES = ", ".join(Organization.Size.values)


class OrganizationFields(Schema):
    short_name: str = Field(None, max_length=255)
    tax_number: str = Field(None, max_length=32)
    registration_number: str = Field(None, max_length=64)
    industry: str | None = Field(None, description="An item key of the `industries` list.")
    client_group: str | None = Field(None, description="An item key of the `client_groups` list.")
    size: str = Field(None, description=f"Empty, or one of: {ORGANIZATION_SIZES}.")
    types: list[str] = Field(None, description="Item keys of the `organization_types` list.")
    parent_id: int | None = Field(None, description="The organization this one is a branch of.")
    needs: str = None


class OrganizationIn(OrganizationFields, CardIn):
    legal_name: str = Field(..., max_length=255)
    memberships: list[ContactIn] = Field([], description="Contact persons to link.")


class OrganizationPatch(OrganizationFields, CardPatch):
    legal_name: str = Field(None, max_length=255)


class PersonFields(Schema):
    first_name: str = Field(None, max_length=100)
    middle_name: str = Field(None, max_length=100)
    last_name: str = Field(None, max_length=100)
    position: str = Field(None, max_length=200)
    birthday: date | None = None


class PersonIn(PersonFields, CardIn):
    memberships: list[WorkplaceIn] = Field([], description="Organizations to link to.")


class PersonPatch(PersonFields, CardPatch):
    pass


# --- Notes, duplicates, merge, hand-over ------------------------------------------------------


class NoteOut(Schema):
    id: int
    body: str = Field(..., description="Sanitized HTML.")
    author: RecordRef | None
    created_at: datetime
    updated_at: datetime
    can_change: bool = Field(..., description="You may edit or delete it.")

    @staticmethod
    def resolve_can_change(note, context) -> bool:
        return can_change_note(context["request"].auth, note)


class NoteIn(Schema):
    body: str = Field(..., description="HTML; tags outside a small safe set are removed.")


class CandidateIn(Schema):
    phones: list[str] = []
    emails: list[str] = []
    city: str = Field("", description="With a name, finds very similar names in this city.")
    exclude_id: int | None = Field(None, description="The card being edited, not a duplicate.")


class OrganizationCandidateIn(CandidateIn):
    legal_name: str = ""
    short_name: str = ""
    tax_number: str = ""


class PersonCandidateIn(CandidateIn):
    first_name: str = ""
    middle_name: str = ""
    last_name: str = ""


class DuplicateOut(Schema):
    id: int | None = Field(..., description="Null when you may not see the record.")
    title: str
    reasons: list[str] = Field(..., description="phone, email, tax_number or name.")
    reason_labels: list[str]
    is_visible: bool
    owner: str = Field(..., description="Who is responsible: ask them about a hidden record.")
    url: str

    @staticmethod
    def resolve_url(candidate) -> str:
        return candidate.record.get_absolute_url() if candidate.record is not None else ""


class MergeIn(Schema):
    duplicate_id: int = Field(..., description="The card folded into this one, then deleted.")
    field_choices: dict[str, str] = Field(
        {},
        description='Per field (or "custom.<key>"): "survivor" or "duplicate". A field left '
        "out keeps this card's value, or takes the duplicate's when this card's is empty.",
    )


class HandOverIn(Schema):
    ids: list[int] = Field(..., min_length=1)
    new_owner_id: int
    include_open_work: bool = Field(False, description="Hand over their open deals and tasks too.")


class HandOverOut(Schema):
    count: int = Field(..., description="Cards whose responsible changed.")
