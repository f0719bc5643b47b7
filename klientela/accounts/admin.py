"""Django admin for operators; the product's own settings pages are the user interface."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import ApiToken, Role, RolePermission, Team, User


@admin.register(User)
class KlientelaUserAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Klientela", {"fields": ("team", "role", "language", "timezone", "phone")}),
    )
    list_display = ("username", "first_name", "last_name", "team", "role", "is_active")
    list_filter = ("team", "role", "is_active")


class RolePermissionInline(admin.TabularInline):
    model = RolePermission
    extra = 0


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_admin")
    inlines = [RolePermissionInline]


admin.site.register(Team)
admin.site.register(ApiToken, list_display=("name", "user", "hint", "created_at", "revoked_at"))
