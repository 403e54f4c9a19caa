from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.models import SectionPage, ServicePage

SERVICE_URL = "/servizi/educazione-e-formazione/iscrizione-oepac/"


def _count(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(SERVICE_URL)
    assert response.status_code == 200
    return len(ctx.captured_queries), ctx.captured_queries


def _clear_caches():
    from django.core.cache import caches

    for backend in caches.all():
        backend.clear()


def test_uncached_service_page_runs_constant_small_number_of_queries(client, demo, settings):
    settings.PAGE_CACHE_ENABLED = False
    cold_small, _ = _count(client)
    small, _ = _count(client)  # warm: routes, restrictions, site, settings and fragments are cached

    # Grow the menu and the body.
    for i in range(20):
        page = SectionPage(title=f"Sezione {i}", slug=f"sezione-{i}", menu_element="live", show_in_menus=True)
        demo.add_child(instance=page)
        page.save_revision().publish()
    service = ServicePage.objects.get(slug="iscrizione-oepac")
    service.how_to = "".join(f"<p>Paragrafo {i} con istruzioni dettagliate per le famiglie.</p>" for i in range(400))
    service.save_revision().publish()
    _clear_caches()
    cold_large, cold_queries = _count(client)
    large, queries = _count(client)

    assert large == small == 0, [q["sql"] for q in queries]
    assert cold_large == cold_small, [q["sql"] for q in cold_queries]
    assert cold_large <= 13, [q["sql"] for q in cold_queries]


def test_cold_service_page_stays_within_budget(client, demo, settings):
    settings.PAGE_CACHE_ENABLED = False
    count, queries = _count(client)
    assert count <= 13, "\n".join(q["sql"][:160] for q in queries)


def test_a_warm_uncached_home_runs_no_query(client, demo, settings):
    """The home's view restrictions are kept per process like a routed page's, and its lists are read only when its
    shell is made (home/shell.py)."""
    settings.PAGE_CACHE_ENABLED = False
    with CaptureQueriesContext(connection) as cold:
        assert client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get("/").status_code == 200
    assert len(warm.captured_queries) == 0, [q["sql"] for q in warm.captured_queries]
    assert len(cold.captured_queries) <= 13, [q["sql"] for q in cold.captured_queries]  # the service page's budget
