"""The migration to plans by dimension keeps the plans per manager and month that existed."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("sales", "0006_report_figures_on_write"), ("catalog", "0003_exchange_rate")]
AFTER = [("sales", "0007_plans_by_dimension")]


@pytest.mark.django_db(transaction=True)
def test_existing_plans_become_manager_plans_of_a_month(company):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    OldPlan = old_apps.get_model("sales", "SalesPlan")
    OldPlan.objects.create(
        responsible_id=company["n_manager1"].pk,
        month=datetime.date(2026, 5, 1),
        amount=Decimal("1234.50"),
        currency="PLN",
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    Plan = executor.loader.project_state(AFTER).apps.get_model("sales", "SalesPlan")

    plan = Plan.objects.get()
    assert (plan.dimension, plan.period, plan.starts, plan.responsible_id) == (
        "manager",
        "month",
        datetime.date(2026, 5, 1),
        company["n_manager1"].pk,
    )
    assert (plan.amount, plan.currency, plan.team_id, plan.region) == (
        Decimal("1234.50"),
        "PLN",
        None,
        "",
    )
