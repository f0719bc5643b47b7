"""Fixtures of the sales tests: the default pipeline and deals of the two teams' managers."""

import pytest

from klientela.customers.tests.factories import OrganizationFactory
from klientela.sales import services
from klientela.sales.models import Pipeline, Stage


@pytest.fixture
def pipeline(db):
    services.ensure_sales_defaults()
    return Pipeline.objects.get()


@pytest.fixture
def stages(pipeline):
    return {stage.name: stage for stage in pipeline.stages.all()}


@pytest.fixture
def client_org(company):
    return OrganizationFactory(legal_name="Acme", responsible=company["n_manager1"])


@pytest.fixture
def deal(company, stages, client_org):
    return services.create_deal(
        actor=company["n_manager1"], title="Acme licences", organization=client_org
    )


__all__ = ["Stage"]
