from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("imports/", views.import_list, name="list"),
    path("imports/<int:pk>/", views.import_detail, name="detail"),
    path("imports/<int:pk>/errors.xlsx", views.error_report, name="error_report"),
    path("imports/<int:pk>/undo/", views.undo, name="undo"),
    path("exports/", views.start_export, name="export"),
]
