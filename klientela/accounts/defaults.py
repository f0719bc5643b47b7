"""The built-in roles a new installation starts with; administrators may change them later."""

from django.utils.translation import gettext_noop

from klientela.core.access import Action, Entity, Scope

BUILTIN_ROLES = {
    "admin": {
        "name": gettext_noop("Administrator"),
        "description": gettext_noop("Everything, including users, roles and settings."),
        "is_admin": True,
    },
    "head": {
        "name": gettext_noop("Head of sales"),
        "description": gettext_noop("All records of their team, plans and reports."),
        "is_admin": False,
    },
    "manager": {
        "name": gettext_noop("Manager"),
        "description": gettext_noop(
            "Their own deals and activities; sees the clients of their team; no export."
        ),
        "is_admin": False,
    },
}

# Used where an entity does not say otherwise in its registration.
FALLBACK_SCOPES = {
    "head": {action: Scope.TEAM for action in Action.values},
    "manager": {
        Action.VIEW: Scope.OWN,
        Action.CREATE: Scope.OWN,
        Action.EDIT: Scope.OWN,
        Action.DELETE: Scope.OWN,
        Action.EXPORT: Scope.NONE,
        Action.IMPORT: Scope.NONE,
    },
}


def default_scope(role_code: str, entity: Entity, action: str) -> str:
    declared = entity.default_scopes.get(role_code, {})
    if action in declared:
        return declared[action]
    return FALLBACK_SCOPES.get(role_code, {}).get(action, Scope.NONE)
