"""URL map: pages under a language prefix (/fr/, /en/), the HTTP API under /api/."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from sclerocell.web.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("sclerocell.web.accounts.urls")),
    path("", include("sclerocell.web.shell.urls")),
    path("", include("sclerocell.web.trial.urls")),
    path("", include("sclerocell.web.followup.urls")),
    path("", include("sclerocell.web.product.urls")),
    path("", include("sclerocell.web.screening.urls")),
    path("", include("sclerocell.web.safety.urls")),
    path("", include("sclerocell.web.warehouse.urls")),
    path("", include("sclerocell.web.report.urls")),
    path("", include("sclerocell.web.exports.urls")),
    path("audit/", include("sclerocell.web.audit.urls")),
    prefix_default_language=True,
)
