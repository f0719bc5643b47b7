"""Filling the benchmark database: generated customers streamed into PostgreSQL with COPY.

All in one transaction: the filled tables lose their secondary indexes and constraints, are
truncated and written with ``COPY ... FREEZE`` (rows are born visible and frozen, so no VACUUM is
needed before index-only scans work), then every index and constraint is built again, once, from
its own definition. Worker processes make the rows (see generate.py) while this process streams
them; a marker row tells later runs the base is complete.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter
from collections.abc import Callable

import generate
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, transaction
from django.utils import timezone
from generate import Context, organization_names

from klientela.accounts import services as accounts
from klientela.accounts.models import Role, Team, User
from klientela.core.customfields.services import (
    add_reference_item,
    create_field_definition,
    create_reference_list,
)
from klientela.core.models import FieldDefinition, ReferenceItem, SearchEntry
from klientela.customers.demo import define_custom_fields
from klientela.customers.demo.names import TAGS
from klientela.customers.models import (
    CLIENT_GROUPS,
    CONTACT_ROLES,
    INDUSTRIES,
    ORGANIZATION_TYPES,
    SOURCES,
    Address,
    Email,
    Membership,
    Note,
    Organization,
    Person,
    Phone,
    Tag,
    Website,
)
from klientela.customers.services import sync_reference_lists

MODELS = [
    Organization,
    Organization.types.through,
    Organization.tags.through,
    Person,
    Person.tags.through,
    Membership,
    Phone,
    Email,
    Website,
    Address,
    Note,
    SearchEntry,
]
TABLES = [model._meta.db_table for model in MODELS]
MARKER = "bench_fill"
CHUNK = 10_000
# Index and constraint builds that take longer are named in the log.
SLOW_STEP = 1.0
# The sales teams and their market: a team's head and managers own that market's cards.
TEAMS = [
    ("Moscow", "ru"),
    ("Saint Petersburg", "ru"),
    ("Siberia", "ru"),
    ("Warsaw", "pl"),
    ("Kraków", "pl"),
    ("Ljubljana", "sl"),
    ("London", "en"),
    ("Manchester", "en"),
]
MANAGERS_PER_TEAM = 5
LOYALTY_LEVELS = [
    ("bronze", "Bronze", {"ru": "Бронзовый", "pl": "Brązowy", "sl": "Bronasti"}),
    ("silver", "Silver", {"ru": "Серебряный", "pl": "Srebrny", "sl": "Srebrni"}),
    ("gold", "Gold", {"ru": "Золотой", "pl": "Złoty", "sl": "Zlati"}),
    ("platinum", "Platinum", {"ru": "Платиновый", "pl": "Platynowy", "sl": "Platinasti"}),
]


# --- What the rows refer to: users, reference lists, custom fields ---------------------------


def ensure_users() -> dict[str, User]:
    """An administrator and eight sales teams (a head and five managers each); idempotent."""
    roles = {role.code: role for role in Role.objects.all()}
    found = {user.username: user for user in User.objects.all()}
    admin = found.get("bench_admin") or accounts.create_user(
        actor=None, username="bench_admin", role=roles["admin"]
    )
    for number, (name, language) in enumerate(TEAMS, start=1):
        team = Team.objects.filter(name=name).first() or accounts.create_team(
            actor=admin, name=name
        )
        usernames = [f"team{number}_head"] + [
            f"team{number}_manager{index}" for index in range(1, MANAGERS_PER_TEAM + 1)
        ]
        for username in usernames:
            if username not in found:
                role = roles["head"] if username.endswith("head") else roles["manager"]
                found[username] = accounts.create_user(
                    actor=admin,
                    username=username,
                    role=role,
                    team=team,
                    language=language,
                )
    found["bench_admin"] = admin
    return found


def define_person_fields() -> None:
    """A loyalty level (choice) and a lifetime value (number) to filter and sort people by."""
    if FieldDefinition.objects.filter(entity="person").exists():
        return
    levels = create_reference_list(
        actor=None,
        key="loyalty_levels",
        name="Loyalty levels",
        names={"ru": "Уровни лояльности", "pl": "Poziomy lojalności", "sl": "Stopnje zvestobe"},
    )
    for key, label, labels in LOYALTY_LEVELS:
        add_reference_item(actor=None, reference_list=levels, key=key, label=label, labels=labels)
    fields = [
        ("loyalty", "Loyalty", "choice", {"reference_list": levels}),
        ("lifetime_value", "Lifetime value", "number", {}),
        ("last_purchase", "Last purchase", "date", {}),
        ("newsletter", "Newsletter", "boolean", {}),
    ]
    for key, label, kind, extra in fields:
        create_field_definition(
            actor=None, entity="person", key=key, label=label, type=kind, section="Sales", **extra
        )


def _items(list_key: str) -> dict[str, int]:
    rows = ReferenceItem.objects.filter(reference_list__key=list_key).values_list("key", "pk")
    return dict(rows)


def _columns(model) -> list[tuple[str, object]]:
    columns = []
    for model_field in model._meta.concrete_fields:
        default = model_field.get_default()
        if model_field.primary_key:
            if model not in (Organization, Person):
                continue
            default = None
        elif isinstance(default, str):
            default = str(default)  # a TextChoices member as its plain value
        columns.append((model_field.column, default))
    return columns


def prepare(*, organizations: int, seed: int) -> tuple[Context, dict[str, User]]:
    """Users, reference lists and custom fields in the database; the context workers need."""
    sync_reference_lists()
    define_custom_fields()
    define_person_fields()
    for name, colour in TAGS:
        Tag.objects.get_or_create(name=name, defaults={"colour": colour})
    users = ensure_users()
    owners: dict[str, list[int]] = {}
    for user in users.values():
        if user.team_id is not None:
            owners.setdefault(user.language, []).append(user.pk)
    context = Context(
        seed=seed,
        now=timezone.now().replace(microsecond=0),
        admin_id=users["bench_admin"].pk,
        owners=owners,
        items={
            "industries": _items(INDUSTRIES),
            "client_groups": _items(CLIENT_GROUPS),
            "sources": _items(SOURCES),
            "types": _items(ORGANIZATION_TYPES),
            "roles": _items(CONTACT_ROLES),
        },
        content_types={
            "organization": ContentType.objects.get_for_model(Organization).pk,
            "person": ContentType.objects.get_for_model(Person).pk,
        },
        tags=list(Tag.objects.values_list("pk", flat=True)),
        columns={model._meta.db_table: _columns(model) for model in MODELS},
    )
    context.organizations = organization_names(organizations, seed, owners)
    context.teams = {user.pk: user.team_id for user in users.values() if user.team_id is not None}
    return context, users


# --- The marker ---------------------------------------------------------------------------


def filled_with() -> dict | None:
    """What the last complete fill wrote, or None."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(
            f"SELECT people, organizations, seed, seconds, finished_at FROM {MARKER} "
            "ORDER BY finished_at DESC LIMIT 1"
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return dict(
        zip(["people", "organizations", "seed", "seconds", "finished_at"], row, strict=True)
    )


