from django.urls import path

from . import views

app_name = "worktime"

urlpatterns = [
    path("worktime/", views.timesheet, name="timesheet"),
    path("worktime/cell/", views.timesheet_cell, name="timesheet_cell"),
    path("worktime/log/", views.timesheet_log, name="timesheet_log"),
    path("worktime/entries/", views.entry_list, name="entries"),
    path("worktime/entries/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("worktime/load/", views.load, name="load"),
    path("worktime/absences/", views.absence_list, name="absences"),
    path("worktime/absences/new/", views.absence_create, name="absence_create"),
    path("worktime/absences/<int:pk>/", views.absence_edit, name="absence_edit"),
    path("worktime/absences/<int:pk>/approve/", views.absence_approve, name="absence_approve"),
    path("worktime/absences/<int:pk>/delete/", views.absence_delete, name="absence_delete"),
    path("worktime/report/", views.report, name="report"),
    path("activities/<int:pk>/log-time/", views.log_on_activity, name="log_on_activity"),
]
