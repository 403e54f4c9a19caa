"""Procedure RIL03, the 0-3 survey (seed 002): preloaded services, attendance or cessation or the
mandatory reason, missing services, the actions each service requires, validation by the regional office."""

from datetime import date

from django.core import mail
from django.test import Client

import pytest

from services.istanze.models import Istanza
from services.istanze.states import Status
from services.procedures.models import EarlyYearsService, SurveyComune
from services.procedures.ril03 import EDITION, required_actions, surveyed_services
from tests.istanze.helpers import formset, make_citizen, make_operator, post_step, spid_login, start

pytestmark = pytest.mark.usefixtures("registries")


@pytest.fixture(autouse=True)
def _open_window(settings):
    settings.PROCEDURE_WINDOWS = {"RIL03": ["2020-01-01T09:00:00+01:00", "2099-01-01T12:00:00+01:00"]}


@pytest.fixture
def official(client, db):
    return spid_login(client, make_citizen("luca"))


def services(istat="999001"):
    return surveyed_services(SurveyComune.objects.get(istat_code=istat))


def test_reference_periods_follow_the_authorisation():
    girotondo = EarlyYearsService.objects.get(code="NI-999001-01")
    piccoli_passi = EarlyYearsService.objects.get(code="MN-999001-03")
    trenino = EarlyYearsService.objects.get(code="SG-999001-04")
    assert EDITION.period(girotondo) == (date(2026, 1, 2), date(2027, 1, 31))
    assert EDITION.period(piccoli_passi) == (date(2026, 6, 1), date(2027, 1, 31))
    assert EDITION.period(trenino) == (date(2027, 2, 10), date(2027, 3, 1))  # authorised after the period: up to the survey's start
    assert [s.code for s in services("999003")] == ["CB-999003-01"]  # the one authorised after the start is next year's
    assert required_actions(girotondo) == ["B1", "B3"]
    assert required_actions(EarlyYearsService.objects.get(code="SP-999001-02")) == ["B2", "B4", "B8"]


def sheet(rows):
    return formset(rows, INITIAL_FORMS=str(len(rows)), MIN_NUM_FORMS="0")


def fill_services(client, istanza):
    # in the Region's order: Micronido Piccoli Passi, Nido comunale Il Girotondo, Sezione primavera Arcobaleno, Spazio gioco Il Trenino
    rows = [{"stato": "cessato"}, {"stato": "attivo", "media_frequentanti": "12"},
            {"stato": "attivo", "media_frequentanti": "24,5"}, {"stato": "non_raggiungibile", "motivazione": "Non intende accordarsi con il Comune."}]
    return post_step(client, istanza, "servizi", sheet(rows))


