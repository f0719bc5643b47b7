"""The benchmark's scenarios and their figures: latency percentiles, SQL queries per request.

Requests go through Django's test client in this process: URL routing, middleware, session and
token authentication, the views, the templates and the JSON rendering all run; only the web server
and the network are left out. Inputs are drawn from the base itself, so each request looks for
something that exists (and that the user may see, for phones, emails and cards).
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, unquote

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from klientela.accounts import services as accounts
from klientela.core.access import Action
from klientela.customers.models import Email, Organization, Person, Phone

SEARCH_MS = 50
LIST_MS = 100
CARD_MS = 100
SAMPLE = 2000
# Requests whose queries are counted, per scenario (the same inputs, measured apart).
COUNTED = 5
LEVELS = ["gold", "platinum", "silver", "bronze"]


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str  # shown in the table, with {placeholders} for what varies
    target_ms: int
    # url(rng) -> the address to get
    url: Callable[[random.Random], str]
    api: bool = False
    htmx: bool = False


@dataclass(frozen=True)
class Result:
    scenario: Scenario
    median_ms: float
    p95_ms: float
    queries: str
    errors: int
    # The median time spent in SQL (sending, PostgreSQL, reading back); the rest is Python.
    sql_ms: float = 0.0
    # (ms, url) of the slowest requests, to look into
    slowest: tuple[tuple[float, str], ...] = ()

    @property
    def meets_target(self) -> bool:
        return self.errors == 0 and self.p95_ms < self.scenario.target_ms


# --- Inputs ---------------------------------------------------------------------------------


def _sample(queryset, fields: list[str], rng: random.Random) -> list[tuple]:
    """SAMPLE random rows, the same ones on each run over the same base."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [rng.random() * 2 - 1])
    rows = list(queryset.order_by("?").values_list(*fields)[:SAMPLE])
    if not rows:
        raise SystemExit("The base has nothing to look for: fill it first.")
    return rows


def _fragment(word: str, rng: random.Random) -> str:
    """What someone types of a name: its start, sometimes its middle, in any case."""
    word = word.strip()
    if len(word) <= 4:
        return word
    length = rng.randint(4, min(len(word), 8))
    start = 0 if rng.random() < 0.8 else rng.randint(0, len(word) - length)
    piece = word[start : start + length]
    return piece.lower() if rng.random() < 0.5 else piece


def _typed_phone(e164: str, rng: random.Random) -> str:
    """A stored number typed another way: national with the trunk 8, digits only, or its end."""
    if e164.startswith("+7") and rng.random() < 0.67:
        national = e164[2:]
        if rng.random() < 0.5:
            return f"8 {national[:3]} {national[3:6]}-{national[6:8]}-{national[8:]}"
        return national
    tail = e164[-7:]
    return f"{tail[:3]}-{tail[3:5]}-{tail[5:]}"


class Inputs:
    """Search texts, phones, emails and card ids drawn from the base."""

    def __init__(self, user, rng: random.Random):
        people = Person.objects.visible_to(user, Action.VIEW)
        organizations = Organization.objects.visible_to(user, Action.VIEW)
        everyone = _sample(Person.objects.all(), ["first_name", "last_name"], rng)
        companies = _sample(Organization.objects.all(), ["name"], rng)
        self.names = []
        for index, (first, last) in enumerate(everyone):
            if index % 4 == 0:
                self.names.append(f"{first} {_fragment(last, rng)}")
            elif index % 4 == 1:
                self.names.append(_fragment(companies[index % len(companies)][0], rng))
            else:
                self.names.append(_fragment(last, rng))
        phones = Phone.objects.filter(person__in=people, is_valid=True)
        self.phones = [_typed_phone(e164, rng) for (e164,) in _sample(phones, ["e164"], rng)]
        self.people = [pk for (pk,) in _sample(people, ["pk"], rng)]
        self.organizations = [pk for (pk,) in _sample(organizations, ["pk"], rng)]
        emails = Email.objects.filter(person__in=self.people[:500]).order_by("pk")
        self.emails = list(emails.values_list("address", flat=True))