def _mark(cursor, *, people: int, organizations: int, seed: int, seconds: float) -> None:
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {MARKER} (people integer, organizations integer, "
        "seed integer, seconds double precision, finished_at timestamptz)"
    )
    cursor.execute(f"DELETE FROM {MARKER}")
    cursor.execute(
        f"INSERT INTO {MARKER} VALUES (%s, %s, %s, %s, now())",
        [people, organizations, seed, seconds],
    )


# --- Indexes and constraints --------------------------------------------------------------


def _secondary(cursor) -> tuple[list, list]:
    """Definitions of the filled tables' indexes and constraints, except primary keys and checks."""
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype "
        "FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u') "
        "ORDER BY contype DESC, conname",
        [TABLES],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT index.indexrelid::regclass::text, pg_get_indexdef(index.indexrelid) "
        "FROM pg_index AS index WHERE index.indrelid = ANY(%s::regclass[]) "
        "AND NOT index.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint AS owner "
        "WHERE owner.conindid = index.indexrelid AND owner.contype IN ('p', 'u', 'x')) "
        "ORDER BY 1",
        [TABLES],
    )
    return constraints, cursor.fetchall()


def _drop(cursor, constraints: list, indexes: list) -> None:
    # Foreign keys first: a unique constraint may be what one of them leans on.
    for table, name, _definition, _kind in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT IF EXISTS "{name}"')
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX IF EXISTS {name}")


