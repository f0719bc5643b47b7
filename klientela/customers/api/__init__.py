"""The customer base's REST API: organizations, people, their channels, links and notes."""

from ninja import Router

from . import channels, memberships, notes, organizations, people

router = Router()
for part in (organizations, people, channels, notes, memberships):
    router.add_router("", part.router)

__all__ = ["router"]