# --- Scenarios ------------------------------------------------------------------------------


def scenarios(inputs: Inputs) -> list[Scenario]:
    def name(rng):
        return rng.choice(inputs.names)

    def phone(rng):
        return rng.choice(inputs.phones)

    def email(rng):
        return rng.choice(inputs.emails)

    def level(rng):
        return rng.choice(LEVELS)

    found = []
    for kind, text in (("name", name), ("phone", phone), ("email", email)):
        found += [
            Scenario(
                f"API search: {kind}",
                f"/api/v1/search?q={{{kind}}}",
                SEARCH_MS,
                lambda rng, text=text: f"/api/v1/search?q={_quote(text(rng))}",
                api=True,
            ),
            Scenario(
                f"Page search, dropdown (HTMX): {kind}",
                f"/search/?q={{{kind}}}",
                SEARCH_MS,
                lambda rng, text=text: f"/search/?q={_quote(text(rng))}",
                htmx=True,
            ),
            Scenario(
                f"Page search, full page: {kind}",
                f"/search/?q={{{kind}}}",
                SEARCH_MS,
                lambda rng, text=text: f"/search/?q={_quote(text(rng))}",
            ),
        ]
    # The lists as they open: sorted by name, one of the first ten pages.
    found += [
        Scenario(
            "API people: sorted by name",
            "/api/v1/people?limit=50&offset={0..450}",
            LIST_MS,
            lambda rng: f"/api/v1/people?limit=50&offset={50 * rng.randrange(10)}",
            api=True,
        ),
        Scenario(
            "Page people: sorted by name, 25 rows",
            "/people/?page={1..10}&page_size=25",
            LIST_MS,
            lambda rng: f"/people/?page={rng.randint(1, 10)}&page_size=25",
        ),
        Scenario(
            "Page organizations: sorted by name, 25 rows",
            "/organizations/?page={1..10}&page_size=25",
            LIST_MS,
            lambda rng: f"/organizations/?page={rng.randint(1, 10)}&page_size=25",
        ),
    ]
    people_filter = "custom.loyalty={level}"
    found.append(
        Scenario(
            "API people: custom choice, sorted by custom number",
            f"/api/v1/people?{people_filter}&ordering=-custom.lifetime_value&limit=50",
            LIST_MS,
            lambda rng: (
                f"/api/v1/people?custom.loyalty={level(rng)}"
                "&ordering=-custom.lifetime_value&limit=50"
            ),
            api=True,
        )
    )
    for size in (25, 100):
        found.append(
            Scenario(
                f"Page people: custom choice, sorted by custom number, {size} rows",
                f"/people/?{people_filter}&sort=-custom.lifetime_value&page_size={size}",
                LIST_MS,
                lambda rng, size=size: (
                    f"/people/?custom.loyalty={level(rng)}"
                    f"&sort=-custom.lifetime_value&page_size={size}"
                ),
            )
        )
    found += [
        Scenario(
            "API person card",
            "/api/v1/people/{id}",
            CARD_MS,
            lambda rng: f"/api/v1/people/{rng.choice(inputs.people)}",
            api=True,
        ),
        Scenario(
            "Page person card",
            "/people/{id}/",
            CARD_MS,
            lambda rng: f"/people/{rng.choice(inputs.people)}/",
        ),
        Scenario(
            "Page organization card",
            "/organizations/{id}/",
            CARD_MS,
            lambda rng: f"/organizations/{rng.choice(inputs.organizations)}/",
        ),
    ]
    return found


def _quote(text: str) -> str:
    return quote(text)


# --- Running --------------------------------------------------------------------------------


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _get(client: Client, scenario: Scenario, url: str, headers: dict):
    extra = dict(headers)
    if scenario.htmx:
        extra["HX-Request"] = "true"
    return client.get(url, headers=extra)


