"""Pipelines with their stages, deals moving through them, and the record of every move."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klientela.core.access import AccessQuerySet
from klientela.core.customfields.mixins import CustomFieldsMixin
from klientela.core.models import ReferenceItem
from klientela.core.owned import OwnedRecord

LOST_REASONS = "lost_reasons"
CENT = Decimal("0.01")

# Deal fields a stage may require before a deal enters it (field name -> label).
REQUIRABLE_FIELDS = {
    "amount": _("amount"),
    "expected_close": _("expected close date"),
    "organization": _("organization"),
    "person": _("contact person"),
    "source": _("source"),
}


class Pipeline(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("pipeline")
        verbose_name_plural = _("pipelines")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("sales:kanban", args=[self.pk])


class Stage(models.Model):
    class Kind(models.TextChoices):
        OPEN = "open", _("Open")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    pipeline = models.ForeignKey(
        Pipeline, verbose_name=_("pipeline"), on_delete=models.CASCADE, related_name="stages"
    )
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.OPEN)
    probability = models.PositiveSmallIntegerField(_("probability, %"), default=0)
    # Deal fields that must be filled before a deal may enter this stage (REQUIRABLE_FIELDS).
    required_fields = models.JSONField(_("required fields"), default=list, blank=True)

    class Meta:
        ordering = ["pipeline", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["pipeline", "name"], name="stage_unique_name"),
            models.CheckConstraint(
                condition=models.Q(probability__lte=100), name="stage_probability_percent"
            ),
        ]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self) -> str:
        return self.name

    @property
    def is_final(self) -> bool:
        return self.kind != self.Kind.OPEN


class DealQuerySet(AccessQuerySet):
    def open(self):
        return self.filter(stage__kind=Stage.Kind.OPEN)


class Deal(OwnedRecord, CustomFieldsMixin):
    title = models.CharField(_("title"), max_length=200)
    pipeline = models.ForeignKey(
        Pipeline, verbose_name=_("pipeline"), on_delete=models.PROTECT, related_name="deals"
    )
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="deals"
    )
    organization = models.ForeignKey(
        "customers.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deals",
    )
    person = models.ForeignKey(
        "customers.Person",
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deals",
    )
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    expected_close = models.DateField(_("expected close date"), null=True, blank=True)
    # None: the stage's probability applies.
    probability = models.PositiveSmallIntegerField(_("probability, %"), null=True, blank=True)
    # A discount on the whole deal, after the lines' own discounts.
    discount_percent = models.DecimalField(
        _("deal discount, %"), max_digits=5, decimal_places=2, default=0
    )
    source = models.ForeignKey(
        ReferenceItem,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"reference_list__key": "sources"},
    )
    lost_reason = models.ForeignKey(
        ReferenceItem,
        verbose_name=_("lost reason"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"reference_list__key": LOST_REASONS},
    )
    competitor = models.ForeignKey(
        "customers.Organization",
        verbose_name=_("competitor who won"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deals_won_from_us",
    )
    stage_entered_at = models.DateTimeField(_("in stage since"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # The order of the furthest stage (not lost) the deal ever entered: the funnel report counts
    # how many deals got this far without reading their histories.
    furthest_order = models.PositiveIntegerField(default=0, editable=False)

    objects = DealQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["stage", "-stage_entered_at"], name="deal_stage"),
            models.Index(
                fields=["responsible", "stage", "-stage_entered_at"], name="deal_owner_stage"
            ),
            models.Index(
                fields=["responsible_team", "stage", "-stage_entered_at"], name="deal_team_stage"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(probability__lte=100), name="deal_probability_percent"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="deal_amount_positive"),
        ]
        verbose_name = _("deal")
        verbose_name_plural = _("deals")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sales:deal_detail", args=[self.pk])

    @property
    def effective_probability(self) -> int:
        return self.probability if self.probability is not None else self.stage.probability

    @property
    def days_in_stage(self) -> int:
        return max((timezone.now() - self.stage_entered_at).days, 0)

    @property
    def client(self):
        return self.organization or self.person


class StageChange(models.Model):
    """A deal's move from one stage to another: when and by whom (the funnel reports read it)."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"))
    # How long the deal had been in from_stage (the report averages it per stage).
    time_in_previous = models.DurationField(null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["deal", "-at"], name="stage_change_deal")]

    def __str__(self) -> str:
        return f"{self.deal_id}: {self.from_stage_id} -> {self.to_stage_id}"


