import io
import os

from django.core.cache import caches
from django.core.management import call_command

import pytest

from home.cache import forget_generation
from services.catalogue import selectors as catalogue

# TESTS_WITHOUT_DEMO=1 (make test runs it too): the database starts empty, and a test that asks for the demo Comune
# (the `demo` fixture, or one built on it) is skipped. It proves that every other test builds its own rows (factories).
WITHOUT_DEMO = os.environ.get("TESTS_WITHOUT_DEMO") == "1"
DEMO_FIXTURES = {"demo", "oepac"}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo Comune, loaded once per session by the command `make run` uses, for the tests about it."""
    if WITHOUT_DEMO:
        return
    with django_db_blocker.unblock():
        call_command("load_demo_content", stdout=io.StringIO())


def pytest_collection_modifyitems(items):
    # Concurrency tests need a database with row locks: skipped, with the reason, on SQLite.
    from django.db import connection

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL's row locks (SQLite locks the whole file): CI runs it with DATABASE_URL")
        for item in items:
            if item.get_closest_marker("concurrency"):
                item.add_marker(skip)
    if WITHOUT_DEMO:
        skip = pytest.mark.skip(reason="about the demo Comune: runs in the ordinary session")
        for item in items:
            if DEMO_FIXTURES & set(getattr(item, "fixturenames", ())) or item.get_closest_marker("browser"):
                item.add_marker(skip)

    # Transactional tests (and the browser tests, which are transactional too) empty the
    # database when they end: run them after the tests that rely on the demo content.
    def order(item):
        if item.get_closest_marker("browser"):
            return 2
        marker = item.get_closest_marker("django_db")
        return 1 if marker and marker.kwargs.get("transaction") else 0

    items.sort(key=order)


@pytest.fixture(autouse=True)
def _clean_cache():
    for backend in caches.all():
        backend.clear()
    forget_generation()  # and the objects this process kept for it (home.cache.live_objects)
    catalogue.forget()
    yield
    for backend in caches.all():
        backend.clear()
    forget_generation()
    catalogue.forget()


@pytest.fixture
def demo(db):
    from home.models import HomePage

    return HomePage.objects.get()


@pytest.fixture
def oepac(demo):
    from home.models import ServicePage

    return ServicePage.objects.get(slug="iscrizione-oepac")


@pytest.fixture
def editor(db):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    User = get_user_model()

    user = User.objects.create_user("redattrice", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def superuser(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("capo", password="x")


SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


@pytest.fixture
def maria(db):
    """Maria Rossi, a parent signed in with SPID in the procedure tests (tests/istanze/helpers.py)."""
    from tests.istanze.helpers import make_citizen

    return make_citizen("maria")


@pytest.fixture
def client_maria(client, maria):
    from tests.istanze.helpers import spid_login

    return spid_login(client, maria)


@pytest.fixture
def registries(db):
    """The demo Comune's registries only — offices, ambiti, schools, organisations, fee bands, the school calendar,
    bus routes and fee plans, the 0-3 survey's services — made by their apps' own loaders, without the site's pages:
    for the procedures' tests, which need a school to choose and a fee to charge, not the CMS."""
    import datetime
    from zoneinfo import ZoneInfo

    from services.core import demo as demo_loaders

    context = demo_loaders.Context(today=datetime.datetime.now(ZoneInfo("Europe/Rome")).date())
    for loader in demo_loaders.loaders():
        if loader.name.endswith((".offices", ".registries", ".survey")):
            loader.load(context)


@pytest.fixture
def calendars(registries):
    """The counters' hours and what each service books there (the appointments app's own loader), on catalogue rows made
    here for the services they name: appointments without the site's pages."""
    import datetime
    from zoneinfo import ZoneInfo

    from services.appointments import demo as appointments_demo
    from services.catalogue.models import Service

    for slug, title, *_rest in appointments_demo.APPOINTMENT_TYPES:
        Service.objects.get_or_create(slug=slug, defaults={"title": title, "url": f"/servizi/prova/{slug}/", "category": "Prova",
                                                           "category_slug": "prova"})
    appointments_demo.load_calendars(appointments_demo_context(datetime.datetime.now(ZoneInfo("Europe/Rome")).date()))


def appointments_demo_context(today):
    from services.core import demo as demo_loaders

    return demo_loaders.Context(today=today)
