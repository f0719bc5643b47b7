from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from .api import api

urlpatterns = [
    path("", include("klientela.core.urls")),
    path("", include("klientela.accounts.urls")),
    path("", include("klientela.customers.urls")),
    path("", include("klientela.sales.urls")),
    path("", include("klientela.activities.urls")),
    path("", include("klientela.worktime.urls")),
    path("", include("klientela.catalog.urls")),
    path("", include("klientela.jobs.urls")),
    path("", include("klientela.imports.urls")),
    path("", include("klientela.capture.urls")),
    path("", include("klientela.notifications.urls")),
    path("api/v1/", api.urls),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("django-admin/", admin.site.urls),
]
