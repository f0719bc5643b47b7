"""The REST API at /api/v1/: one API that every app adds its router to."""

from klientela.accounts.api import router as accounts_router
from klientela.accounts.auth import api_auth
from klientela.activities.api import router as activities_router
from klientela.capture.api import router as capture_router
from klientela.catalog.api import router as catalog_router
from klientela.core.api import KlientelaAPI
from klientela.core.api_routes import router as core_router
from klientela.customers.api import router as customers_router
from klientela.imports.api import router as imports_router
from klientela.notifications.api import router as notifications_router
from klientela.sales.api import router as sales_router
from klientela.worktime.api import router as worktime_router

# The docs at /api/v1/docs are Ninja's bundled Swagger UI, served from /static/ (no CDN). They run
# under the strict CSP unchanged: the template loads only same-origin scripts and styles and
# keeps its settings in a JSON block, and Swagger UI sets styles through the DOM, which CSP
# allows (Chromium reports no violation). So no csp_update is needed; test_api_platform checks
# that the page stays same-origin and the policy strict.
api = KlientelaAPI(
    title="Klientela API",
    version="1",
    description="REST API of Klientela. Authenticate with `Authorization: Bearer <token>`; "
    "create a personal token on your profile page or with `POST /api/v1/me/tokens`. "
    'Errors are `{"error": {"code", "message", "fields"}}`; lists take `limit` and '
    "`offset` and return `count` beside the `items`.",
    auth=api_auth,
    urls_namespace="api",
    docs_url="/docs",
)
api.add_router("/", accounts_router)
api.add_router("/", core_router)
api.add_router("/", customers_router)
api.add_router("/", sales_router)
api.add_router("/", activities_router)
api.add_router("/", imports_router)
api.add_router("/", catalog_router)
api.add_router("/", capture_router)
api.add_router("/", notifications_router)
api.add_router("/", worktime_router)
