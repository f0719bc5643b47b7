from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("activities/", views.activity_list, name="list"),
    path("activities/new/", views.activity_create, name="create"),
    path("activities/<int:pk>/", views.activity_detail, name="detail"),
    path("activities/<int:pk>/edit/", views.activity_edit, name="edit"),
    path("activities/<int:pk>/complete/", views.activity_complete, name="complete"),
    path("activities/<int:pk>/cancel/", views.activity_cancel, name="cancel"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="delete"),
    path("activities/<int:pk>/checklist/", views.checklist_add, name="checklist_add"),
    path("activities/checklist/<int:pk>/toggle/", views.checklist_toggle, name="checklist_toggle"),
    path("activities/checklist/<int:pk>/remove/", views.checklist_remove, name="checklist_remove"),
    path("activities/reminders/", views.reminder_preferences, name="reminder_preferences"),
    path("activities/feed/new/", views.feed_regenerate, name="feed_regenerate"),
    path("activities/feed/stop/", views.feed_stop, name="feed_stop"),
    path("activities/feed/<str:token>.ics", views.feed, name="feed"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/events/", views.calendar_events, name="calendar_events"),
    path("rooms/", views.room_list, name="rooms"),
    path("rooms/new/", views.room_edit, name="room_create"),
    path("rooms/<int:pk>/", views.room_edit, name="room_edit"),
]
