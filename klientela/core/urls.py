from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("lists/columns/", views.list_columns, name="list_columns"),
    path("lists/filters/", views.saved_filter_save, name="saved_filter_save"),
    path("lists/filters/<int:pk>/delete/", views.saved_filter_delete, name="saved_filter_delete"),
]
