"""Test settings: the real ones plus a test-only app whose models exercise the access core."""

from klientela.settings import *  # noqa: F403
from klientela.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.accessapp"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
ROOT_URLCONF = "tests.urls"
JOBS_IN_THREAD = False  # jobs run inside the request, so tests see their results
