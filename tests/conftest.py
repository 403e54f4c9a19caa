import pytest
from django.core.cache import caches
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo Comune, loaded once per session by the command `make run` uses."""
    with django_db_blocker.unblock():
        call_command("load_demo_content", stdout=open("/dev/null", "w"))


def pytest_collection_modifyitems(items):
    # Browser tests flush the database they use; run them after everything else.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def _clean_cache():
    for backend in caches.all():
        backend.clear()
    yield
    for backend in caches.all():
        backend.clear()


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
