"""The catalogue's rows are kept per process as objects, and its version believed for CATALOGUE_VERSION_TTL seconds:
a warm read asks neither the database nor Redis; a write here shows at once, one in another process within the
second; the rows are read again at least every ROWS_MAX_AGE seconds."""

from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.catalogue import selectors
from services.catalogue.models import Service


def _row(slug="mensa-prova", module="MENSA"):
    return Service.objects.create(slug=slug, title="Mensa di prova", module=module, url="/servizi/mensa-prova/", live=True)


def test_a_warm_read_asks_neither_the_database_nor_redis(db, settings):
    settings.CATALOGUE_VERSION_TTL = 60
    _row()
    assert selectors.service("mensa-prova")
    with CaptureQueriesContext(connection) as queries, mock.patch.object(cache, "get", wraps=cache.get) as get:
        for _ in range(5):
            assert selectors.service("mensa-prova").title == "Mensa di prova"
    assert len(queries) == 0 and get.call_count == 0


def test_a_write_in_this_process_shows_at_once(db, settings):
    settings.CATALOGUE_VERSION_TTL = 60
    assert selectors.service("mensa-prova") is None
    _row()
    selectors.bump_version()  # what catalogue.actions does after a publish
    assert selectors.service("mensa-prova") is not None


def test_a_write_in_another_process_shows_once_the_version_is_no_longer_believed(db, settings):
    settings.CATALOGUE_VERSION_TTL = 60
    assert selectors.service("mensa-prova") is None
    _row()
    cache.incr(selectors.VERSION_KEY)  # another process published: this one keeps its belief for the TTL
    assert selectors.service("mensa-prova") is None
    now = selectors.time.monotonic()
    with mock.patch.object(selectors.time, "monotonic", return_value=now + 61):
        assert selectors.service("mensa-prova") is not None


def test_with_a_ttl_of_zero_every_read_asks_the_version(db, settings):
    settings.CATALOGUE_VERSION_TTL = 0
    assert selectors.service("mensa-prova") is None
    _row()
    cache.incr(selectors.VERSION_KEY)
    assert selectors.service("mensa-prova") is not None


def test_the_rows_are_read_again_after_their_max_age_even_on_the_same_version(db, settings):
    settings.CATALOGUE_VERSION_TTL = 0
    assert selectors.service("mensa-prova") is None
    _row()  # written behind the version's back: a Redis restarted, the version started again from 1
    assert selectors.service("mensa-prova") is None
    now = selectors.time.monotonic()
    with mock.patch.object(selectors.time, "monotonic", return_value=now + selectors.ROWS_MAX_AGE + 1):
        assert selectors.service("mensa-prova") is not None
