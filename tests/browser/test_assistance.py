"""The URP desk in Chromium: an anonymous question confirmed by e-mail, taken by the URP, answered with an FAQ, the
citizen's answer from the e-mail's link, resolution and rating; a signed-in question about an OEPAC application that
lands on the Municipio's desk. axe on every page of the way, the citizen's and the desk's."""

import re

from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

import pytest

from services.accounts.models import Office
from services.assistance.models import AssistanceRequest
from services.istanze.states import Status as IstanzaStatus
from services.notifications.models import Message
from tests.browser.helpers import accessible, office_page, sign_in
from tests.factories import IstanzaFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def urp_site(site, settings):
    settings.SPID_BASE_URL = site
    settings.SPID_CIE_ENTITY_ID = f"{site}/demo-idp/metadata/"
    settings.WAGTAILADMIN_BASE_URL = site  # the links in the e-mails lead back to the live server
    return site


def _desk(browser, site, office_slug):
    page = office_page(browser, site, office_slug)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=f"op-{office_slug}")
    group, _ = Group.objects.get_or_create(name="URP")
    from django.contrib.auth.models import Permission

    group.permissions.add(*Permission.objects.filter(content_type__app_label="assistance"))
    user.groups.add(group)
    return page


def test_anonymous_question_answered_with_an_faq_then_resolved_and_rated(urp_site, page, browser):
    page.goto(f"{urp_site}/servizi/educazione-e-formazione/iscrizione-oepac/")
    page.click("text=Hai una domanda su questo servizio? Richiedi assistenza")
    page.wait_for_url(re.compile(r"/assistenza/\?servizio=iscrizione-oepac$"))
    accessible(page)
    assert page.input_value("#id_service") == "iscrizione-oepac"
    page.fill("#id_first_name", "Anna")
    page.fill("#id_last_name", "Verdi")
    page.fill("#id_email", "anna.verdi@example")  # wrong: the error next to the field, the rest kept
    page.fill("#id_message", "Chi usa già l'OEPAC deve rifare la domanda per il prossimo anno?")
    page.click("label[for=id_privacy]")
    page.click("button:has-text('Continua')")
    page.wait_for_load_state()
    assert page.locator("#email-error").is_visible() and page.input_value("#id_message").startswith("Chi usa già")
    accessible(page)
    page.fill("#id_email", "anna.verdi@example.it")
    assert page.is_checked("#id_privacy")  # kept too
    page.click("button:has-text('Continua')")
    page.wait_for_url(re.compile(r"/conferma/$"))
    accessible(page)
    assert "Forse la risposta è qui" in page.content()
    page.click("button:has-text('Invia la richiesta')")
    page.wait_for_url(re.compile(r"/inviata/$"))
    accessible(page)
    assert "Conferma il tuo indirizzo e-mail" in page.content()
    link = re.search(r"(/conferma-indirizzo/[^/\s]+/)", mail.outbox[-1].body).group(1)
    page.goto(urp_site + link)
    accessible(page)
    page.click("button:has-text('Confermo il mio indirizzo')")
    page.wait_for_url(re.compile(r"/inviata/$"))
    found = AssistanceRequest.objects.get()
    assert found.number in page.text_content("#request-number")
    accessible(page)

    desk = _desk(browser, urp_site, "urp")
    desk.goto(f"{urp_site}/admin/assistenza/")
    accessible(desk)
    desk.click(f"text={found.number}")
    desk.wait_for_url(re.compile(rf"/admin/assistenza/{found.pk}/$"))
    accessible(desk)
    desk.click("button:has-text('Prendi in carico')")
    desk.wait_for_load_state()
    desk.fill("#faq_q", "OEPAC domanda")
    desk.click("button:has-text('Cerca')")
    desk.wait_for_load_state()
    desk.locator("input[name=faq]").first.check()
    desk.fill("#id_body", "No, se l'alunno resta nella stessa scuola: trova i dettagli nella FAQ indicata.")
    desk.click("button:has-text('Invia la risposta')")
    desk.wait_for_load_state()
    assert f"la richiesta {found.number} attende il cittadino" in desk.content()
    desk.reload()  # axe on the page itself: Wagtail's message fades in, and its colours are Wagtail's
    accessible(desk)

    reply = Message.objects.get(kind="assistance.reply")
    token_link = re.search(r"(/assistenza/risposta/[^/\s]+/)", reply.body).group(1)
    page.goto(urp_site + token_link)
    accessible(page)
    assert "stessa scuola" in page.content() and "Vedi anche" in page.content()
    page.fill("#id_body", "E se cambia scuola a metà anno?")
    page.click("button:has-text('Invia il messaggio')")
    page.wait_for_load_state()
    assert "Messaggio inviato" in page.content()
    accessible(page)

    desk.reload()
    assert "cambia scuola a metà anno" in desk.content()
    desk.fill("#id_body", "Allora serve una nuova domanda per la nuova scuola.")
    desk.click("label[for=id_resolve]")
    desk.click("button:has-text('Invia la risposta')")
    desk.wait_for_load_state()
    found.refresh_from_db()
    assert found.status == "risolta"

    second = Message.objects.filter(kind="assistance.reply").order_by("-pk").first()
    page.goto(urp_site + re.search(r"(/assistenza/risposta/[^/\s]+/)", second.body).group(1))
    page.click("label[for=id_rating_4]")
    page.click("button:has-text('Invia la valutazione')")
    page.wait_for_load_state()
    assert "Grazie per la tua valutazione" in page.content()
    accessible(page)
    found.refresh_from_db()
    assert found.rating == 5


def test_a_signed_in_question_about_an_application_lands_on_the_municipio(urp_site, page, browser):
    from tests.istanze.helpers import make_citizen

    maria = make_citizen("maria")
    istanza = IstanzaFactory(owner=maria, procedure_code="OEPAC", status=IstanzaStatus.PRESA_IN_CARICO, number="OEPAC_2026.0000004",
                             office=Office.objects.get(slug="municipio-1"), submitted_at=timezone.now())
    sign_in(page, urp_site, f"/area-personale/pratiche/{istanza.public_id}/", "maria.rossi")
    page.click("text=su questa pratica")
    page.wait_for_url(re.compile(r"/assistenza/\?pratica="))
    accessible(page)
    assert page.input_value("#id_first_name") == "Maria" and page.input_value("#id_application") == str(istanza.public_id)
    page.select_option("#id_category", "educazione-e-formazione")
    page.fill("#id_message", "Quando sarà assegnato l'organismo?")
    page.click("label[for=id_privacy]")
    page.click("button:has-text('Continua')")
    page.wait_for_url(re.compile(r"/conferma/$"))
    assert "Municipio I" in page.content()
    page.click("button:has-text('Invia la richiesta')")
    page.wait_for_url(re.compile(r"/inviata/$"))
    found = AssistanceRequest.objects.get()
    assert found.office.slug == "municipio-1" and found.istanza == istanza and found.number in page.content()  # no e-mail to confirm

    desk = _desk(browser, urp_site, "municipio-1")
    desk.goto(f"{urp_site}/admin/assistenza/")
    assert "OEPAC" in desk.content() and "Maria Rossi" in desk.content()
    accessible(desk)