class DealLine(models.Model):
    """A product on a deal: quantity, the price it was offered at, a discount and the tax rate."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3, default=1)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)
    discount_percent = models.DecimalField(
        _("discount, %"), max_digits=5, decimal_places=2, default=0
    )
    tax_rate = models.DecimalField(_("tax rate, %"), max_digits=5, decimal_places=2, default=0)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="line_quantity"),
            models.CheckConstraint(
                condition=models.Q(discount_percent__gte=0, discount_percent__lte=100),
                name="line_discount_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} x {self.quantity}"

    @property
    def net(self) -> Decimal:
        """Quantity x price less the line's discount, rounded to cents."""
        gross = self.quantity * self.unit_price
        return (gross * (100 - self.discount_percent) / 100).quantize(CENT)


class SalesPlan(models.Model):
    """How much should be won in a month or a quarter, in one currency, by one subject.

    The subject is a manager, a team, a region or a product category. A region or category plan
    may belong to a team (that team's deals count) or, without a team, to the whole company.
    A region is the region of the client organization's address (the primary one, else the
    first): managers in one team often sell across regions, so the team is not the region.
    """

    class Dimension(models.TextChoices):
        MANAGER = "manager", _("Manager")
        TEAM = "team", _("Team")
        REGION = "region", _("Region")
        CATEGORY = "category", _("Product category")

    class Period(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")

    dimension = models.CharField(
        _("plan for"), max_length=10, choices=Dimension, default=Dimension.MANAGER
    )
    period = models.CharField(_("period"), max_length=10, choices=Period, default=Period.MONTH)
    starts = models.DateField(
        _("period start"), help_text=_("The first day of the month or quarter.")
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    region = models.CharField(_("region"), max_length=150, blank=True)
    category = models.ForeignKey(
        "catalog.Category",
        verbose_name=_("product category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    amount = models.DecimalField(_("plan"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")

    class Meta:
        ordering = ["starts", "dimension", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["responsible", "period", "starts", "currency"],
                condition=models.Q(dimension="manager"),
                name="plan_unique_manager",
            ),
            models.UniqueConstraint(
                fields=["team", "period", "starts", "currency"],
                condition=models.Q(dimension="team"),
                name="plan_unique_team",
            ),
            models.UniqueConstraint(
                fields=["region", "period", "starts", "currency"],
                condition=models.Q(dimension="region", team__isnull=True),
                name="plan_unique_region",
            ),
            models.UniqueConstraint(
                fields=["team", "region", "period", "starts", "currency"],
                condition=models.Q(dimension="region", team__isnull=False),
                name="plan_unique_team_region",
            ),
            models.UniqueConstraint(
                fields=["category", "period", "starts", "currency"],
                condition=models.Q(dimension="category", team__isnull=True),
                name="plan_unique_category",
            ),
            models.UniqueConstraint(
                fields=["team", "category", "period", "starts", "currency"],
                condition=models.Q(dimension="category", team__isnull=False),
                name="plan_unique_team_category",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(dimension="manager", responsible__isnull=False)
                    | models.Q(dimension="team", team__isnull=False)
                    | (models.Q(dimension="region") & ~models.Q(region=""))
                    | models.Q(dimension="category", category__isnull=False)
                ),
                name="plan_has_subject",
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="plan_positive"),
        ]
        verbose_name = _("sales plan")
        verbose_name_plural = _("sales plans")

    def __str__(self) -> str:
        return f"{self.subject} {self.starts:%Y-%m} ({self.period}): {self.amount} {self.currency}"

    @property
    def subject(self):
        """The manager, team, region or category the plan is for."""
        return {
            self.Dimension.MANAGER: self.responsible,
            self.Dimension.TEAM: self.team,
            self.Dimension.REGION: self.region,
            self.Dimension.CATEGORY: self.category,
        }[self.dimension]


class Lead(OwnedRecord, CustomFieldsMixin):
    """An incoming request not yet qualified: who asked, how to reach them, what they want."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        QUALIFIED = "qualified", _("Qualified")
        DISQUALIFIED = "disqualified", _("Disqualified")

    title = models.CharField(_("request"), max_length=200)
    company_name = models.CharField(_("company"), max_length=300, blank=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    source = models.ForeignKey(
        ReferenceItem,
        verbose_name=_("source"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"reference_list__key": "sources"},
    )
    amount = models.DecimalField(
        _("expected amount"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.NEW)
    disqualify_reason = models.CharField(_("why disqualified"), max_length=300, blank=True)
    # What qualification made of it.
    organization = models.ForeignKey(
        "customers.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    person = models.ForeignKey(
        "customers.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    deal = models.ForeignKey(
        Deal, null=True, blank=True, on_delete=models.SET_NULL, related_name="leads"
    )

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="lead_status")]
        verbose_name = _("lead")
        verbose_name_plural = _("leads")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sales:lead_detail", args=[self.pk])

    @property
    def contact_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)
