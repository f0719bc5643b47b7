"""Rows of the benchmark's customer base, made in worker processes as COPY text.

Everything a service would compute is computed by the project's own code: phones through
``Phone.set_phone`` (klientela.core.phones), emails and tax numbers through the services'
normalizers, search entries through the registered search documents and
``fulltext.normalize_text`` — so the rows are the ones ``index_record`` and the services write.
Each chunk has its own seeded generator: the same arguments always give the same base.
"""

from __future__ import annotations

import datetime
import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace

from names import (
    MARKET_WEIGHTS,
    NAME_PARTS,
    PERSONAL_DOMAINS,
    first_names,
    surnames,
    zipf_weights,
)

from klientela.core.fulltext import normalize_text
from klientela.customers.demo.names import INVALID_PHONES, MARKETS, NOTES, latin
from klientela.customers.models import Phone
from klientela.customers.services.channels import normalize_email, normalize_url
from klientela.customers.services.common import normalize_tax_number
from klientela.customers.services.search import organization_text, person_text

LANGUAGES = list(MARKET_WEIGHTS)
LOYALTY = (["bronze", "silver", "gold", "platinum"], [50, 30, 15, 5])
ORGANIZATION_KINDS = (
    ["client", "prospect", "partner", "supplier", "competitor"],
    [50, 30, 8, 8, 4],
)
ROLES = (["director", "accountant", "purchaser", "storekeeper", "engineer"], [25, 25, 25, 10, 15])
EMPLOYED_SHARE = 0.7
TWO_YEARS_MINUTES = 1_050_000


@dataclass
class Context:
    """What every worker needs, prepared once in the main process (ids from the database)."""

    seed: int
    now: datetime.datetime
    admin_id: int | None
    # language -> ids of the users who own that market's cards
    owners: dict[str, list[int]]
    # reference list key -> item key -> id
    items: dict[str, dict[str, int]]
    content_types: dict[str, int]
    tags: list[int]
    # table -> [(column, default)] in the order COPY writes them
    columns: dict[str, list[tuple[str, object]]]
    # per organization id - 1: (language, name, email domain, responsible id)
    organizations: list[tuple[str, str, str, int]] = field(default_factory=list)
    # owner id -> their team's id (cards keep a copy, see access.Entity.team_field)
    teams: dict[int, int] = field(default_factory=dict)


CONTEXT: Context | None = None


def use_context(context: Context) -> None:
    """Pool initializer: the context is inherited by the forked workers."""
    global CONTEXT
    CONTEXT = context


# --- COPY text ------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            value = value.replace("\\", "\\\\").replace("\t", "\\t")
            return value.replace("\n", "\\n").replace("\r", "\\r")
        return value
    if isinstance(value, dict | list):
        return _text(json.dumps(value, ensure_ascii=False))
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class Rows:
    """Lines of COPY text per table; a missing column gets the model field's default."""

    def __init__(self, columns: dict[str, list[tuple[str, object]]]):
        self.columns = columns
        self.lines: dict[str, list[str]] = defaultdict(list)

    def add(self, table: str, values: dict) -> None:
        self.lines[table].append(
            "\t".join(_text(values.get(name, default)) for name, default in self.columns[table])
        )

    def result(self) -> dict[str, tuple[list[str], bytes, int]]:
        return {
            table: (
                [name for name, _default in self.columns[table]],
                ("\n".join(lines) + "\n").encode(),
                len(lines),
            )
            for table, lines in self.lines.items()
        }


# --- Pieces ---------------------------------------------------------------------------------


class Related:
    """Stands in for a related manager: the search documents read ``record.emails.all()``."""

    def __init__(self, items: list):
        self.items = items

    def all(self) -> list:
        return self.items


def digits(rng: random.Random, count: int) -> str:
    return str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(count - 1))


def phone_text(rng: random.Random, market: dict, area: str) -> str:
    """A number written the way people write them (the demo's habits)."""
    code = market["calling_code"]
    subscriber = digits(rng, market["national_length"] - len(area))
    head, tail = subscriber[:3], subscriber[3:]
    pairs = " ".join(tail[index : index + 2] for index in range(0, len(tail), 2))
    grouped = f"{head} {pairs}" if len(tail) % 2 == 0 else f"{head} {tail}"
    styles = [
        f"+{code} {area} {grouped}",
        f"+{code} ({area}) {grouped.replace(' ', '-')}",
        f"00{code} {area} {subscriber}",
        f"+{code}{area}{subscriber}",
    ]
    if code == "7":
        styles += [f"8 {area} {grouped}", f"8 ({area}) {grouped.replace(' ', '-')}"]
        styles += [f"8{area}{subscriber}", f"{area}{subscriber}"]
    return rng.choice(styles)


