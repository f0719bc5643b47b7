"""Forms of the customer pages: cards with their channels, and the small forms of card actions.

Forms only clean what people type into the arguments of ``services``; the rules are there.
"""

from .actions import (
    AddTagForm,
    HandOverForm,
    LinkForm,
    MergeForm,
    NoteForm,
    QuickPersonForm,
    assignable_users,
)
from .cards import CardForm, OrganizationForm, PersonForm
from .channels import ChannelFormsets

__all__ = [
    "AddTagForm",
    "CardForm",
    "ChannelFormsets",
    "HandOverForm",
    "LinkForm",
    "MergeForm",
    "NoteForm",
    "OrganizationForm",
    "PersonForm",
    "QuickPersonForm",
    "assignable_users",
]
