"""Finding organizations and people: their full-text documents and the global search providers.

The box understands a name fragment (full-text index), a phone typed any way (normalized digits
and the ending of the number), an email and a tax number; each lookup uses an index, and the
text is searched only when no phone, email or tax number matched as such. Results are always
narrowed to what the user may view.
"""

from __future__ import annotations

import re

from django.db import connection, models
from django.utils.translation import gettext_lazy as _

from klientela.core.fulltext import find_ids
from klientela.core.phones import TAIL_DIGITS, phone_search_keys
from klientela.core.search import SearchHit, SearchProvider

from ..models import Address, Email, Organization, Person, Phone
from .channels import normalize_email
from .common import normalize_tax_number

# Full-text hits fetched before access narrows them: a manager whose team owns few of the
# matches still gets results, and the lookup stays bounded.
CANDIDATES = 200


def organization_text(organization: Organization) -> str:
    # Through .all(), so a prefetch serves a whole reindex batch.
    emails = " ".join(email.address for email in organization.emails.all())
    websites = " ".join(website.url for website in organization.websites.all())
    return " ".join(
        part
        for part in (
            organization.legal_name,
            organization.short_name,
            organization.tax_number,
            organization.registration_number,
            emails,
            websites.replace("https://", "").replace("http://", ""),
        )
        if part
    )


def person_text(person: Person) -> str:
    emails = " ".join(email.address for email in person.emails.all())
    parts = (person.last_name, person.first_name, person.middle_name, person.position, emails)
    return " ".join(part for part in parts if part)


def matching_ids(model: type[models.Model], query: str, limit: int) -> list[int]:
    """Ids of records matching ``query`` by phone, email or tax number, else by name; best first."""
    query = (query or "").strip()
    if not query:
        return []
    owner = model._meta.model_name
    ids: list[int] = []
    if "@" in query:
        ids += _owner_ids(Email.objects.filter(_starts_with("address", query)), owner, limit)
    digits = re.sub(r"\D", "", query)
    if len(digits) >= TAIL_DIGITS and not re.search(r"[^\d\s()+\-./]", query):
        keys = phone_search_keys(query)
        ids += _owner_ids(Phone.objects.filter(keys.q()), owner, limit)
    if model is Organization:
        tax_number = normalize_tax_number(query)
        if len(tax_number) >= 5 and any(char.isdigit() for char in tax_number):
            ids += Organization.objects.filter(tax_number=tax_number).values_list("pk", flat=True)[
                :limit
            ]
    if not ids:
        # An address, a number or a tax id found as such is what was asked for; its pieces
        # ("ivan", "bk", "ru", "495") would only add chance matches, and cost a text search.
        ids = find_ids(model, query, limit=CANDIDATES)
    return list(dict.fromkeys(ids))


def _starts_with(field: str, query: str) -> models.Q:
    """An indexed "starts with" on both databases for values stored in lower case.

    PostgreSQL answers LIKE 'x%' from the pattern index Django adds to indexed text columns;
    SQLite's LIKE ignores case and so no index serves it, but a range in its binary collation does.
    """
    prefix = normalize_email(query)
    if connection.vendor == "sqlite":
        return models.Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})
    return models.Q(**{f"{field}__startswith": prefix})


def _owner_ids(channels: models.QuerySet, owner: str, limit: int) -> list[int]:
    rows = channels.filter(**{f"{owner}__isnull": False}).values_list(f"{owner}_id", flat=True)
    return list(rows[: limit * 5])


def find_visible(model: type[models.Model], user, query: str, limit: int) -> list[models.Model]:
    ids = matching_ids(model, query, limit)
    if not ids:
        return []
    records = model.objects.visible_to(user)
    # Narrow the candidates by id first: loading all 200 with their channels, to show a handful,
    # took most of the time of a search on a large base.
    visible = set(records.filter(pk__in=ids).values_list("pk", flat=True))
    chosen = [pk for pk in ids if pk in visible][:limit]
    if not chosen:
        return []
    primary_address = models.Prefetch(
        "addresses", queryset=Address.objects.filter(is_primary=True), to_attr="primary_addresses"
    )
    found = records.filter(pk__in=chosen).with_primary_channels().prefetch_related(primary_address)
    by_id = {record.pk: record for record in found}
    return [by_id[pk] for pk in chosen if pk in by_id]


def _organization_hits(user, query: str, limit: int) -> list[SearchHit]:
    return [
        SearchHit(
            title=str(organization),
            subtitle=_subtitle(organization, organization.legal_name),
            url=organization.get_absolute_url(),
        )
        for organization in find_visible(Organization, user, query, limit)
    ]


def _person_hits(user, query: str, limit: int) -> list[SearchHit]:
    return [
        SearchHit(
            title=person.full_name,
            subtitle=_subtitle(person, person.position),
            url=person.get_absolute_url(),
        )
        for person in find_visible(Person, user, query, limit)
    ]


def _subtitle(record, first: str) -> str:
    phone, email = record.primary_phone, record.primary_email
    addresses = getattr(record, "primary_addresses", [])
    parts = [
        first if first != str(record) else "",
        phone.display if phone else "",
        str(email or ""),
        addresses[0].city if addresses else "",
    ]
    return " · ".join(part for part in parts if part)


ORGANIZATIONS = SearchProvider(
    key="organizations", label=_("Organizations"), find=_organization_hits, order=10
)
PEOPLE = SearchProvider(key="people", label=_("People"), find=_person_hits, order=20)
