"""Organizations and people as import entities (the customers services do the writing)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from klientela.customers.models import (
    CLIENT_GROUPS,
    CONTACT_ROLES,
    INDUSTRIES,
    SOURCES,
    Organization,
    Person,
)
from klientela.customers.services.cards import (
    insert_cards,
    prepare_addition,
    prepare_card,
    write_additions,
)
from klientela.customers.services.organizations import (
    ORGANIZATION,
    create_organization,
    delete_organization,
    update_organization,
)
from klientela.customers.services.people import (
    PERSON,
    create_person,
    delete_person,
    update_person,
)

from .entities import ImportEntity, ImportField, register_import_entity

CHANNELS = ("phones", "emails", "websites")

PHONE = ImportField(
    "phones",
    _("Phone"),
    kind="phone",
    multiple=True,
    synonyms=(
        "phone",
        "phones",
        "telephone",
        "tel",
        "mobile",
        "cell",
        "phone number",
        "телефон",
        "телефоны",
        "тел",
        "мобильный",
        "моб",
        "сотовый",
        "номер телефона",
        "telefon",
        "tel.",
        "komórka",
        "telefon komórkowy",
        "numer telefonu",
        "telefonska številka",
        "mobitel",
        "gsm",
    ),
)
EMAIL = ImportField(
    "emails",
    _("E-mail"),
    kind="email",
    multiple=True,
    synonyms=(
        "email",
        "e-mail",
        "mail",
        "email address",
        "почта",
        "эл. почта",
        "электронная почта",
        "емейл",
        "adres e-mail",
        "poczta",
        "e-pošta",
        "elektronska pošta",
    ),
)
WEBSITE = ImportField(
    "websites",
    _("Website"),
    kind="website",
    multiple=True,
    synonyms=(
        "website",
        "site",
        "web",
        "url",
        "www",
        "сайт",
        "веб-сайт",
        "strona",
        "strona www",
        "spletna stran",
        "splet",
    ),
)
SOURCE = ImportField(
    "source",
    _("Source"),
    kind="reference",
    list_key=SOURCES,
    synonyms=("source", "lead source", "источник", "źródło", "vir"),
)
CITY = ImportField(
    "city",
    _("City"),
    kind="address",
    list_key="city",
    synonyms=(
        "city",
        "town",
        "город",
        "населенный пункт",
        "miasto",
        "miejscowość",
        "mesto",
        "kraj",
    ),
)
ADDRESS = ImportField(
    "address",
    _("Address"),
    kind="address",
    list_key="line",
    synonyms=("address", "street address", "адрес", "адрес организации", "adres", "naslov"),
)
POSTAL_CODE = ImportField(
    "postal_code",
    _("Postal code"),
    kind="address",
    list_key="postal_code",
    synonyms=(
        "postal code",
        "zip",
        "zip code",
        "postcode",
        "индекс",
        "почтовый индекс",
        "kod pocztowy",
        "poštna številka",
    ),
)
DESCRIPTION = ImportField(
    "description",
    _("Description"),
    synonyms=(
        "description",
        "comment",
        "comments",
        "notes",
        "note",
        "описание",
        "комментарий",
        "примечание",
        "opis",
        "uwagi",
        "komentarz",
        "opomba",
        "opis",
        "komentar",
    ),
)


def _channels(record) -> dict:
    return {
        "phones": [
            {"number": phone.e164 or phone.raw, "extension": phone.extension}
            for phone in record.phones.all()
        ],
        "emails": [{"address": email.address} for email in record.emails.all()],
        "websites": [{"url": site.url} for site in record.websites.all()],
        "addresses": [
            {
                key: getattr(address, key)
                for key in ("country", "region", "city", "postal_code", "street", "line")
            }
            for address in record.addresses.all()
        ],
    }


def _plain(record, spec) -> dict:
    values = {}
    for name in spec.fields:
        value = getattr(record, name)
        values[name] = value.isoformat() if hasattr(value, "isoformat") else value
    for name in spec.references:
        item = getattr(record, name)
        values[name] = item.key if item is not None else None
    return values


def organization_snapshot(record: Organization) -> dict:
    return {
        **_plain(record, ORGANIZATION),
        "custom": dict(record.custom or {}),
        **_channels(record),
    }


def person_snapshot(record: Person) -> dict:
    return {
        **_plain(record, PERSON),
        "custom": dict(record.custom or {}),
        **_channels(record),
        "memberships": [
            {
                "organization": link.organization_id,
                "role": link.role.key if link.role_id else None,
                "position": link.position,
                "is_primary": link.is_primary,
            }
            for link in record.memberships.all()  # the writer loads them with their roles
        ],
    }


ORGANIZATIONS = ImportEntity(
    key="organization",
    label=_("Organizations"),
    model=Organization,
    create=lambda *, actor, data: create_organization(actor=actor, **data),
    update=lambda *, actor, record, data: update_organization(
        actor=actor, organization=record, **data
    ),
    delete=lambda *, actor, record: delete_organization(actor=actor, organization=record),
    prepare=lambda *, actor, data: prepare_card(ORGANIZATION, actor=actor, data=data),
    insert=lambda *, actor, records: insert_cards(ORGANIZATION, records, actor=actor),
    prepare_addition=lambda *, actor, record, data: prepare_addition(
        ORGANIZATION, actor=actor, record=record, data=data
    ),
    write_additions=lambda *, actor, records: write_additions(ORGANIZATION, records, actor=actor),
    snapshot=organization_snapshot,
    fields=(
        ImportField(
            "legal_name",
            _("Legal name"),
            synonyms=(
                "name",
                "company",
                "company name",
                "organization",
                "organisation",
                "legal name",
                "account",
                "account name",
                "название",
                "наименование",
                "организация",
                "компания",
                "контрагент",
                "полное наименование",
                "nazwa",
                "firma",
                "nazwa firmy",
                "organizacja",
                "naziv",
                "podjetje",
                "ime podjetja",
                "organizacija",
            ),
        ),
        ImportField(
            "short_name",
            _("Short name"),
            synonyms=(
                "short name",
                "brand",
                "краткое наименование",
                "сокращенное наименование",
                "nazwa skrócona",
                "kratko ime",
                "skrajšano ime",
            ),
        ),
        ImportField(
            "tax_number",
            _("Tax number"),
            synonyms=(
                "tax number",
                "tax id",
                "vat",
                "vat number",
                "vat id",
                "inn",
                "инн",
                "nip",
                "davčna številka",
                "id za ddv",
                "ddv",
            ),
        ),
        ImportField(
            "registration_number",
            _("Registration number"),
            synonyms=(
                "registration number",
                "reg number",
                "company number",
                "огрн",
                "кпп",
                "regon",
                "krs",
                "matična številka",
            ),
        ),
        ImportField(
            "industry",
            _("Industry"),
            kind="reference",
            list_key=INDUSTRIES,
            synonyms=("industry", "sector", "отрасль", "сфера", "branża", "dejavnost", "panoga"),
        ),
        ImportField(
            "client_group",
            _("Client group"),
            kind="reference",
            list_key=CLIENT_GROUPS,
            synonyms=(
                "client group",
                "segment",
                "группа клиентов",
                "сегмент",
                "grupa klientów",
                "skupina strank",
            ),
        ),
        SOURCE,
        DESCRIPTION,
        PHONE,
        EMAIL,
        WEBSITE,
        ADDRESS,
        CITY,
        POSTAL_CODE,
    ),
    duplicate_keys=("phones", "emails", "tax_number", "legal_name"),
)

PEOPLE = ImportEntity(
    key="person",
    label=_("People"),
    model=Person,
    create=lambda *, actor, data: create_person(actor=actor, **data),
    update=lambda *, actor, record, data: update_person(actor=actor, person=record, **data),
    delete=lambda *, actor, record: delete_person(actor=actor, person=record),
    prepare=lambda *, actor, data: prepare_card(PERSON, actor=actor, data=data),
    insert=lambda *, actor, records: insert_cards(PERSON, records, actor=actor),
    prepare_addition=lambda *, actor, record, data: prepare_addition(
        PERSON, actor=actor, record=record, data=data
    ),
    write_additions=lambda *, actor, records: write_additions(PERSON, records, actor=actor),
    snapshot=person_snapshot,
    fields=(
        ImportField(
            "full_name",
            _("Full name (split into parts)"),
            kind="name",
            synonyms=(
                "name",
                "full name",
                "contact",
                "contact name",
                "person",
                "фио",
                "имя",
                "ф.и.о.",  # noqa: RUF001
                "контакт",
                "контактное лицо",
                "imię i nazwisko",
                "osoba",
                "kontakt",
                "ime in priimek",
                "ime",
                "oseba",
            ),
        ),
        ImportField(
            "first_name",
            _("First name"),
            synonyms=("first name", "given name", "firstname", "имя", "imię", "ime"),
        ),
        ImportField(
            "middle_name",
            _("Middle name"),
            synonyms=("middle name", "patronymic", "отчество", "drugie imię", "srednje ime"),
        ),
        ImportField(
            "last_name",
            _("Last name"),
            synonyms=(
                "last name",
                "surname",
                "family name",
                "lastname",
                "фамилия",
                "nazwisko",
                "priimek",
            ),
        ),
        ImportField(
            "position",
            _("Position"),
            synonyms=(
                "position",
                "title",
                "job title",
                "должность",
                "stanowisko",
                "delovno mesto",
                "funkcija",
            ),
        ),
        ImportField(
            "birthday",
            _("Birthday"),
            kind="date",
            synonyms=(
                "birthday",
                "date of birth",
                "birth date",
                "dob",
                "день рождения",
                "дата рождения",
                "data urodzenia",
                "urodziny",
                "datum rojstva",
                "rojstni dan",
            ),
        ),
        SOURCE,
        DESCRIPTION,
        PHONE,
        EMAIL,
        WEBSITE,
        ADDRESS,
        CITY,
        POSTAL_CODE,
        ImportField(
            "organization",
            _("Organization"),
            kind="organization",
            synonyms=(
                "company",
                "organization",
                "organisation",
                "account",
                "employer",
                "организация",
                "компания",
                "место работы",
                "firma",
                "organizacja",
                "pracodawca",
                "podjetje",
                "organizacija",
                "delodajalec",
            ),
        ),
        ImportField(
            "role",
            _("Role in the organization"),
            kind="reference",
            list_key=CONTACT_ROLES,
            synonyms=("role", "contact role", "роль", "rola", "vloga"),
        ),
    ),
    duplicate_keys=("phones", "emails", "first_name", "last_name"),
)


def register() -> None:
    register_import_entity(ORGANIZATIONS)
    register_import_entity(PEOPLE)
