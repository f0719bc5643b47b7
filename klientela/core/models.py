"""What all apps share: audit history, list preferences, custom fields, reference lists, search."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    class Kind(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        MERGE = "merge", _("Merged")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("record"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # {"field": {"label": "...", "old": ..., "new": ...}}: values as shown to people.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit history")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_repr}"

    def labelled_changes(self) -> list[dict]:
        """The changes with each field's label in the reader's language, not the writer's."""
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        names = {}
        if model is not None:
            names = {field.name: field.verbose_name for field in model._meta.concrete_fields}
        return [
            {**change, "label": str(names.get(key, change.get("label", key)))}
            for key, change in self.changes.items()
        ]


class ListPreference(models.Model):
    """The columns (and their order) a user chose for one list page."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="list_preferences"
    )
    list_key = models.CharField(max_length=100)
    columns = models.JSONField(default=list)
    page_size = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "list_key"], name="unique_list_preference")
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.list_key}"


class SavedFilter(models.Model):
    """A list's filters kept under a name: for its owner only, or shared with every user.

    It holds only the list's query string; the list still scopes its rows to whoever applies it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="saved_filters",
    )
    list_key = models.CharField(max_length=100)
    name = models.CharField(_("name"), max_length=100)
    # "industry=it&sort=-created": the list's address after "?", without the page number.
    query = models.TextField(_("filters"), blank=True)
    is_shared = models.BooleanField(_("shared with everyone"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "list_key", "name"], name="unique_saved_filter_name"
            )
        ]
        indexes = [models.Index(fields=["list_key", "is_shared"], name="saved_filter_list")]
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")

    def __str__(self) -> str:
        return self.name


# --- Reference lists and custom fields ------------------------------------------------------

key_validator = RegexValidator(
    r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$",
    _("Use lowercase Latin letters, digits and single underscores, starting with a letter."),
)


def translated(default: str, translations: dict, language: str | None) -> str:
    """The text in ``language`` when someone entered it, else the default text."""
    if language:
        text = translations.get(language) or translations.get(language.split("-")[0])
        if text:
            return text
    return default


class ReferenceList(models.Model):
    """A list of values an administrator maintains: industries, client groups, sources..."""

    key = models.CharField(_("key"), max_length=50, unique=True, validators=[key_validator])
    name = models.CharField(_("name"), max_length=150)
    # {"ru": "...", "pl": "...", "sl": "..."}; the plain name is used where a language is missing.
    names = models.JSONField(_("name in other languages"), default=dict, blank=True)
    is_system = models.BooleanField(
        _("system list"),
        default=False,
        help_text=_("Entity fields rely on system lists; they cannot be deleted."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("reference list")
        verbose_name_plural = _("reference lists")

    def __str__(self) -> str:
        return self.name

    def name_in(self, language: str | None) -> str:
        return translated(self.name, self.names, language)


class ReferenceItem(models.Model):
    reference_list = models.ForeignKey(
        ReferenceList,
        verbose_name=_("reference list"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    key = models.CharField(_("key"), max_length=50, validators=[key_validator])
    label = models.CharField(_("label"), max_length=200)
    labels = models.JSONField(_("label in other languages"), default=dict, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["reference_list", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference_list", "key"], name="unique_reference_item_key"
            )
        ]
        verbose_name = _("reference item")
        verbose_name_plural = _("reference items")

    def __str__(self) -> str:
        return self.label

    def label_in(self, language: str | None) -> str:
        return translated(self.label, self.labels, language)


def field_type_choices() -> list[tuple[str, str]]:
    # The type registry is the one list of types; imported here late to keep models at the bottom.
    from klientela.core.customfields.types import type_choices

    return type_choices()


class FieldDefinition(models.Model):
    """A field an administrator added to an entity; values live in the entity's ``custom`` JSON."""

    entity = models.CharField(_("entity"), max_length=50)
    key = models.CharField(
        _("key"),
        max_length=50,
        validators=[key_validator],
        help_text=_("Stored data is keyed by it, so it never changes."),
    )
    label = models.CharField(_("label"), max_length=150)
    labels = models.JSONField(_("label in other languages"), default=dict, blank=True)
    type = models.CharField(_("type"), max_length=20, choices=field_type_choices)
    required = models.BooleanField(_("required"), default=False)
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive fields are hidden; their data is kept.")
    )
    section = models.CharField(_("section"), max_length=100, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    reference_list = models.ForeignKey(
        ReferenceList,
        verbose_name=_("reference list"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="field_definitions",
    )
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    # Validation settings of the type: {"min": ..., "max": ...} or {"max_length": ...}.
    options = models.JSONField(_("validation options"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["entity", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "key"], name="unique_field_definition_key")
        ]
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")

    def __str__(self) -> str:
        return f"{self.entity}.{self.key}"

    def clean(self) -> None:
        from klientela.core.customfields.types import clean_definition

        clean_definition(self)

    def label_in(self, language: str | None) -> str:
        return translated(self.label, self.labels, language)


# --- Full-text search -----------------------------------------------------------------------


class SearchEntry(models.Model):
    """The searchable text of one record, kept in sync by services (see ``core.fulltext``).

    Migration 0002 adds what each database searches with: a pg_trgm GIN index on ``normalized``
    on PostgreSQL; on SQLite an FTS5 table fed by triggers on this table. A later migration that
    makes Django rebuild this table on SQLite drops those triggers and must create them again.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    text = models.TextField()
    # Lowercase, without diacritics, words separated by one space: what queries are matched to.
    normalized = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="unique_search_entry"
            )
        ]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")

    def __str__(self) -> str:
        return self.text[:80]
