from django.urls import path

from . import views

app_name = "accessapp"

urlpatterns = [
    path("", views.widget_list, name="list"),
    path("<int:pk>/", views.widget_detail, name="detail"),
    path("<int:pk>/edit/", views.widget_edit, name="edit"),
    path("<int:pk>/delete/", views.widget_delete, name="delete"),
]
