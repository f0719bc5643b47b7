from django.urls import path

from . import views

app_name = "capture"

urlpatterns = [
    path("webforms/", views.form_list, name="forms"),
    path("webforms/new/", views.form_edit, name="form_create"),
    path("webforms/<int:pk>/", views.form_edit, name="form_edit"),
    path("webforms/<int:pk>/new-link/", views.form_new_link, name="form_new_link"),
    path("f/<str:token>/", views.public_form, name="public"),
    path("f/<str:token>/thanks/", views.thanks, name="thanks"),
]
