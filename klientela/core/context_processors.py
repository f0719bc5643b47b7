"""What every page of the shell needs: the menu and the language list."""

from django.conf import settings

from .navigation import menu_for


def shell(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"available_languages": settings.LANGUAGES}
    return {"main_menu": menu_for(request), "available_languages": settings.LANGUAGES}
