"""Both procedures end to end in Chromium: SPID demo login from the service page, the wizard, submission,
an integration requested by the Municipio, the citizen's correction, acceptance. axe on every citizen step."""

import re

import pytest

from services.istanze.models import Istanza
from services.istanze.states import Status
from tests.browser.helpers import PDF, accessible, confirm, login_from_service_page, next_step, office_action, office_page

pytestmark = pytest.mark.browser

def test_serv06_end_to_end(spid_site, page, browser):
    login_from_service_page(page, spid_site, "/servizi/educazione-e-formazione/registrazione-utenti-servizi-0-6/")
    page.click("button[value=nuova]")
    page.wait_for_url(re.compile(r"/compila/$"))
    accessible(page)
    assert "Passo 1 di 3" in page.content()
    next_step(page)  # nothing ticked: the error is next to the field
    assert page.locator("#privacy-accetta-error").is_visible()
    page.click("label[for=id_privacy-accetta]")
    next_step(page)
    assert page.input_value("#id_comune-nome") == "Maria"
    page.select_option("#id_comune-provincia", "AN")
    page.locator("#id_comune-comune option").nth(10).wait_for(state="attached")  # filled by sportello.js
    page.select_option("#id_comune-comune", "A271")
    for field, value in {"cap": "60121", "indirizzo": "Piazza XXIV Maggio 1", "codice_fiscale_comune": "00351040423",
                         "pec": "comune@pec.example.it", "rup_nome": "Chiara Galli", "rup_email": "rup@example.it",
                         "rup_telefono": "071 222 3333"}.items():
        page.fill(f"#id_comune-{field}", value)
    page.click("button[value=bozza]")
    page.wait_for_load_state()
    assert "Bozza salvata" in page.content()
    accessible(page)
    next_step(page)
    assert "Passo 3 di 3" in page.content()
    for field, value in {"nome": "Luca", "cognome": "Bianchi", "codice_fiscale": "BNCLCU82S02A271A", "data_nascita": "02/11/1982",
                         "email": "luca@example.it", "telefono": "3331234567"}.items():
        page.fill(f"#id_utenti-0-{field}", value)
    page.click("label[for=id_utenti-0-ha_credenziali]")
    page.click(".formset-add")  # JavaScript adds a second box
    for field, value in {"nome": "Giulia", "cognome": "Esposito", "codice_fiscale": "SPSGLI75L65F839U", "data_nascita": "25/07/1975",
                         "email": "giulia@example.it", "telefono": "3337654321"}.items():
        page.fill(f"#id_utenti-1-{field}", value)
    accessible(page)
    confirm(page, "Salva e prosegui")
    page.wait_for_url(re.compile(r"/riepilogo/$"))
    accessible(page)
    assert "Giulia" in page.content() and "Da inviare" in page.content()
    confirm(page, "Invia")
    page.wait_for_url(re.compile(r"/inviata/$"))
    accessible(page)
    istanza = Istanza.objects.get(procedure_code="SERV06_UTENTI")
    assert istanza.number in page.text_content("#istanza-number")
    page.click("label[for=srv-star5]")
    page.click("label[for=srv-answer-chiare]")
    page.click("button:has-text('Invia la valutazione')")
    page.wait_for_load_state()
    assert "Grazie, il tuo parere" in page.content()

    office = office_page(browser, spid_site, "servizi-educativi-0-6")
    office_action(office, spid_site, istanza, "prendi_in_carico")
    office_action(office, spid_site, istanza, "richiedi_integrazione", {"note": "Manca il secondo recapito del RUP."})

    page.goto(spid_site + "/area-personale/pratiche/")
    accessible(page)
    assert "Hai 1 pratica da integrare" in page.content()
    page.goto(f"{spid_site}/area-personale/pratiche/{istanza.public_id}/")
    accessible(page)
    assert "Manca il secondo recapito" in page.content()
    page.click("text=Correggi e invia di nuovo")
    page.wait_for_url(re.compile(r"/compila/$"))
    accessible(page)
    page.click("button[form=wizard-form][value=comune]")  # the stepper goes back to any completed step
    page.wait_for_load_state()
    page.fill("#id_comune-rup_telefono", "071 222 4444")
    next_step(page)
    confirm(page, "Salva e prosegui")
    page.wait_for_url(re.compile(r"/riepilogo/$"))
    accessible(page)
    confirm(page, "Invia l'integrazione")
    page.wait_for_url(re.compile(rf"/{istanza.public_id}/$"))
    istanza.refresh_from_db()
    assert istanza.status == Status.PRESA_IN_CARICO and istanza.data["comune"]["rup_telefono"] == "+390712224444"  # kept in E.164

    office_action(office, spid_site, istanza, "accogli")
    page.reload()
    accessible(page)
    assert "Accolta" in page.content() and istanza.number in page.content()


