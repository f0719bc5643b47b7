from django.urls import path

from .views import profile, roles, session, teams, users

app_name = "accounts"

urlpatterns = [
    path("login/", session.login_view, name="login"),
    path("logout/", session.logout_view, name="logout"),
    path("language/", session.set_language, name="set_language"),
    path("profile/", profile.profile, name="profile"),
    path("profile/password/", profile.profile_password, name="profile_password"),
    path("profile/tokens/", profile.token_create, name="token_create"),
    path("profile/tokens/<int:pk>/revoke/", profile.token_revoke, name="token_revoke"),
    path("settings/users/", users.user_list, name="users"),
    path("settings/users/new/", users.user_create, name="user_create"),
    path("settings/users/<int:pk>/", users.user_detail, name="user_detail"),
    path("settings/users/<int:pk>/edit/", users.user_edit, name="user_edit"),
    path("settings/users/<int:pk>/password/", users.user_password, name="user_password"),
    path("settings/users/<int:pk>/unlock/", users.user_unlock, name="user_unlock"),
    path("settings/teams/", teams.team_list, name="teams"),
    path("settings/teams/new/", teams.team_create, name="team_create"),
    path("settings/teams/<int:pk>/edit/", teams.team_edit, name="team_edit"),
    path("settings/teams/<int:pk>/delete/", teams.team_delete, name="team_delete"),
    path("settings/roles/", roles.role_list, name="roles"),
    path("settings/roles/new/", roles.role_create, name="role_create"),
    path("settings/roles/<int:pk>/edit/", roles.role_edit, name="role_edit"),
    path("settings/roles/<int:pk>/delete/", roles.role_delete, name="role_delete"),
]
