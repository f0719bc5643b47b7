"""Limit/offset pagination for every API list: ``?limit=&offset=`` with the total ``count``.

Past ``counting.EXACT_UP_TO`` rows the count is PostgreSQL's estimate and ``count_is_exact`` is
false (see ``core.counting``): page on until a page comes back short.
"""

from typing import Any

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from .counting import EXACT_UP_TO, count_rows


class LimitOffset(PaginationBase):
    """``?limit=&offset=`` with the total ``count`` beside the ``items``."""

    class Input(Schema):
        limit: int = Field(settings.API_PAGE_SIZE, ge=1, le=settings.API_MAX_PAGE_SIZE)
        offset: int = Field(0, ge=0)

    class Output(Schema):
        items: list[Any]
        count: int
        count_is_exact: bool = Field(
            True, description=f"False when over {EXACT_UP_TO:,} rows: `count` is then an estimate."
        )
        limit: int
        offset: int

    def paginate_queryset(self, queryset, pagination: Input, **params) -> dict:
        offset, limit = pagination.offset, pagination.limit
        counted = count_rows(queryset)
        return {
            "items": list(queryset[offset : offset + limit]),
            "count": counted.value,
            "count_is_exact": counted.is_exact,
            "limit": limit,
            "offset": offset,
        }