class SQLTimer:
    """Adds up the time the queries of a request take, as the database wrapper sees them."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def measure(
    scenario: Scenario, client: Client, headers: dict, *, requests: int, warmup: int, seed: int
) -> Result:
    rng = random.Random(f"{seed}-{scenario.name}")
    errors = 0
    for _ in range(warmup):
        _get(client, scenario, scenario.url(rng), headers)
    timed, sql = [], []
    for _ in range(requests):
        url = scenario.url(rng)
        timer = SQLTimer()
        with connection.execute_wrapper(timer):
            started = time.perf_counter()
            response = _get(client, scenario, url, headers)
            timed.append(((time.perf_counter() - started) * 1000, url))
        sql.append(timer.seconds * 1000)
        if response.status_code != 200:
            errors += 1
    durations = [duration for duration, _url in timed]
    counts = set()
    for _ in range(COUNTED):
        with CaptureQueriesContext(connection) as queries:
            _get(client, scenario, scenario.url(rng), headers)
        counts.add(len(queries))
    queries = "-".join(str(count) for count in sorted({min(counts), max(counts)}))
    return Result(
        scenario,
        statistics.median(durations),
        _percentile(durations, 0.95),
        queries,
        errors,
        statistics.median(sql),
        tuple(sorted(timed, reverse=True)[:3]),
    )


def run(
    *,
    user,
    requests: int,
    warmup: int,
    only: str,
    seed: int,
    log: Callable[[str], None],
    verbose: bool = False,
) -> list[Result]:
    rng = random.Random(seed)
    inputs = Inputs(user, rng)
    _token, key = accounts.issue_token(actor=user, user=user, name="benchmark")
    api_headers = {"Authorization": f"Bearer {key}"}
    pages = Client()
    pages.force_login(user)
    api = Client()
    results = []
    for scenario in scenarios(inputs):
        if only and only.lower() not in scenario.name.lower():
            continue
        client, headers = (api, api_headers) if scenario.api else (pages, {})
        result = measure(scenario, client, headers, requests=requests, warmup=warmup, seed=seed)
        log(
            f"  {scenario.name}: median {result.median_ms:.1f} ms (SQL {result.sql_ms:.1f}), "
            f"p95 {result.p95_ms:.1f} ms, {result.queries} queries"
            f"{f', {result.errors} errors' if result.errors else ''}"
        )
        if verbose:
            for duration, url in result.slowest:
                log(f"    {duration:7.1f} ms  {unquote(url)}")
        results.append(result)
    return results


def table(results: list[Result], *, title: str) -> str:
    header = ("Scenario", "Path", "Median ms", "p95 ms", "SQL ms", "Queries", "Target", "Meets")
    rows = [
        (
            result.scenario.name,
            result.scenario.path,
            f"{result.median_ms:.1f}",
            f"{result.p95_ms:.1f}",
            f"{result.sql_ms:.1f}",
            result.queries,
            f"p95 < {result.scenario.target_ms}",
            ("yes" if result.meets_target else "NO")
            + (f" ({result.errors} errors)" if result.errors else ""),
        )
        for result in results
    ]
    widths = [max(len(str(row[index])) for row in [header, *rows]) for index in range(len(header))]
    numeric = {2, 3, 4, 5}

    def line(row) -> str:
        cells = [
            str(cell).rjust(widths[index]) if index in numeric else str(cell).ljust(widths[index])
            for index, cell in enumerate(row)
        ]
        return "| " + " | ".join(cells) + " |"

    separator = (
        "|"
        + "|".join(
            "-" * (width + 1) + ":" if index in numeric else "-" * (width + 2)
            for index, width in enumerate(widths)
        )
        + "|"
    )
    return "\n".join([title, "", line(header), separator, *(line(row) for row in rows)])
