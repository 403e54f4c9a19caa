"""Booking in Chromium without JavaScript's help: from a service page's *Accedi al servizio* through the model's six
steps, the e-mail confirmed, the calendar file; the operator's agenda. axe on every page."""

import re

from django.core import mail
from django.utils import timezone

import pytest

from services.appointments.models import Appointment
from tests.browser.helpers import accessible, office_page

pytestmark = pytest.mark.browser


@pytest.fixture
def booking_site(site, settings):
    settings.WAGTAILADMIN_BASE_URL = site
    return site


def test_book_from_the_service_page_confirm_by_email_and_the_agenda(booking_site, page, browser):
    page.goto(f"{booking_site}/servizi/tributi-finanze-e-contravvenzioni/rimborso-credito-mensa/")
    page.click("[data-element='service-booking-access']")
    page.wait_for_url(re.compile(r"/prenota-appuntamento/luogo/$"))
    accessible(page)
    page.click("button:has-text('Avanti')")
    page.wait_for_url(re.compile(r"/prenota-appuntamento/data/$"))
    accessible(page)
    assert "Prima data disponibile" in page.content()
    chosen = page.locator("input[name=orario]:checked")
    assert chosen.count() == 1  # the first free time is preselected
    page.click("button:has-text('Avanti')")
    page.wait_for_url(re.compile(r"/dettagli/$"))
    accessible(page)
    page.click("button:has-text('Avanti')")  # no reason: the error next to the field
    page.wait_for_load_state()
    assert page.locator("#reason-error").is_visible()
    accessible(page)
    page.fill("#id_reason", "Rimborso del credito di mio figlio")
    page.click("button:has-text('Avanti')")
    page.wait_for_url(re.compile(r"/richiedente/$"))
    accessible(page)
    page.fill("#id_first_name", "Anna")
    page.fill("#id_last_name", "Verdi")
    page.fill("#id_email", "anna.verdi@example.it")
    page.fill("#id_phone", "12")
    page.click("button:has-text('Avanti')")
    page.wait_for_load_state()
    assert page.locator("#phone-error").is_visible() and page.input_value("#id_email") == "anna.verdi@example.it"
    page.fill("#id_phone", "333 123 4567")
    page.click("button:has-text('Avanti')")
    page.wait_for_url(re.compile(r"/riepilogo/$"))
    accessible(page)
    page.click("button:has-text('Conferma la prenotazione')")
    page.wait_for_url(re.compile(r"/prenota-appuntamento/[0-9a-f-]{36}/$"))
    accessible(page)
    assert "entro 30 minuti" in page.content() and "Cosa serve" in page.content()
    link = re.search(r"(/conferma-indirizzo/[^/\s]+/)", mail.outbox[-1].body).group(1)
    page.goto(booking_site + link)
    page.click("button:has-text('Confermo il mio indirizzo')")
    page.wait_for_url(re.compile(r"/prenota-appuntamento/[0-9a-f-]{36}/$"))
    assert "Appuntamento confermato" in page.content()
    accessible(page)
    with page.expect_download() as download:
        page.click("text=Aggiungi al calendario")
    assert download.value.suggested_filename == "appuntamento.ics"

    appointment = Appointment.objects.get()
    office = office_page(browser, booking_site, "ufficio-scuola")
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name="Office operators")
    group.permissions.add(*Permission.objects.filter(codename="manage_agenda"))
    day = timezone.localdate(appointment.slot.starts_at).isoformat()
    office.goto(f"{booking_site}/admin/appuntamenti/agenda/?ufficio={appointment.slot.office_id}&giorno={day}")
    assert "Verdi Anna" in office.content()
    accessible(office)
    # days before the appointment the counter cannot check her in (issue 25/6)
    row = office.locator("tr", has_text="Verdi Anna")
    assert row.locator("button[value=presente]").count() == 0 and "Presenza all'ora dell'appuntamento" in row.inner_text()

    # the same person cannot book the same topic again: said at the Richiedente step, with the way out (issue 25/12)
    page.goto(f"{booking_site}/prenota-appuntamento/?servizio=rimborso-credito-mensa")
    page.click("button:has-text('Avanti')")
    page.click("button:has-text('Avanti')")
    page.fill("#id_reason", "Un altro rimborso")
    page.click("button:has-text('Avanti')")
    page.fill("#id_first_name", "Anna")
    page.fill("#id_last_name", "Verdi")
    page.fill("#id_email", "anna.verdi@example.it")
    page.click("button:has-text('Avanti')")
    page.wait_for_load_state()
    assert "Hai già un appuntamento" in page.content()
    assert page.locator("a", has_text="Annulla con il codice dell'e-mail").count() == 1
    accessible(page)

    # the office cancels it with a reason: the time shows as free again, with Blocca (issue 25/7)
    row.locator("input[name=motivo]").fill("Ufficio chiuso per formazione")
    row.locator("button[value=annulla]").click()
    office.wait_for_load_state()
    assert "annullato: il posto è di nuovo libero" in office.content()
    freed = office.locator("tr", has_text="Verdi: Annullato dall'ufficio")
    assert "Libero" in freed.inner_text() and freed.locator("button[value=blocca]").count() == 1
    office.wait_for_timeout(1000)  # Wagtail fades its messages in: axe would measure the colours half-way
    accessible(office)

    page.goto(f"{booking_site}/annulla-appuntamento/")
    accessible(page)
