"""API routes that every entity shares: the audit history of a record, the global search,
custom fields and reference lists."""

from datetime import datetime
from typing import Any

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from .customfields.api import router as customfields_router
from .history import history_of
from .pagination import LimitOffset
from .search import search_everything

router = Router()
router.add_router("", customfields_router)


class ActorOut(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(user) -> str:
        return str(user)


class ChangeOut(Schema):
    label: str = ""
    old: Any = None
    new: Any = None


class AuditEntryOut(Schema):
    id: int
    kind: str
    actor: ActorOut | None
    when: datetime
    record: str
    changes: dict[str, ChangeOut]

    @staticmethod
    def resolve_when(entry) -> datetime:
        return entry.created_at

    @staticmethod
    def resolve_record(entry) -> str:
        return entry.object_repr


@router.get(
    "/audit/{entity}/{object_id}",
    tags=["audit"],
    response=list[AuditEntryOut],
    summary="The change history of one record",
    description="`entity` is an access entity key (see /access/entities), or `user`, `team`, "
    "`role` for administrators. Newest first. A record the caller may not view is a 404.",
)
@paginate(LimitOffset)
def audit_history(request, entity: str, object_id: str):
    return history_of(actor=request.auth, key=entity, object_id=object_id)


class SearchHitOut(Schema):
    title: str
    subtitle: str
    url: str


class SearchGroupOut(Schema):
    key: str = Field(..., description="What was found: organizations, people...")
    label: str
    hits: list[SearchHitOut]


@router.get(
    "/search",
    response=list[SearchGroupOut],
    tags=["search"],
    summary="Search everything",
    description="The global search box: names, phones typed any way, emails, tax numbers... "
    "Groups without hits are left out; each group holds at most `limit` hits you may see.",
)
def search(request, q: str = "", limit: int = Query(8, ge=1, le=50)):
    groups = search_everything(request.auth, q.strip(), limit) if q.strip() else []
    return [{**group, "label": str(group["label"])} for group in groups]
