"""Each signed-in user reads pages in their own language and time zone, and only they do."""

import datetime

from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from klientela.accounts.middleware import UserPreferencesMiddleware

NARROW_NBSP = "\u202f"
RUSSIAN_YEAR = "\u0433."  # Cyrillic "ge": escaped, as ruff takes it for a Latin "r"
MOMENT = datetime.datetime(2026, 3, 5, 14, 30, tzinfo=datetime.UTC)


def render(source: str, **context) -> str:
    return Template("{% load klientela_format %}" + source).render(Context(context))


def render_for(user, source: str, **context) -> str:
    """Render a template inside a request passing through the preferences middleware."""

    def view(request):
        return HttpResponse(render(source, **context))

    request = RequestFactory().get("/")
    request.user = user
    return UserPreferencesMiddleware(view)(request).content.decode()


def test_a_user_in_moscow_sees_moscow_time_in_russian(company):
    user = company["n_manager1"]
    user.timezone = "Europe/Moscow"
    user.language = "ru"

    shown = render_for(user, "{{ when|datetime_local }}", when=MOMENT)

    assert shown == f"5 мар. 2026{NARROW_NBSP}{RUSSIAN_YEAR}, 17:30:00"


def test_a_user_in_utc_sees_the_same_moment_unshifted(company):
    user = company["n_manager1"]
    user.timezone = "UTC"

    shown = render_for(user, "{{ when|datetime_local }}", when=MOMENT)

    assert shown == f"Mar 5, 2026, 2:30:00{NARROW_NBSP}PM"


def test_the_users_time_zone_does_not_stay_active_after_the_request(company):
    user = company["n_manager1"]
    user.timezone = "Europe/Moscow"

    render_for(user, "{{ when|datetime_local }}", when=MOMENT)

    assert timezone.get_current_timezone_name() == "UTC"


def test_a_user_with_an_unknown_time_zone_sees_the_default_one(company):
    user = company["n_manager1"]
    user.timezone = "Mars/Olympus_Mons"

    shown = render_for(user, "{{ when|datetime_local }}", when=MOMENT)

    assert shown == f"Mar 5, 2026, 2:30:00{NARROW_NBSP}PM"


def test_a_signed_in_page_speaks_the_users_language(client, company):
    user = company["n_manager1"]
    user.language = "ru"
    user.save()
    client.force_login(user)

    response = client.get("/")

    assert response["Content-Language"] == "ru"
    assert '<html lang="ru">' in response.content.decode()
