# Sales plans per manager, team, region or product category, per month or quarter. The plans
# that existed (per manager and month) stay: they become "manager" plans of a "month" period.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_timezone_validator"),
        ("catalog", "0003_exchange_rate"),
        ("sales", "0006_report_figures_on_write"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="salesplan", name="plan_unique_month"),
        migrations.RenameField(model_name="salesplan", old_name="month", new_name="starts"),
        migrations.AlterField(
            model_name="salesplan",
            name="starts",
            field=models.DateField(
                help_text="The first day of the month or quarter.", verbose_name="period start"
            ),
        ),
        migrations.AddField(
            model_name="salesplan",
            name="dimension",
            field=models.CharField(
                choices=[
                    ("manager", "Manager"),
                    ("team", "Team"),
                    ("region", "Region"),
                    ("category", "Product category"),
                ],
                default="manager",
                max_length=10,
                verbose_name="plan for",
            ),
        ),
        migrations.AddField(
            model_name="salesplan",
            name="period",
            field=models.CharField(
                choices=[("month", "Month"), ("quarter", "Quarter")],
                default="month",
                max_length=10,
                verbose_name="period",
            ),
        ),
        migrations.AlterField(
            model_name="salesplan",
            name="responsible",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="manager",
            ),
        ),
        migrations.AddField(
            model_name="salesplan",
            name="team",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="accounts.team",
                verbose_name="team",
            ),
        ),
        migrations.AddField(
            model_name="salesplan",
            name="region",
            field=models.CharField(blank=True, max_length=150, verbose_name="region"),
        ),
        migrations.AddField(
            model_name="salesplan",
            name="category",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="catalog.category",
                verbose_name="product category",
            ),
        ),
        migrations.AlterModelOptions(
            name="salesplan",
            options={
                "ordering": ["starts", "dimension", "id"],
                "verbose_name": "sales plan",
                "verbose_name_plural": "sales plans",
            },
        ),
        migrations.AddConstraint(
            model_name="salesplan",
            constraint=models.UniqueConstraint(
                condition=models.Q(("dimension", "manager")),
                fields=("responsible", "period", "starts", "currency"),
                name="plan_unique_manager",
            ),
        ),
        migrations.AddConstraint(
            model_name="salesplan",
            constraint=models.UniqueConstraint(
                condition=models.Q(("dimension", "team")),
                fields=("team", "period", "starts", "currency"),
                name="plan_unique_team",
            ),
        ),
        migrations.AddConstraint(
            model_name="salesplan",
            constraint=models.UniqueConstraint(
                condition=models.Q(("dimension", "region"), ("team__isnull", True)),
                fields=("region", "period", "starts", "currency"),
                name="plan_unique_region",
            ),
        ),
        migrations.AddConstraint(
            model_name="salesplan",
            constraint=models.UniqueConstraint(
                condition=models.Q(("dimension", "region"), ("team__isnull", False)),
                fields=("team", "region", "period", "starts", "currency"),
                name="plan_unique_team_region",
            ),
        ),
        migrations.AddConstraint(
            model_name="salesplan",
            constraint=models.UniqueConstraint(
                condition=models.Q(("dimension", "category"), ("team__isnull", True)),
                fields=("category", "period", "starts", "currency"),
                name="plan_unique_category",
            ),
        ),
        migrations.AddConstraint(
            model_name="salesplan",
            constraint=models.UniqueConstraint(
                condition=models.Q(("dimension", "category"), ("team__isnull", False)),
                fields=("team", "category", "period", "starts", "currency"),
                name="plan_unique_team_category",
            ),
        ),
        migrations.AddConstraint(
            model_name="salesplan",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("dimension", "manager"), ("responsible__isnull", False)),
                    models.Q(("dimension", "team"), ("team__isnull", False)),
                    models.Q(("dimension", "region"), models.Q(("region", ""), _negated=True)),
                    models.Q(("category__isnull", False), ("dimension", "category")),
                    _connector="OR",
                ),
                name="plan_has_subject",
            ),
        ),
    ]
