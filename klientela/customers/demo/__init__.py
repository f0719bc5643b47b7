"""Demo customers: a few hundred organizations and people of Russian, Polish, Slovenian and
English markets, with contacts, phones typed every which way (some invalid), custom fields,
branches and two intentional duplicates to try the merge on.

Deterministic (one seeded random generator) and fast: rows are bulk-created, then indexed.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from klientela.core import access
from klientela.core.customfields.services import (
    add_reference_item,
    create_field_definition,
    create_reference_list,
)
from klientela.core.demodata import DemoLoader
from klientela.core.fulltext import reindex
from klientela.core.models import AuditEntry, FieldDefinition, ReferenceItem, ReferenceList
from klientela.core.phones import normalize_phone

from ..models import (
    CLIENT_GROUPS,
    CONTACT_ROLES,
    INDUSTRIES,
    ORGANIZATION_TYPES,
    SOURCES,
    Address,
    Email,
    Membership,
    Messenger,
    Note,
    Organization,
    Person,
    Phone,
    Tag,
    Website,
)
from ..services import sync_reference_lists
from .names import INVALID_PHONES, MARKETS, NOTES, TAGS, latin

SEED = 2026
ORGANIZATIONS_PER_MARKET = 70
PRIVATE_PEOPLE_PER_MARKET = 15
BRANCHES_PER_MARKET = 3
PERSONAL_DOMAINS = {"ru": "mail.ru", "pl": "wp.pl", "sl": "siol.net", "en": "gmail.com"}
SEGMENTS = [
    ("smb", "Small business", {"ru": "Малый бизнес", "pl": "Małe firmy", "sl": "Mala podjetja"}),
    (
        "mid_market",
        "Mid-market",
        {"ru": "Средний бизнес", "pl": "Średnie firmy", "sl": "Srednja podjetja"},
    ),
    (
        "enterprise",
        "Enterprise",
        {"ru": "Крупный бизнес", "pl": "Duże firmy", "sl": "Velika podjetja"},
    ),
]


def define_custom_fields() -> None:
    """Three custom fields of organizations, as an administrator would add them."""
    if FieldDefinition.objects.filter(entity="organization").exists():
        return
    segments = ReferenceList.objects.filter(key="segments").first()
    if segments is None:
        segments = create_reference_list(
            actor=None,
            key="segments",
            name="Segments",
            names={"ru": "Сегменты", "pl": "Segmenty", "sl": "Segmenti"},
        )
        for key, label, labels in SEGMENTS:
            add_reference_item(
                actor=None, reference_list=segments, key=key, label=label, labels=labels
            )
    create_field_definition(
        actor=None,
        entity="organization",
        key="annual_revenue",
        label="Annual revenue",
        labels={"ru": "Годовая выручка", "pl": "Roczny przychód", "sl": "Letni prihodki"},
        type="money",
        section="Finance",
        options={"currencies": ["EUR", "RUB", "PLN", "GBP", "USD"]},
    )
    create_field_definition(
        actor=None,
        entity="organization",
        key="contract_date",
        label="Contract date",
        labels={"ru": "Дата договора", "pl": "Data umowy", "sl": "Datum pogodbe"},
        type="date",
        section="Finance",
    )
    create_field_definition(
        actor=None,
        entity="organization",
        key="segment",
        label="Segment",
        labels={"ru": "Сегмент", "pl": "Segment", "sl": "Segment"},
        type="choice",
        reference_list=segments,
    )


class Builder:
    """Collects unsaved rows, then writes each table with one bulk insert."""

    def __init__(self, rng: random.Random, users: list, admin) -> None:
        self.rng = rng
        self.users = users
        self.admin = admin
        self.items = {
            key: list(ReferenceItem.objects.filter(reference_list__key=key, is_active=True))
            for key in (INDUSTRIES, CLIENT_GROUPS, SOURCES, ORGANIZATION_TYPES, CONTACT_ROLES)
        }
        self.roles = {item.key: item for item in self.items[CONTACT_ROLES]}
        self.types = {item.key: item for item in self.items[ORGANIZATION_TYPES]}
        self.tags = [
            Tag.objects.get_or_create(name=name, defaults={"colour": colour})[0]
            for name, colour in TAGS
        ]
        self.organizations: list[Organization] = []
        self.branches: list[Organization] = []
        self.people: list[Person] = []
        self.channels: dict[type, list] = defaultdict(list)
        self.memberships: list[Membership] = []
        self.notes: list[Note] = []
        self.organization_types: list[tuple[Organization, ReferenceItem]] = []
        self.tagged: list[tuple[object, Tag]] = []

    # --- pieces -------------------------------------------------------------------------

    def owner(self, language: str):
        local = [user for user in self.users if getattr(user, "language", "") == language]
        return self.rng.choice(local or self.users) if self.users else None

    def digits(self, count: int) -> str:
        return str(self.rng.randint(2, 9)) + "".join(
            str(self.rng.randint(0, 9)) for _ in range(count - 1)
        )

    def phone_text(self, market: dict, area: str) -> str:
        code = market["calling_code"]
        # Random digits are not always an assigned range: draw until the number is a real one.
        for _attempt in range(50):
            subscriber = self.digits(market["national_length"] - len(area))
            if normalize_phone(f"+{code}{area}{subscriber}").is_valid:
                break
        head, tail = subscriber[:3], subscriber[3:]
        pairs = " ".join(tail[index : index + 2] for index in range(0, len(tail), 2))
        grouped = f"{head} {pairs}" if len(tail) % 2 == 0 else f"{head} {tail}"
        styles = [
            f"+{code} {area} {grouped}",
            f"+{code} ({area}) {grouped.replace(' ', '-')}",
            f"00{code} {area} {subscriber}",
            f"+{code}{area}{subscriber}",
        ]
        if code == "7":  # Russian habits, understood with the installation's default region.
            styles += [f"8 {area} {grouped}", f"8{area}{subscriber}", f"{area}{subscriber}"]
        return self.rng.choice(styles)

    def add_phone(self, owner_field: str, owner, text: str, kind: str, primary: bool) -> None:
        phone = Phone(kind=kind, is_primary=primary, **{owner_field: owner})
        phone.set_phone(text)
        self.channels[Phone].append(phone)

    def address(self, owner_field: str, owner, market: dict, city: tuple, kind: str) -> None:
        name, region, postal, _areas = city
        street = f"{self.rng.choice(market['streets'])} {self.rng.randint(1, 120)}"
        postal_code = postal.format(digits=self.digits(4 if "-" not in postal else 3))
        self.channels[Address].append(
            Address(
                kind=kind,
                is_primary=kind in ("legal", "home"),
                country=market["country"],
                region=region,
                city=name,
                postal_code=postal_code,
                street=street,
                line=f"{street}, {postal_code} {name}",
                **{owner_field: owner},
            )
        )

    def tax_number(self, language: str) -> str:
        if language == "ru":
            return self.digits(10)
        if language == "pl":
            return ("PL" if self.rng.random() < 0.4 else "") + self.digits(10)
        if language == "sl":
            return "SI" + self.digits(8)
        return "GB" + self.digits(9)

    def custom_values(self, market: dict, size: str) -> dict:
        custom = {}
        if self.rng.random() < 0.6:
            amount = self.rng.randint(10, 5000) * 10_000
            custom["annual_revenue"] = {"amount": f"{amount}.00", "currency": market["currency"]}
        if self.rng.random() < 0.4:
            day = datetime.date(2023, 1, 1) + datetime.timedelta(days=self.rng.randint(0, 1200))
            custom["contract_date"] = day.isoformat()
        custom["segment"] = {"1-10": "smb", "11-50": "smb", "51-250": "mid_market"}.get(
            size, "enterprise"
        )
        return custom

    # --- cards --------------------------------------------------------------------------

    def organization(self, language: str, name: str, slug: str, city: tuple, **extra):
        market = MARKETS[language]
        rng = self.rng
        size = rng.choice(Organization.Size.values)
        organization = Organization(
            legal_name=rng.choice(market["legal_forms"]).format(name=name),
            short_name=name if rng.random() < 0.7 else "",
            tax_number=self.tax_number(language),
            registration_number=self.digits(13) if language == "ru" else "",
            industry=rng.choice(self.items[INDUSTRIES]),
            client_group=rng.choice(self.items[CLIENT_GROUPS]) if rng.random() < 0.8 else None,
            source=rng.choice(self.items[SOURCES]),
            size=size,
            responsible=self.owner(language),
            created_by=self.admin,
            custom=self.custom_values(market, size),
            **extra,
        )
        organization.name = organization.short_name or organization.legal_name
        self.organizations.append(organization)
        kinds = rng.choices(
            ["client", "prospect", "partner", "supplier", "competitor"],
            weights=[50, 30, 8, 8, 4],
            k=rng.randint(1, 2),
        )
        self.organization_types += [(organization, self.types[key]) for key in set(kinds)]
        self.tagged += [(organization, tag) for tag in rng.sample(self.tags, rng.randint(0, 2))]
        domain = f"{slug}.{market['tld']}"
        for index in range(rng.randint(1, 3)):
            text = (
                rng.choice(INVALID_PHONES)
                if rng.random() < 0.06
                else self.phone_text(market, rng.choice(city[3]))
            )
            self.add_phone("organization", organization, text, "work", index == 0)
        for index, box in enumerate(rng.sample(["info", "sales", "office"], rng.randint(1, 2))):
            self.channels[Email].append(
                Email(organization=organization, address=f"{box}@{domain}", is_primary=index == 0)
            )
        if rng.random() < 0.7:
            self.channels[Website].append(
                Website(organization=organization, url=f"https://www.{domain}", is_primary=True)
            )
        if rng.random() < 0.2:
            self.channels[Messenger].append(
                Messenger(
                    organization=organization, kind="telegram", handle=f"@{slug}", is_primary=True
                )
            )
        self.address("organization", organization, market, city, "legal")
        if rng.random() < 0.3:
            self.address(
                "organization", organization, market, rng.choice(market["cities"]), "warehouse"
            )
        for body in rng.sample(NOTES, rng.choice([0, 0, 1, 2])):
            self.notes.append(
                Note(organization=organization, author=organization.responsible, body=body)
            )
        return organization

    def person(self, language: str, *, domain: str, organization=None, role: str = ""):
        market = MARKETS[language]
        rng = self.rng
        female = rng.random() < 0.5
        first = rng.choice(market["female" if female else "male"])
        last = rng.choice(market["surnames"])[1 if female else 0]
        middle = (
            rng.choice(market["patronymics"])[1 if female else 0] if market["patronymics"] else ""
        )
        person = Person(
            first_name=first,
            middle_name=middle,
            last_name=last,
            position=market["positions"].get(role, ""),
            birthday=(
                datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randint(0, 15000))
                if rng.random() < 0.4
                else None
            ),
            source=rng.choice(self.items[SOURCES]),
            responsible=organization.responsible if organization else self.owner(language),
            created_by=self.admin,
        )
        self.people.append(person)
        self.channels[Email].append(
            Email(
                person=person,
                address=f"{latin(first)}.{latin(last)}@{domain}",
                is_primary=True,
                kind="work" if organization else "personal",
            )
        )
        prefix = rng.choice(market["mobile_prefixes"])
        self.add_phone("person", person, self.phone_text(market, prefix), "mobile", True)
        if organization is not None:
            self.memberships.append(
                Membership(
                    person=person,
                    organization=organization,
                    role=self.roles[role],
                    position=person.position,
                    is_primary=role == "director",
                )
            )
        else:
            self.address("person", person, market, rng.choice(market["cities"]), "home")
        if rng.random() < 0.15:
            self.tagged.append((person, rng.choice(self.tags)))
        return person

    def market(self, language: str) -> None:
        market = MARKETS[language]
        rng = self.rng
        names = [
            (root + suffix, slug + latin_suffix)
            for root, slug in market["roots"]
            for suffix, latin_suffix in market["suffixes"]
        ]
        created = []
        for name, slug in rng.sample(names, ORGANIZATIONS_PER_MARKET):
            organization = self.organization(language, name, slug, rng.choice(market["cities"]))
            created.append((organization, slug))
            domain = f"{slug}.{market['tld']}"
            roles = [
                "director",
                *rng.sample(
                    ["accountant", "purchaser", "storekeeper", "engineer"], rng.randint(0, 2)
                ),
            ]
            for role in roles:
                self.person(language, domain=domain, organization=organization, role=role)
        for _ in range(PRIVATE_PEOPLE_PER_MARKET):
            self.person(language, domain=PERSONAL_DOMAINS[language])
        for parent, slug in rng.sample(created, BRANCHES_PER_MARKET):
            city = rng.choice(market["cities"])
            name = market["branch"].format(name=parent.name, city=city[0])
            branch = self.organization(language, name, slug, city, parent=parent)
            branch.short_name, branch.name = name, name
            branch.legal_name = market["branch"].format(name=parent.legal_name, city=city[0])
            self.organizations.remove(branch)
            self.branches.append(branch)

    def duplicates(self) -> None:
        """Two cards entered twice by different managers: one by tax number and phone, one by
        email; try "find duplicates" and the merge on them."""
        for original in (self.organizations[0], self.organizations[ORGANIZATIONS_PER_MARKET]):
            copy = Organization(
                legal_name=original.name.upper(),
                tax_number=original.tax_number,
                industry=original.industry,
                responsible=self.rng.choice(self.users) if self.users else None,
                created_by=self.admin,
            )
            copy.name = copy.legal_name
            self.organizations.append(copy)
            phone = next(p for p in self.channels[Phone] if p.organization is original)
            digits = phone.e164 or phone.raw
            self.add_phone("organization", copy, digits.replace("+", "00"), "work", True)
            email = next(e for e in self.channels[Email] if e.organization is original)
            self.channels[Email].append(
                Email(organization=copy, address=email.address, is_primary=True)
            )
            city = next(a for a in self.channels[Address] if a.organization is original)
            self.channels[Address].append(
                Address(
                    organization=copy,
                    city=city.city,
                    country=city.country,
                    line=city.city,
                    kind="office",
                    is_primary=True,
                )
            )

    # --- writing ------------------------------------------------------------------------

    def save(self) -> None:
        Organization.objects.bulk_create(self.organizations, batch_size=500)
        Organization.objects.bulk_create(self.branches, batch_size=500)
        Person.objects.bulk_create(self.people, batch_size=500)
        for model in (Phone, Email, Website, Messenger, Address):
            model.objects.bulk_create(self.channels[model], batch_size=500)
        Membership.objects.bulk_create(self.memberships, batch_size=500)
        Note.objects.bulk_create(self.notes, batch_size=500)
        Organization.types.through.objects.bulk_create(
            Organization.types.through(organization=organization, referenceitem=item)
            for organization, item in self.organization_types
        )
        Organization.tags.through.objects.bulk_create(
            Organization.tags.through(organization=record, tag=tag)
            for record, tag in self.tagged
            if isinstance(record, Organization)
        )
        Person.tags.through.objects.bulk_create(
            Person.tags.through(person=record, tag=tag)
            for record, tag in self.tagged
            if isinstance(record, Person)
        )
        self.spread_dates()
        self.record_history()

    def spread_dates(self) -> None:
        """Cards entered over the last two years, not all in the same second."""
        now = timezone.now()
        for records, model in ((self.all_organizations, Organization), (self.people, Person)):
            for record in records:
                record.created_at = now - datetime.timedelta(
                    minutes=self.rng.randint(60, 1_050_000)
                )
                record.updated_at = record.created_at
            model.objects.bulk_update(records, ["created_at", "updated_at"], batch_size=500)

    @property
    def all_organizations(self) -> list[Organization]:
        return [*self.organizations, *self.branches]

    def record_history(self) -> None:
        entries = []
        for records, model in ((self.all_organizations, Organization), (self.people, Person)):
            content_type = ContentType.objects.get_for_model(model)
            entries += [
                AuditEntry(
                    content_type=content_type,
                    object_id=str(record.pk),
                    object_repr=str(record)[:255],
                    kind=AuditEntry.Kind.CREATE,
                    actor=self.admin,
                    changes={},
                )
                for record in records
            ]
        AuditEntry.objects.bulk_create(entries, batch_size=500)


def load_customers(context: dict) -> None:
    sync_reference_lists()
    define_custom_fields()
    users = list(context.get("users") or get_user_model().objects.filter(is_active=True))
    builder = Builder(random.Random(SEED), users, context.get("admin"))
    for language in MARKETS:
        builder.market(language)
    builder.duplicates()
    builder.save()
    # Bulk-created cards skip save(): give them their responsible's team, as the services do
    # (team-scoped roles find cards by that copy).
    for user in users:
        access.refresh_owner_teams(user)
    reindex(Organization, Organization.objects.prefetch_related("emails", "websites"))
    reindex(Person, Person.objects.prefetch_related("emails"))
    context["organizations"] = builder.all_organizations
    context["people"] = builder.people


def is_loaded() -> bool:
    return Organization.objects.exists() or Person.objects.exists()


DEMO = DemoLoader(key="customers", order=20, load=load_customers, is_loaded=is_loaded)
