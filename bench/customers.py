"""The customer-base benchmark: a million people on PostgreSQL, then search, lists and cards.

    uv run python bench/customers.py --database-url postgres://postgres@127.0.0.1:5432/klientela_bench

creates and migrates that database (never the development or test one), fills it unless the same
base is already there (``--refill`` to force), then measures the API and the pages through
Django's test client in this process: the whole Django stack (middleware, sessions, auth,
templates), no web server and no network. See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/klientela_bench"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--organizations", type=int, default=200_000)
    parser.add_argument("--refill", action="store_true", help="fill even if the base is there")
    parser.add_argument("--fill-only", action="store_true", help="fill, do not measure")
    parser.add_argument("--requests", type=int, default=200, help="measured requests per row")
    parser.add_argument("--warmup", type=int, default=20, help="requests before measuring")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workers", type=int, default=max(1, min(os.cpu_count() or 1, 4)))
    parser.add_argument(
        "--as",
        dest="users",
        default="manager,admin",
        help="who asks, comma-separated: manager (sees one team's cards), admin (sees all)",
    )
    parser.add_argument(
        "--only", default="", help="measure only scenarios whose name contains this text"
    )
    parser.add_argument(
        "--verbose", action="store_true", help="show the slowest requests of each scenario"
    )
    return parser.parse_args()


def ensure_database(url: str) -> None:
    """Create the benchmark database when it does not exist (connecting to "postgres")."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not parts.scheme.startswith("postgres") or not name:
        sys.exit("The benchmark needs a PostgreSQL --database-url with a database name.")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}.")


def setup_django(url: str) -> None:
    # Production-like request handling: no debug cursor, no debug pages.
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klientela.settings")
    import django

    django.setup()


def log(message: str) -> None:
    print(message, flush=True)


def describe_machine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    return f"PostgreSQL {version} (shared_buffers {buffers}), {os.cpu_count()} CPUs"


def load_average() -> str:
    return f"load average {os.getloadavg()[0]:.1f}"


def main() -> None:
    options = arguments()
    ensure_database(options.database_url)
    setup_django(options.database_url)
    import fill
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"Migrated in {time.perf_counter() - started:.1f} s.")
    wanted = {"people": options.people, "organizations": options.organizations}
    found = fill.filled_with()
    if options.refill or found is None or any(found[key] != value for key, value in wanted.items()):
        log(f"Filling {options.people:,} people and {options.organizations:,} organizations...")
        timings = fill.fill(
            people=options.people,
            organizations=options.organizations,
            seed=options.seed,
            workers=options.workers,
            log=log,
        )
        log("")
        log("Fill phase                                         seconds")
        for phase, seconds in timings.items():
            log(f"{phase:<50} {seconds:8.1f}")
    else:
        log(
            f"The base is there ({found['people']:,} people, {found['organizations']:,} "
            f"organizations, filled in {found['seconds']:.0f} s); --refill to fill again."
        )
    if options.fill_only:
        return
    import measure

    users = fill.ensure_users()
    log(f"\n{describe_machine()}.")
    for who in [item.strip() for item in options.users.split(",") if item.strip()]:
        user = users["bench_admin" if who == "admin" else "team1_manager1"]
        log(f"\nAs {who} ({user.username}), {load_average()}:")
        results = measure.run(
            user=user,
            requests=options.requests,
            warmup=options.warmup,
            only=options.only,
            seed=options.seed,
            log=log,
            verbose=options.verbose,
        )
        title = (
            f"As {who} ({user.username}): {options.requests} requests per row after "
            f"{options.warmup} to warm up; {load_average()} at the end"
        )
        log(f"\n{measure.table(results, title=title)}")


if __name__ == "__main__":
    main()
