"""Writing the rows of an import, a chunk (a thousand rows) at a time.

A chunk is cleaned row by row; rows that describe the same client (same phone, email, tax number
or name) are folded into one card before anything is written. Then one query per kind of key
finds the chunk's clients already in the base. New cards are checked one by one by the same
rules as the customers services (``prepare``) and written with bulk inserts (``insert``); cards
that get updated go through the services one at a time, each in its own savepoint. A row that
is refused never leaves anything behind: it goes to the error report with its reason.

Memory stays flat whatever the file's size: nothing is kept between chunks but the
organizations met so far and the refused rows. A row that repeats a client of an earlier chunk
finds that card in the base, and the import's own records say it is one of ours (then it is
merged, not treated as an earlier duplicate).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, models, transaction
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from klientela.core.bulk import bulk_insert, bulk_save
from klientela.core.customfields.definitions import definitions_remembered
from klientela.core.sqlite import UnicodeUpper
from klientela.customers.models import Email, Organization, Phone
from klientela.customers.services.cards import ADDITION_PREFETCH, insert_cards, prepare_card
from klientela.customers.services.duplicates import core_name
from klientela.customers.services.organizations import ORGANIZATION

from ..models import Import, ImportedRecord
from .entities import ImportEntity
from .rows import (
    CHANNEL_MAIN,
    CleanRow,
    addition,
    adds_nothing,
    base_duplicates,
    clean_row,
    fields_of,
    file_keys,
    merged_update,
)


@dataclass
class Client:
    """One card to write: the first row that named it and the rows folded into it."""

    rows: list[CleanRow]
    data: dict
    keys: set[str]
    decision: str
    organizations: list[str] = field(default_factory=list)
    record: models.Model | None = None  # the prepared or found card


class ImportWriter:
    def __init__(self, batch: Import, spec: ImportEntity, actor):
        self.batch = batch
        self.spec = spec
        self.actor = actor
        self.fields = fields_of(spec)
        self.memo: dict = {}
        self.organizations: dict[str, Organization] = {}
        self.inserted_organizations: list[Organization] = []  # in the current transaction
        self.failed_rows: list[tuple[int, list, str]] = []
        self.counts: Counter = Counter(created=0, updated=0, skipped=0, failed=0, merged=0)
        self.rows = 0

    # ------------------------------------------------------------ a chunk

    def write(self, chunk: list[tuple[int, list]]) -> None:
        self.rows += len(chunk)
        clients = self._fold(chunk)  # creates missing list values: before definitions are read
        if clients:
            with definitions_remembered():
                self._write(clients)

    def _write(self, clients: list[Client]) -> None:
        self._find_organizations(name for client in clients for name in client.organizations)
        found = self._found_in_base(clients)
        ours = self._created_here(set(found.values()))
        to_create, to_update = [], []
        for client in clients:
            pk = found.get(id(client))
            if pk is not None and pk in ours:
                to_update.append((client, pk, "merged"))
            elif pk is not None and client.decision == Import.Duplicates.SKIP:
                self.counts["skipped"] += len(client.rows)
            elif pk is not None:
                to_update.append((client, pk, "updated"))
            else:
                to_create.append(client)
        cards = self._cards({pk for _client, pk, _outcome in to_update})
        self._update(to_update, cards)
        self._create(to_create)

    def _fold(self, chunk) -> list[Client]:
        """Clean the rows; a row naming a client met earlier in the chunk joins that client."""
        clients: list[Client] = []
        by_key: dict[str, Client] = {}
        for number, cells in chunk:
            row = clean_row(
                self.batch,
                self.spec,
                number,
                cells,
                actor=self.actor,
                fields=self.fields,
                memo=self.memo,
            )
            nameless = not (row.data.get("first_name") or row.data.get("last_name"))
            if not row.errors and self.spec.key == "person" and nameless:
                row.errors.append((self._column("last_name"), _("Give a first or a last name.")))
            if row.errors:
                self._fail([row], row.errors)
                continue
            decision = self.batch.row_decisions.get(str(number), self.batch.duplicates)
            keys = file_keys(self.spec, row.data)
            earlier = None
            if decision != Import.Duplicates.CREATE:
                earlier = next((by_key[key] for key in keys if key in by_key), None)
            if earlier is not None:
                earlier.rows.append(row)
                earlier.data = {
                    **earlier.data,
                    **_added(earlier.data, row.data, natural_key=self.spec.natural_key),
                }
                earlier.keys |= keys
            else:
                earlier = Client(rows=[row], data=dict(row.data), keys=keys, decision=decision)
                clients.append(earlier)
            if row.organization and row.organization not in earlier.organizations:
                earlier.organizations.append(row.organization)
            for key in keys:
                by_key.setdefault(key, earlier)
        return clients

    # ------------------------------------------------------------ the base

    def _found_in_base(self, clients: list[Client]) -> dict[int, int]:
        """``id(client)`` -> the pk of a visible card with the same phone, email or tax number
        (most keys in common first), or a similar name in the same city."""
        model = self.spec.model
        owner = model._meta.model_name
        wanted = [client for client in clients if client.decision != Import.Duplicates.CREATE]
        phones = {item["number"] for c in wanted for item in c.data.get("phones", [])}
        emails = {item["address"] for c in wanted for item in c.data.get("emails", [])}
        holders: dict[str, set[int]] = {}
        for channel, column, values in ((Phone, "e164", phones), (Email, "address", emails)):
            if not values or not hasattr(model, "phones"):  # leads keep a number, not cards
                continue
            rows = channel.objects.filter(**{f"{column}__in": values, f"{owner}__isnull": False})
            for value, pk in rows.values_list(column, f"{owner}_id"):
                prefix = "phone" if channel is Phone else "email"
                holders.setdefault(f"{prefix}:{value}", set()).add(pk)
        if model is Organization:
            taxes = {key[4:] for c in wanted for key in c.keys if key.startswith("tax:")}
            if taxes:
                for tax, pk in Organization.objects.filter(tax_number__in=taxes).values_list(
                    "tax_number", "pk"
                ):
                    holders.setdefault(f"tax:{tax}", set()).add(pk)
        if self.spec.natural_key:
            self._natural_holders(wanted, holders)
        candidates = {pk for pks in holders.values() for pk in pks}
        scoped = self.actor is not None and hasattr(model.objects, "visible_to")
        visible = set(
            model.objects.visible_to(self.actor)
            .filter(pk__in=candidates)
            .values_list("pk", flat=True)
            if scoped
            else candidates
        )
        found = {}
        for client in wanted:
            votes = Counter(
                pk for key in client.keys for pk in holders.get(key, ()) if pk in visible
            )
            if votes:
                found[id(client)] = min(votes, key=lambda pk: (-votes[pk], pk))
            elif _has_city(client.data):
                similar = base_duplicates(self.spec, client.data, self.actor)
                if similar:
                    found[id(client)] = similar[0].record.pk
        return found

    def _cards(self, pks: set[int]) -> dict:
        """The cards rows will add to, with what ``addition`` and the undo snapshot read, in a
        few queries."""
        if not pks:
            return {}
        model = self.spec.model
        if self.spec.prepare_addition is not None:
            related = list(ADDITION_PREFETCH)
        else:
            related = [name for name in CHANNEL_MAIN if hasattr(model, name)]
        # Every link a card's check and history read (owner, list values), with the card.
        links = [field.name for field in model._meta.concrete_fields if field.is_relation]
        cards = model.objects.filter(pk__in=pks).select_related(*links)
        return {card.pk: card for card in cards.prefetch_related(*related)}

    def _natural_holders(self, clients: list[Client], holders: dict[str, set[int]]) -> None:
        """Records with the same natural key (a product's SKU), in any case."""
        field = self.spec.natural_key
        values = {key[4:] for client in clients for key in client.keys if key.startswith("key:")}
        if not values:
            return
        rows = (
            self.spec.model.objects.annotate(natural=Lower(field))
            .filter(natural__in=values)
            .values_list("natural", "pk")
        )
        for value, pk in rows:
            holders.setdefault(f"key:{value}", set()).add(pk)

    def _created_here(self, pks: set[int]) -> set[int]:
        return set(
            ImportedRecord.objects.filter(
                batch=self.batch,
                entity=self.spec.key,
                object_id__in=pks,
                action=ImportedRecord.Action.CREATED,
            ).values_list("object_id", flat=True)
        )

    # ------------------------------------------------------------ cards found

    def _update(self, to_update: list[tuple[Client, int, str]], cards: dict) -> None:
        """Add the rows to the cards they repeat: checked one by one, written together (a card
        named by two clients of the chunk takes the second one alone, afterwards)."""
        ready, later, taken = [], [], set()
        for client, pk, outcome in to_update:
            card = cards.get(pk)
            if card is None or pk in taken:
                later.append((client, pk, outcome))
                continue
            changes = addition(self.spec, card, self._arguments(client))
            if adds_nothing(card, changes):
                self._count(client, outcome)
                continue
            if self.spec.prepare_addition is None:
                later.append((client, pk, outcome))
                continue
            taken.add(pk)
            before = self.spec.snapshot(card)
            try:
                self.spec.prepare_addition(actor=self.actor, record=card, data=changes)
            except ValidationError as error:
                self._refused(client, error)
            except PermissionDenied as error:
                self._fail(client.rows, [("", str(error) or _("Not allowed."))])
            else:
                ready.append((client, card, outcome, before))
        if ready:
            self._write_additions(ready)
        for client, pk, outcome in later:
            self._one_by_one(client, pk, outcome=outcome)

    def _write_additions(self, ready: list) -> None:
        records = [card for _client, card, _outcome, _before in ready]
        unwritten = {
            id(link.organization): link.organization
            for card in records
            for link in card._prepared["memberships"] or []
            if link.organization.pk is None
        }
        try:
            with transaction.atomic():
                self._insert_organizations(list(unwritten.values()))
                self.spec.write_additions(actor=self.actor, records=records)
                self._remember_updates(ready)
        except (DatabaseError, ValidationError, PermissionDenied):
            # One card the database refuses must not cost the others: write them one by one.
            self._forget_new_organizations()
            for client, card, outcome, _before in ready:
                self._one_by_one(client, card.pk, outcome=outcome)
        else:
            for client, _card, outcome, _before in ready:
                self._count(client, outcome)
        finally:
            self.inserted_organizations.clear()

    def _remember_updates(self, ready: list) -> None:
        """Undo records: the old values of cards this import had not touched yet; for the
        others only the time of their last change."""
        known = {
            record.object_id: record
            for record in ImportedRecord.objects.filter(
                batch=self.batch,
                entity=self.spec.key,
                object_id__in=[card.pk for _client, card, _outcome, _before in ready],
            )
        }
        new = []
        for _client, card, _outcome, before in ready:
            if card.pk in known:
                known[card.pk].changed_at = card.updated_at
            else:
                new.append(
                    ImportedRecord(
                        batch=self.batch,
                        entity=self.spec.key,
                        object_id=card.pk,
                        action=ImportedRecord.Action.UPDATED,
                        before=before,
                        changed_at=card.updated_at,
                    )
                )
        bulk_save(list(known.values()))
        bulk_insert(new)

    # ------------------------------------------------------------ new cards

    def _create(self, clients: list[Client]) -> None:
        if self.spec.prepare is None:
            for client in clients:
                self._one_by_one(client, None, outcome="created")
            return
        ready = []
        for client in clients:
            try:
                client.record = self.spec.prepare(actor=self.actor, data=self._arguments(client))
            except ValidationError as error:
                self._refused(client, error)
            except PermissionDenied as error:
                self._fail(client.rows, [("", str(error) or _("Not allowed."))])
            else:
                ready.append(client)
        if not ready:
            return
        try:
            with transaction.atomic():
                self._insert(ready)
        except (DatabaseError, ValidationError, PermissionDenied):
            # One row the database refuses must not cost the others: write them one by one.
            self._forget_new_organizations()
            for client in ready:
                client.record = None
                self._one_by_one(client, None, outcome="created")

    def _insert(self, clients: list[Client]) -> None:
        new_organizations = {
            id(org): org
            for client in clients
            for link in client.record._prepared["memberships"] or []
            if (org := link.organization).pk is None
        }
        self._insert_organizations(list(new_organizations.values()))
        records = [client.record for client in clients]
        self.spec.insert(actor=self.actor, records=records)
        self._remember_created(self.spec.key, records)
        for client in clients:
            self._count(client, "created")
        self.inserted_organizations.clear()

    def _insert_organizations(self, organizations: list[Organization]) -> None:
        if not organizations:
            return
        insert_cards(ORGANIZATION, organizations, actor=self.actor)
        self.inserted_organizations.extend(organizations)
        self._remember_created("organization", organizations)

    def _remember_created(self, entity: str, records: list) -> None:
        bulk_insert(
            [
                ImportedRecord(
                    batch=self.batch,
                    entity=entity,
                    object_id=record.pk,
                    action=ImportedRecord.Action.CREATED,
                    changed_at=record.updated_at,
                )
                for record in records
            ]
        )

    def _arguments(self, client: Client) -> dict:
        """The service arguments of the client's card: its fields and organization links."""
        data = dict(client.data)
        role = data.pop("role", None)
        if client.organizations and self.spec.key != "person":
            data["organization"] = self._organization(client.organizations[0])
        elif client.organizations:
            links = []
            for name in client.organizations:
                link = {"organization": self._organization(name)}
                if role:
                    link["role"] = role
                links.append(link)
            data["memberships"] = links
        return data

    def _organization(self, name: str) -> Organization:
        """A visible organization of that name, or a new one checked but not yet written."""
        key = _organization_key(name)
        if key not in self.organizations:
            self._find_organizations([name])
        return self.organizations[key]

    def _find_organizations(self, names) -> None:
        """Look up the organizations named that were not met before, in one query; the oldest
        visible one of a name (in any case) is taken, a name not found becomes a new card."""
        wanted: dict[str, str] = {}
        for name in names:
            key = _organization_key(name)
            if key not in self.organizations:
                wanted.setdefault(key, name)
        if not wanted:
            return
        visible = (
            Organization.objects.visible_to(self.actor)
            if self.actor is not None
            else Organization.objects.all()
        )
        rows = (
            visible.annotate(upper_name=UnicodeUpper("name"))
            .filter(upper_name__in=[UnicodeUpper(Value(name)) for name in wanted.values()])
            .order_by()
            .values_list("name", "pk")
        )
        oldest: dict[str, int] = {}
        for name, pk in rows:
            folded = name.casefold()
            oldest[folded] = min(pk, oldest.get(folded, pk))
        found = Organization.objects.in_bulk(oldest.values())
        for key, name in wanted.items():
            pk = oldest.get(name.casefold())
            if pk is not None:
                organization = found[pk]
            else:
                organization = prepare_card(
                    ORGANIZATION, actor=self.actor, data={"legal_name": name}
                )
            # Links to it need no second visibility check (see customers.services.common).
            organization.seen_by = getattr(self.actor, "pk", None)
            self.organizations[key] = organization

    # ------------------------------------------------------------ one at a time

    def _one_by_one(self, client: Client, pk: int | None, *, outcome: str) -> None:
        """Create the card, or add the client to card ``pk``, through the services, in a
        savepoint; the client's rows land together or are all reported."""
        spec = self.spec
        try:
            with transaction.atomic():
                data = self._arguments(client)
                linked = [link["organization"] for link in data.get("memberships", [])]
                linked += [data["organization"]] if "organization" in data else []
                unwritten = [organization for organization in linked if organization.pk is None]
                if unwritten:
                    self._insert_organizations(unwritten)
                if pk is None:
                    record = spec.create(actor=self.actor, data=data)
                    self._remember(record, ImportedRecord.Action.CREATED, {})
                else:
                    record = spec.model.objects.get(pk=pk)
                    before = spec.snapshot(record)
                    spec.update(
                        actor=self.actor, record=record, data=merged_update(spec, record, data)
                    )
                    self._remember(record, ImportedRecord.Action.UPDATED, before)
        except ValidationError as error:
            self._forget_new_organizations()
            self._refused(client, error)
        except PermissionDenied as error:
            self._forget_new_organizations()
            self._fail(client.rows, [("", str(error) or _("Not allowed."))])
        except DatabaseError as error:
            self._forget_new_organizations()
            message = _("The database refused the row: %(error)s") % {"error": str(error)[:200]}
            self._fail(client.rows, [("", message)])
        else:
            self._count(client, outcome)
        finally:
            self.inserted_organizations.clear()

    def _forget_new_organizations(self) -> None:
        """Organizations inserted in a savepoint that was rolled back are not in the base:
        they become unwritten again (the next row that names them inserts them)."""
        for organization in self.inserted_organizations:
            organization.pk = None
            organization._state.adding = True

    def _remember(self, record, action: str, before: dict) -> None:
        record.refresh_from_db(fields=["updated_at"])
        known = ImportedRecord.objects.filter(
            batch=self.batch, entity=self.spec.key, object_id=record.pk
        )
        if not known.update(changed_at=record.updated_at):
            ImportedRecord.objects.create(
                batch=self.batch,
                entity=self.spec.key,
                object_id=record.pk,
                action=action,
                before=before,
                changed_at=record.updated_at,
            )

    def _count(self, client: Client, outcome: str) -> None:
        """One card created, updated or merged; the client's other rows were merged into it."""
        self.counts[outcome] += 1
        self.counts["merged"] += len(client.rows) - 1

    # ------------------------------------------------------------ refused rows

    def _refused(self, client: Client, error: ValidationError) -> None:
        messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        problems = [
            (self._column(key), str(message))
            for key, values in messages.items()
            for message in values
        ]
        self._fail(client.rows, problems)

    def _column(self, key: str) -> str:
        root = key.split(".", 1)[0]
        if root == "custom":
            root = ".".join(key.split(".", 2)[:2])
        for index, field_key in self.batch.mapping.items():
            if (
                field_key == root
                or (root in ("first_name", "last_name") and field_key == "full_name")
                or (root == "memberships" and field_key == "organization")
            ):
                return self.batch.headers[int(index)]
        return ""

    def _fail(self, rows: list[CleanRow], problems: list[tuple[str, str]]) -> None:
        text = "; ".join(
            f"{column}: {message}" if column else message for column, message in problems
        )
        for row in rows:
            self.failed_rows.append((row.number, row.cells, text))
        self.counts["failed"] += len(rows)


def _added(first: dict, later: dict, *, natural_key: str = "") -> dict:
    """What a later row of the same client changes: its channels are added to the first row's,
    the fields it gives replace (but the key that made them one), custom values are merged."""
    changes = {}
    for key, value in later.items():
        if key == natural_key and first.get(key):
            continue
        if key in ("phones", "emails", "websites"):
            known = {str(item) for item in first.get(key, [])}
            changes[key] = [*first.get(key, []), *(i for i in value if str(i) not in known)]
        elif key == "custom":
            changes[key] = {**first.get("custom", {}), **value}
        elif key == "addresses":
            changes[key] = first.get(key) or value
        else:
            changes[key] = value
    return changes


def _organization_key(name: str) -> str:
    """Names that are one organization ("Acme Ltd", "ACME") share a key."""
    return core_name(name) or name.casefold()


def _has_city(data: dict) -> bool:
    return any(address.get("city") for address in data.get("addresses", []))
