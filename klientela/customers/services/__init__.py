"""Business rules of the customer base. Pages, API, imports and jobs call these functions.

One module per topic: ``organizations``, ``people`` (on the shared ``cards`` rules),
``channels``, ``memberships``, ``notes``, ``duplicates``, ``merge``, ``handover``, ``search``,
``references``.
"""

from .channels import add_channel, delete_channel, update_channel
from .duplicates import DuplicateCandidate, find_duplicates
from .handover import HandOver, hand_over, register_handover_participant
from .memberships import link_person, unlink_person, update_link
from .merge import merge, merge_fields
from .notes import add_note, delete_note, sanitize, update_note
from .organizations import create_organization, delete_organization, update_organization
from .people import create_person, delete_person, update_person
from .references import sync_reference_lists
from .tags import create_tag, delete_tag, update_tag

__all__ = [
    "DuplicateCandidate",
    "HandOver",
    "add_channel",
    "add_note",
    "create_organization",
    "create_person",
    "create_tag",
    "delete_channel",
    "delete_note",
    "delete_organization",
    "delete_person",
    "delete_tag",
    "find_duplicates",
    "hand_over",
    "link_person",
    "merge",
    "merge_fields",
    "register_handover_participant",
    "sanitize",
    "sync_reference_lists",
    "unlink_person",
    "update_channel",
    "update_link",
    "update_note",
    "update_organization",
    "update_person",
    "update_tag",
]
