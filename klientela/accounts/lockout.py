"""Sign-in lock-outs after repeated failed passwords (django-axes), lifted by an administrator."""

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from klientela.core.audit import record_update

from .models import User
from .services import require_admin


def is_locked(user: User) -> bool:
    """Whether failed sign-ins have reached the limit for this user from some address."""
    attempts = AccessAttempt.objects.filter(
        username=user.username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.exists()


@transaction.atomic
def unlock_user(*, actor: User | None, user: User) -> int:
    """Forget the user's failed sign-ins from every address; returns how many were forgotten."""
    require_admin(actor)
    forgotten = reset(username=user.username)
    if forgotten:
        change = {"label": str(_("sign-in")), "old": str(_("locked")), "new": str(_("unlocked"))}
        record_update(user, {}, actor=actor, extra={"lockout": change})
    return forgotten
