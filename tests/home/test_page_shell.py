"""Page shells (home/shell.py): a service page rendered once per process and generation, with holes for each request's
parts. What each person gets must be exactly what a whole render gives them, and never another person's parts."""

import datetime
import re
from unittest import mock

from django.template import engines
from django.test import RequestFactory
from django.utils import timezone

import pytest
from bs4 import BeautifulSoup

from home import shell
from home.cache import forget_generation, live_objects
from tests.factories import IstanzaFactory
from tests.istanze.helpers import make_citizen, spid_login

OEPAC_URL = "/servizi/educazione-e-formazione/iscrizione-oepac/"


def _normalised(response):
    """The page without the per-render CSRF mask (a new one on every render of a form with a token)."""
    assert response.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', response.content.decode())


@pytest.fixture
def uncached(settings):
    settings.PAGE_CACHE_ENABLED = False  # every request renders: the shell's own path
    forget_generation()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.mark.parametrize("url", [OEPAC_URL, "/"])
@pytest.mark.parametrize("who", ["anonymous", "citizen", "editor"])
def test_a_page_from_its_shell_is_the_page_rendered_whole(who, url, client, demo, editor, uncached, settings):
    if who == "citizen":
        maria = make_citizen("maria")
        IstanzaFactory(owner=maria, procedure_code="OEPAC", status="bozza")
        spid_login(client, maria)
    elif who == "editor":
        client.force_login(editor)
    settings.PAGE_SHELL_ENABLED = False
    whole = _normalised(client.get(url))
    settings.PAGE_SHELL_ENABLED = True
    first, second = _normalised(client.get(url)), _normalised(client.get(url))
    assert first == whole and second == whole
    assert [key for key in live_objects._items if key[0] == "shell"]  # kept, not refused
    if who == "editor":
        assert "wagtail-userbar" in whole  # the user bar is a hole, rendered for the editor
    if who == "citizen" and url == OEPAC_URL:
        assert 'data-panel="procedure"' in whole


def test_a_kept_shell_renders_only_its_holes(client, demo, uncached):
    first = client.get(OEPAC_URL)
    assert "home/service_page.html" in [t.name for t in first.templates]
    second = client.get(OEPAC_URL)
    names = [t.name for t in second.templates]
    assert "home/service_page.html" not in names and "includes/service_body.html" not in names
    assert "includes/service_access.html" in names  # *Accedi al servizio*, for this request
    assert second.content == first.content


def test_an_anonymous_shell_keeps_the_header_and_a_signed_in_one_does_not(client, demo, uncached):
    client.get(OEPAC_URL)
    spid_login(client, make_citizen("maria"))
    client.get(OEPAC_URL)
    shells = {key[-1]: value for key, value in live_objects._items.items() if key[0] == "shell"}
    assert len(shells[True][2]) == 1  # anonymous: *Accedi al servizio* only
    assert len(shells[False][2]) == 4  # signed in: the idle timeout, the header, *Accedi al servizio*, the user bar


def test_each_person_gets_their_own_holes_from_the_same_shell(client, demo, uncached):
    maria, luca = make_citizen("maria"), make_citizen("luca")
    IstanzaFactory(owner=maria, procedure_code="OEPAC", status="presa_in_carico", number="OEPAC_2026.0000041",
                   submitted_at=timezone.now())
    spid_login(client, maria)
    page = client.get(OEPAC_URL).content.decode()
    assert "OEPAC_2026.0000041" in page and maria.get_full_name() in page
    client.logout()
    spid_login(client, luca)
    page = client.get(OEPAC_URL).content.decode()
    assert "OEPAC_2026.0000041" not in page and maria.get_full_name() not in page
    assert luca.get_full_name() in page
    client.logout()
    page = client.get(OEPAC_URL).content.decode()
    assert maria.get_full_name() not in page and luca.get_full_name() not in page
    assert "Accedi all'area personale" in page or "Accedi all&#x27;area personale" in page


def test_the_online_window_opens_on_a_kept_shell(client, oepac, uncached):
    now = timezone.now()
    oepac.online_opens_at, oepac.online_closes_at = now + datetime.timedelta(hours=1), now + datetime.timedelta(days=9)
    oepac.save_revision().publish()
    soup = BeautifulSoup(client.get(OEPAC_URL).content, "html.parser")
    assert soup.find(attrs={"data-element": "service-online-access"}) is None
    later = now + datetime.timedelta(hours=2)
    with mock.patch("services.catalogue.selectors.timezone.now", return_value=later):
        soup = BeautifulSoup(client.get(OEPAC_URL).content, "html.parser")
    assert soup.find(attrs={"data-element": "service-online-access"})["href"] == "/area-personale/pratiche/nuova/OEPAC/"


