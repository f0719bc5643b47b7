"""Demo data: each app registers a loader; `klientela demo` runs them in order on an empty base."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoLoader:
    key: str
    order: int
    # load(context) fills the app's part; context carries what earlier loaders made (users...).
    load: Callable[[dict], None]
    is_loaded: Callable[[], bool]
    login_hint: str = ""


_loaders: dict[str, DemoLoader] = {}


def register_demo(loader: DemoLoader) -> None:
    _loaders[loader.key] = loader


def demo_loaders() -> list[DemoLoader]:
    return sorted(_loaders.values(), key=lambda loader: loader.order)
