"""The HTTP API (django-ninja): OpenAPI schema at /api/openapi.json, token authentication.

Routers are added by each app; the same access functions as the pages apply. Token
authentication is the default of every operation, so that no router can be left open by mistake.
"""

from ninja import NinjaAPI

from sclerocell.web.accounts.api_auth import TokenAuth

api = NinjaAPI(
    auth=TokenAuth(),
    title="sclerocell API",
    version="1",
    description="MSC-SSc trial (NCT02213705). Every operation is scoped to the caller's sites.",
    urls_namespace="api",
)

# Accounts: GET /api/me (token authentication, `sclerocell.web.accounts.api_auth.TokenAuth`).
from sclerocell.web.accounts.api import router as accounts_router  # noqa: E402

api.add_router("/", accounts_router)

# Trial: participants, consents (token authentication, site-scoped like the pages).
from sclerocell.web.trial.api import router as trial_router  # noqa: E402

api.add_router("/", trial_router)

# Follow-up: visits and statuses, outcome forms, queries, response (site-scoped like the pages).
from sclerocell.web.followup.api import router as followup_router  # noqa: E402

api.add_router("/", followup_router)

# Screening: the live verdict, the screening input document, the screening log (read-only).
from sclerocell.web.screening.api import router as screening_router  # noqa: E402

api.add_router("/", screening_router)

# Product chain: harvest, batch, release, bedside check, infusion, feasibility (site-scoped).
from sclerocell.web.product.api import router as product_router  # noqa: E402

api.add_router("/", product_router)

# Safety: adverse events, reporting clocks, malignancies, stopping rule, CTCAE term search.
from sclerocell.web.safety.api import router as safety_router  # noqa: E402

api.add_router("/", safety_router)
