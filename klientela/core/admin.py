"""Django admin for operators: custom field definitions, reference lists, audit and search rows."""

from django.contrib import admin

from .models import AuditEntry, FieldDefinition, ReferenceItem, ReferenceList, SearchEntry


class ReferenceItemInline(admin.TabularInline):
    model = ReferenceItem
    extra = 0
    fields = ("key", "label", "labels", "order", "is_active")


@admin.register(ReferenceList)
class ReferenceListAdmin(admin.ModelAdmin):
    list_display = ("key", "name", "is_system")
    search_fields = ("key", "name")
    inlines = [ReferenceItemInline]

    def get_readonly_fields(self, request, obj=None):
        # Records store item and list keys; changing one would orphan their values.
        return ("key",) if obj else ()


@admin.register(FieldDefinition)
class FieldDefinitionAdmin(admin.ModelAdmin):
    list_display = ("entity", "key", "label", "type", "required", "is_active", "section", "order")
    list_filter = ("entity", "type", "is_active")
    search_fields = ("key", "label")

    def get_readonly_fields(self, request, obj=None):
        return ("entity", "key", "type") if obj else ()


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "content_type", "object_repr", "actor")
    list_filter = ("kind", "content_type")
    search_fields = ("object_repr",)


@admin.register(SearchEntry)
class SearchEntryAdmin(ReadOnlyAdmin):
    list_display = ("content_type", "object_id", "text", "updated_at")
    list_filter = ("content_type",)
