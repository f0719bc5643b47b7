"""The import benchmark: a messy people file (mixed phone formats, 5% duplicates, 1% invalid
rows) imported end to end through the import job (cleaning, duplicate matching, the customers
services' checks, bulk writes), then the same file loaded with PostgreSQL's COPY. ``--again``
imports it once more with a change in every row (updates), ``--floor`` times the database
alone writing what the first import wrote.

    uv run python bench/imports.py \
        --database-url postgres://postgres@127.0.0.1:5432/klientela_imports --rows 100000

With ``--template klientela_bench`` the database is first made a copy of the customers
benchmark's base (1,000,000 people), as the issue asks. It migrates that database, writes
the file to a temporary folder, imports it as the first administrator (created if missing)
and prints rows per second and the peak memory (RSS).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

PHONES = (
    "8 (9{a:02d}) {b:03d}-{c:02d}-{d:02d}",
    "+7 9{a:02d} {b:03d} {c:02d} {d:02d}",
    "89{a:02d}{b:03d}{c:02d}{d:02d}",
    "+7(9{a:02d}){b:03d}{c:02d}{d:02d} доб. 12",
)
FIRST = ("Иван", "Пётр", "Анна", "Мария", "Olga", "Jan", "Eva", "Hans", "Maja", "Luka")
LAST = ("Иванов", "Петрова", "Смирнов", "Kowalski", "Novak", "Müller", "Kos", "Horvat")


def rows(count: int, seed: int):
    rng = random.Random(seed)
    made = []
    for number in range(count):
        if made and rng.random() < 0.05:
            yield rng.choice(made)  # a duplicate of an earlier row
            continue
        if rng.random() < 0.01:
            yield [f"{rng.choice(LAST)} {rng.choice(FIRST)}", "not a phone", "bad@", ""]
            continue
        a, b, c, d = number % 100, (number // 100) % 1000, (number // 7) % 100, number % 97
        row = [
            f"{rng.choice(LAST)}{number} {rng.choice(FIRST)}",
            rng.choice(PHONES).format(a=a, b=b, c=c, d=d),
            f"client{number}@example.com",
            f"Company {number % 500}",
        ]
        if len(made) < 10_000:
            made.append(row)
        yield row


def changed(rows):
    """The same clients with a second e-mail address each: every row updates its card."""
    for row in rows:
        yield [*row[:2], row[2].replace("@example.com", "@example.org"), *row[3:]]


def write_file(path: Path, count: int, seed: int, file_format: str, *, again=False) -> None:
    header = ["ФИО", "Телефон", "E-mail", "Компания"]
    lines = changed(rows(count, seed)) if again else rows(count, seed)
    if file_format == "csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(header)
            writer.writerows(lines)
        return
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Clients")
    sheet.append(header)
    for row in lines:
        sheet.append(row)
    workbook.save(path)


class QueryTimer:
    """Database time per kind of statement (its first words), for ``--queries``."""

    def __init__(self):
        self.spent: dict[str, list[float]] = {}

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            key = " ".join(sql.split()[:6])[:90]
            self.spent.setdefault(key, []).append(time.perf_counter() - started)

    def report(self) -> None:
        total = sum(sum(times) for times in self.spent.values())
        print(f"database: {total:.1f} s in {sum(map(len, self.spent.values()))} statements")
        ranked = sorted(self.spent.items(), key=lambda item: -sum(item[1]))
        for key, times in ranked[:12]:
            print(f"  {sum(times):7.2f} s {len(times):7d}x  {key}")


def measure(path: Path, options, admin):
    """Import ``path`` as ``admin`` (duplicates update their cards) and print the figures."""
    from django.core.files import File
    from django.db import connection

    from klientela.imports.services import batches

    size = path.stat().st_size
    timer = QueryTimer()
    started = time.perf_counter()
    with connection.execute_wrapper(timer), path.open("rb") as handle:
        batch = batches.create_import(
            actor=admin, entity="person", upload=File(handle), filename=path.name
        )
        batches.configure_import(actor=admin, batch=batch, region="RU", duplicates="update")
        batches.start_import(actor=admin, batch=batch)
    batch.refresh_from_db()
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{path.name} {options.rows} rows ({size / 1e6:.1f} MB): {elapsed:.1f} s, "
        f"{options.rows / elapsed:.0f} rows/s, peak RSS {peak:.0f} MB; "
        f"created {batch.created}, updated {batch.updated}, with errors {batch.failed}"
    )
    if options.queries:
        timer.report()
    return batch


# What a first import of people writes, table by table: (table, rows of the import's people).
WRITTEN = (
    ("customers_organization", "id IN (SELECT id FROM made WHERE entity = 'organization')"),
    ("customers_person", "id IN (SELECT id FROM made WHERE entity = 'person')"),
    ("customers_phone", "person_id IN (SELECT id FROM made WHERE entity = 'person')"),
    ("customers_email", "person_id IN (SELECT id FROM made WHERE entity = 'person')"),
    ("customers_membership", "person_id IN (SELECT id FROM made WHERE entity = 'person')"),
    (
        "core_auditentry",
        "content_type_id = (SELECT id FROM django_content_type WHERE model = 'person') "
        "AND object_id IN (SELECT id::text FROM made WHERE entity = 'person')",
    ),
    (
        "core_searchentry",
        "content_type_id = (SELECT id FROM django_content_type WHERE model = 'person') "
        "AND object_id IN (SELECT id FROM made WHERE entity = 'person')",
    ),
    ("imports_importedrecord", "batch_id = %(batch)s"),
)


def database_floor(batch) -> None:
    """The database's own cost of what the import wrote: its rows are set aside, deleted and
    inserted again with INSERT ... SELECT (no client, no parsing, no Python), table by table,
    in a transaction that is rolled back."""
    from django.db import connection, transaction

    total = 0.0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE made ON COMMIT DROP AS SELECT object_id AS id, entity "
            "FROM imports_importedrecord WHERE batch_id = %s AND action = 'created'",
            [batch.pk],
        )
        for table, where in WRITTEN:
            cursor.execute(
                f"CREATE TEMP TABLE aside_{table} ON COMMIT DROP AS SELECT * FROM {table} "
                f"WHERE {where}",
                {"batch": batch.pk},
            )
        for table, where in reversed(WRITTEN):
            cursor.execute(f"DELETE FROM {table} WHERE {where}", {"batch": batch.pk})
        print("database alone (INSERT ... SELECT of the rows the import wrote):")
        for table, _where in WRITTEN:
            started = time.perf_counter()
            cursor.execute(f"INSERT INTO {table} SELECT * FROM aside_{table}")
            spent = time.perf_counter() - started
            total += spent
            print(f"  {spent:6.2f} s  {cursor.rowcount:8d} rows  {table}")
        transaction.set_rollback(True)
    print(f"  {total:6.2f} s in all: {batch.rows / total:.0f} rows/s at most on one core")


def copy_database(url: str, template: str) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    started = time.perf_counter()
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
    print(f"{name} copied from {template} in {time.perf_counter() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--template",
        help="first recreate the database as a copy of this one (e.g. klientela_bench, the "
        "million people of bench/customers.py), so the import meets a full base",
    )
    parser.add_argument(
        "--queries", action="store_true", help="also print where the database time went"
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also time the database alone writing the rows the first import wrote",
    )
    parser.add_argument(
        "--again",
        action="store_true",
        help="then import the file once more with a new e-mail address in every row (each row "
        "updates the card the first import made) and measure that too",
    )
    options = parser.parse_args()
    if options.template:
        copy_database(options.database_url, options.template)
    os.environ["DATABASE_URL"] = options.database_url
    os.environ["JOBS_IN_THREAD"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klientela.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from klientela.accounts import services as accounts
    from klientela.accounts.models import Role, User
    from klientela.customers.services import sync_reference_lists

    call_command("migrate", verbosity=0)
    sync_reference_lists()
    admin = User.objects.filter(role__code="admin").first() or accounts.create_user(
        actor=None,
        username="bench-admin",
        password="Bench-password-1",
        role=Role.objects.get(code="admin"),
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"people.{options.format}"
        write_file(path, options.rows, options.seed, options.format)
        batch = measure(path, options, admin)
        if options.floor and connection.vendor == "postgresql":
            database_floor(batch)
        if options.again:
            again = Path(folder) / f"people-again.{options.format}"
            write_file(again, options.rows, options.seed, options.format, again=True)
            measure(again, options, admin)
        if options.format == "csv" and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "CREATE TEMP TABLE bench_copy (name text, phone text, email text, company text)"
                )
                started = time.perf_counter()
                with (
                    path.open("rb") as handle,
                    cursor.copy(
                        "COPY bench_copy FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)"
                    ) as copy,
                ):
                    while data := handle.read(1 << 20):
                        copy.write(data)
                elapsed = time.perf_counter() - started
                print(
                    f"COPY of the same file: {elapsed:.2f} s, {options.rows / elapsed:.0f} rows/s"
                )


if __name__ == "__main__":
    main()
