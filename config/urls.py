from django.conf import settings
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views
from home.routing import page_url_patterns
from search import views as search_views
from services.core import ops
from services.payments import views as payment_views
from services.procedures import views as procedure_views

urlpatterns = [
    path("salute/vivo/", ops.live, name="health_live"),
    path("salute/pronto/", ops.ready, name="health_ready"),
    path("metriche/", ops.metrics, name="metrics"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("cerca/", search_views.search, name="search"),
    path("valutazione/", home_views.feedback_submit, name="feedback_submit"),
    path("disservizi/invia/", home_views.report_problem, name="report_problem"),
    path("sitemap.xml", sitemap),
    path("spid/", include("services.accounts.spid.urls")),
    path("account/", include("allauth.urls")),
    path("area-personale/pratiche/", include("services.istanze.urls")),
    path("area-personale/pagamenti/", include("services.payments.urls")),
    path("area-personale/conto-mensa/", include("services.meals.urls")),
    path("area-personale/scuola/", include("services.schools.urls")),
    path("area-personale/scuola/<str:code>/oepac/", include("services.oepac.urls")),
    path("area-personale/scuola/<str:code>/mensa/", include("services.meals.school_urls")),
    path("area-personale/scuola/<str:code>/trasporto/", include("services.transport.school_urls")),
    path("area-personale/impostazioni/messaggi/", include("services.notifications.urls")),
    path("pagopa/ricevute/", payment_views.receipt_push, name="pagopa_receipt_push"),
    path("servizi-online/comuni/<str:province>/", procedure_views.comuni_json, name="comuni_json"),
    path("", include("services.accounts.urls")),
    path("", include("services.assistance.urls")),
    path("", include("services.appointments.urls")),
    path("", include("services.procedures.urls")),
]

if settings.PAGOPA_SANDBOX_ENABLED:
    from services.payments import sandbox

    urlpatterns += [path("pagopa-sandbox/", include(sandbox.urlpatterns))]

if settings.IO_SANDBOX_ENABLED:
    from services.notifications import io_sandbox

    urlpatterns += [path("io-sandbox/", include(io_sandbox.urlpatterns))]

if settings.PROTOCOL_SANDBOX_ENABLED:
    from services.protocol import sandbox as protocol_sandbox

    urlpatterns += [path("protocollo-sandbox/", include(protocol_sandbox.urlpatterns))]

if settings.SPID_DEMO_IDP_ENABLED:
    urlpatterns += [path("demo-idp/", include("services.accounts.spid.demo_urls"))]

if settings.PDND_SANDBOX_ENABLED:
    from services.pdnd import sandbox as pdnd_sandbox

    urlpatterns += [path("pdnd-sandbox/", include(pdnd_sandbox.urlpatterns))]

if settings.CIE_OIDC_DEMO_ENABLED:
    from services.accounts.oidc import demo_federation

    urlpatterns += [path("cie-oidc-demo/", include(demo_federation.urlpatterns))]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
if settings.DEBUG or settings.DEMO:
    # Editors' public images; nginx serves /media/ in production (site/nginx.conf).
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

# Wagtail's pages last, as its catch-all must be; a path it served before is answered first (home/routing.py).
known_pages, wagtail_patterns = page_url_patterns(wagtail_urls.urlpatterns)
urlpatterns = [known_pages, *urlpatterns, path("", include(wagtail_patterns))]

# The site's own Italian pages (services/core/errors.py); 404 and 500 are templates/404.html and 500.html.
handler400 = "services.core.errors.bad_request"
handler403 = "services.core.errors.permission_denied"