def test_survey_end_to_end_and_sent_back_with_notes(official, django_capture_on_commit_callbacks):
    istanza = start(official, "RIL03")
    assert post_step(official, istanza, "comune", {"comune": SurveyComune.objects.get(istat_code="999001").pk}).status_code == 200
    assert post_step(official, istanza, "comune", {"comune": SurveyComune.objects.get(istat_code="999001").pk, "designato": "on"}).status_code == 302
    page = official.get(f"/area-personale/pratiche/{istanza.public_id}/compila/").content.decode()
    assert "Nido comunale Il Girotondo" in page and "dal 02/01/2026 al 31/01/2027" in page and "dal 10/02/2027 al 01/03/2027" in page
    assert "formset-add" not in page  # the Region's list: no rows added or removed here

    rows = [{"stato": "attivo"}, {"stato": "attivo", "media_frequentanti": "dodici"}, {"stato": "cessato"}, {"stato": "non_raggiungibile"}]
    response = post_step(official, istanza, "servizi", sheet(rows))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Per un servizio attivo indica la media dei frequentanti." in page and "Scrivi un numero, ad esempio 12,5." in page
    assert "Per un servizio non raggiungibile la motivazione è obbligatoria." in page and 'value="dodici"' in page
    response = post_step(official, istanza, "servizi", sheet(rows[:2]))  # a tampered count
    assert "L&#x27;elenco dei servizi del Comune è cambiato" in response.content.decode()
    assert fill_services(official, istanza).status_code == 302

    missing = {"denominazione": "Nido Le Rondini", "indirizzo": "Via Puccini 4", "titolo_autorizzativo": "Autorizzazione n. 12 del 03/03/2026",
               "titolare": "Cooperativa Le Rondini", "gestore": "Cooperativa Le Rondini", "capacita": "18", "frequentanti": "15,5"}
    assert post_step(official, istanza, "mancanti", formset([missing], MIN_NUM_FORMS="0")).status_code == 302

    # INTERVENTI: Girotondo (public) B1+B3, Arcobaleno (private primavera) B2+B4+B8, C1 for the CPT Comune
    page = official.get(f"/area-personale/pratiche/{istanza.public_id}/compila/").content.decode()
    girotondo, arcobaleno = (EarlyYearsService.objects.get(code=c).pk for c in ("NI-999001-01", "SP-999001-02"))
    expected = [f"s{girotondo}_B1", f"s{girotondo}_B3", f"s{arcobaleno}_B2", f"s{arcobaleno}_B4", f"s{arcobaleno}_B8", "comune_C1"]
    for key in expected:
        assert f'name="interventi-{key}_importo"' in page, key
    assert f"s{girotondo}_B2" not in page and "_B4_importo" in page  # no private action for the public nido
    piccoli_passi = EarlyYearsService.objects.get(code="MN-999001-03").pk
    assert f"s{piccoli_passi}_" not in page  # ceased: no actions
    data = {f"{k}_importo": "1.500,00" for k in expected} | {f"{k}_descrizione": "Contributo alle spese" for k in expected}
    data[f"s{girotondo}_B1_importo"] = "0,00"
    data["comune_C1_descrizione"] = "x" * 101
    data[f"s{arcobaleno}_B8_importo"] = ""
    response = post_step(official, istanza, "interventi", data)
    page = response.content.decode()
    assert "Al massimo 100 caratteri (ora sono 101)." in page and "Scrivi la quota comunale, anche € 0,00." in page
    data["comune_C1_descrizione"] = "Formazione congiunta del personale"
    data[f"s{arcobaleno}_B8_importo"] = "800"
    assert post_step(official, istanza, "interventi", data).status_code == 302
    response = post_step(official, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"})
    summary = official.get(response["Location"]).content.decode()
    assert "24,5" in summary and "Cessato" in summary and "Nido Le Rondini" in summary and "€ 1.500,00" in summary and "€ 0,00" in summary
    with django_capture_on_commit_callbacks(execute=True):
        official.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    istanza.refresh_from_db()
    assert istanza.status == Status.INVIATA and istanza.office.slug == "servizi-educativi-0-6"
    rows = istanza.data["servizi"]
    assert [(r["codice"], r["stato"], r["media_frequentanti"]) for r in rows] == [
        ("MN-999001-03", "cessato", None), ("NI-999001-01", "attivo", "12.0"), ("SP-999001-02", "attivo", "24.5"),
        ("SG-999001-04", "non_raggiungibile", None)]
    assert rows[3]["motivazione"] == "Non intende accordarsi con il Comune." and rows[1]["periodo"] == "02/01/2026–31/01/2027"
    assert istanza.data["mancanti"][0]["denominazione"] == "Nido Le Rondini"
    assert istanza.data["interventi"][f"s{girotondo}_B1_importo"] == "0.00"

    # the regional office sends it back with notes, then validates the corrected survey
    validator = make_operator("vale", "servizi-educativi-0-6")
    office = Client()
    office.force_login(validator)
    with django_capture_on_commit_callbacks(execute=True):
        office.post(f"/admin/pratiche/{istanza.pk}/azione/prendi_in_carico/")
        mail.outbox.clear()
        office.post(f"/admin/pratiche/{istanza.pk}/azione/richiedi_integrazione/",
                    {"richiedi_integrazione-note": "La media del micronido sembra alta: verificatela."})
    assert "La media del micronido sembra alta" in mail.outbox[-1].body
    istanza.refresh_from_db()
    assert istanza.status == Status.IN_ATTESA_DI_INTEGRAZIONE
    with django_capture_on_commit_callbacks(execute=True):
        office.post(f"/admin/pratiche/{istanza.pk}/azione/accogli/")
    assert Istanza.objects.get(pk=istanza.pk).status == Status.IN_ATTESA_DI_INTEGRAZIONE  # not while it is with the Comune


def test_a_comune_outside_a_cpt_cannot_indicate_c1(official):
    istanza = start(official, "RIL03")
    post_step(official, istanza, "comune", {"comune": SurveyComune.objects.get(istat_code="999002").pk, "designato": "on"})
    post_step(official, istanza, "servizi", sheet([{"stato": "attivo", "media_frequentanti": "30"}]))
    post_step(official, istanza, "mancanti", formset([], MIN_NUM_FORMS="0"))
    page = official.get(f"/area-personale/pratiche/{istanza.public_id}/compila/").content.decode().replace("&#x27;", "'")
    assert "comune_C1" not in page and "l'azione C1 non si può indicare" in page
    import re

    assert len(re.findall(r'name="interventi-[^"]+_importo"', page)) == 2  # B1 and B3 of the only public nido


def test_all_services_ceased_leaves_no_actions_and_says_so(official):
    istanza = start(official, "RIL03")
    post_step(official, istanza, "comune", {"comune": SurveyComune.objects.get(istat_code="999002").pk, "designato": "on"})
    post_step(official, istanza, "servizi", sheet([{"stato": "cessato"}]))
    post_step(official, istanza, "mancanti", formset([], MIN_NUM_FORMS="0"))
    response = post_step(official, istanza, "interventi", {})
    assert response.status_code == 200 and "Nessun servizio attivo" in response.content.decode()


def fill_comune_999002(client, istanza):
    """The steps of a survey of the Comune outside a CPT: one public nido, attending, with B1 and B3."""
    nido = EarlyYearsService.objects.get(code="NI-999002-01").pk
    steps = {"comune": {"comune": SurveyComune.objects.get(istat_code="999002").pk, "designato": "on"},
             "servizi": sheet([{"stato": "attivo", "media_frequentanti": "30"}]),
             "mancanti": formset([], MIN_NUM_FORMS="0"),
             "interventi": {f"s{nido}_{a}_{f}": v for a in ("B1", "B3") for f, v in (("importo", "2.000"), ("descrizione", "Quota comunale"))}}
    for step, data in steps.items():
        post_step(client, istanza, step, data)
    return nido


def test_the_regional_office_validates_a_survey(official, django_capture_on_commit_callbacks):
    istanza = start(official, "RIL03")
    nido = fill_comune_999002(official, istanza)
    post_step(official, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"})
    official.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    office = Client()
    office.force_login(make_operator("vale", "servizi-educativi-0-6"))
    with django_capture_on_commit_callbacks(execute=True):
        office.post(f"/admin/pratiche/{istanza.pk}/azione/prendi_in_carico/")
        office.post(f"/admin/pratiche/{istanza.pk}/azione/accogli/")
    istanza.refresh_from_db()
    assert istanza.status == Status.ACCOLTA and istanza.data["interventi"][f"s{nido}_B1_importo"] == "2000.00"
    assert "Accolta" in official.get(f"/area-personale/pratiche/{istanza.public_id}/").content.decode()


def send_comune_999002(client):
    """A complete survey of the Comune outside a CPT, sent in validation."""
    istanza = start(client, "RIL03")
    fill_comune_999002(client, istanza)
    post_step(client, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"})
    client.post(f"/area-personale/pratiche/{istanza.public_id}/invia/")
    istanza.refresh_from_db()
    return istanza


def test_one_survey_per_comune_and_edition(official):
    first = send_comune_999002(official)
    assert first.status == Status.INVIATA and first.data["comune"]["edizione"] == EDITION.year
    second = start(official, "RIL03")
    response = post_step(official, second, "comune", {"comune": SurveyComune.objects.get(istat_code="999002").pk, "designato": "on"})
    page = response.content.decode()
    assert response.status_code == 200 and f"la rilevazione {EDITION.year} è già stata inviata (pratica {first.number}, inviata)" in page
    assert f'href="/area-personale/pratiche/{first.public_id}/"' in page  # a link to the open one, for its sender
    # a colleague is told too, without a link to someone else's application
    colleague = spid_login(Client(), make_citizen("maria"))
    third = start(colleague, "RIL03")
    page = post_step(colleague, third, "comune", {"comune": SurveyComune.objects.get(istat_code="999002").pk, "designato": "on"}).content.decode()
    assert "L&#x27;ha inviata un altro utente del Comune." in page and str(first.public_id) not in page
    # another Comune is free
    assert post_step(official, second, "comune", {"comune": SurveyComune.objects.get(istat_code="999001").pk, "designato": "on"}).status_code == 302


def test_two_colleagues_filling_in_at_once_cannot_both_send(official):
    colleague = spid_login(Client(), make_citizen("maria"))
    istanza = start(colleague, "RIL03")
    fill_comune_999002(colleague, istanza)
    first = send_comune_999002(official)  # sent while the colleague is on the last step
    response = post_step(colleague, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"})
    page = response.content.decode()
    assert response.status_code == 200 and "già stata inviata" in page  # every step checked again at the end
    assert "Per il Comune di" in page or "già stata inviata" in page
    assert first.status == Status.INVIATA


def test_invia_refuses_a_survey_completed_before_a_colleague_sent_the_same(official):
    colleague = spid_login(Client(), make_citizen("maria"))
    istanza = start(colleague, "RIL03")
    fill_comune_999002(colleague, istanza)
    assert post_step(colleague, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"}).status_code == 302
    istanza.refresh_from_db()
    assert istanza.status == Status.DA_INVIARE  # on the summary, not sent yet
    first = send_comune_999002(official)
    page = colleague.post(f"/area-personale/pratiche/{istanza.public_id}/invia/", follow=True).content.decode()
    istanza.refresh_from_db()
    assert istanza.status == Status.DA_INVIARE and istanza.number is None and f"pratica {first.number}" in page


def test_a_step_after_the_comune_says_why_the_comune_no_longer_stands(official):
    colleague = spid_login(Client(), make_citizen("maria"))
    istanza = start(colleague, "RIL03")
    post_step(colleague, istanza, "comune", {"comune": SurveyComune.objects.get(istat_code="999002").pk, "designato": "on"})
    send_comune_999002(official)
    response = post_step(colleague, istanza, "servizi", sheet([{"stato": "attivo", "media_frequentanti": "30"}]))
    page = response.content.decode()
    assert "Torna al passo «Comune»: Per" in page and "non ha caricato servizi" not in page


def test_correcting_a_returned_survey_shows_no_error_banner_without_an_error(official):
    istanza = send_comune_999002(official)
    office = Client()
    office.force_login(make_operator("vale", "servizi-educativi-0-6"))
    office.post(f"/admin/pratiche/{istanza.pk}/azione/prendi_in_carico/")
    office.post(f"/admin/pratiche/{istanza.pk}/azione/richiedi_integrazione/", {"richiedi_integrazione-note": "Verificate la media."})
    page = official.get(f"/area-personale/pratiche/{istanza.public_id}/compila/").content.decode()
    assert "Stai integrando la pratica" in page and 'name="istanza-current_step" value="dichiarazioni"' in page
    for step in ("comune", "servizi", "mancanti", "interventi"):  # through the stepper, from the last step
        post_step(official, istanza, "dichiarazioni", {"privacy": "on", "veridicita": "on"}, goto=step)
        page = official.get(f"/area-personale/pratiche/{istanza.public_id}/compila/").content.decode()
        assert f'name="istanza-current_step" value="{step}"' in page
        assert "Correggi i campi indicati in rosso" not in page, step


def test_descriptions_are_not_cut_by_the_browser(official):
    istanza = start(official, "RIL03")
    post_step(official, istanza, "comune", {"comune": SurveyComune.objects.get(istat_code="999002").pk, "designato": "on"})
    post_step(official, istanza, "servizi", sheet([{"stato": "attivo", "media_frequentanti": "30"}]))
    post_step(official, istanza, "mancanti", formset([], MIN_NUM_FORMS="0"))
    page = official.get(f"/area-personale/pratiche/{istanza.public_id}/compila/").content.decode()
    assert 'name="interventi-' in page and "maxlength" not in page
