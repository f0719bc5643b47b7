"""The global search: apps register a provider; each provider scopes its results by access."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class SearchHit:
    title: str
    subtitle: str
    url: str


@dataclass(frozen=True)
class SearchProvider:
    key: str
    label: str | Promise
    # find(user, query, limit) -> list[SearchHit]; must go through the access core.
    find: Callable[..., list[SearchHit]]
    order: int = 100


_providers: dict[str, SearchProvider] = {}


def register_search(provider: SearchProvider) -> None:
    _providers[provider.key] = provider


def search_everything(user, query: str, limit: int = 8) -> list[dict]:
    groups = []
    for provider in sorted(_providers.values(), key=lambda item: item.order):
        hits = provider.find(user, query, limit)
        if hits:
            groups.append({"key": provider.key, "label": provider.label, "hits": hits})
    return groups