def test_a_publish_gives_a_new_shell(client, oepac, uncached):
    assert "Iscrizione rivista" not in client.get(OEPAC_URL).content.decode()
    oepac.title = "Iscrizione rivista"
    oepac.save_revision().publish()
    assert "Iscrizione rivista" in client.get(OEPAC_URL).content.decode()


def _request():
    request = RequestFactory().get("/")
    request.session = mock.Mock(accessed=False)
    return request


def _template(source):
    return engines["django"].from_string("{% load sportello %}" + source)


def test_record_and_fill():
    template = _template("<p>{{ a }}</p>{% hole b=a %}[{{ b }}{{ c }}]{% endhole %}<p>fine</p>")
    kept = shell.record(template, {"a": "uno", "c": "due"}, _request(), anonymous=True)
    _, pieces, holes = kept
    assert pieces == ("<p>uno</p>", "<p>fine</p>") and len(holes) == 1
    # The holes take this request's context; the pieces are kept as they were.
    assert shell.fill(template, {"a": "tre", "c": "quattro"}, _request(), kept) == "<p>uno</p>[trequattro]<p>fine</p>"


def test_a_signed_in_only_hole_is_rendered_into_an_anonymous_shell():
    template = _template("{% hole signed_in_only %}<b>{{ a }}</b>{% endhole %}{% hole %}{{ a }}{% endhole %}")
    _, pieces, holes = shell.record(template, {"a": "x"}, _request(), anonymous=True)
    assert pieces == ("<b>x</b>", "") and len(holes) == 1
    _, pieces, holes = shell.record(template, {"a": "x"}, _request(), anonymous=False)
    assert pieces == ("", "", "") and len(holes) == 2


@pytest.mark.parametrize(
    "source",
    [
        "<form>{% csrf_token %}</form>{% hole %}x{% endhole %}",  # a token outside a hole
        "{% for m in messages %}{{ m }}{% endfor %}{% hole %}x{% endhole %}",  # the messages read outside a hole
        '{% filter cut:":" %}{% hole %}x{% endhole %}{% endfilter %}',  # a marker changed by a filter
    ],
)
def test_nothing_personal_is_kept_outside_a_hole(source):
    from django.contrib import messages
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.template.context_processors import csrf

    request = _request()
    request._messages = FallbackStorage(request)
    request._messages.add(messages.INFO, "Domanda salvata")
    context = {"messages": request._messages, **csrf(request)}
    assert shell.record(_template(source), context, request, anonymous=True) is None


def test_a_page_that_keeps_no_shell_is_rendered_whole_and_not_recorded_again(client, oepac, uncached):
    with mock.patch.object(shell, "record", return_value=None) as record:
        first, second = client.get(OEPAC_URL), client.get(OEPAC_URL)
    assert record.call_count == 1
    assert first.status_code == second.status_code == 200
    assert "home/service_page.html" in [t.name for t in second.templates]


@pytest.mark.parametrize("source", ["{{ request.user.get_full_name }}", "{{ user }}", "{% if perms.home %}x{% endif %}"])
def test_the_user_read_outside_a_hole_keeps_no_shell(source, django_user_model, db):
    request = _request()
    request.user = django_user_model.objects.create(username="maria", first_name="Maria", last_name="Rossi")
    template = engines["django"].from_string("{% load sportello %}" + source + "{% hole %}x{% endhole %}")
    assert shell.record(template, {"request": request}, request, anonymous=False) is None
    assert isinstance(request.user, django_user_model)  # given back as it was


def test_the_user_read_inside_a_hole_is_fine(django_user_model):
    request = _request()
    request.user = django_user_model(username="maria", first_name="Maria", last_name="Rossi")
    template = _template("<p>a</p>{% hole signed_in_only %}{{ request.user.first_name }}{% endhole %}{% hole %}{{ request.user.last_name }}{% endhole %}")
    kept = shell.record(template, {"request": request}, request, anonymous=True)
    assert kept is not None and kept[1] == ("<p>a</p>Maria", "")
    assert shell.fill(template, {"request": request}, request, kept) == "<p>a</p>MariaRossi"
