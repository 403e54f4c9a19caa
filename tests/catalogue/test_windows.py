"""The service catalogue is the one place a window is read from: a deploy override, else the published
service page's window, else the procedure's code. Each procedure's window keeps its local times across the
change of daylight saving time."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

import pytest

from services.catalogue import modules, selectors
from services.catalogue.models import Service
from services.istanze import registry

# Each procedure's window in its code, in Rome's wall-clock time, as the seeds and the service pages say.
CODE_WINDOWS = {
    "OEPAC": ("15/02/2027 09:00", "31/03/2027 12:00"),
    "RIL03": ("01/03/2027 09:00", "15/05/2027 23:59"),
    "SERV06_UTENTI": ("01/12/2026 12:00", "15/01/2027 12:00"),
    "MENSA": ("01/06/2027 09:00", "31/08/2027 23:59"),
    "TRASPORTO": ("01/06/2027 09:00", "31/08/2027 23:59"),
}


def _local(moment):
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


@pytest.mark.parametrize("code", sorted(CODE_WINDOWS))
def test_each_procedures_window_keeps_its_local_times(db, code):
    procedure = registry.get(code)
    Service.objects.filter(module=code).delete()  # no page offers it: the code's dates apply
    selectors.bump_version()
    opens_at, closes_at = procedure.window()
    assert (_local(opens_at), _local(closes_at)) == CODE_WINDOWS[code]
    # One minute before the local closing time it is open, at it closed: whether Rome is at +01:00 or +02:00.
    assert procedure.window_state(closes_at - timedelta(minutes=1)) == "open"
    assert procedure.window_state(closes_at) == "closed"
    assert procedure.window_state(opens_at - timedelta(seconds=1)) == "not_yet"


def test_ril03_closes_at_2359_in_rome_not_at_0059():
    closes_at = registry.get("RIL03").closes_at
    assert closes_at.astimezone(UTC) == datetime(2027, 5, 15, 21, 59, tzinfo=UTC)  # CEST, UTC+2


def test_oepac_closes_at_noon_after_the_clocks_went_forward():
    closes_at = registry.get("OEPAC").closes_at
    assert closes_at.astimezone(UTC) == datetime(2027, 3, 31, 10, 0, tzinfo=UTC)


def test_publishing_the_service_pages_writes_the_window_the_engine_reads(oepac):
    from home.models import ServicePage

    change = ServicePage.objects.get(slug="variazione-oepac")  # the other page that offers OEPAC
    opens_at = timezone.now() + timedelta(days=3)
    oepac.online_opens_at, oepac.online_closes_at = opens_at, opens_at + timedelta(days=10)
    oepac.save_revision()  # a draft changes nothing yet
    assert registry.get("OEPAC").window()[0] != opens_at
    oepac.save_revision().publish()
    # Open while any page that offers it is open: the change page still is.
    assert registry.get("OEPAC").window() == (change.online_opens_at, max(change.online_closes_at, opens_at + timedelta(days=10)))
    assert registry.get("OEPAC").window_state() == "open"
    change.online_opens_at, change.online_closes_at = opens_at, opens_at + timedelta(days=5)
    change.save_revision().publish()
    assert registry.get("OEPAC").window() == (opens_at, opens_at + timedelta(days=10))
    assert registry.get("OEPAC").window_state() == "not_yet"
    row = Service.objects.get(slug="iscrizione-oepac")
    assert (row.module, row.url, row.office.slug) == ("OEPAC", oepac.url, "municipio-1")
    assert registry.get("OEPAC").service_url == oepac.url  # the first page by title


def test_the_deploy_override_wins_everywhere(oepac, settings, client):
    settings.PROCEDURE_WINDOWS = {"OEPAC": ["2020-01-01T09:00:00+01:00", "2020-02-01T12:00:00+01:00"]}
    assert registry.get("OEPAC").window_state() == "closed"
    assert oepac.window_state() == "closed"
    page = client.get(oepac.url).content.decode()
    assert "01/02/2020" in page


def test_a_renamed_service_keeps_one_row_and_an_unpublished_one_leaves(oepac):
    oepac.slug = "iscrizione-oepac-nuova"
    oepac.save_revision().publish()
    assert list(Service.objects.filter(source_id=oepac.pk).values_list("slug", flat=True)) == ["iscrizione-oepac-nuova"]
    oepac.unpublish()
    assert selectors.service("iscrizione-oepac-nuova") is None


def test_the_pages_choose_their_modules_and_the_catalogue_knows_which(demo):  # the demo's service pages
    offered = {key: [row.slug for row in selectors.services_offering(key)] for key, _label in modules.choices()}
    assert offered["meals-topup"] == ["ricarica-conto-mensa"]
    assert offered["meals-changes"] == ["disdetta-pasto"]
    assert offered["meals-account"] == ["saldo-e-addebiti-mensa"]
    assert offered["OEPAC"] == ["iscrizione-oepac", "variazione-oepac"]
    assert selectors.module_service_url("meals-topup") == "/servizi/tributi-finanze-e-contravvenzioni/ricarica-conto-mensa/"
    # the chooser names who may use each module
    labels = dict(modules.choices())
    assert labels["OEPAC"].endswith("(con SPID, CIE o CNS)") and labels["meals-topup"].endswith("credenziali del portale)")


def test_a_module_no_longer_in_the_code_is_never_written_to_the_catalogue(oepac):
    from services.catalogue import actions

    row = actions.service_publish(source_id=oepac.pk, slug=oepac.slug, title=oepac.title, url=oepac.url, module="VECCHIA_PROCEDURA")
    assert row.module == ""


# The personal area's modules obey their service pages' windows -------------------------------------------------


@pytest.fixture
def holder(demo):  # the demo's service pages hold the windows
    from datetime import date
    from decimal import Decimal

    from django.contrib.auth import get_user_model

    from services.meals.actions import wallet_get_or_create
    from services.meals.models import Child, FeeBand
    from tests.factories import SchoolFactory

    parent = get_user_model().objects.create_user("anna", fiscal_code="RSSNNA80A41H501U", first_name="Anna")
    band = FeeBand.objects.create(code="T", label="Prova", isee_max=None, price=Decimal("4.00"), valid_from=date(2020, 9, 1))
    Child.objects.create(wallet=wallet_get_or_create(holder=parent), first_name="Pia", last_name="Rossi",
                         fiscal_code="RSSPIA19E50A271Z", school=SchoolFactory(), fee_band=band, service_from=date(2020, 9, 1))
    return parent


def _close(slug, *, opens_in_days):
    from home.models import ServicePage

    page = ServicePage.objects.get(slug=slug)
    page.online_opens_at = timezone.now() + timedelta(days=opens_in_days)
    page.save_revision().publish()


def test_topup_follows_its_service_pages_window(client, holder):
    client.force_login(holder)
    assert "Il servizio online apre il" not in client.get("/area-personale/conto-mensa/ricarica/").content.decode()
    _close("ricarica-conto-mensa", opens_in_days=5)
    page = client.get("/area-personale/conto-mensa/ricarica/").content.decode()
    assert "Il servizio online apre il" in page
    client.post("/area-personale/conto-mensa/ricarica/", {"amount": "20", "how": "avviso"})
    from services.payments.models import PaymentPosition

    assert not PaymentPosition.objects.filter(owner=holder).exists()


def test_meal_changes_follow_their_service_pages_window(client, holder):
    from services.meals.days import is_school_day
    from services.meals.models import Child

    client.force_login(holder)
    _close("disdetta-pasto", opens_in_days=5)
    assert "Il servizio online apre il" in client.get("/area-personale/conto-mensa/pasti/").content.decode()
    child = Child.objects.get(wallet__holder=holder)
    day = timezone.localdate() + timedelta(days=1)
    while not is_school_day(day):
        day += timedelta(days=1)
    response = client.post(f"/area-personale/conto-mensa/pasti/{child.pk}/{day.isoformat()}/", {"azione": "disdici"}, follow=True)
    assert "Il servizio online apre il" in response.content.decode() and not child.changes.exists()