def moment(rng: random.Random) -> tuple[datetime.datetime, datetime.datetime]:
    created = CONTEXT.now - datetime.timedelta(minutes=rng.randint(60, TWO_YEARS_MINUTES))
    updated = created + (CONTEXT.now - created) * rng.random() ** 3
    return created, updated


class Writer:
    """Turns generated cards into rows of every table they touch."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.rows = Rows(CONTEXT.columns)
        self.phone = Phone()

    def phone_row(self, owner: str, owner_id: int, raw: str, kind: str, primary: bool) -> None:
        self.phone.set_phone(raw)
        phone = self.phone
        self.rows.add(
            "customers_phone",
            {
                owner: owner_id,
                "raw": phone.raw,
                "e164": phone.e164,
                "digits": phone.digits,
                "digits_reversed": phone.digits_reversed,
                "is_valid": phone.is_valid,
                "extension": phone.extension,
                "kind": kind,
                "is_primary": primary,
            },
        )

    def address_row(self, owner: str, owner_id: int, market: dict, kind: str) -> None:
        rng = self.rng
        name, region, postal, _areas = rng.choice(market["cities"])
        street = f"{rng.choice(market['streets'])} {rng.randint(1, 120)}"
        postal_code = postal.format(digits=digits(rng, 4 if "-" not in postal else 3))
        self.rows.add(
            "customers_address",
            {
                owner: owner_id,
                "kind": kind,
                "is_primary": kind in ("legal", "home"),
                "country": market["country"],
                "region": region,
                "city": name,
                "postal_code": postal_code,
                "street": street,
                "line": f"{street}, {postal_code} {name}",
            },
        )

    def note_row(self, owner: str, owner_id: int, author_id: int) -> None:
        created, updated = moment(self.rng)
        self.rows.add(
            "customers_note",
            {
                owner: owner_id,
                "author_id": author_id,
                "body": self.rng.choice(NOTES),
                "created_at": created,
                "updated_at": updated,
            },
        )

    def search_row(self, entity: str, object_id: int, text: str) -> None:
        self.rows.add(
            "core_searchentry",
            {
                "content_type_id": CONTEXT.content_types[entity],
                "object_id": object_id,
                "text": text,
                "normalized": normalize_text(text),
                "updated_at": CONTEXT.now,
            },
        )

    # --- Organizations ------------------------------------------------------------------

    def tax_number(self, language: str) -> str:
        rng = self.rng
        typed = {
            "ru": lambda: digits(rng, 10),
            "pl": lambda: ("PL " if rng.random() < 0.4 else "") + digits(rng, 10),
            "sl": lambda: "SI" + digits(rng, 8),
            "en": lambda: "GB " + digits(rng, 9),
        }[language]()
        return normalize_tax_number(typed)

    def organization_custom(self, market: dict, size: str) -> dict:
        rng = self.rng
        custom = {}
        if rng.random() < 0.6:
            amount = rng.randint(10, 5000) * 10_000
            custom["annual_revenue"] = {"amount": f"{amount}.00", "currency": market["currency"]}
        if rng.random() < 0.4:
            day = datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randint(0, 1200))
            custom["contract_date"] = day.isoformat()
        custom["segment"] = {"1-10": "smb", "11-50": "smb", "51-250": "mid_market"}.get(
            size, "enterprise"
        )
        return custom

    def organization(self, organization_id: int) -> None:
        rng, items = self.rng, CONTEXT.items
        language, name, domain, responsible = CONTEXT.organizations[organization_id - 1]
        market = MARKETS[language]
        size = rng.choice(["1-10", "11-50", "51-250", "251-1000", "1000+"])
        legal_name = rng.choice(market["legal_forms"]).format(name=name)
        short_name = name if rng.random() < 0.7 else ""
        created, updated = moment(rng)
        record = {
            "id": organization_id,
            "legal_name": legal_name,
            "short_name": short_name,
            "name": short_name or legal_name,
            "tax_number": self.tax_number(language),
            "registration_number": digits(rng, 13) if language == "ru" else "",
            "industry_id": rng.choice(list(items["industries"].values())),
            "client_group_id": (
                rng.choice(list(items["client_groups"].values())) if rng.random() < 0.8 else None
            ),
            "source_id": rng.choice(list(items["sources"].values())),
            "size": size,
            "responsible_id": responsible,
            "responsible_team_id": CONTEXT.teams[responsible],
            "created_by_id": CONTEXT.admin_id,
            "created_at": created,
            "updated_at": updated,
            "custom": self.organization_custom(market, size),
        }
        self.rows.add("customers_organization", record)
        kinds = set(rng.choices(*ORGANIZATION_KINDS, k=rng.randint(1, 2)))
        for kind in kinds:
            self.rows.add(
                "customers_organization_types",
                {"organization_id": organization_id, "referenceitem_id": items["types"][kind]},
            )
        if rng.random() < 0.1:
            self.rows.add(
                "customers_organization_tags",
                {"organization_id": organization_id, "tag_id": rng.choice(CONTEXT.tags)},
            )
        areas = rng.choice(market["cities"])[3]
        for index in range(rng.choice([1, 1, 2, 2, 3])):
            raw = (
                rng.choice(INVALID_PHONES)
                if rng.random() < 0.04
                else phone_text(rng, market, rng.choice(areas))
            )
            self.phone_row("organization_id", organization_id, raw, "work", index == 0)
        emails = []
        for index, box in enumerate(rng.sample(["info", "sales", "office"], rng.randint(1, 2))):
            address = normalize_email(f"{box}@{domain}")
            emails.append(SimpleNamespace(address=address))
            self.rows.add(
                "customers_email",
                {"organization_id": organization_id, "address": address, "is_primary": index == 0},
            )
        websites = []
        if rng.random() < 0.7:
            url = normalize_url(f"www.{domain}")
            websites.append(SimpleNamespace(url=url))
            self.rows.add(
                "customers_website",
                {"organization_id": organization_id, "url": url, "is_primary": True},
            )
        self.address_row("organization_id", organization_id, market, "legal")
        if rng.random() < 0.2:
            self.address_row("organization_id", organization_id, market, "warehouse")
        if rng.random() < 0.03:
            self.note_row("organization_id", organization_id, responsible)
        document = SimpleNamespace(**record, emails=Related(emails), websites=Related(websites))
        self.search_row("organization", organization_id, organization_text(document))

    # --- People -------------------------------------------------------------------------

    def person_custom(self) -> dict:
        rng = self.rng
        custom = {}
        if rng.random() < 0.9:
            custom["loyalty"] = rng.choices(*LOYALTY)[0]
        if rng.random() < 0.85:
            custom["lifetime_value"] = int(rng.lognormvariate(9, 1.3))
        if rng.random() < 0.6:
            day = datetime.date(2022, 1, 1) + datetime.timedelta(days=rng.randint(0, 1500))
            custom["last_purchase"] = day.isoformat()
        if rng.random() < 0.5:
            custom["newsletter"] = rng.random() < 0.7
        return custom

    def person(self, person_id: int) -> None:
        rng, items = self.rng, CONTEXT.items
        organizations = CONTEXT.organizations
        organization_id = None
        if organizations and rng.random() < EMPLOYED_SHARE:
            organization_id = rng.randint(1, len(organizations))
            language, _name, domain, responsible = organizations[organization_id - 1]
        else:
            language = rng.choices(LANGUAGES, weights=list(MARKET_WEIGHTS.values()))[0]
            domain = rng.choice(PERSONAL_DOMAINS[language])
            responsible = rng.choice(CONTEXT.owners[language])
        market = MARKETS[language]
        female = rng.random() < 0.5
        male_names, female_names = NAMES[language]["first"]
        first = rng.choice(female_names if female else male_names)
        last = rng.choices(NAMES[language]["last"], cum_weights=NAMES[language]["weights"])[0]
        last = last[1 if female else 0]
        middle = ""
        if market["patronymics"]:
            middle = rng.choice(market["patronymics"])[1 if female else 0]
        role = rng.choices(*ROLES)[0] if organization_id else ""
        created, updated = moment(rng)
        birthday = None
        if rng.random() < 0.4:
            birthday = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randint(0, 15000))
        record = {
            "id": person_id,
            "first_name": first,
            "middle_name": middle,
            "last_name": last,
            "position": market["positions"].get(role, ""),
            "birthday": birthday,
            "source_id": rng.choice(list(items["sources"].values())),
            "responsible_id": responsible,
            "responsible_team_id": CONTEXT.teams[responsible],
            "created_by_id": CONTEXT.admin_id,
            "created_at": created,
            "updated_at": updated,
            "custom": self.person_custom(),
        }
        self.rows.add("customers_person", record)
        emails = [self.person_email(person_id, first, last, domain, bool(organization_id), True)]
        if rng.random() < 0.1:
            other = rng.choice(PERSONAL_DOMAINS[language])
            emails.append(self.person_email(person_id, first, last, other, False, False))
        prefix = rng.choice(market["mobile_prefixes"])
        self.phone_row("person_id", person_id, phone_text(rng, market, prefix), "mobile", True)
        if rng.random() < 0.2:
            areas = rng.choice(market["cities"])[3]
            raw = phone_text(rng, market, rng.choice(areas))
            self.phone_row(
                "person_id", person_id, raw, "work" if organization_id else "home", False
            )
        if organization_id:
            self.rows.add(
                "customers_membership",
                {
                    "person_id": person_id,
                    "organization_id": organization_id,
                    "role_id": items["roles"][role],
                    "position": record["position"],
                    "is_primary": role == "director",
                    "created_at": created,
                },
            )
        else:
            self.address_row("person_id", person_id, market, "home")
        if rng.random() < 0.05:
            self.rows.add(
                "customers_person_tags",
                {"person_id": person_id, "tag_id": rng.choice(CONTEXT.tags)},
            )
        if rng.random() < 0.03:
            self.note_row("person_id", person_id, responsible)
        document = SimpleNamespace(**record, emails=Related(emails))
        self.search_row("person", person_id, person_text(document))

    def person_email(self, person_id, first, last, domain, is_work, primary) -> SimpleNamespace:
        rng = self.rng
        first, last = latin(first), latin(last)
        if is_work:
            local = rng.choice([f"{first}.{last}", f"{first[0]}.{last}", f"{last}"])
        else:
            number = rng.choice(["", str(rng.randint(1, 999)), str(rng.randint(1950, 2005))])
            local = f"{first}.{last}{number}"
        address = normalize_email(f"{local}@{domain}")
        self.rows.add(
            "customers_email",
            {
                "person_id": person_id,
                "address": address,
                "is_primary": primary,
                "kind": "work" if is_work else "personal",
            },
        )
        return SimpleNamespace(address=address)


def _names() -> dict[str, dict]:
    found = {}
    for language in LANGUAGES:
        pool = surnames(language)
        weights = zipf_weights(len(pool))
        cumulative, total = [], 0.0
        for weight in weights:
            total += weight
            cumulative.append(total)
        found[language] = {"first": first_names(language), "last": pool, "weights": cumulative}
    return found


NAMES = _names()


# --- Chunks (run in the workers) ------------------------------------------------------------


def organizations_chunk(bounds: tuple[int, int]) -> dict:
    start, stop = bounds
    writer = Writer(random.Random(f"{CONTEXT.seed}-organizations-{start}"))
    for organization_id in range(start, stop):
        writer.organization(organization_id)
    return writer.rows.result()


def people_chunk(bounds: tuple[int, int]) -> dict:
    start, stop = bounds
    writer = Writer(random.Random(f"{CONTEXT.seed}-people-{start}"))
    for person_id in range(start, stop):
        writer.person(person_id)
    return writer.rows.result()


# --- The organizations' names (main process: people need them) -----------------------------


def organization_names(count: int, seed: int, owners: dict[str, list[int]]) -> list[tuple]:
    """(language, name, email domain, responsible id) of each organization, by id - 1."""
    rng = random.Random(f"{seed}-organization-names")
    languages = rng.choices(LANGUAGES, weights=list(MARKET_WEIGHTS.values()), k=count)
    taken: dict[str, int] = defaultdict(int)
    found = []
    for language in languages:
        market = MARKETS[language]
        starts, ends = NAME_PARTS[language]
        if rng.random() < 0.3:
            root, _slug = rng.choice(market["roots"])
            name = root + rng.choice(market["suffixes"])[0]
        else:
            name = rng.choice(starts) + rng.choice(ends)
            draw = rng.random()
            if draw < 0.25:
                name += rng.choice(market["suffixes"])[0]
            elif draw < 0.35:
                name += " " + rng.choice(market["cities"])[0]
        slug = latin(name)
        taken[slug] += 1
        if taken[slug] > 1:
            slug = f"{slug}{taken[slug]}"
        found.append((language, name, f"{slug}.{market['tld']}", rng.choice(owners[language])))
    return found
