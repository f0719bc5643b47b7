"""The customer base: organizations, people, their contact channels, links, tags and notes."""

from .channels import Address, Channel, Email, Messenger, Phone, Website
from .notes import Note
from .records import (
    CLIENT_GROUPS,
    CONTACT_ROLES,
    INDUSTRIES,
    ORGANIZATION_TYPES,
    SOURCES,
    Card,
    Membership,
    Organization,
    Person,
    Tag,
)

__all__ = [
    "CLIENT_GROUPS",
    "CONTACT_ROLES",
    "INDUSTRIES",
    "ORGANIZATION_TYPES",
    "SOURCES",
    "Address",
    "Card",
    "Channel",
    "Email",
    "Membership",
    "Messenger",
    "Note",
    "Organization",
    "Person",
    "Phone",
    "Tag",
    "Website",
]
