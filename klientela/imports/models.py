"""An import: the uploaded file, how its columns map to fields, and what it did to the base."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Import(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        UNDONE = "undone", _("Undone")

    class Duplicates(models.TextChoices):
        SKIP = "skip", _("Skip the row")
        UPDATE = "update", _("Update the existing card")
        CREATE = "create", _("Create a new card anyway")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.CASCADE
    )
    entity = models.CharField(_("what is imported"), max_length=50)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=255)
    sheet = models.CharField(_("sheet"), max_length=255, blank=True)
    headers = models.JSONField(_("columns"), default=list, blank=True)
    mapping = models.JSONField(_("mapping"), default=dict, blank=True)
    region = models.CharField(_("default country"), max_length=2, default="RU")
    duplicates = models.CharField(
        _("duplicates"), max_length=10, choices=Duplicates, default=Duplicates.SKIP
    )
    row_decisions = models.JSONField(_("decisions per row"), default=dict, blank=True)
    create_missing = models.BooleanField(_("create missing list values"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    job = models.ForeignKey(
        "jobs.Job", verbose_name=_("job"), on_delete=models.SET_NULL, null=True, blank=True
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    failed = models.PositiveIntegerField(_("with errors"), default=0)
    error_report = models.FileField(_("error report"), upload_to="imports/%Y/%m/", blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.filename


class ImportedRecord(models.Model):
    """A card an import created or changed, with what it was before (for undo)."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")

    batch = models.ForeignKey(Import, on_delete=models.CASCADE, related_name="records")
    entity = models.CharField(max_length=50)
    object_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=10, choices=Action)
    before = models.JSONField(default=dict, blank=True)
    changed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["entity", "object_id"])]

    def __str__(self) -> str:
        return f"{self.entity} {self.object_id} {self.action}"


class RememberedMapping(models.Model):
    """Which field a column header went to last time, per entity (suggestions learn from it)."""

    entity = models.CharField(max_length=50)
    header = models.CharField(max_length=255)
    field = models.CharField(max_length=150)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entity", "header"], name="imports_mapping_header")
        ]

    def __str__(self) -> str:
        return f"{self.header} -> {self.field}"
