"""How many rows a list holds: exact while few, PostgreSQL's estimate once there are many.

Counting is reading: ``count(*)`` over "people with loyalty gold" visits each of the 135,000
matching rows of a million-row base, 300 ms on every page of the list, longer than the page.
So lists count at most ``EXACT_UP_TO`` + 1 rows (a few milliseconds) and, past that, show the
query planner's estimate of the total ("1-25 of about 135,000"; in the API ``count`` with
``count_is_exact`` false). The estimate comes from the table statistics (ANALYZE, kept by
autovacuum); it is never below the exact floor, and the last pages of an estimated list may be
short or empty. On SQLite, whose bases stay small, counts are always exact.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

EXACT_UP_TO = 1000


@dataclass(frozen=True)
class RowCount:
    value: int
    is_exact: bool


def count_rows(rows, exact_up_to: int | None = None) -> RowCount:
    """The number of ``rows`` (a queryset or a sequence)."""
    if exact_up_to is None:
        exact_up_to = EXACT_UP_TO
    if not isinstance(rows, QuerySet):
        return RowCount(len(rows), True)
    if connections[rows.db].vendor != "postgresql":
        return RowCount(rows.count(), True)
    rows = rows.order_by()
    counted = rows[: exact_up_to + 1].count()
    if counted <= exact_up_to:
        return RowCount(counted, True)
    return RowCount(max(estimate_rows(rows), counted), False)


def estimate_rows(rows: QuerySet) -> int:
    """The planner's estimate of how many rows ``rows`` returns (EXPLAIN, nothing is read)."""
    plan = json.loads(rows.explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


class CountingPaginator(Paginator):
    """A paginator whose ``count`` is a ``count_rows``; ``count_is_exact`` says which kind."""

    @cached_property
    def row_count(self) -> RowCount:
        return count_rows(self.object_list)

    @cached_property
    def count(self) -> int:
        return self.row_count.value

    @property
    def count_is_exact(self) -> bool:
        return self.row_count.is_exact
