"""The HTTP API (django-ninja): OpenAPI schema at /api/openapi.json, token authentication.

Routers are added by each app; the same access functions as the pages apply.
"""

from ninja import NinjaAPI

api = NinjaAPI(
    title="sclerocell API",
    version="1",
    description="MSC-SSc trial (NCT02213705). Every operation is scoped to the caller's sites.",
    urls_namespace="api",
)
