"""What the settings pages share: administrators only, and the Users / Teams / Roles tabs."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def admin_required(view):
    """Administrators only: anonymous visitors go to sign in, other users get 403."""

    @wraps(view)
    def check(request, *args, **kwargs):
        if not request.user.is_admin:
            raise PermissionDenied(_("Only an administrator can do this."))
        return view(request, *args, **kwargs)

    return login_required(check)


SETTINGS_TABS = [
    (gettext_lazy("Users"), "accounts:users"),
    (gettext_lazy("Teams"), "accounts:teams"),
    (gettext_lazy("Roles"), "accounts:roles"),
]


def settings_tabs(request) -> dict:
    tabs = []
    for label, url_name in SETTINGS_TABS:
        url = reverse(url_name)
        tabs.append({"label": label, "url": url, "active": request.path.startswith(url)})
    return {"tabs": tabs, "tabs_label": _("Settings")}
