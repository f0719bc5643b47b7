"""Test URLs: the real ones plus the widget pages of the test-only access app."""

from django.urls import include, path

from klientela.urls import urlpatterns as klientela_urlpatterns

urlpatterns = [
    *klientela_urlpatterns,
    path("widgets/", include("tests.accessapp.urls")),
]