def test_oepac_end_to_end(spid_site, page, browser, tmp_path):
    from services.oepac.models import Organisation
    from services.oepac.procedure import school_years
    from services.schools.models import School

    certificate = tmp_path / "certificazione.pdf"
    certificate.write_bytes(PDF)
    login_from_service_page(page, spid_site, "/servizi/educazione-e-formazione/iscrizione-oepac/", identity="luca.bianchi")
    page.click("button[value=nuova]")
    page.wait_for_url(re.compile(r"/compila/$"))
    accessible(page)
    page.click("label[for=id_tipo-tipo_0]")
    page.select_option("#id_tipo-anno_scolastico", school_years()[0][0])
    next_step(page)
    for field, value in {"nome": "Giulio", "cognome": "Rossi", "codice_fiscale": "RSSGLI19E10A271K", "data_nascita": "10/05/2019"}.items():
        page.fill(f"#id_alunno-{field}", value)
    page.select_option("#id_alunno-relazione", "genitore")
    next_step(page)
    school = School.objects.get(code="ANEE83001L")  # Municipio II
    page.select_option("#id_scuola-scuola", str(school.pk))
    next_step(page)
    page.set_input_files("#id_allegati-certificazione", str(certificate))
    page.set_input_files("#id_allegati-diagnosi", str(certificate))
    next_step(page)
    organisations = list(Organisation.objects.filter(ambiti=school.ambito).order_by("name"))
    page.select_option("#id_preferenze-preferenza_1", str(organisations[1].pk))
    page.select_option("#id_preferenze-preferenza_2", str(organisations[0].pk))
    next_step(page)
    page.click("label[for=id_dichiarazioni-privacy]")
    page.click("label[for=id_dichiarazioni-veridicita]")
    confirm(page, "Salva e prosegui")
    page.wait_for_url(re.compile(r"/riepilogo/$"))
    accessible(page)
    confirm(page, "Invia")
    page.wait_for_url(re.compile(r"/inviata/$"))
    accessible(page)
    istanza = Istanza.objects.get(procedure_code="OEPAC")
    assert istanza.office.slug == "municipio-2"

    office = office_page(browser, spid_site, "municipio-2")
    office_action(office, spid_site, istanza, "prendi_in_carico")
    office_action(office, spid_site, istanza, "richiedi_integrazione", {"note": "Carica la diagnosi funzionale aggiornata."})

    page.goto(f"{spid_site}/area-personale/pratiche/{istanza.public_id}/")
    page.click("text=Correggi e invia di nuovo")
    page.wait_for_url(re.compile(r"/compila/$"))
    page.click("button[form=wizard-form][value=allegati]")
    page.wait_for_load_state()
    accessible(page)
    assert "Già caricato: certificazione.pdf" in page.content()
    updated = tmp_path / "diagnosi-2027.pdf"
    updated.write_bytes(PDF)
    page.set_input_files("#id_allegati-diagnosi", str(updated))
    next_step(page)
    next_step(page)
    confirm(page, "Salva e prosegui")
    page.wait_for_url(re.compile(r"/riepilogo/$"))
    confirm(page, "Invia l'integrazione")
    page.wait_for_url(re.compile(rf"/{istanza.public_id}/$"))
    assert "diagnosi-2027.pdf" in page.content()

    office_action(office, spid_site, istanza, "accogli", {"organismo": organisations[1].pk})
    page.reload()
    accessible(page)
    assert "Accolta" in page.content() and organisations[1].name in page.content()