def _restore(cursor, constraints: list, indexes: list, log: Callable[[str], None]) -> None:
    statements = [definition for _name, definition in indexes]
    # Unique constraints before the foreign keys that may need them.
    for table, name, definition, _kind in sorted(constraints, key=lambda item: item[3] != "u"):
        statements.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    for statement in statements:
        started = time.perf_counter()
        cursor.execute(statement)
        seconds = time.perf_counter() - started
        if seconds >= SLOW_STEP:
            log(f"  {seconds:5.1f} s  {statement[:90]}")


def _reset_sequences(cursor) -> None:
    for table in TABLES:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)",
            [table],
        )


# --- Writing ------------------------------------------------------------------------------


def _write(cursor, chunk: dict, counts: Counter) -> None:
    for table, (columns, data, count) in chunk.items():
        names = ", ".join(f'"{column}"' for column in columns)
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN WITH (FREEZE)") as copy:
            copy.write(data)
        counts[table] += count


def _bounds(total: int) -> list[tuple[int, int]]:
    return [(start, min(start + CHUNK, total + 1)) for start in range(1, total + 1, CHUNK)]


def _stream(pool, cursor, *, label: str, make, total: int, counts: Counter, log) -> None:
    """Write the chunks the workers make, in order, as they come."""
    for done, chunk in enumerate(pool.imap(make, _bounds(total)), start=1):
        _write(cursor, chunk, counts)
        if done % 20 == 0:
            log(f"  {label}: {min(done * CHUNK, total):,} of {total:,}")


def fill(
    *, people: int, organizations: int, seed: int, workers: int, log: Callable[[str], None]
) -> dict[str, float]:
    """Replace the customer base with a generated one; returns the seconds of each phase."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    context, _users = prepare(organizations=organizations, seed=seed)
    timings["prepare (users, fields, organization names)"] = time.perf_counter() - started
    counts: Counter = Counter()
    # Workers fork with the context; no database connection may be shared with them.
    connections.close_all()
    pool_context = multiprocessing.get_context("fork")
    pool = pool_context.Pool(workers, initializer=generate.use_context, initargs=(context,))
    with pool, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        constraints, indexes = _secondary(cursor)
        _drop(cursor, constraints, indexes)
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} CASCADE")
        for label, make, total in (
            ("organizations", generate.organizations_chunk, organizations),
            ("people", generate.people_chunk, people),
        ):
            phase = time.perf_counter()
            _stream(pool, cursor, label=label, make=make, total=total, counts=counts, log=log)
            timings[f"generate + COPY {label}"] = time.perf_counter() - phase
        phase = time.perf_counter()
        _restore(cursor, constraints, indexes, log)
        _reset_sequences(cursor)
        timings["indexes and constraints"] = time.perf_counter() - phase
        _mark(
            cursor,
            people=people,
            organizations=organizations,
            seed=seed,
            seconds=time.perf_counter() - started,
        )
    phase = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(TABLES)}, accounts_user")
    timings["ANALYZE"] = time.perf_counter() - phase
    timings["total"] = time.perf_counter() - started
    for table in TABLES:
        log(f"  {table}: {counts[table]:,} rows")
    return timings
