"""How API requests authenticate: a personal token (Bearer) or the browser session."""

from django.utils import translation
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from .services import user_for_token


class TokenAuth(HttpBearer):
    openapi_bearerFormat = "kl_…"
    openapi_description = "A personal API token: `Authorization: Bearer kl_…`."

    def authenticate(self, request, token: str):
        user = user_for_token(token)
        if user is None:
            return None
        request.user = user
        translation.activate(user.language)
        return user


class ActiveSessionAuth(SessionAuth):
    """The signed-in browser; unsafe methods need the CSRF token like any form."""

    openapi_description = "The session cookie of a signed-in browser (with X-CSRFToken)."

    def __call__(self, request):
        # A client that sent a token meant token auth: a bad token is 401, not a CSRF failure.
        if "Authorization" in request.headers:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, _("CSRF check failed: send the X-CSRFToken header."))
        return user


api_auth = [TokenAuth(), ActiveSessionAuth()]
