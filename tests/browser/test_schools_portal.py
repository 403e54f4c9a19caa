"""The schools' portal in Chromium, as seed 000 tells it: the school head asks for activation with SPID, the Ufficio Scuola
approves, the new Master adds a teacher with the meals function, the teacher records an absence at their first login,
and the day's charge skips that pupil. axe on every page of the way."""

import re
from datetime import date

from django.utils import timezone

import pytest

from services.istanze.models import Istanza
from services.istanze.states import Status
from services.schools.models import School, SchoolRole
from tests.browser.helpers import accessible, confirm, next_step, office_action, office_page, sign_in

pytestmark = pytest.mark.browser

SCHOOL = "ANEE81001D"




@pytest.fixture
def school_site(site, settings, monkeypatch):
    from services.meals import days, school_views

    settings.SPID_BASE_URL = site
    settings.SPID_CIE_ENTITY_ID = f"{site}/demo-idp/metadata/"
    settings.PROCEDURE_WINDOWS = {"SCUOLA_ATTIVAZIONE": ["2020-01-01T09:00:00+01:00", "2099-01-01T12:00:00+01:00"]}
    # Today as a school day before the meal cut-off, whatever the clock says (the live server runs in this process).
    monkeypatch.setattr(school_views, "is_school_day", lambda day, school_id=None: True)
    monkeypatch.setattr(school_views, "can_change", lambda day, now=None, school_id=None, times=None: True)
    monkeypatch.setattr(days, "is_school_day", lambda day, school_id=None, breaks=None: True)
    return site


@pytest.fixture
def pupils():
    from services.meals.actions import wallet_get_or_create
    from services.meals.models import Child, FeeBand
    from tests.factories import UserFactory

    wallet = wallet_get_or_create(holder=UserFactory())
    school, band = School.objects.get(code=SCHOOL), FeeBand.objects.order_by("pk").first()
    return [Child.objects.create(wallet=wallet, first_name=name, last_name="Bianchi", fiscal_code=cf, school=school, school_class="1A",
                                 fee_band=band, service_from=date(2020, 9, 1))
            for name, cf in (("Ada", "BNCDAA16A41H501X"), ("Bruno", "BNCBRN16A01H501X"))]


def test_activation_master_teacher_absence_and_the_charge_skips_the_pupil(school_site, page, browser, pupils, monkeypatch):
    # 1. the school head asks for activation
    sign_in(page, school_site, "/area-personale/pratiche/nuova/SCUOLA_ATTIVAZIONE/", "giulia.esposito")
    accessible(page)
    page.click("button[value=nuova]")
    page.wait_for_url(re.compile(r"/compila/$"))
    accessible(page)
    page.select_option("#id_scuola-scuola", SCHOOL)
    page.fill("#id_scuola-pec", "anee81001d@pec.istruzione.it")
    page.click("label[for=id_scuola-ruolo_1]")  # a delegate, without the delegation: the error is next to the field
    next_step(page)
    assert page.locator("#scuola-delega-error").is_visible() and page.input_value("#id_scuola-pec") == "anee81001d@pec.istruzione.it"
    page.click("label[for=id_scuola-ruolo_0]")
    next_step(page)
    for name in ("privacy", "veridicita"):
        page.click(f"label[for=id_dichiarazioni-{name}]")
    confirm(page, "Salva e prosegui")
    page.wait_for_url(re.compile(r"/riepilogo/$"))
    accessible(page)
    confirm(page, "Invia")
    page.wait_for_url(re.compile(r"/inviata/$"))
    accessible(page)
    istanza = Istanza.objects.get(procedure_code="SCUOLA_ATTIVAZIONE", status=Status.INVIATA)

    # 2. the Ufficio Scuola approves it on the applications desk
    office = office_page(browser, school_site, "ufficio-scuola")
    office_action(office, school_site, istanza, "prendi_in_carico")
    office_action(office, school_site, istanza, "accogli")
    assert SchoolRole.objects.get(school__code=SCHOOL, kind="master", state="active").fiscal_code == "SPSGLI75L65F839U"

    # 3. the Master adds a teacher with the meals function; a wrong codice fiscale first keeps what was typed
    page.goto(f"{school_site}/area-personale/scuola/")
    accessible(page)
    page.click("text=Utenti della scuola")
    page.wait_for_url(re.compile(rf"/scuola/{SCHOOL}/utenti/$"))
    accessible(page)
    page.fill("#id_fiscal_code", "RSSMRA85C52H501X")
    page.click("label:has-text('Mensa e presenze')")
    page.click("section[aria-labelledby=add-user] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#cf-error").is_visible() and page.input_value("#id_fiscal_code") == "RSSMRA85C52H501X"
    accessible(page)
    page.fill("#id_fiscal_code", "RSSMRA85C52H501N")
    page.click("section[aria-labelledby=add-user] button[type=submit]")
    page.wait_for_load_state()
    assert "Utente aggiunto" in page.content()
    accessible(page)

    # 4. the teacher's first SPID login binds the role; they record Ada absent before the cut-off
    teacher = browser.new_context(locale="it-IT").new_page()
    sign_in(teacher, school_site, "/area-personale/scuola/", "maria.rossi")
    accessible(teacher)
    teacher.click("text=Mensa: presenze e pasti di oggi")
    teacher.wait_for_url(re.compile(rf"/scuola/{SCHOOL}/mensa/$"))
    accessible(teacher)
    ada, bruno = pupils
    teacher.select_option(f"#stato-{ada.pk}", "absent")
    teacher.click("button:has-text('Salva le presenze')")
    teacher.wait_for_load_state()
    assert "Presenze salvate: 1 modifiche." in teacher.content()
    accessible(teacher)
    # another school's attendance is not there for them
    assert teacher.goto(f"{school_site}/area-personale/scuola/ANEE81002E/mensa/").status == 404

    # 5. the day's charge skips the absent pupil
    from services.meals import charges
    from services.meals.models import LedgerEntry

    monkeypatch.setattr(charges, "is_working_day", lambda day: True)
    today = timezone.localdate()
    charges.charge_day(today)
    charged = set(LedgerEntry.objects.filter(reference__startswith=f"meal:{today.isoformat()}:").values_list("reference", flat=True))
    assert charged == {f"meal:{today.isoformat()}:{bruno.pk}"}
